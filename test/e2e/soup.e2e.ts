// Average Model Weights (Model Soup)… in a real VS Code: two models of one network ticked in the
// quick pick become a soup saved through the save dialog, which the model editor and the Models view
// show as one; from the soup's context menu only the models of its network are offered, it ticked.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { loadModel, modelFileBytes, parseModel } from '../../src/core/model/modelFile';
import { vsCodeTest, waitForText } from './harness';
import { tickQuickItems, waitForQuickItem } from './harness/quickInput';
import { acceptSaveDialog } from './harness/saveDialog';

vsCodeTest('two models of one network ticked in the quick pick become a soup the model editor and the Models view show', async (vs) => {
  const dir = join(vs.server.workspace, 'models');
  mkdirSync(dir, { recursive: true });
  const shipped = parseModel(readFileSync(join(__dirname, '..', '..', 'models', 'parity.onnx')), 'parity.onnx');
  writeFileSync(join(dir, 'parity-a.onnx'), readFileSync(join(__dirname, '..', '..', 'models', 'parity.onnx')));
  // the same network with other weights: a stand-in for a fine-tune
  const scaled = Object.fromEntries(Object.entries(shipped.params).map(([k, w]) => [k, w.map((v) => v * 0.5)]));
  writeFileSync(join(dir, 'parity-b.onnx'), modelFileBytes({ task: shipped.task, config: shipped.config, params: scaled, training: shipped.metadata.training }));
  // neither is offered beside a parity model: another network, and a file that is not a model
  writeFileSync(join(dir, 'copy-x.onnx'), readFileSync(join(__dirname, '..', '..', 'models', 'copy.onnx')));
  writeFileSync(join(dir, 'broken.onnx'), 'not a model');

  await vs.runCommand('LoopLens: Average Model Weights (Model Soup)…');
  await tickQuickItems(vs, [{ filter: 'parity-a', row: 'parity-a.onnx' }, { filter: 'parity-b', row: 'parity-b.onnx' }], 30_000);
  const file = await acceptSaveDialog(vs, 'models/parity-a-soup.onnx');
  await vs.page.locator('.notifications-toasts', { hasText: 'saved the model soup as models/parity-a-soup.onnx' }).waitFor({ state: 'visible', timeout: 20_000 });

  const soup = await loadModel(file);
  assert.deepEqual(soup.metadata.training.soup?.map((s) => s.model), ['models/parity-a.onnx', 'models/parity-b.onnx']);
  const key = Object.keys(shipped.params)[0]!;
  assert.equal(soup.params[key]![0], Math.fround((shipped.params[key]![0]! + scaled[key]![0]!) / 2), 'the mean of the two');

  await vs.openFile('models/parity-a-soup.onnx');
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'LoopLens model', 30_000);
  await waitForText(frame.locator('#record'), /soup\s*the mean of the weights of 2 models \(a model soup\): models\/parity-a\.onnx \(CRC-32 [0-9a-f]{8}\), models\/parity-b\.onnx/);
  await waitForText(frame.locator('.pn-chips'), /soup of 2/);
  await vs.screenshot('model-editor-soup');

  // the Models view lists it among the workspace's models, as a soup
  await vs.runCommand('View: Show LoopLens');
  const soupRow = vs.page.locator('.part.sidebar .monaco-list-row', { hasText: 'parity-a-soup' }).first();
  await waitForText(soupRow, /parity-a-soup.*parity · d64 L1 H4 · soup of 2 · trained 1\.\.20/, 30_000);

  // from the soup's context menu, only the models of its network are offered, it ticked
  await soupRow.click({ button: 'right' });
  // hovering focuses the menu's item; Enter runs it (a synthetic click does not reach the menu reliably)
  await vs.page.locator('.context-view .action-menu-item', { hasText: 'Average Weights With…' }).first().hover();
  await vs.page.keyboard.press('Enter');
  await waitForQuickItem(vs, 'parity-b.onnx', 30_000);
  const list = vs.page.locator('.quick-input-widget .quick-input-list .monaco-list-row');
  const rows = await list.allInnerTexts();
  // the shipped parity model is of the same network, so it is offered too
  assert.deepEqual(rows.map((r) => r.split('parity ·')[0]!.trim()).sort(), ['parity-a-soup.onnx', 'parity-a.onnx', 'parity-b.onnx', 'parity.onnx'], `offered: ${rows.join(' | ')}`);
  assert.equal(await list.filter({ hasText: 'parity-a-soup.onnx' }).getAttribute('aria-checked'), 'true', 'the model it was started from is ticked');
  await vs.page.keyboard.press('Escape');
}, { timeoutMs: 150_000 });
