// The Evaluation panel's case split (webview/evaluation/caseGrid.ts): one row per test length, one
// cell per case label with its accuracy ("oracle / paper rule" once the paper rule is counted) and
// example count; the overlaid model's grid too; nothing for a task without a split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseGrid, caseGrids, overlayCaseGrid } from '../../../webview/evaluation/caseGrid';
import { EVALUATION_PROTOCOL, type EvaluationCases, type EvaluationSetup, type EvaluationViewState } from '../../../src/protocol/evaluation';

const setup = { modelPath: '/m/u.onnx', modelName: 'u.onnx', task: 'unique_set', taskTitle: 'Unique set', lengthLabel: 'n', maxTrainLength: 8, lengths: [4, 8, 12] } as unknown as EvaluationSetup;
const state = (cases: EvaluationCases | null | undefined, over: Partial<EvaluationViewState> = {}): EvaluationViewState => ({
  protocol: EVALUATION_PROTOCOL, setup, status: 'finished', progress: null, rows: [], perExampleRule: null, seconds: 1, error: null, ...(cases === undefined ? {} : { cases }), ...over,
});
const counts = (...c: [string, number, number][]) => c.map(([label, examples, correct]) => ({ label, examples, correct }));
const split: EvaluationCases = {
  title: 'repeated elements',
  labels: ['0', '1', '2+'],
  rows: [
    { length: 4, counts: counts(['0', 100, 100], ['1', 20, 19], ['2+', 0, 0]) },
    { length: 8, counts: counts(['0', 50, 42], ['1', 30, 12], ['2+', 20, 1]) },
  ],
};

test('one row per test length, one cell per label: accuracy, example count and a title that says both', () => {
  const g = caseGrid(state(split))!;
  assert.equal(g.heading, 'Exact match at T(n) by repeated elements');
  assert.deepEqual(g.labels, ['0', '1', '2+']);
  assert.deepEqual(g.rows.map((r) => [r.length, r.trained, r.pending]), [[4, true, null], [8, true, null], [12, false, 'not run']]);
  const [zero, one, many] = g.rows[1]!.cells;
  assert.deepEqual([zero!.text, zero!.detail, zero!.accuracy], ['84.0%', 'of 50', 0.84]);
  assert.deepEqual([one!.text, many!.text, many!.detail], ['40.0%', '5.0%', 'of 20']);
  assert.equal(many!.title, 'Length 8, repeated elements: 2+. 1 of 20 right at T(n).');
  // a case no input of that length had: no accuracy, not 0%
  const none = g.rows[0]!.cells[2]!;
  assert.deepEqual([none.accuracy, none.text, none.examples], [null, '–', 0]);
  assert.match(none.title, /No input of length 4 falls in the case repeated elements: 2\+/);
  assert.equal(g.rows[0]!.cells[0]!.text, '100%');
});

test('lengths still running are pending; cells follow the labels whatever order the counts came in', () => {
  const running = caseGrid(state(split, { status: 'running', progress: { done: 1, total: 4, length: 12 }, setup: { ...setup, lengths: [4, 8, 12, 16] } }))!;
  assert.deepEqual(running.rows.slice(2).map((r) => r.pending), ['running…', 'waiting']);
  const shuffled = caseGrid(state({ ...split, rows: [{ length: 8, counts: [...split.rows[1]!.counts].reverse() }] }))!;
  assert.deepEqual(shuffled.rows[1]!.cells.map((c) => c.label), ['0', '1', '2+']);
  assert.equal(shuffled.rows[1]!.cells[0]!.text, '84.0%');
  // a label missing from a row's counts reads as no inputs
  const missing = caseGrid(state({ ...split, rows: [{ length: 4, counts: counts(['0', 10, 5]) }] }))!;
  assert.deepEqual(missing.rows[0]!.cells.map((c) => c.text), ['50.0%', '–', '–']);
});

test('no split, nothing to draw: a task without cases, an older saved state, or no labels', () => {
  assert.equal(caseGrid(state(null)), null);
  assert.equal(caseGrid(state(undefined)), null);
  assert.equal(caseGrid(state({ ...split, labels: [] })), null);
});

const ruled = (...c: [string, number, number, number, number][]) => c.map(([label, examples, correct, paperRule, perExample]) => ({ label, examples, correct, paperRule, perExample }));
const splitByRule: EvaluationCases = {
  title: 'repeated elements',
  labels: ['0', '1', '2+'],
  rows: [
    { length: 4, counts: ruled(['0', 100, 100, 100, 100], ['1', 20, 19, 20, 18], ['2+', 0, 0, 0, 0]) },
    // the oracle right without repeats, the paper's rule right with them
    { length: 8, counts: ruled(['0', 50, 50, 0, 45], ['1', 30, 0, 30, 12], ['2+', 20, 1, 20, 0]) },
  ],
};

test('with the paper rule counted: each cell "oracle / paper rule", coloured by the oracle, its title adds the per-example rule', () => {
  const g = caseGrid(state(splitByRule))!;
  assert.equal(g.heading, 'Exact match by repeated elements: oracle / paper rule');
  assert.equal(g.modelName, 'u.onnx');
  const [zero, one, many] = g.rows[1]!.cells;
  assert.deepEqual([zero!.text, zero!.detail, zero!.accuracy, zero!.paperRule, zero!.perExample], ['100% / 0%', 'of 50', 1, 0, 0.9]);
  assert.deepEqual([one!.text, one!.accuracy, one!.paperRule, one!.perExample], ['0% / 100%', 0, 1, 0.4]);
  assert.equal(many!.text, '5.0% / 100%');
  assert.equal(
    one!.title,
    'Length 8, repeated elements: 1. Of 30: 0 (0%) right at T(n); 30 (100%) under the paper rule, at the one step it picks for the length; 12 (40.0%) per example, each input at its own most confident step.',
  );
  assert.equal(g.rows[0]!.cells[1]!.text, '95.0% / 100%');
  const none = g.rows[0]!.cells[2]!;
  assert.deepEqual([none.text, none.accuracy, none.paperRule, none.perExample], ['–', null, null, null], 'no inputs: no accuracies');
  // an older state's counts (the oracle's alone) keep the older cell
  assert.deepEqual(caseGrid(state(split))!.rows[1]!.cells.map((c) => [c.text, c.paperRule, c.perExample]), [['84.0%', null, null], ['40.0%', null, null], ['5.0%', null, null]]);
});

test('an overlaid model gets its own grid, after the first, pending by its own progress; none without an overlay or its split', () => {
  const overlay = { modelPath: '/m/v.onnx', modelName: 'v.onnx', status: 'running' as const, rows: [], progress: { done: 3, total: 6, length: 8 }, error: null, cases: { ...splitByRule, rows: [splitByRule.rows[0]!] }, maxTrainLength: 12 };
  const s = state(split, { overlay });
  const o = overlayCaseGrid(s)!;
  assert.equal(o.modelName, 'v.onnx');
  assert.equal(o.heading, 'Exact match by repeated elements: oracle / paper rule');
  assert.deepEqual(o.rows.map((r) => [r.length, r.trained, r.pending]), [[4, true, null], [8, true, 'running…'], [12, true, 'waiting']], 'the overlay is still running though the first model finished');
  assert.equal(o.rows[0]!.cells[1]!.text, '95.0% / 100%');
  assert.deepEqual(caseGrids(s).map((g) => g.modelName), ['u.onnx', 'v.onnx']);
  assert.deepEqual(overlayCaseGrid(state(split, { overlay: { ...overlay, status: 'cancelled' } }))!.rows.map((r) => r.pending), [null, 'not run', 'not run']);
  // no overlay, an overlay saved before it had a split, or one of a task without one
  assert.equal(overlayCaseGrid(state(split)), null);
  assert.equal(overlayCaseGrid(state(split, { overlay: null })), null);
  const { cases: _, ...older } = overlay;
  assert.equal(overlayCaseGrid(state(split, { overlay: older })), null);
  assert.deepEqual(caseGrids(state(split, { overlay: older })).map((g) => g.modelName), ['u.onnx']);
  assert.deepEqual(caseGrids(state(null, { overlay: { ...overlay, cases: null } })), []);
});

test('an overlay\'s lengths are tagged "trained" by its own range, not the first model\'s; unknown (null, or a state saved before it was recorded): none', () => {
  // the first model trained on 1..8; the overlay on 1..4 (e.g. a few steps of the tiny preset)
  const overlay = { modelPath: '/m/v.onnx', modelName: 'v.onnx', status: 'finished' as const, rows: [], progress: null, error: null, cases: split, maxTrainLength: 4 };
  const tags = (s: EvaluationViewState) => overlayCaseGrid(s)!.rows.map((r) => [r.length, r.trained]);
  assert.deepEqual(tags(state(split, { overlay })), [[4, true], [8, false], [12, false]], '8 is within the first model\'s range, not the overlay\'s');
  assert.deepEqual(caseGrid(state(split, { overlay }))!.rows.map((r) => [r.length, r.trained]), [[4, true], [8, true], [12, false]], 'the first model\'s grid keeps its own range');
  assert.deepEqual(tags(state(split, { overlay: { ...overlay, maxTrainLength: 20 } })), [[4, true], [8, true], [12, true]], 'a longer range than the first model\'s');
  assert.deepEqual(tags(state(split, { overlay: { ...overlay, maxTrainLength: null } })), [[4, false], [8, false], [12, false]], 'its file predates the record');
  const { maxTrainLength: _, ...older } = overlay;
  assert.deepEqual(tags(state(split, { overlay: older })), [[4, false], [8, false], [12, false]], 'a state saved before overlays recorded it: unknown, not the first model\'s 1..8');
  // and the first model's own range unknown leaves the overlay's tags as they are
  assert.deepEqual(tags(state(split, { overlay, setup: { ...setup, maxTrainLength: null } })), [[4, true], [8, false], [12, false]]);
});
