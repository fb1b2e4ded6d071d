// Issue 15's researcher views in a real VS Code, on the shipped copy model (2 layers x 16 heads):
// the stepper at n = 25 (longer than it was trained on), a head enlarged with token axes and
// zoomed, a token hovered and read out in every head, the maps exported as SVG; an evaluation
// exported as CSV through the panel and the save dialog, and the file's contents checked; and a failing length of an
// evaluation clicked, opening one of its wrong examples in the stepper. Last, the shipped
// multiplication model evaluated at short lengths: its case split (1 bits in a) as a card, each cell
// "oracle / paper rule".
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { EVALUATION_COLUMNS, EVALUATION_STEP_COLUMNS } from '../../src/core/export/evaluationExport';
import { vsCodeTest, waitForText, type VsCode } from './harness';
import { answerInputBox, pickQuickItem } from './harness/quickInput';
import { acceptSaveDialog } from './harness/saveDialog';

const INPUT = '1011001110100101101011010'; // n = 25; trained on n <= 19

async function openCopyModel(vs: VsCode): Promise<void> {
  await vs.runCommand('LoopLens: Open Looped Model…');
  await pickQuickItem(vs, 'copy.onnx', 'copy.onnx');
  await vs.page.locator('.statusbar-item', { hasText: 'copy ·' }).waitFor({ state: 'visible', timeout: 20_000 });
}

vsCodeTest('the copy model’s stepper: enlarge a head, zoom, hover a token in every head', async (vs) => {
  await openCopyModel(vs);
  await vs.runCommand('LoopLens: Step Through Iterations');
  await answerInputBox(vs, INPUT);
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('.st-jumps'), 'T(n) = 25', 60_000);
  await frame.locator('.st-heads .st-head').nth(15).waitFor({ state: 'visible', timeout: 20_000 });
  assert.equal(await frame.locator('.st-heads .st-head').count(), 16, 'one map per head of layer 1');
  // the README's screenshot: the editor area alone
  await vs.runCommand('View: Toggle Primary Side Bar Visibility');
  await vs.page.waitForTimeout(800);
  await vs.screenshot('stepper-copy-n25');

  // enlarge head 3: token axes, and zoom narrows them
  await frame.locator('.st-head[data-head="2"]').click();
  await waitForText(frame.locator('.st-detail-title'), 'head 3');
  await frame.locator('.st-detail .st-axis.x .tick').first().waitFor({ state: 'visible' });
  const ticks = await frame.locator('.st-detail .st-axis.x .tick').count();
  await frame.locator('.st-detail').focus();
  await vs.page.keyboard.press('+');
  await vs.page.keyboard.press('+');
  const zoomed = await frame.locator('.st-detail .st-axis.x .tick').count();
  // zoomed in, part of the row fills the map and every key in view gets its token as a label
  assert.ok(zoomed !== ticks && zoomed < 54, `zooming in changes the key labels (${ticks} → ${zoomed} of 54 positions)`);

  // hover the token at position 30 (an answer slot): every head reads out where that query looks
  await frame.locator('.st-ruler .st-chip-tok').nth(30).hover();
  const readouts = await frame.locator('.st-heads .st-readout').allTextContents();
  assert.equal(readouts.length, 16);
  for (const r of readouts) assert.match(r, /^q30 → k\d+ \(.\) [01]\.\d\d$/);
  await frame.locator('.st-attention').evaluate((e) => e.scrollIntoView());
  await frame.locator('.st-ruler .st-chip-tok').nth(30).hover();
  await vs.screenshot('stepper-copy-attention');

  // the SVG exports through the save dialog: the layer's 16 maps in one document, then the enlarged head alone
  const step = await frame.locator('.st-slider').inputValue();
  const svgLink = (scope: string) => frame.locator(`${scope} .ex-link`, { hasText: /^SVG$/ }).first();
  await svgLink('.st-attention .card-head').click();
  const grid = readFileSync(await acceptSaveDialog(vs, `copy-attention-step${step}-layer1.svg`), 'utf8');
  await svgLink('.st-detail').click();
  const head = readFileSync(await acceptSaveDialog(vs, `copy-attention-step${step}-layer1-head3.svg`), 'utf8');
  const W = 54; // the row of n = 25: input, '=', answer and pads
  const cellFills = (svg: string) => [...svg.matchAll(/<rect x="[\d.]+" y="[\d.]+" width="[\d.]+" height="[\d.]+" fill="([^"]+)"/g)].map((m) => m[1]!);
  for (const [svg, heads] of [[grid, 16], [head, 1]] as const) {
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.equal(svg.match(/>head \d+</g)?.length, heads, 'one titled map per head');
    // a cell per query and key of every head, masked cells (key after query) included
    assert.equal(cellFills(svg).length, heads * W * W, 'W x W cells per head');
  }
  assert.match(grid, /· layer 1, step \d+ ·/);
  // both exports colour masked cells as the canvases do: cell 2 of a map is query 0's masked key 1
  assert.equal(cellFills(head)[1], cellFills(grid)[1]);
}, { timeoutMs: 180_000 });

vsCodeTest('the evaluation exports its results as CSV through the save dialog', async (vs) => {
  // the copy model is still current
  await vs.runCommand('LoopLens: Evaluate Length Generalization');
  await answerInputBox(vs, '5, 10');
  // the choices carry a time measured on this machine
  await vs.page.locator('.quick-input-list .monaco-list-row', { hasText: /about \d+ (s|min)/ }).first().waitFor({ state: 'visible', timeout: 60_000 });
  await pickQuickItem(vs, '256', '256 examples per length');
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'Finished', 120_000);
  // copy has no case split (Task.cases): the panel leaves the case card out
  assert.equal(await frame.locator('#eval-cases').count(), 0, 'no case card for a task without cases');
  // each card has its own export links: the Results card's CSV is the results table
  const csvOf = (heading: RegExp) => frame.locator('.pn-card', { has: frame.locator('h2', { hasText: heading }) }).locator('.pn-card-head .ex-link', { hasText: 'CSV' });
  await csvOf(/^Results$/).click();
  const file = await acceptSaveDialog(vs, 'copy-evaluation.csv');
  await waitForText(frame.locator('#export-status'), 'copy-evaluation.csv');
  const lines = readFileSync(file, 'utf8').trimEnd().split('\n');
  assert.equal(lines[0], EVALUATION_COLUMNS.join(','));
  assert.equal(lines.length, 3, 'the header and one row per length');
  const col = (name: string) => EVALUATION_COLUMNS.indexOf(name);
  for (const [i, n] of [[1, 5], [2, 10]] as const) {
    const cells = lines[i]!.split(',');
    assert.equal(cells.length, EVALUATION_COLUMNS.length);
    assert.equal(cells[col('model')], 'copy.onnx');
    assert.equal(Number(cells[col('length')]), n);
    assert.equal(Number(cells[col('examples')]), 256);
    const [acc, lo, hi] = ['oracle', 'oracle_ci_low', 'oracle_ci_high'].map((c) => Number(cells[col(c)]));
    assert.ok(acc! >= 0 && acc! <= 1 && lo! <= acc! && acc! <= hi!, `oracle ${acc} in [${lo}, ${hi}]`);
    assert.ok(Number(cells[col('calibrated_step')]) >= 1);
  }
  // the accuracy at every loop step: one row per step 1 .. T(n) + 20 of each length
  await csvOf(/^Accuracy at every loop step$/).click();
  const steps = readFileSync(await acceptSaveDialog(vs, 'copy-by-step.csv'), 'utf8').trimEnd().split('\n');
  assert.equal(steps[0], EVALUATION_STEP_COLUMNS.join(','));
  assert.equal(steps.length, 1 + (5 + 20) + (10 + 20));
  const oracleRows = steps.slice(1).filter((l) => l.split(',')[EVALUATION_STEP_COLUMNS.indexOf('is_oracle_step')] === 'true');
  assert.deepEqual(oracleRows.map((l) => l.split(',').slice(1, 3).map(Number)), [[5, 5], [10, 10]], 'T(n) = n flagged once per length');
  await vs.screenshot('evaluation-copy-exported');
}, { timeoutMs: 240_000 });

vsCodeTest('clicking a failing length in the evaluation opens a wrong example of that length in the stepper', async (vs) => {
  // the copy model is still current; at n = 38 (twice its training lengths, n <= 19) it gets about one in thirty wrong (models/README.md)
  await vs.runCommand('LoopLens: Evaluate Length Generalization');
  await answerInputBox(vs, '38');
  await pickQuickItem(vs, '256', '256 examples per length', 60_000);
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'Finished', 180_000);
  const row = frame.locator('#eval-table tbody tr.clickable').first();
  const title = (await row.getAttribute('title')) ?? '';
  const failure = /^Click: open (\S+) in the stepper \(expected (\S+), the model says (\S+) under (.+)\)$/.exec(title);
  assert.ok(failure, `the failing row says what it opens: ${JSON.stringify(title)}`);
  const [, input, expected, predicted, rule] = failure;
  assert.equal(await row.locator('td').first().textContent(), '38');
  assert.equal(input!.replace(/=$/, '').length, 38, `an input of length 38: ${input}`);
  assert.notEqual(predicted, expected);
  assert.equal(rule, 'oracle T(n)', 'a failure at T(n), where the stepper opens');
  await row.click();

  // the stepper, on that input, opens at T(n) = 38 with the wrong answer
  await waitForText(frame.locator('.st-jumps'), 'T(n) = 38', 60_000);
  assert.equal(await frame.locator('#st-input').evaluate((e) => (e as HTMLElement & { value: string }).value), input);
  assert.match((await frame.locator('.st-heading h1').textContent()) ?? '', new RegExp(`· ${input} ·`));
  assert.match((await frame.locator('.st-step-label').textContent()) ?? '', /^Step 38 \/ \d+ · T\(n\)/);
  const wrong = await frame.locator('.st-state .st-model td.wrong').count();
  assert.ok(wrong >= 1, `the model row marks ${wrong} wrong answer positions`);
  const target = (await frame.locator('.st-state .st-target td').allTextContents()).join('');
  assert.ok(target.includes(expected!), `the target row (${target}) holds the expected answer ${expected}`);
  await frame.locator('.st-state').evaluate((e) => e.scrollIntoView());
  await frame.locator('.st-heads:not(.loading) .st-head').first().waitFor({ state: 'visible', timeout: 60_000 }); // the attention slices arrived
  await vs.screenshot('stepper-failing-length-38');
}, { timeoutMs: 300_000 });

vsCodeTest('a task with a case split: the multiplication evaluation shows a card by the 1 bits in a', async (vs) => {
  await vs.runCommand('LoopLens: Open Looped Model…');
  await pickQuickItem(vs, 'multiplication.onnx', 'multiplication.onnx');
  await vs.page.locator('.statusbar-item', { hasText: 'multiplication ·' }).waitFor({ state: 'visible', timeout: 20_000 });
  await vs.runCommand('LoopLens: Evaluate Length Generalization');
  await answerInputBox(vs, '2, 3'); // n_b, with n_a = 2: short lengths, a few steps each
  await pickQuickItem(vs, '256', '256 examples per length', 60_000); // the fewest the panel offers
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'Finished', 120_000);
  const card = frame.locator('#eval-cases');
  await card.waitFor({ state: 'visible', timeout: 10_000 });
  assert.match((await card.locator('h2').textContent()) ?? '', /1 bits in a.*: oracle \/ paper rule$/);
  const table = card.locator('#case-table');
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  assert.deepEqual(headers.slice(1), ['0', '1', '2+'], `one column per case label after the length's: ${JSON.stringify(headers)}`);
  const rows = table.locator('tbody tr');
  assert.equal(await rows.count(), 2, 'one row per evaluated length');
  for (const [i, n] of [[0, 2], [1, 3]] as const) {
    const row = rows.nth(i);
    assert.equal((await row.locator('th').textContent())?.trim(), String(n));
    const cells = row.locator('td.case-cell');
    assert.equal(await cells.count(), 3, `length ${n}: a cell per case`);
    let total = 0;
    for (let c = 0; c < 3; c++) {
      const acc = (await cells.nth(c).locator('.case-acc').textContent()) ?? '';
      const of = (await cells.nth(c).locator('.case-n').textContent()) ?? '';
      // "oracle / paper rule"; the tooltip adds the per-example rule
      assert.match(acc, /^\d+(\.\d)?% \/ \d+(\.\d)?%$/, `length ${n}, case ${headers[c + 1]}: the oracle's and the paper rule's accuracy (${JSON.stringify(acc)})`);
      assert.match((await cells.nth(c).getAttribute('title')) ?? '', /right at T\(n\); \d+ \(.+\) under the paper rule.*; \d+ \(.+\) per example/);
      const count = /^of ([\d,]+)$/.exec(of);
      assert.ok(count, `length ${n}, case ${headers[c + 1]}: a count (${JSON.stringify(of)})`);
      total += Number(count[1]!.replace(/,/g, ''));
    }
    assert.equal(total, 256, `length ${n}: the cases' counts add up to the examples per length`);
  }
  await card.evaluate((e) => e.scrollIntoView());
  await vs.screenshot('evaluation-multiplication-cases');
}, { timeoutMs: 180_000 });
