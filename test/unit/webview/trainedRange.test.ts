// Which lengths each model of the Evaluation panel trained on (webview/evaluation/trainedRange.ts):
// the "trained" tag of a length, an overlay's own range (unknown in states saved before it was
// recorded), and the charts' bands: one for the first model, a second in the overlay's colour when
// the overlay trained on other lengths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { OVERLAY_BAND_COLOR, overlayMaxTrainLength, trainedAt, trainedBands } from '../../../webview/evaluation/trainedRange';
import { EVALUATION_PROTOCOL, type EvaluationOverlay, type EvaluationSetup, type EvaluationViewState } from '../../../src/protocol/evaluation';

const setup = { modelPath: '/m/multiplication.onnx', modelName: 'multiplication.onnx', lengthLabel: 'n_b (n_a = 2)', maxTrainLength: 11, lengths: [2, 3, 4] } as unknown as EvaluationSetup;
const row = (length: number) => ({ length, oracleStep: length, examples: 256, oracle: 0.5, perBatch: 0.5, perBatchStep: length, perExample: 0.5, perExampleStep: length });
const overlay: EvaluationOverlay = { modelPath: '/w/runs/multiplication-tiny.onnx', modelName: 'multiplication-tiny.onnx', status: 'finished', rows: [row(2), row(3), row(4)], progress: null, error: null, maxTrainLength: 3 };
const state = (over: Partial<EvaluationViewState> = {}): EvaluationViewState => ({ protocol: EVALUATION_PROTOCOL, setup, status: 'finished', progress: null, rows: [row(2), row(3), row(4)], perExampleRule: null, seconds: 1, error: null, ...over });

test('a length is trained when within 1..max; never for an unknown range', () => {
  assert.deepEqual([1, 3, 4].map((n) => trainedAt(3, n)), [true, true, false]);
  assert.equal(trainedAt(null, 1), false);
});

test('an overlay\'s range is its own; absent (a state saved before it was recorded) reads as unknown, not as the first model\'s', () => {
  assert.equal(overlayMaxTrainLength(overlay), 3);
  assert.equal(overlayMaxTrainLength({ ...overlay, maxTrainLength: null }), null);
  const { maxTrainLength: _, ...older } = overlay;
  assert.equal(overlayMaxTrainLength(older), null);
});

test('the charts\' bands: the first model\'s alone; with an overlay trained on other lengths, a second band in its colour, each named', () => {
  assert.deepEqual(trainedBands(state()), [{ from: 1, to: 11, label: 'trained on 1..11' }]);
  assert.deepEqual(trainedBands(state({ setup: { ...setup, maxTrainLength: null } })), [], 'a file that predates the record: no band, nothing guessed');
  const both = trainedBands(state({ overlay }));
  assert.deepEqual(both, [
    { from: 1, to: 11, label: 'multiplication.onnx: trained on 1..11' },
    { from: 1, to: 3, label: 'multiplication-tiny.onnx: trained on 1..3', color: OVERLAY_BAND_COLOR },
  ]);
  assert.equal(OVERLAY_BAND_COLOR, 'c-orange', 'the overlay\'s oracle curve\'s colour');
  // a longer range than the first model's: its band reaches further (the length axis follows it)
  assert.deepEqual(trainedBands(state({ overlay: { ...overlay, maxTrainLength: 20 } }))[1], { from: 1, to: 20, label: 'multiplication-tiny.onnx: trained on 1..20', color: 'c-orange' });
  // the same range: one band, said to be both models'
  assert.deepEqual(trainedBands(state({ overlay: { ...overlay, maxTrainLength: 11 } })), [{ from: 1, to: 11, label: 'trained on 1..11 (both models)' }]);
  // the overlay's range unknown: the first model's band says whose it is, and no band is drawn for the overlay
  const { maxTrainLength: _, ...older } = overlay;
  for (const o of [older, { ...overlay, maxTrainLength: null }]) assert.deepEqual(trainedBands(state({ overlay: o })), [{ from: 1, to: 11, label: 'multiplication.onnx: trained on 1..11' }]);
  // the first model's unknown, the overlay's known: the overlay's band alone
  assert.deepEqual(trainedBands(state({ setup: { ...setup, maxTrainLength: null }, overlay })), [{ from: 1, to: 3, label: 'multiplication-tiny.onnx: trained on 1..3', color: 'c-orange' }]);
  assert.deepEqual(trainedBands(state({ setup: { ...setup, maxTrainLength: null }, overlay: older })), []);
  // an overlay not drawn yet (no rows) or removed: as without one
  assert.deepEqual(trainedBands(state({ overlay: { ...overlay, status: 'running', rows: [] } })), [{ from: 1, to: 11, label: 'trained on 1..11' }]);
  assert.deepEqual(trainedBands(state({ overlay: null })), [{ from: 1, to: 11, label: 'trained on 1..11' }]);
});
