// The LoopLens debugger in a real VS Code, on the shipped parity model: "LoopLens: Debug
// Model on Input" copies the parity program into the workspace and starts a session; F10 three
// times moves one loop iteration each; the Variables view and the inline values in the .raspl
// editor show the program's values at that iteration, and change; the stepper panel follows the
// session, and the session follows the panel, also to another input typed there. A stepper's
// program link opens the workspace copy at that line, never the install folder.
import assert from 'node:assert/strict';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../src/core/programs/tasks/analyze';
import { evaluateExpression } from '../../src/core/rasp';
import { vsCodeTest, waitForText, type VsCode } from './harness';
import { answerInputBox, pickQuickItem } from './harness/quickInput';

const INPUT = '1101';
/** Typed in the stepper panel during the session. */
const OTHER = '011011';
const root = join(__dirname, '..', '..');

/** `s` of the parity program after `t` loop steps on `input`, as the Variables view shows it. */
function sAfter(t: number, input = INPUT): string {
  const task = analyze(readFileSync(join(root, 'models/tasks/parity.raspl'), 'utf8'), 'parity.raspl').task!;
  const v = evaluateExpression(task.program, task.rowFromInput(`${input}=`), t, 's');
  return `[${(v as { values: number[] }).values.join(' ')}]`;
}

/** `text` as a pattern in which each space matches any white space or none (the editor renders spaces as non-breaking ones; the Variables view puts name and value in separate elements). */
const spaced = (text: string) => new RegExp(text.replace(/[[\]().*+?^$|\\]/g, '\\$&').replace(/ /g, '\\s*'));

const pane = (vs: VsCode, title: RegExp) => vs.page.locator('.pane', { has: vs.page.locator('.pane-header', { hasText: title }) }).locator('.pane-body');
const callStack = (vs: VsCode) => pane(vs, /^\s*Call Stack/i);
const variables = (vs: VsCode) => pane(vs, /^\s*Variables/i).locator('.monaco-list-rows');
/** The editor of the workspace's parity.raspl (inline values are rendered inside its lines). */
const programEditor = (vs: VsCode) => vs.page.locator('.editor-group-container', { has: vs.page.locator('.tab.active', { hasText: 'parity.raspl' }) }).locator('.view-lines');

/**
 * Clicks line 24 in the stepper until the editor's cursor is there: VS Code's own reveal of the
 * stopped frame, after the step the panel asked for, may land after the click and move the cursor
 * back to the frame's line (as it would for a user who clicks that fast).
 */
async function showLine24(vs: VsCode, frame: ReturnType<VsCode['webviewFrame']>): Promise<void> {
  const at24 = vs.page.locator('.statusbar-item', { hasText: 'Ln 24, Col 1' });
  for (let attempt = 1; ; attempt++) {
    await frame.locator('.st-lineno', { hasText: /^24$/ }).click();
    try {
      await at24.waitFor({ state: 'visible', timeout: 8_000 });
      return;
    } catch (e) {
      if (attempt === 3) throw e;
    }
  }
}

async function stepOver(vs: VsCode, to: number): Promise<void> {
  await vs.page.keyboard.press('F10');
  await waitForText(callStack(vs), `iteration ${to} of T(n) = 4`, 20_000);
}

vsCodeTest('Debug Model on Input: F10 steps one loop iteration; Variables and inline values follow; the stepper follows the session and the session the stepper', async (vs) => {
  await vs.runCommand('LoopLens: Debug Model on Input');
  // no current model: pick the shipped parity model, then type the input
  await pickQuickItem(vs, 'parity.onnx', 'parity.onnx', 30_000);
  await answerInputBox(vs, '10x1', /binary|0|1/); // rejected by the task's validation
  await answerInputBox(vs, INPUT);
  // the program is a workspace copy, created with a message, and open in the editor
  await waitForText(vs.notification(/LoopLens copied the Parity task/), /models\/tasks\/parity\.raspl in your workspace/, 30_000);
  assert.ok(existsSync(join(vs.server.workspace, 'models', 'tasks', 'parity.raspl')), 'the workspace copy exists');
  await waitForText(callStack(vs), 'iteration 1 of T(n) = 4', 60_000);
  // the first stop's variables wait for the view to fetch its scopes: slow on a loaded machine
  await waitForText(variables(vs), spaced(`s = ${sAfter(1)}`), 60_000);
  await waitForText(programEditor(vs), spaced(`s = ${sAfter(1)} · at = (4):`), 20_000);
  const seen: string[] = [];
  for (const t of [2, 3, 4]) {
    await vs.page.locator('.tab', { hasText: 'parity.raspl' }).first().click(); // F10 goes to the workbench, not the webview
    await stepOver(vs, t);
    const vars = await waitForText(variables(vs), spaced(`s = ${sAfter(t)}`), 20_000);
    assert.match(vars, /x =\[[01 ]+\]/);
    assert.match(vars, /out =\[[0-9 ]+\]/);
    seen.push(await waitForText(programEditor(vs), spaced(`s = ${sAfter(t)} · at = (4):`), 20_000));
  }
  assert.notEqual(seen[0], seen[2], 'the inline values changed with the iteration');
  // the stepper panel shows the session's input and follows it
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('.st-header'), '1101', 60_000);
  await vs.screenshot('debug-parity-f10');

  // the session follows the panel: one step right in the stepper moves the debugger to iteration 5
  await frame.locator('.st-header').first().click({ position: { x: 2, y: 2 } }); // focus the page (a non-interactive spot)
  await vs.page.keyboard.press('ArrowRight');
  await waitForText(callStack(vs), 'iteration 5 of T(n) = 4', 20_000);
  await waitForText(variables(vs), spaced(`s = ${sAfter(5)}`), 20_000);

  // another input typed in the panel: the session moves to it, from iteration 1, and the panel follows
  await frame.locator('#st-input input').fill(OTHER);
  await vs.page.keyboard.press('Enter');
  await waitForText(callStack(vs), 'iteration 1 of T(n) = 6', 30_000);
  await waitForText(variables(vs), spaced(`s = ${sAfter(1, OTHER)}`), 20_000);
  await waitForText(frame.locator('.st-header'), OTHER, 30_000);
  await frame.locator('.st-header').first().click({ position: { x: 2, y: 2 } });
  await vs.page.keyboard.press('ArrowRight');
  await waitForText(callStack(vs), 'iteration 2 of T(n) = 6', 20_000);
  await waitForText(variables(vs), spaced(`s = ${sAfter(2, OTHER)}`), 20_000);
  // a line number in the panel shows that line of the session's program, in its editor
  await showLine24(vs, frame);
  assert.equal(await vs.page.locator('.tab', { hasText: 'parity.raspl' }).count(), 1, 'no second editor of the program');

  // with the stepper closed, the program's editor has room for the inline values
  await vs.page.locator('.tab', { hasText: 'Stepper' }).first().click();
  await vs.runCommand('View: Close Editor');
  await waitForText(programEditor(vs), spaced(`s = ${sAfter(2, OTHER)} · at = (6):`), 20_000);
  await vs.screenshot('debug-parity-inline-values');

  // the Debug Console evaluates RASP-L at the current iteration, and probes
  await vs.runCommand('Debug Console: Focus on Debug Console View');
  // focusing the view puts the cursor in its input line
  await vs.page.locator('.repl-input-wrapper').first().waitFor({ state: 'visible', timeout: 10_000 });
  await vs.page.keyboard.type('shift_right(s, 1)');
  await vs.page.keyboard.press('Enter');
  const shifted = `[0 ${sAfter(2, OTHER).slice(1, -1).split(' ').slice(0, -1).join(' ')}]`;
  await waitForText(vs.page.locator('.repl'), spaced(shifted), 20_000);
  await vs.page.keyboard.type('probe x');
  await vs.page.keyboard.press('Enter');
  await waitForText(vs.page.locator('.repl'), /held-out \d+\.\d% vs baseline \d+\.\d%: (beats|not above) the baseline at iteration 2/, 60_000);
  await vs.screenshot('debug-parity-console');
  await vs.runCommand('Debug: Stop');
}, { timeoutMs: 300_000 });

vsCodeTest('Step Through from the palette: a program line opens the workspace copy at that line, never the install folder', async (vs) => {
  const copy = join(vs.server.workspace, 'models', 'tasks', 'parity.raspl');
  rmSync(copy); // as before any debug session: the stepper shows the program shipped with LoopLens
  await vs.runCommand('LoopLens: Step Through Iterations');
  await answerInputBox(vs, INPUT); // the current model: parity, from the debug session
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('.st-header'), INPUT, 60_000);
  await frame.locator('.st-lineno', { hasText: /^24$/ }).click();
  await vs.page.locator('.tab.active', { hasText: 'parity.raspl' }).waitFor({ state: 'visible', timeout: 20_000 });
  assert.ok(existsSync(copy), 'the program was copied into the workspace and that copy opened');
  await vs.page.locator('.statusbar-item', { hasText: 'Ln 24, Col 1' }).waitFor({ state: 'visible', timeout: 20_000 });
  // the editor's file is the workspace's: typing changes it (the install folder's would be another file)
  await vs.page.keyboard.type('# edited\n');
  await vs.runCommand('File: Save');
  const line24 = () => readFileSync(copy, 'utf8').split('\n')[23]!;
  for (let i = 0; i < 50 && !line24().startsWith('# edited'); i++) await vs.page.waitForTimeout(200);
  assert.match(line24(), /^# edited/, 'line 24 of the workspace copy');
  await vs.screenshot('stepper-program-link');
}, { timeoutMs: 180_000 });
