// Models in a real VS Code: "Open Looped Model…" on a small trained model (and a broken file),
// the status bar, "Step Through Iterations" into the stepper beside its RASP-L program, and
// "Evaluate Length Generalization" with its chart and table.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runTrainJob } from '../../src/core/train/trainJob';
import { tinyParity } from '../support/tinyRecipes';
import { vsCodeTest, waitForText, type VsCode } from './harness';
import { answerInputBox, pickQuickItem } from './harness/quickInput';

let modelReady: Promise<void> | undefined;
const recipe = tinyParity();
const shape = `d${recipe.model.d} L${recipe.model.layers} H${recipe.model.heads}`;

/** A small parity model (test/support/tinyRecipes.ts: a few hundred real training steps on short lengths, seconds) in the workspace's models/ folder. */
function ensureModel(vs: VsCode): Promise<void> {
  modelReady ??= (async () => {
    const dir = join(vs.server.workspace, 'models');
    mkdirSync(dir, { recursive: true });
    await runTrainJob({ recipe, modelPath: join(dir, 'parity-tiny.onnx'), finalEval: { lengths: [3, 6], examples: 64, batchSize: 64 }, provider: 'cpu' });
    writeFileSync(join(dir, 'broken.onnx'), 'this is not an ONNX model');
  })();
  return modelReady;
}

const statusBar = (vs: VsCode) => vs.page.locator('.statusbar-item', { hasText: `parity · ${shape}` });

vsCodeTest('a file that is not a model gets a clear error and leaves nothing open', async (vs) => {
  await ensureModel(vs);
  await vs.runCommand('LoopLens: Open Looped Model…');
  await pickQuickItem(vs, 'broken', 'broken');
  await waitForText(vs.notification(/cannot open broken\.onnx/), /LoopLens cannot open broken\.onnx as a looped model: .*broken\.onnx is not a readable ONNX model/);
  assert.equal(await statusBar(vs).count(), 0, 'no current model');
}, { timeoutMs: 150_000 });

vsCodeTest('Open Looped Model makes it current (status bar) and Step Through shows its iterations beside the RASP-L program', async (vs) => {
  await ensureModel(vs);
  await vs.runCommand('LoopLens: Open Looped Model…');
  await pickQuickItem(vs, 'parity-tiny', 'parity-tiny');
  const trained = `Parity (d = ${recipe.model.d}, 1 layer, ${recipe.model.heads} heads), trained ${recipe.steps} steps with the ${recipe.preset} preset`;
  const note = await waitForText(vs.notification(/opened parity-tiny\.onnx/), /Evaluated at length 6: oracle/);
  assert.ok(note.includes(trained), note);
  await statusBar(vs).waitFor({ state: 'visible', timeout: 10_000 });

  await vs.runCommand('LoopLens: Step Through Iterations');
  await answerInputBox(vs, '10x1', /binary|0|1/); // rejected by the task's own validation, box stays open
  await answerInputBox(vs, '101101');
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('.st-jumps'), 'T(n) = 6', 30_000);
  await waitForText(frame.locator('.st-source'), 'shift_right(seq_map(s, x, xor), 1)');
  // the adaptive stop is the length-calibrated rule; the paper's per-example score is in a note
  await waitForText(frame.locator('.st-jumps'), /Stop = \d+/);
  await waitForText(frame.locator('.st-notes'), /Stop = \d+ is the length-calibrated rule: .* would stop at step \d+/);
  const header = await waitForText(frame.locator('.st-header'), '101101');
  assert.match(header, /parity-tiny\.onnx/);
  await vs.screenshot('stepper-parity-tiny');
}, { timeoutMs: 150_000 });

vsCodeTest('Evaluate Length Generalization draws accuracy vs length and fills the table', async (vs) => {
  await ensureModel(vs);
  // the model opened by the previous test is still current
  await vs.runCommand('LoopLens: Evaluate Length Generalization');
  await answerInputBox(vs, '3, 6, 9');
  await pickQuickItem(vs, '256', '256 examples per length');
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'Finished', 90_000);
  const table = await waitForText(frame.locator('#eval-table'), /9\s*9\s*256/);
  assert.match(table, /^length.*3\s*3\s*256\s*\d+(\.\d)?%/);
  // the stepper's stop, calibrated once per length: a percentage and one whole step per row
  assert.match(table, /length-calibrated\s*step/);
  const pct = String.raw`\d+(\.\d)?%`;
  const num = String.raw`(\d+\.\d|–)`;
  assert.match(table, new RegExp(String.raw`9\s*9\s*256\s*${pct}\s*${pct}\s*${num}\s*${pct}\s*${num}\s*${pct}\s*\d+\.0`));
  const inRange = [3, 6, 9].filter((n) => n <= recipe.curriculum.end - 1).length;
  assert.equal(await frame.locator('#eval-table tr.trained').count(), inRange, 'rows inside the training range are marked');
  assert.equal(await frame.locator('#chart-accuracy svg circle.ch-dot').count() >= 12, true, 'a dot per rule (oracle, per batch, per example, calibrated) and length');
  await waitForText(frame.locator('#chart-accuracy'), `trained on 1..${recipe.curriculum.end - 1}`);
  await vs.screenshot('evaluation-parity-tiny');

  // accuracy at every loop step: a line per length, its T(n) ringed and the paper rule's step dotted
  const byStep = frame.locator('#chart-by-step');
  await byStep.scrollIntoViewIfNeeded();
  assert.equal(await byStep.locator('svg path.ch-line').count(), 3, 'one line per test length');
  for (const shape of ['ring', 'dot']) assert.equal(await byStep.locator(`svg circle.ch-mark.${shape}`).count(), 3, `a ${shape} per length`);
  const titles = await byStep.locator('svg circle.ch-mark title').allTextContents();
  for (const n of [3, 6, 9]) {
    assert.ok(titles.some((t) => new RegExp(String.raw`^n = ${n}: T\(n\) = ${n}, ${pct}$`).test(t)), `n = ${n}: its T(n) ringed: ${JSON.stringify(titles)}`);
    assert.ok(titles.some((t) => new RegExp(String.raw`^n = ${n}: the paper rule's step \d+, ${pct}$`).test(t)), `n = ${n}: the paper rule's step dotted: ${JSON.stringify(titles)}`);
  }
  const legend = (await byStep.locator('.ch-legend .ch-key').allTextContents()).map((t) => t.trim());
  assert.deepEqual(legend, ['n = 3', 'n = 6', 'n = 9', 'T(n): the step the oracle reads', "the step the paper's rule picks for the length"]);
  const summary = (await frame.locator('#eval-by-step .pn-step-summary li').allTextContents()).map((t) => t.trim());
  assert.equal(summary.length, 3, 'a summary line per length');
  assert.match(summary[2]!, new RegExp(String.raw`^n = 9: best ${pct} at step \d+ · T\(n\) = 9: ${pct} · paper rule's step \d+: ${pct} · last step \d+: ${pct}$`));
  // hovering the first step reads out every length's accuracy and confidence score there
  await byStep.locator('svg rect.ch-hit').hover({ position: { x: 2, y: 20 } });
  await waitForText(byStep.locator('.ch-tip'), new RegExp(String.raw`^loop step 1${[3, 6, 9].map((n) => String.raw`n = ${n}: ${pct} · confidence score \d+\.\d{3}.*`).join('')}$`));
  await vs.screenshot('evaluation-parity-tiny-by-step');
}, { timeoutMs: 150_000 });
