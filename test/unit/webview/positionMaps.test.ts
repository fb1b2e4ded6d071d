// The Evaluation panel's "Answer positions at every loop step" map (webview/evaluation/positionMaps.ts):
// the lengths the picker offers and the one kept picked, a map per model of the picked length with its
// T(n) and paper rule's step marked, each cell's read-out, the line per marked step, and why a model
// has no map (a state saved before the positions existed, a running evaluation, a length not evaluated).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cellReadout, cellTooltip, pickLength, positionLengths, positionMapContent, rowSummary } from '../../../webview/evaluation/positionMaps';
import { EVALUATION_PROTOCOL, type EvaluationOverlay, type EvaluationSetup, type EvaluationStepCurve, type EvaluationViewState } from '../../../src/protocol/evaluation';

const setup = { modelPath: '/m/copy.onnx', modelName: 'copy.onnx', task: 'copy', taskTitle: 'Copy', lengthLabel: 'n', maxTrainLength: 19, lengths: [19, 38] } as unknown as EvaluationSetup;
const state = (over: Partial<EvaluationViewState> = {}): EvaluationViewState => ({
  protocol: EVALUATION_PROTOCOL, setup, status: 'finished', progress: null, rows: [], perExampleRule: null, seconds: 1, error: null, stepCurves: [], ...over,
});

/**
 * copy at n = 38 as `looplens eval --positions --by-step` shows it: 40 answer positions (+0 … +39);
 * slot +k forms at step k - 1; at T(n) = 38 and after, +0 … +29 are right and the late slots fall,
 * +36 the weakest (65%); the paper rule picks step 40.
 */
const late = (k: number) => (k === 36 ? 0.65 : k >= 30 ? 0.9 : 1);
const c38: EvaluationStepCurve = {
  length: 38,
  oracleStep: 38,
  paperStep: 40,
  accuracy: Array.from({ length: 68 }, () => 0),
  score: Array.from({ length: 68 }, () => 1),
  positions: Array.from({ length: 68 }, (_, i) => Array.from({ length: 40 }, (_, k) => (i + 1 < k - 1 ? 0.5 : late(k)))),
};
/** n = 19, inside the training range: every slot right at T(n), where the paper rule stops too. */
const c19: EvaluationStepCurve = {
  length: 19,
  oracleStep: 19,
  paperStep: 19,
  accuracy: Array.from({ length: 49 }, (_, i) => (i + 1 >= 19 ? 1 : 0)),
  score: Array.from({ length: 49 }, () => 0.5),
  positions: Array.from({ length: 49 }, (_, i) => Array.from({ length: 21 }, (_, k) => (i + 1 >= 19 ? 0.9973 : k < i ? 1 : 0.25))),
};
const { positions: _, ...c38older } = c38;

test('the picker offers every length with positions, of either model, ascending; the picked one stays while it is offered', () => {
  assert.deepEqual(positionLengths(state({ stepCurves: [c19, c38] })), [19, 38]);
  assert.deepEqual(positionLengths(state({ stepCurves: [c19, c38older] })), [19], 'a curve without positions offers no map');
  const overlay: EvaluationOverlay = { modelPath: '/m/b.onnx', modelName: 'b.onnx', status: 'finished', rows: [], progress: null, error: null, stepCurves: [c38] };
  assert.deepEqual(positionLengths(state({ stepCurves: [c19], overlay })), [19, 38], 'the overlay\'s lengths too');
  assert.deepEqual(positionLengths(state({ stepCurves: undefined })), []);
  assert.equal(pickLength([19, 38], null), 19, 'the first length at first');
  assert.equal(pickLength([19, 38], 38), 38, 'a picked length is kept across redraws');
  assert.equal(pickLength([19], 38), 19, 'one no longer offered falls back to the first');
  assert.equal(pickLength([], 38), null);
});

test('a map: steps x positions, +k columns, T(n) and the paper rule\'s step marked, a read-out per cell, a line per marked step', () => {
  const c = positionMapContent(state({ stepCurves: [c19, c38] }), 'first', 38)!;
  assert.equal(c.empty, null);
  const m = c.map!;
  assert.equal(m.modelName, 'copy.onnx');
  assert.equal(m.label, 'n = 38');
  assert.deepEqual([m.steps, m.positions], [68, 40], 'T(n) + 30 steps, 40 positions');
  assert.equal(m.cells, c38.positions, 'the state\'s grid, not a copy');
  assert.deepEqual(m.columnLabels.slice(0, 3), ['+0', '+1', '+2']);
  assert.equal(m.columnLabels[39], '+39');
  assert.deepEqual(m.marks, [
    { step: 38, kind: 'oracle', label: 'T(n) = 38' },
    { step: 40, kind: 'paper', label: 'paper rule: 40' },
  ]);
  assert.deepEqual(m.summaries, [
    'at T(n) = 38: +0…+29 ≥ 95%, 10 of 40 below, weakest +36 (65.0%)',
    "at the paper rule's step 40: +0…+29 ≥ 95%, 10 of 40 below, weakest +36 (65.0%)",
  ]);
  assert.match(m.ariaLabel, /40 answer positions of copy\.onnx at n = 38, at each of 68 loop steps; T\(n\) = 38, the paper rule's step 40/);
  assert.equal(cellReadout(12, 3, 0.973), 'step 12 · +3: 97.3%');
  assert.deepEqual(cellTooltip(m, 38, 36), ['step 38 · +36: 65.0%', 'T(n)']);
  assert.deepEqual(cellTooltip(m, 40, 0), ['step 40 · +0: 100%', "the paper rule's step"]);
  assert.deepEqual(cellTooltip(m, 3, 5), ['step 3 · +5: 50.0%'], 'an unmarked step: the read-out alone');

  // T(n) is the paper rule's step: one mark, one line
  const m19 = positionMapContent(state({ stepCurves: [c19, c38] }), 'first', 19)!.map!;
  assert.deepEqual(m19.marks, [{ step: 19, kind: 'both', label: 'T(n) = 19 = paper rule' }]);
  assert.deepEqual(m19.summaries, ["at T(n) = 19, the paper rule's step too: all 21 positions ≥ 95%, weakest +0 (99.7%)"]);
  assert.deepEqual(cellTooltip(m19, 19, 20), ['step 19 · +20: 99.7%', "T(n), the paper rule's step too"]);
  // a multiplication evaluation names its length n_b
  const mul = positionMapContent(state({ setup: { ...setup, lengthLabel: 'n_b (n_a = 2)' }, stepCurves: [c38] }), 'first', 38)!.map!;
  assert.equal(mul.label, 'n_b = 38');
});

test('a step\'s line: how far the answer is formed from +0, how many positions fall short, the weakest', () => {
  assert.equal(rowSummary([1, 0.99, 0.96, 0.5, 0.97]), '+0…+2 ≥ 95%, 1 of 5 below, weakest +3 (50.0%)');
  assert.equal(rowSummary([1, 0.2, 1]), '+0 ≥ 95%, 1 of 3 below, weakest +1 (20.0%)');
  assert.equal(rowSummary([0.4, 1, 0.1]), '+0 below 95% (40.0%), weakest +2 (10.0%)');
  assert.equal(rowSummary([0.656, 1]), '+0 below 95% (65.6%)', 'parity beyond its training lengths: +0 is the weakest, named once');
  assert.equal(rowSummary([1, 0.97, 0.97]), 'all 3 positions ≥ 95%, weakest +1 (97.0%)', 'ties: the first');
  assert.equal(rowSummary([1, 1]), 'all 2 positions at 100%', 'nothing weak to name');
  assert.equal(rowSummary([1]), '+0 at 100%');
  assert.equal(rowSummary([0.95]), '+0 ≥ 95%', 'parity: one position that matters');
  assert.equal(rowSummary([0.5]), '+0 below 95% (50.0%)');
});

test('an overlay gets its own map of the same length; without its curves no card', () => {
  const overlay: EvaluationOverlay = { modelPath: '/m/b.onnx', modelName: 'b.onnx', status: 'finished', rows: [], progress: null, error: null, stepCurves: [c19] };
  const s = state({ stepCurves: [c19, c38], overlay });
  assert.equal(positionMapContent(s, 'overlay', 19)!.map!.modelName, 'b.onnx');
  assert.equal(positionMapContent(s, 'overlay', 38)!.empty, 'b.onnx was not evaluated at n = 38.');
  assert.equal(positionMapContent(state(), 'overlay', 19), null, 'no overlay');
  const { stepCurves: __, ...olderOverlay } = overlay;
  assert.equal(positionMapContent(state({ overlay: olderOverlay }), 'overlay', 19), null, 'an overlay saved before the curves existed');
  assert.equal(positionMapContent(state({ overlay: { ...overlay, status: 'running', stepCurves: [] } }), 'overlay', 19)!.empty, 'Evaluating: n = 19 is not done yet…', 'its own status, not the first model\'s');
});

test('no map: why (a state saved before the positions or the curves existed, running, nothing evaluated)', () => {
  const older = /saved by an older LoopLens, which did not keep the accuracy of each answer position: Evaluate Again/;
  assert.match(positionMapContent(state({ stepCurves: [c38older] }), 'first', null)!.empty!, older, 'curves without positions');
  assert.match(positionMapContent(state({ stepCurves: undefined }), 'first', null)!.empty!, older, 'no curves at all');
  // the overlay has positions at 38, the first model's older curve there has none
  const overlay: EvaluationOverlay = { modelPath: '/m/b.onnx', modelName: 'b.onnx', status: 'finished', rows: [], progress: null, error: null, stepCurves: [c38] };
  assert.match(positionMapContent(state({ stepCurves: [c38older], overlay }), 'first', 38)!.empty!, older);
  assert.equal(positionMapContent(state({ status: 'running' }), 'first', null)!.empty, 'Evaluating the first length…');
  assert.equal(positionMapContent(state(), 'first', null)!.empty, 'No lengths were evaluated.');
  assert.equal(positionMapContent(state({ stepCurves: [c19] }), 'first', 38)!.empty, 'copy.onnx was not evaluated at n = 38.');
});
