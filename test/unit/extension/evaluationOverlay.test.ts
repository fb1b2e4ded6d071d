// The Evaluation panel's state: 95% intervals on every row, the failing example kept
// per length, the time left while it runs, and a second model's evaluation (and case split, and its
// own trained range) drawn over the first's, and exported with it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyEvalMessage, applyOverlayExit, applyOverlayMessage, evaluationCasesOf, evaluationSetupOf, initialEvaluationState, initialOverlay, recordedMaxTrainLength, withEta, withIntervals } from '../../../src/extension/evaluate/evaluationState';
import type { LoadedModel } from '../../../src/core/model/modelFile';
import { evaluationPlan } from '../../../src/core/eval/estimate';
import { getTask } from '../../../src/core/tasks';
import type { EvaluationOverlay, EvaluationSetup } from '../../../src/protocol/evaluation';
import { evaluationExportTable } from '../../../src/extension/panels/evaluationExportTables';

const setup: EvaluationSetup = {
  modelPath: '/m/parity.onnx', modelName: 'parity.onnx', task: 'parity', taskTitle: 'Parity', model: { d: 64, layers: 1, heads: 4 }, trainedWith: '6,000 steps, cpu preset',
  maxTrainLength: 20, lengthLabel: 'n', oracleRule: 'T(n) = n', lengths: [10, 20], examples: 128, batchSize: 64, seed: 1234, extraSteps: 20, calibrationExamples: 256,
};
const row = (length: number, oracle: number) => ({ length, oracleStep: length, examples: 128, oracle, perBatch: oracle, perBatchStep: length, perExample: 0.5, perExampleStep: 3 });

test('rows get their 95% intervals and the failing example of their length', () => {
  let s = initialEvaluationState(setup, 42);
  assert.equal(s.estimateSeconds, 42);
  s = applyEvalMessage(s, { type: 'row', row: row(20, 0.75), failure: { input: '1011=', expected: '1', predicted: '0', rule: 'oracle T(n)', step: 4 } });
  s = applyEvalMessage(s, { type: 'row', row: row(10, 1) });
  assert.deepEqual(s.rows.map((r) => r.length), [10, 20]);
  assert.deepEqual(s.failures, [{ length: 20, input: '1011=', expected: '1', predicted: '0', rule: 'oracle T(n)', step: 4 }]);
  const ci = s.rows[1]!.ci!.oracle!;
  assert.ok(ci.low < 0.75 && ci.high > 0.75 && ci.high - ci.low < 0.2, JSON.stringify(ci));
  assert.equal(s.rows[0]!.ci!.oracle!.high, 1);
  assert.equal(s.rows[0]!.ci!.calibrated, null, 'no calibrated accuracy, no interval');
  const done = applyEvalMessage(s, { type: 'result', rows: [row(20, 0.75), row(10, 1)], perExampleRule: 'x', seconds: 3 });
  assert.ok(done.rows.every((r) => r.ci), 'the final rows have intervals too');
  assert.equal(done.failures!.length, 1, 'the failures stay');
  assert.deepEqual(withIntervals(row(10, 0.5)).ci!.perExample, s.rows[0]!.ci!.perExample);
  // a length run again: its new failure replaces the old, and none drops it; the others stay, ordered by length
  const failure = (input: string) => ({ input, expected: '1', predicted: '0', rule: 'oracle T(n)', step: 4 });
  let again = applyEvalMessage(done, { type: 'row', row: row(10, 0.9), failure: failure('1=') });
  again = applyEvalMessage(again, { type: 'row', row: row(20, 0.8), failure: failure('11=') });
  assert.deepEqual(again.failures!.map((f) => [f.length, f.input]), [[10, '1='], [20, '11=']]);
  again = applyEvalMessage(again, { type: 'row', row: row(10, 1) });
  assert.deepEqual(again.failures!.map((f) => [f.length, f.input]), [[20, '11=']]);
});

test('progress carries the time left from the work done so far', () => {
  const plan = evaluationPlan(getTask('parity'), { lengths: [10, 20], examples: 128, batchSize: 64, dModel: 64 });
  let s = initialEvaluationState(setup);
  s = applyEvalMessage(s, { type: 'progress', done: 2, total: 4, length: 10 });
  s = withEta(s, plan, 10);
  const left = s.progress!.etaSeconds!;
  // length 20 costs more per batch than length 10: more than the 10 s spent so far is left
  assert.ok(left > 10, `left ${left}`);
  s = applyEvalMessage(s, { type: 'progress', done: 3, total: 4, length: 20 });
  assert.equal(s.progress!.etaSeconds, left, 'kept until the host recomputes it');
});

test('an overlay follows its own worker and fails clearly when the worker dies', () => {
  let o: EvaluationOverlay = { modelPath: '/m/other.onnx', modelName: 'other.onnx', status: 'running', rows: [], progress: null, error: null };
  o = applyOverlayMessage(o, { type: 'progress', done: 1, total: 4, length: 10 });
  assert.deepEqual(o.progress, { done: 1, total: 4, length: 10 });
  o = applyOverlayMessage(o, { type: 'row', row: row(10, 0.5) });
  assert.equal(o.rows[0]!.ci!.oracle!.low < 0.5, true);
  const dead = applyOverlayExit(o, { code: null, signal: 'SIGKILL' });
  assert.equal(dead.status, 'failed');
  assert.match(dead.error!, /ended without a result/);
  const finished = applyOverlayMessage(o, { type: 'result', rows: [row(10, 0.5)], perExampleRule: 'x', seconds: 1 });
  assert.equal(finished.status, 'finished');
  assert.equal(applyOverlayExit(finished, { code: 0, signal: null }), finished);
});

test('the case split: empty for a task that has one, filled one length at a time; none for a task without', () => {
  assert.equal(evaluationCasesOf(getTask('parity')), null);
  assert.equal(initialEvaluationState(setup).cases, null);
  const split = evaluationCasesOf(getTask('unique_set'))!;
  assert.deepEqual(split, { title: 'repeated elements', labels: ['0', '1', '2+'], rows: [] });
  const counts = (a: number) => [{ label: '0', examples: 100, correct: a }, { label: '1', examples: 20, correct: 10 }, { label: '2+', examples: 8, correct: 0 }];
  let s = initialEvaluationState(setup, null, split);
  s = applyEvalMessage(s, { type: 'row', row: row(20, 0.5), cases: counts(60) });
  s = applyEvalMessage(s, { type: 'row', row: row(10, 0.9), cases: counts(99) });
  assert.deepEqual(s.cases!.rows.map((r) => [r.length, r.counts[0]!.correct]), [[10, 99], [20, 60]]);
  s = applyEvalMessage(s, { type: 'row', row: row(10, 0.9), cases: counts(98) });
  assert.deepEqual(s.cases!.rows.map((r) => [r.length, r.counts[0]!.correct]), [[10, 98], [20, 60]], 'a length run again replaces its counts');
  const done = applyEvalMessage(s, { type: 'result', rows: [row(10, 0.9), row(20, 0.5)], perExampleRule: 'x', seconds: 2 });
  assert.equal(done.cases, s.cases, 'the result keeps the split');
  // counts for a task without a split (or from an overlay's worker) are not drawn
  assert.equal(applyEvalMessage(initialEvaluationState(setup), { type: 'row', row: row(10, 1), cases: counts(1) }).cases, null);
  const o = applyOverlayMessage({ modelPath: '/m/o.onnx', modelName: 'o.onnx', status: 'running', rows: [], progress: null, error: null }, { type: 'row', row: row(10, 1), cases: counts(1) });
  assert.equal('cases' in o, false);
});

test('an overlay started with its split fills it one length at a time, as the first model does; the export has both splits', () => {
  const split = evaluationCasesOf(getTask('unique_set'))!;
  const counts = (paper: number) => [{ label: '0', examples: 100, correct: 100, paperRule: paper, perExample: 90 }, { label: '1', examples: 20, correct: 0, paperRule: 20, perExample: 10 }, { label: '2+', examples: 8, correct: 0, paperRule: 8, perExample: 0 }];
  let o: EvaluationOverlay = { modelPath: '/m/o.onnx', modelName: 'o.onnx', status: 'running', rows: [], progress: null, error: null, cases: split };
  o = applyOverlayMessage(o, { type: 'row', row: row(20, 0.5), cases: counts(0) });
  o = applyOverlayMessage(o, { type: 'row', row: row(10, 0.9), cases: counts(50) });
  o = applyOverlayMessage(o, { type: 'row', row: row(10, 0.9), cases: counts(60) });
  assert.deepEqual(o.cases!.rows.map((r) => [r.length, r.counts[0]!.paperRule]), [[10, 60], [20, 0]], 'sorted by length; a length run again replaces its counts');
  assert.equal(split.rows.length, 0, 'the split it started from is not changed');
  assert.equal(applyOverlayMessage(o, { type: 'result', rows: [row(10, 0.9), row(20, 0.5)], perExampleRule: 'x', seconds: 1 }).cases, o.cases, 'the result keeps it');
  assert.equal(applyOverlayMessage({ ...o, cases: null }, { type: 'row', row: row(10, 1), cases: counts(1) }).cases, null, 'no split, no counts');

  let s = initialEvaluationState({ ...setup, modelName: 'u.onnx', task: 'unique_set', taskTitle: 'Unique set' }, null, split);
  s = applyEvalMessage(s, { type: 'row', row: row(10, 0.8), cases: counts(5) });
  const both = evaluationExportTable({ ...s, overlay: o }, 'cases');
  assert.deepEqual(both.rows.map((r) => `${r[0]} ${r[1]} ${r[3]}`), ['u.onnx 10 0', 'u.onnx 10 1', 'u.onnx 10 2+', 'o.onnx 10 0', 'o.onnx 10 1', 'o.onnx 10 2+', 'o.onnx 20 0', 'o.onnx 20 1', 'o.onnx 20 2+']);
  const paper = both.columns.indexOf('paper_rule_correct');
  assert.deepEqual([both.rows[0]![paper], both.rows[3]![paper]], [5, 60]);
  assert.deepEqual(evaluationExportTable(s, 'cases').rows.map((r) => r[0]), ['u.onnx', 'u.onnx', 'u.onnx'], 'without an overlay: the first model\'s');
  assert.deepEqual(evaluationExportTable({ ...s, overlay: o }, 'results').rows.map((r) => r[0]), ['u.onnx', 'o.onnx', 'o.onnx']);
  assert.throws(() => evaluationExportTable(initialEvaluationState(setup), 'cases'), /Parity has no case split to export/);
});

/** Just what evaluationSetupOf and initialOverlay read of a multiplication model file. */
const fakeModel = (source: string, trainedLengths: unknown): LoadedModel =>
  ({
    source,
    task: getTask('multiplication'),
    config: { d: 64, layers: 1, heads: 4 },
    metadata: { training: { stepsCompleted: 40, preset: 'tiny', ...(trainedLengths === undefined ? {} : { trainedLengths }) }, stepsRule: { oracle: 'T(n) = n_b + 1' } },
  }) as unknown as LoadedModel;

test('an overlay records its own trained range, as the first model\'s setup does, and keeps it as its evaluation goes on', () => {
  const shipped = fakeModel('/m/multiplication.onnx', { min: 1, max: 11 });
  const tiny = fakeModel('/w/runs/multiplication-tiny.onnx', { min: 1, max: 3 });
  const first = evaluationSetupOf(shipped, { lengths: [2, 3, 4], examples: 256, batchSize: 64, seed: 1234 });
  assert.equal(first.maxTrainLength, 11);
  let o = initialOverlay(tiny, tiny.source);
  assert.deepEqual(o, { modelPath: '/w/runs/multiplication-tiny.onnx', modelName: 'multiplication-tiny.onnx', status: 'running', rows: [], progress: null, error: null, cases: evaluationCasesOf(getTask('multiplication')), maxTrainLength: 3, stepCurves: [] });
  // computed the same way for either model: the same file gives the same range in either role
  assert.equal(initialOverlay(shipped, shipped.source).maxTrainLength, first.maxTrainLength);
  assert.equal(evaluationSetupOf(tiny, { lengths: [2], examples: 256, batchSize: 64, seed: 1 }).maxTrainLength, o.maxTrainLength);
  // a file that predates the record, or records nonsense: unknown (null), never the first model's nor a guess
  for (const unrecorded of [undefined, null, { min: 0, max: 3 }, { min: 4, max: 3 }, { min: 1, max: 2.5 }, { min: 1, max: '3' }]) {
    assert.equal(initialOverlay(fakeModel('/m/old.onnx', unrecorded), '/m/old.onnx').maxTrainLength, null, JSON.stringify(unrecorded));
    assert.equal(recordedMaxTrainLength(fakeModel('/m/old.onnx', unrecorded)), null);
  }
  // the worker's messages never touch it
  o = applyOverlayMessage(o, { type: 'progress', done: 1, total: 6, length: 2 });
  o = applyOverlayMessage(o, { type: 'row', row: row(4, 0.1) });
  assert.equal(o.maxTrainLength, 3);
  assert.equal(applyOverlayMessage(o, { type: 'result', rows: [row(4, 0.1)], perExampleRule: 'x', seconds: 1 }).maxTrainLength, 3);
  assert.equal(applyOverlayExit(o, { code: null, signal: 'SIGKILL' }).maxTrainLength, 3);
  assert.equal(applyOverlayMessage(o, { type: 'cancelled' }).maxTrainLength, 3);
});
