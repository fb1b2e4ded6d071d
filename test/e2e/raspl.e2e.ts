// RASP-L in a real VS Code: a .raspl file gets its problems listed as you open it, and
// "LoopLens: Run RASP-L Program on Input" asks for a row and shows the step-by-step trace.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { configureVsCode, vsCodeTest, waitForText } from './harness';

configureVsCode({
  workspaceFiles: {
    'parity.raspl': readFileSync(join(__dirname, '..', '..', 'models', 'tasks', 'parity.raspl'), 'utf8'),
    'broken.raspl': 'x = tokens\ny = shift_rigth(x, 1)\n',
  },
});

vsCodeTest('opening a broken .raspl file lists its error in the Problems panel', async (vs) => {
  await vs.openFile('broken.raspl');
  await vs.runCommand('View: Focus Problems (Errors, Warnings, Infos)');
  const text = await waitForText(vs.page.locator('.markers-panel'), /"shift_rigth" is not defined; did you mean "shift_right"\?/);
  assert.match(text, /RASP-L/);
  await vs.screenshot('raspl-problems');
});

vsCodeTest('Run RASP-L Program on Input shows the trace of the parity program', async (vs) => {
  await vs.openFile('parity.raspl');
  await vs.runCommand('LoopLens: Run RASP-L Program on Input');
  const input = vs.page.locator('.quick-input-widget .quick-input-box input');
  await input.waitFor({ state: 'visible', timeout: 10_000 });
  await input.fill('0111x');
  await waitForText(vs.page.locator('.quick-input-widget'), /unknown token "0111x"/);
  await input.fill('01111=');
  await vs.page.keyboard.press('Enter');
  await vs.page.locator('.tab', { hasText: 'parity trace.txt' }).waitFor({ state: 'visible', timeout: 15_000 });
  const editor = vs.page.locator('.editor-group-container', { has: vs.page.locator('.tab.active', { hasText: 'parity trace.txt' }) }).locator('.view-lines');
  // the editor renders spaces as non-breaking spaces: match them with \s
  const text = await waitForText(editor, /task\s+parity\s+·\s+lengths\s+n=5\s+·\s+T\s+=\s+5/);
  assert.match(text, /step\s+1\s+of\s+5/);
  await vs.screenshot('raspl-trace');
});
