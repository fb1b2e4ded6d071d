import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { evalText, headlineRow, openedMessage, statusText, tooltipMarkdown, trainingText } from '../../../src/extension/models/modelSummary';
import { tmpDir, writeSmallModel } from './helpers';

const evaluation = {
  examplesPerLength: 64, seed: 1, perExampleRule: 'per example',
  rows: [
    { length: 40, oracleStep: 40, examples: 64, oracle: 0.5, perBatch: 0.25, perBatchStep: 2, perExample: 0.125, perExampleStep: 3 },
    { length: 10, oracleStep: 10, examples: 64, oracle: 1, perBatch: 1, perBatchStep: 10, perExample: 0.5, perExampleStep: 3 },
  ],
};

test('a model is summarized by task, shape, training and its longest evaluated length', async () => {
  const m = await loadModel(await writeSmallModel(path.join(tmpDir(), 'small.onnx'), evaluation));
  assert.equal(statusText(m), 'parity · d16 L1 H2');
  assert.equal(trainingText(m), '30 steps with the test-micro preset in 1m 15s, final loss 0.0421');
  assert.equal(headlineRow(evaluation.rows)?.length, 40);
  assert.equal(evalText(m), 'at length 40: oracle 50.0%, adaptive (paper rule) 25.0%, per example 12.5%');
  assert.equal(openedMessage(m), 'LoopLens: opened small.onnx: Parity (d = 16, 1 layer, 2 heads), trained 30 steps with the test-micro preset in 1m 15s, final loss 0.0421 (trained lengths unknown). Evaluated at length 40: oracle 50.0%, adaptive (paper rule) 25.0%, per example 12.5%.');
  const tip = tooltipMarkdown(m);
  assert.match(tip, /\| 10 \| 100% \| 100% \| 50\.0% \|/);
  assert.match(tip, /T\(n\) = n/);
});

test("a model soup is summarized as one, with the first model's training", async () => {
  const m = await loadModel(await writeSmallModel(path.join(tmpDir(), 'plain.onnx')));
  const soup = { ...m, metadata: { ...m.metadata, training: { ...m.metadata.training, soup: [{ model: 'a.onnx', weightsCrc32: 1 }, { model: 'b.onnx', weightsCrc32: 2 }] } } };
  assert.equal(trainingText(soup), 'as a soup of 2 models, the first 30 steps with the test-micro preset in 1m 15s, final loss 0.0421');
  assert.match(openedMessage(soup), /, trained as a soup of 2 models, the first 30 steps /);
  assert.match(tooltipMarkdown(soup), /^- trained as a soup of 2 models, the first 30 steps/m);
});

test('a model without an evaluation says so', async () => {
  const m = await loadModel(await writeSmallModel(path.join(tmpDir(), 'plain.onnx')));
  assert.equal(evalText(m), undefined);
  assert.match(openedMessage(m), /Not evaluated yet\.$/);
});
