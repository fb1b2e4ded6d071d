// The Evaluation panel's overlay in a real VS Code: the shipped multiplication model evaluated at
// short lengths, then "Overlay Another Model…" picks a second multiplication model (a few steps of
// the tiny preset, trained by `looplens train` into the workspace's runs/ folder, as a user would)
// and evaluates it with the same setup: its curves and legend entries in both charts, its rows in
// the results table, its own accuracy-at-every-step chart, its own map of the answer positions at every
// step (of the length picked for both) and its own case table, on the same inputs as the first model's, each model's
// lengths tagged "trained" by its own training range (and the overlay's range outlined in the
// charts, as it differs from the first model's). A model of
// another task is refused with an error that leaves the overlay as it was; Remove Overlay clears it.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { FrameLocator, Locator } from 'playwright-core';
import { vsCodeTest, waitForText } from './harness';
import { answerInputBox, pickQuickItem } from './harness/quickInput';

const FIRST = 'multiplication.onnx';
const SECOND = 'multiplication-tiny.onnx';
// 4: inside the shipped model's training range, past the tiny one's
const LENGTHS = [2, 3, 4];
const EXAMPLES = 256;
/** The longest n_b each model trained on, as its file records it: the shipped model 1..11; 40 tiny-preset steps reach 1..3. */
const FIRST_TRAINED = 11;
const SECOND_TRAINED = 3;

/** `looplens train`'s default output for the tiny preset, in the workspace: runs/multiplication-tiny.onnx. */
async function trainSecondModel(workspace: string): Promise<string> {
  const cli = join(__dirname, '..', '..', 'dist', 'cli.js');
  // 40 steps: seconds of training, a model of the same task (and shape rules) that has learnt little
  await promisify(execFile)(process.execPath, [cli, 'train', '--task', 'multiplication', '--preset', 'tiny', '--steps', '40', '--no-eval', '--threads', '1'], { cwd: workspace, timeout: 60_000 });
  const file = join(workspace, 'runs', SECOND);
  assert.ok(existsSync(file), `looplens train wrote ${file}`);
  return file;
}

const escaped = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Whether each of these rows is tagged "trained" (the tag is CSS, not text). */
const trainedTags = async (rows: Locator) => Promise.all((await rows.all()).map(async (r) => /\btrained\b/.test((await r.getAttribute('class')) ?? '')));
const pct = (text: string) => Number(/^(\d+(?:\.\d)?)%$/.exec(text.trim())?.[1] ?? NaN) / 100;
const texts = async (frame: FrameLocator, selector: string) => (await frame.locator(selector).allTextContents()).map((t) => t.trim());

/** One model's case table: per length, each case's "oracle / paper rule" accuracies and count. */
async function caseTable(frame: FrameLocator, id: string): Promise<{ caption: string; headers: string[]; rows: { length: string; cells: { oracle: number; paper: number; n: number }[] }[] }> {
  const table = frame.locator(`#${id}`);
  const caption = ((await table.locator('caption').textContent()) ?? '').trim();
  const headers = (await table.locator('thead th').allTextContents()).map((t) => t.trim());
  const rows = [];
  for (const row of await table.locator('tbody tr').all()) {
    const cells = [];
    for (const cell of await row.locator('td.case-cell').all()) {
      const acc = ((await cell.locator('.case-acc').textContent()) ?? '').trim();
      const [oracle, paper] = acc.split(' / ').map(pct);
      const n = Number(/^of ([\d,]+)$/.exec(((await cell.locator('.case-n').textContent()) ?? '').trim())?.[1]?.replace(/,/g, '') ?? NaN);
      assert.ok(Number.isFinite(oracle) && Number.isFinite(paper) && Number.isInteger(n), `${id}: a cell "oracle / paper rule" of n (${JSON.stringify(acc)}, ${n})`);
      cells.push({ oracle: oracle!, paper: paper!, n });
    }
    rows.push({ length: ((await row.locator('th').textContent()) ?? '').trim(), cells });
  }
  return { caption, headers, rows };
}

vsCodeTest('Overlay Another Model: a second multiplication model drawn over the first, its case table beside; another task refused', async (vs) => {
  const second = await trainSecondModel(vs.server.workspace);

  await vs.runCommand('LoopLens: Open Looped Model…');
  await pickQuickItem(vs, FIRST, FIRST);
  await vs.page.locator('.statusbar-item', { hasText: 'multiplication ·' }).waitFor({ state: 'visible', timeout: 20_000 });
  await vs.runCommand('LoopLens: Evaluate Length Generalization');
  await answerInputBox(vs, LENGTHS.join(', ')); // n_b, with n_a = 2: short lengths, a few steps each
  await pickQuickItem(vs, '256', '256 examples per length', 60_000); // the fewest the panel offers
  const frame = vs.webviewFrame();
  await waitForText(frame.locator('#status'), 'Finished', 120_000);
  assert.equal(await frame.locator('#clear-overlay').isVisible(), false, 'no Remove Overlay button before an overlay');
  const firstRows = frame.locator('#eval-table tbody tr:not(.overlay-row)');
  assert.equal(await firstRows.count(), LENGTHS.length);

  // overlay the second model, picked where Open Looped Model lists it (the workspace's runs/)
  await frame.locator('#overlay').click();
  await pickQuickItem(vs, 'multiplication-tiny', SECOND, 30_000);
  await waitForText(frame.locator('#progress'), `Overlay ${SECOND}: finished.`, 120_000);
  assert.match((await frame.locator('#progress').textContent()) ?? '', new RegExp(`^${LENGTHS.length} lengths × 256 examples in .+ · Overlay ${escaped(SECOND)}: finished\\.$`));
  await frame.locator('#clear-overlay').waitFor({ state: 'visible', timeout: 10_000 });

  // both charts name both models in their legends; the overlay has its own curve with a dot per length
  const accuracyLegend = await texts(frame, '#chart-accuracy .ch-legend .ch-key');
  assert.ok(accuracyLegend.some((t) => t.startsWith(`${FIRST}: oracle: read at `)), `the first model's series are named once there is an overlay: ${JSON.stringify(accuracyLegend)}`);
  for (const label of [`${SECOND}: oracle`, `${SECOND}: paper rule`]) assert.ok(accuracyLegend.includes(label), `the accuracy legend has "${label}": ${JSON.stringify(accuracyLegend)}`);
  const stepsLegend = await texts(frame, '#chart-steps .ch-legend .ch-key');
  for (const label of [`${SECOND}: paper rule: chosen step`, `${SECOND}: per example: mean chosen step`, `${SECOND}: length-calibrated step`]) assert.ok(stepsLegend.includes(label), `the steps legend has "${label}": ${JSON.stringify(stepsLegend)}`);
  for (const colour of ['c-orange', 'c-red']) {
    // the overlay's oracle (orange) and paper-rule (red) series in the accuracy chart
    assert.equal(await frame.locator(`#chart-accuracy svg g.${colour} path.ch-line`).count(), 1, `a ${colour} curve`);
    assert.equal(await frame.locator(`#chart-accuracy svg g.${colour} circle.ch-dot`).count(), LENGTHS.length, `a ${colour} dot per length`);
  }
  await frame.locator('.pn-grid').evaluate((e) => e.scrollIntoView()); // the two charts, headings included
  await vs.screenshot('evaluation-multiplication-overlay-charts');

  // accuracy at every loop step: each model's own chart, named, a line per length with T(n) and the paper rule's step marked
  for (const [id, model] of [['chart-by-step', FIRST], ['chart-by-step-overlay', SECOND]] as const) {
    const chart = frame.locator(`#${id}`);
    await chart.waitFor({ state: 'visible', timeout: 10_000 });
    assert.equal(await frame.locator(`#eval-${id.replace('chart-', '')} h2`).textContent(), `Accuracy at every loop step · ${model}`);
    assert.equal(await chart.locator('svg path.ch-line').count(), LENGTHS.length, `${model}: one line per length`);
    for (const shape of ['ring', 'dot']) assert.equal(await chart.locator(`svg circle.ch-mark.${shape}`).count(), LENGTHS.length, `${model}: a ${shape} per length`);
    assert.deepEqual((await texts(frame, `#${id} .ch-legend .ch-key`)).slice(0, LENGTHS.length), LENGTHS.map((n) => `n_b = ${n}`));
  }
  // a length has the same colour in both charts
  const colours = async (id: string) => Promise.all((await frame.locator(`#${id} svg g:has(> path.ch-line)`).all()).map((g) => g.getAttribute('class')));
  assert.deepEqual(await colours('chart-by-step-overlay'), await colours('chart-by-step'));
  await frame.locator('#eval-by-step').evaluate((e) => e.scrollIntoView());
  await vs.screenshot('evaluation-multiplication-overlay-by-step');

  // each answer position at every loop step: a picker of the evaluated lengths, the first picked, and
  // each model's map of it, T(n) + 30 steps by the answer's positions, T(n) framed and labelled
  const lengthButtons = frame.locator('#positions-lengths [role="radio"]');
  assert.deepEqual(await texts(frame, '#positions-lengths [role="radio"]'), LENGTHS.map((n) => `n_b = ${n}`), 'a button per evaluated length');
  const checked = async () => Promise.all((await lengthButtons.all()).map((b) => b.getAttribute('aria-checked')));
  const MAPS = [['positions-map', FIRST], ['positions-map-overlay', SECOND]] as const;
  /** Both maps' rows and columns, each checked to be T(n) = 2 n_b plus 30 steps, with T(n) labelled right of its row. */
  const mapsAt = async (n: number) => {
    const columns: number[] = [];
    for (const [id, model] of MAPS) {
      const map = frame.locator(`#${id}`);
      await map.locator('.hm-mark-label', { hasText: new RegExp(String.raw`^T\(n\) = ${2 * n}\b`) }).waitFor({ state: 'visible', timeout: 10_000 });
      assert.equal(Number(await map.getAttribute('data-rows')), 2 * n + 30, `${model} at n_b = ${n}: a row per loop step 1 .. T(n) + 30`);
      columns.push(Number(await map.getAttribute('data-columns')));
      assert.equal(await frame.locator(`#eval-${id.replace('-map', '')} h2`).textContent(), `Answer positions at every loop step · ${model}`);
      const summary = await texts(frame, `#eval-${id.replace('-map', '')} .pn-step-summary li`);
      assert.match(summary[0]!, new RegExp(String.raw`^n_b = ${n}: at T\(n\) = ${2 * n}(, the paper rule's step too)?: (all \d+ positions|\+0)`), `${model}: what is right at T(n): ${JSON.stringify(summary)}`);
    }
    assert.equal(columns[0], columns[1], `n_b = ${n}: both models' maps have the same answer positions`);
    assert.ok(columns[0]! > n, `n_b = ${n}: a column per answer position ('=', the product's bits, pads): ${columns[0]}`);
    return columns[0]!;
  };
  assert.deepEqual(await checked(), ['true', 'false', 'false'], 'the first length is picked');
  const narrow = await mapsAt(LENGTHS[0]!);
  // hovering a cell reads it out: the first step's '=' position
  await frame.locator('#positions-map canvas.hm-overlay').hover({ position: { x: 33, y: 19 } });
  await waitForText(frame.locator('.hover-tip'), /^step 1 · \+0: \d+(\.\d)?%$/);
  // another length redraws both maps: more steps and more positions
  await lengthButtons.nth(2).click();
  assert.deepEqual(await checked(), ['false', 'false', 'true']);
  const wide = await mapsAt(LENGTHS[2]!);
  assert.ok(wide > narrow, `n_b = ${LENGTHS[2]} has more answer positions than n_b = ${LENGTHS[0]} (${wide} > ${narrow})`);
  // the picker is a radio group: an arrow key picks the next length to the left
  await lengthButtons.nth(2).focus();
  await vs.page.keyboard.press('ArrowLeft');
  assert.deepEqual(await checked(), ['false', 'true', 'false']);
  await mapsAt(LENGTHS[1]!);
  await frame.locator('#eval-positions').evaluate((e) => e.scrollIntoView());
  await frame.locator('#positions-map canvas.hm-overlay').hover({ position: { x: 33, y: 19 } });
  await vs.screenshot('evaluation-multiplication-positions');

  // the overlay's numbers: a row per length under the first model's, same T(n) and examples
  const overlayRows = frame.locator('#eval-table tbody tr.overlay-row');
  assert.equal(await overlayRows.count(), LENGTHS.length, 'one overlay row per length');
  const overlayAcc: { oracle: number; paper: number }[] = [];
  for (const [i, n] of LENGTHS.entries()) {
    const cells = (await overlayRows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    const first = (await firstRows.nth(i).locator('td').allTextContents()).map((t) => t.trim());
    assert.equal(cells[0], `${n} · ${SECOND}`);
    assert.equal(cells[1], first[1], `length ${n}: the same T(n) as the first model (${first[1]})`);
    assert.equal(cells[2], String(EXAMPLES));
    for (const c of [3, 4, 6]) assert.ok(pct(cells[c]!) >= 0 && pct(cells[c]!) <= 1, `length ${n}: an accuracy in column ${c} (${JSON.stringify(cells[c])})`);
    overlayAcc.push({ oracle: pct(cells[3]!), paper: pct(cells[4]!) });
  }
  // each model's lengths are tagged "trained" by its own range: 4 is the first model's, not the tiny one's
  assert.deepEqual(await trainedTags(firstRows), LENGTHS.map((n) => n <= FIRST_TRAINED), 'the first model\'s rows: trained on 1..11');
  assert.deepEqual(await trainedTags(overlayRows), LENGTHS.map((n) => n <= SECOND_TRAINED), `the overlay's rows: trained on 1..${SECOND_TRAINED} only`);
  // the charts shade the first model's range and outline the overlay's own in its colour, each named
  for (const chart of ['#chart-accuracy', '#chart-steps']) {
    assert.deepEqual(await texts(frame, `${chart} svg text.ch-band-label`), [`${FIRST}: trained on 1..${FIRST_TRAINED}`, `${SECOND}: trained on 1..${SECOND_TRAINED}`], `${chart}: both models' training ranges`);
    assert.equal(await frame.locator(`${chart} svg rect.ch-band.own.c-orange`).count(), 1, `${chart}: the overlay's range in its colour`);
  }

  // its own case table after the first's, each captioned with its model, on the same inputs
  const cases = frame.locator('#eval-cases');
  await cases.locator('#case-table-overlay').waitFor({ state: 'visible', timeout: 10_000 });
  const firstCases = await caseTable(frame, 'case-table');
  const secondCases = await caseTable(frame, 'case-table-overlay');
  assert.equal(firstCases.caption, FIRST);
  assert.equal(secondCases.caption, SECOND);
  assert.deepEqual(secondCases.headers.slice(1), ['0', '1', '2+'], `a column per case label: ${JSON.stringify(secondCases.headers)}`);
  assert.deepEqual(secondCases.rows.map((r) => r.length), LENGTHS.map(String), 'a row per evaluated length');
  assert.deepEqual(await trainedTags(frame.locator('#case-table tbody tr')), LENGTHS.map((n) => n <= FIRST_TRAINED), 'the first case table: the first model\'s range');
  assert.deepEqual(await trainedTags(frame.locator('#case-table-overlay tbody tr')), LENGTHS.map((n) => n <= SECOND_TRAINED), 'the overlay\'s case table: its own range');
  for (const [i, n] of LENGTHS.entries()) {
    const row = secondCases.rows[i]!;
    assert.equal(row.cells.length, 3, `length ${n}: a cell per case`);
    // same lengths, examples and seed: the same inputs, so the same number of each case as the first model's
    assert.deepEqual(row.cells.map((c) => c.n), firstCases.rows[i]!.cells.map((c) => c.n), `length ${n}: the same inputs per case as ${FIRST}`);
    assert.equal(row.cells.reduce((a, c) => a + c.n, 0), EXAMPLES, `length ${n}: the cases' counts add up to the examples per length`);
    // the cases' right answers add up to the overlay row's accuracies (each rounded to 0.1%)
    for (const rule of ['oracle', 'paper'] as const) {
      const right = row.cells.reduce((a, c) => a + c[rule] * c.n, 0);
      assert.ok(Math.abs(right - overlayAcc[i]![rule] * EXAMPLES) < 1, `length ${n}, ${rule}: the cases' ${right.toFixed(1)} right answers make the row's ${overlayAcc[i]![rule]}`);
    }
  }
  await cases.evaluate((e) => e.scrollIntoView());
  await vs.screenshot('evaluation-multiplication-overlay');

  // a model of another task: refused, with the reason, and the overlay stays
  await frame.locator('#overlay').click();
  await pickQuickItem(vs, 'copy.onnx', 'copy.onnx', 30_000);
  await vs.notification(`LoopLens: copy.onnx is a Copy model; the overlay needs one of the same task as ${FIRST} (Binary multiplication), so that the lengths mean the same.`).waitFor({ state: 'visible', timeout: 20_000 });
  assert.match((await frame.locator('#progress').textContent()) ?? '', new RegExp(`Overlay ${escaped(SECOND)}: finished\\.$`), 'the refused pick leaves the overlay as it was');
  assert.equal(await overlayRows.count(), LENGTHS.length);

  // Remove Overlay: back to the first model alone
  await frame.locator('#clear-overlay').click();
  await frame.locator('#clear-overlay').waitFor({ state: 'hidden', timeout: 10_000 });
  await waitForText(frame.locator('#progress'), new RegExp(`^${LENGTHS.length} lengths × 256 examples in [^·]+$`));
  assert.equal(await overlayRows.count(), 0, 'no overlay rows');
  assert.equal(await frame.locator('#case-table-overlay').count(), 0, 'no overlay case table');
  assert.equal(await frame.locator('#chart-by-step-overlay').count(), 0, 'no overlay step chart');
  assert.equal(await frame.locator('#eval-by-step h2').textContent(), 'Accuracy at every loop step', 'the first model\'s step chart is no longer named');
  assert.equal(await frame.locator('#positions-map-overlay').count(), 0, 'no overlay positions map');
  assert.equal(await frame.locator('#eval-positions h2').textContent(), 'Answer positions at every loop step', 'the first model\'s map is no longer named');
  assert.equal(await frame.locator('#case-table caption').count(), 0, 'the first model’s case table is no longer captioned');
  const legend = await texts(frame, '#chart-accuracy .ch-legend .ch-key');
  assert.ok(!legend.some((t) => t.includes(SECOND) || t.startsWith(`${FIRST}:`)), `the legend names no model again: ${JSON.stringify(legend)}`);
  assert.deepEqual(await texts(frame, '#chart-accuracy svg text.ch-band-label'), [`trained on 1..${FIRST_TRAINED}`], 'one band again, unnamed');
  assert.ok(existsSync(second));
}, { timeoutMs: 180_000 });
