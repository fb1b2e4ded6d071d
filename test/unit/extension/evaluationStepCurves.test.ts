// The Evaluation panel's accuracy at every loop step: each worker row's curve (StepCurve) kept per
// length in the state, the first model's and an overlay's apart, with its answer positions' accuracy
// when it carries them; a state or overlay saved before the curves (or their positions) existed stays
// without them; the 'steps' export has every model's curves, the 'positions' export their positions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvalMessage, applyOverlayMessage, initialEvaluationState } from '../../../src/extension/evaluate/evaluationState';
import { evaluationExportTable } from '../../../src/extension/panels/evaluationExportTables';
import { EVALUATION_EXPORT_TABLES, type EvaluationOverlay, type EvaluationSetup, type EvaluationViewState, type StepCurve } from '../../../src/protocol/evaluation';

const setup: EvaluationSetup = {
  modelPath: '/m/copy.onnx', modelName: 'copy.onnx', task: 'copy', taskTitle: 'Copy', model: { d: 64, layers: 2, heads: 16 }, trainedWith: '12,000 steps, cpu preset',
  maxTrainLength: 19, lengthLabel: 'n', oracleRule: 'T(n) = n', lengths: [2, 3], examples: 4, batchSize: 4, seed: 1234, extraSteps: 2, calibrationExamples: 256,
};
const row = (length: number, oracle: number) => ({ length, oracleStep: length, examples: 4, oracle, perBatch: oracle, perBatchStep: length, perExample: 0.5, perExampleStep: 3 });
/** T(n) = n, two extra steps; the accuracy peaks at T(n) and decays after it. */
const curve = (n: number, peak: number): StepCurve => ({
  oracleStep: n,
  paperStep: n + 1,
  accuracy: Array.from({ length: n + 2 }, (_, i) => (i + 1 === n ? peak : peak / 2)),
  score: Array.from({ length: n + 2 }, (_, i) => 1 / (i + 1)),
});

test('each row\'s curve is kept by length, ascending; a length run again replaces its curve; the result keeps them', () => {
  let s = initialEvaluationState(setup);
  assert.deepEqual(s.stepCurves, [], 'a new evaluation starts with none');
  s = applyEvalMessage(s, { type: 'row', row: row(3, 0.75), byStep: curve(3, 0.75) });
  s = applyEvalMessage(s, { type: 'row', row: row(2, 1), byStep: curve(2, 1) });
  assert.deepEqual(s.stepCurves!.map((c) => [c.length, c.oracleStep, c.paperStep, c.accuracy.length]), [[2, 2, 3, 4], [3, 3, 4, 5]]);
  assert.deepEqual(s.stepCurves![1], { length: 3, ...curve(3, 0.75) });
  s = applyEvalMessage(s, { type: 'row', row: row(3, 0.5), byStep: curve(3, 0.5) });
  assert.deepEqual(s.stepCurves!.map((c) => [c.length, c.accuracy[c.oracleStep - 1]]), [[2, 1], [3, 0.5]]);
  const done = applyEvalMessage(s, { type: 'result', rows: [row(2, 1), row(3, 0.5)], perExampleRule: 'x', seconds: 1 });
  assert.equal(done.stepCurves, s.stepCurves);
  assert.equal(applyEvalMessage(s, { type: 'cancelled' }).stepCurves, s.stepCurves);
});

test('a row without a curve (an older worker) leaves the curves as they were; a state saved before they existed stays without', () => {
  let s = applyEvalMessage(initialEvaluationState(setup), { type: 'row', row: row(2, 1), byStep: curve(2, 1) });
  s = applyEvalMessage(s, { type: 'row', row: row(3, 1) });
  assert.deepEqual(s.stepCurves!.map((c) => c.length), [2]);
  const { stepCurves: _, ...older } = initialEvaluationState(setup);
  const next = applyEvalMessage(older as EvaluationViewState, { type: 'row', row: row(2, 1) });
  assert.equal('stepCurves' in next, false);
  assert.deepEqual(applyEvalMessage(older as EvaluationViewState, { type: 'row', row: row(2, 1), byStep: curve(2, 1) }).stepCurves!.map((c) => c.length), [2], 'its next evaluated length starts a list');
});

const overlay = (over: Partial<EvaluationOverlay> = {}): EvaluationOverlay => ({ modelPath: '/m/other.onnx', modelName: 'other.onnx', status: 'running', rows: [], progress: null, error: null, stepCurves: [], ...over });

test('an overlay keeps its own curves, whatever the first model has', () => {
  let o = applyOverlayMessage(overlay(), { type: 'row', row: row(3, 0.25), byStep: curve(3, 0.25) });
  o = applyOverlayMessage(o, { type: 'row', row: row(2, 0.5), byStep: curve(2, 0.5) });
  assert.deepEqual(o.stepCurves!.map((c) => [c.length, c.accuracy[c.oracleStep - 1]]), [[2, 0.5], [3, 0.25]]);
  assert.equal(applyOverlayMessage(o, { type: 'result', rows: [row(2, 0.5), row(3, 0.25)], perExampleRule: 'x', seconds: 1 }).stepCurves, o.stepCurves);
  const { stepCurves: _, ...older } = overlay();
  assert.equal('stepCurves' in applyOverlayMessage(older, { type: 'row', row: row(2, 1) }), false, 'an overlay saved before the curves existed');
});

test("the 'steps' export: a row per model, length and step, T(n) and the paper rule's step flagged", () => {
  assert.ok(EVALUATION_EXPORT_TABLES.includes('steps'));
  let s = initialEvaluationState(setup);
  s = applyEvalMessage(s, { type: 'row', row: row(3, 0.75), byStep: curve(3, 0.75) });
  s = applyEvalMessage(s, { type: 'row', row: row(2, 1), byStep: curve(2, 1) });
  const t = evaluationExportTable(s, 'steps');
  assert.deepEqual(t.columns, ['model', 'length', 'step', 'accuracy', 'score', 'is_oracle_step', 'is_paper_rule_step']);
  assert.deepEqual(t.rows.map((r) => `${r[1]}:${r[2]}`), ['2:1', '2:2', '2:3', '2:4', '3:1', '3:2', '3:3', '3:4', '3:5']);
  assert.deepEqual(t.rows[1], ['copy.onnx', 2, 2, 1, 0.5, true, false], 'T(2) = 2');
  assert.deepEqual(t.rows[2], ['copy.onnx', 2, 3, 0.5, 1 / 3, false, true], "the paper rule's step 3");
  assert.equal(t.rows.filter((r) => r[5] === true).length, 2, 'one T(n) per length');
  assert.equal(t.rows.filter((r) => r[6] === true).length, 2, "one paper rule's step per length");

  const o = applyOverlayMessage(overlay(), { type: 'row', row: row(2, 0.5), byStep: curve(2, 0.5) });
  const both = evaluationExportTable({ ...s, overlay: o }, 'steps');
  assert.deepEqual([...new Set(both.rows.map((r) => `${r[0]} ${r[1]}`))], ['copy.onnx 2', 'copy.onnx 3', 'other.onnx 2'], 'the first model\'s, then the overlay\'s');
  // an overlay without curves (saved before they existed) adds nothing; no curves at all: a reason
  const { stepCurves: _, ...older } = overlay();
  assert.equal(evaluationExportTable({ ...s, overlay: older }, 'steps').rows.length, t.rows.length);
  assert.throws(() => evaluationExportTable(initialEvaluationState(setup), 'steps'), /No length has its accuracy at every loop step yet/);
});

/** The curve with its 2 answer positions' accuracy at every step: +0 forms at T(n), +1 a step earlier. */
const withPositions = (n: number, peak: number): StepCurve => {
  const c = curve(n, peak);
  return { ...c, positions: c.accuracy.map((_, i) => [i + 1 >= n ? 1 : 0.25, i + 1 >= n - 1 ? peak : 0]) };
};

test('a curve\'s answer positions travel with it into the state, the overlay\'s apart; a curve without them stays without', () => {
  let s = applyEvalMessage(initialEvaluationState(setup), { type: 'row', row: row(3, 0.75), byStep: withPositions(3, 0.75) });
  s = applyEvalMessage(s, { type: 'row', row: row(2, 1), byStep: curve(2, 1) });
  assert.deepEqual(s.stepCurves![1], { length: 3, ...withPositions(3, 0.75) });
  assert.equal('positions' in s.stepCurves![0]!, false, 'a worker older than the positions');
  s = applyEvalMessage(s, { type: 'row', row: row(3, 0.5), byStep: withPositions(3, 0.5) });
  assert.deepEqual(s.stepCurves![1]!.positions![2], [1, 0.5], 'a length run again replaces its positions');
  const o = applyOverlayMessage(overlay(), { type: 'row', row: row(2, 0.5), byStep: withPositions(2, 0.5) });
  assert.deepEqual(o.stepCurves![0]!.positions, withPositions(2, 0.5).positions);
  assert.equal(applyEvalMessage(s, { type: 'result', rows: [row(2, 1), row(3, 0.5)], perExampleRule: 'x', seconds: 1 }).stepCurves, s.stepCurves);
});

test("the 'positions' export: a row per model, length, step and answer position (+k as k), beside the 'steps' table", () => {
  assert.ok(EVALUATION_EXPORT_TABLES.includes('positions'));
  let s = initialEvaluationState(setup);
  s = applyEvalMessage(s, { type: 'row', row: row(3, 0.75), byStep: withPositions(3, 0.75) });
  s = applyEvalMessage(s, { type: 'row', row: row(2, 1), byStep: withPositions(2, 1) });
  const t = evaluationExportTable(s, 'positions');
  assert.deepEqual(t.columns, ['model', 'length', 'step', 'position', 'accuracy']);
  assert.equal(t.rows.length, 4 * 2 + 5 * 2, 'steps x positions of each length');
  assert.deepEqual(t.rows.slice(0, 4), [['copy.onnx', 2, 1, 0, 0.25], ['copy.onnx', 2, 1, 1, 1], ['copy.onnx', 2, 2, 0, 1], ['copy.onnx', 2, 2, 1, 1]], 'length 2 first, step by step, +0 then +1');
  assert.deepEqual(t.rows[t.rows.length - 1], ['copy.onnx', 3, 5, 1, 0.75]);
  assert.equal(evaluationExportTable(s, 'steps').rows.length, 4 + 5, "the 'steps' table is unchanged: a row per step");

  // the overlay's after the first model's; lengths or models without positions add nothing
  const o = applyOverlayMessage(overlay(), { type: 'row', row: row(2, 0.5), byStep: withPositions(2, 0.5) });
  const both = evaluationExportTable({ ...s, overlay: o }, 'positions');
  assert.deepEqual([...new Set(both.rows.map((r) => `${r[0]} ${r[1]}`))], ['copy.onnx 2', 'copy.onnx 3', 'other.onnx 2']);
  const plain = applyOverlayMessage(overlay(), { type: 'row', row: row(2, 0.5), byStep: curve(2, 0.5) });
  assert.equal(evaluationExportTable({ ...s, overlay: plain }, 'positions').rows.length, t.rows.length);
  const mixed = applyEvalMessage(s, { type: 'row', row: row(2, 1), byStep: curve(2, 1) });
  assert.deepEqual([...new Set(evaluationExportTable(mixed, 'positions').rows.map((r) => r[1]))], [3], 'only the lengths that carry positions');
  // curves without positions (a state saved before they existed): a reason
  const older = applyEvalMessage(initialEvaluationState(setup), { type: 'row', row: row(2, 1), byStep: curve(2, 1) });
  assert.throws(() => evaluationExportTable(older, 'positions'), /No length has the accuracy of each answer position at every loop step yet .*evaluate again/);
  assert.throws(() => evaluationExportTable(initialEvaluationState(setup), 'positions'), /No length has the accuracy of each answer position/);
});
