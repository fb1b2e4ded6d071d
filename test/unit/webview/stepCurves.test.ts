// The Evaluation panel's "Accuracy at every loop step" chart (webview/evaluation/stepCurves.ts): one
// line per length in that length's colour, T(n) ringed and the paper rule's step dotted, the score in
// each point's read-out, a summary per length; the overlay's chart on the same axes; older states.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepChartContent, stepSummary } from '../../../webview/evaluation/stepCurves';
import { LENGTH_COLORS, lengthStyle } from '../../../webview/charts/palette';
import { EVALUATION_PROTOCOL, type EvaluationOverlay, type EvaluationSetup, type EvaluationStepCurve, type EvaluationViewState } from '../../../src/protocol/evaluation';

const setup = { modelPath: '/m/copy.onnx', modelName: 'copy.onnx', task: 'copy', taskTitle: 'Copy', lengthLabel: 'n', maxTrainLength: 19, lengths: [19, 38] } as unknown as EvaluationSetup;
const state = (over: Partial<EvaluationViewState> = {}): EvaluationViewState => ({
  protocol: EVALUATION_PROTOCOL, setup, status: 'finished', progress: null, rows: [], perExampleRule: null, seconds: 1, error: null, stepCurves: [], ...over,
});
/** copy at n = 38, as `looplens eval --by-step` shows it: the answer peaks at step 32 and decays to T(n) and past it. */
const c38: EvaluationStepCurve = {
  length: 38,
  oracleStep: 38,
  paperStep: 40,
  accuracy: Array.from({ length: 58 }, (_, i) => (i + 1 < 20 ? 0 : i + 1 === 32 ? 0.547 : i + 1 === 38 ? 0.35 : i + 1 === 40 ? 0.3 : 0.2)),
  score: Array.from({ length: 58 }, (_, i) => (i + 1 === 40 ? 0.05 : 0.5 + i / 100)),
};
const c19: EvaluationStepCurve = { length: 19, oracleStep: 19, paperStep: 19, accuracy: Array.from({ length: 39 }, (_, i) => (i + 1 >= 19 ? 1 : 0)), score: Array.from({ length: 39 }, (_, i) => (i + 1 === 19 ? 0 : 1)) };

test('one line per length, in the lengths\' order of colours, each point with its accuracy and score, T(n) and the paper rule\'s step marked', () => {
  const c = stepChartContent(state({ stepCurves: [c19, c38] }), 'first')!;
  assert.equal(c.modelName, 'copy.onnx');
  assert.deepEqual(c.lines.map((l) => [l.label, l.color, l.dashed, l.points.length]), [['n = 19', 'c-blue', false, 39], ['n = 38', 'c-orange', false, 58]]);
  assert.equal(c.lastStep, 58, 'the axis reaches the longest curve\'s last step');
  const l38 = c.lines[1]!;
  assert.deepEqual(l38.points[31], { step: 32, accuracy: 0.547, note: 'confidence score 0.810' });
  assert.deepEqual(l38.points[37], { step: 38, accuracy: 0.35, note: 'confidence score 0.870 · T(n)' });
  assert.deepEqual(l38.points[39], { step: 40, accuracy: 0.3, note: "confidence score 0.050 · the paper rule's step" });
  assert.deepEqual(l38.marks, [
    { x: 38, shape: 'ring', title: 'n = 38: T(n) = 38, 35.0%' },
    { x: 40, shape: 'dot', title: "n = 38: the paper rule's step 40, 30.0%" },
  ]);
  assert.equal(c.lines[0]!.points[18]!.note, "confidence score 0.000 · T(n) · the paper rule's step", 'both at one step');
  assert.equal(l38.summary, "n = 38: best 54.7% at step 32 · T(n) = 38: 35.0% · paper rule's step 40: 30.0% · last step 58: 20.0%");
  assert.equal(stepSummary('n = 19', c19), "n = 19: best 100% at step 19 · T(n) = 19: 100% · paper rule's step 19: 100% · last step 39: 100%", 'the first step at the best accuracy');
});

test('a length keeps its colour as lengths finish and in the overlay\'s chart; past the palette, colours come round dashed', () => {
  // only n = 38 done: still the second length's colour
  assert.equal(stepChartContent(state({ stepCurves: [c38] }), 'first')!.lines[0]!.color, 'c-orange');
  const overlay: EvaluationOverlay = { modelPath: '/m/b.onnx', modelName: 'b.onnx', status: 'finished', rows: [], progress: null, error: null, stepCurves: [c38] };
  const o = stepChartContent(state({ stepCurves: [c19], overlay }), 'overlay')!;
  assert.equal(o.modelName, 'b.onnx');
  assert.deepEqual(o.lines.map((l) => [l.length, l.color]), [[38, 'c-orange']]);
  assert.equal(stepChartContent(state({ stepCurves: [c19], overlay }), 'first')!.lastStep, 58, 'both charts on one axis');
  const many = Array.from({ length: 14 }, (_, i) => i + 1);
  assert.deepEqual(many.map((_, i) => lengthStyle(i).dashed), many.map((_, i) => i >= LENGTH_COLORS.length && i < 2 * LENGTH_COLORS.length));
  assert.equal(lengthStyle(LENGTH_COLORS.length).color, LENGTH_COLORS[0]);
  // a multiplication evaluation names its length n_b
  assert.equal(stepChartContent(state({ setup: { ...setup, lengthLabel: 'n_b (n_a = 2)', lengths: [38] }, stepCurves: [c38] }), 'first')!.lines[0]!.label, 'n_b = 38');
});

test('no lines: why (running, nothing evaluated, or a state saved before the curves existed); no overlay chart without its curves', () => {
  assert.equal(stepChartContent(state({ status: 'running' }), 'first')!.empty, 'Evaluating the first length…');
  assert.equal(stepChartContent(state(), 'first')!.empty, 'No lengths were evaluated.');
  const { stepCurves: _, ...older } = state();
  const old = stepChartContent(older as EvaluationViewState, 'first')!;
  assert.deepEqual(old.lines, []);
  assert.match(old.empty, /saved by an older LoopLens.*Evaluate Again/);
  assert.equal(stepChartContent(state(), 'overlay'), null, 'no overlay');
  const overlay: EvaluationOverlay = { modelPath: '/m/b.onnx', modelName: 'b.onnx', status: 'running', rows: [], progress: null, error: null };
  assert.equal(stepChartContent(state({ overlay }), 'overlay'), null, 'an overlay saved before the curves existed');
  assert.equal(stepChartContent(state({ overlay: { ...overlay, stepCurves: [] } }), 'overlay')!.empty, 'Evaluating the first length…', 'its own status, not the first model\'s');
});
