// A resumed run's learning curve goes on as it was drawn: the quick evaluation's rhythm, lengths and
// examples read back from the checkpoint's history (quickEval.ts quickEvalOfHistory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { quickEvalOfHistory } from '../../../src/core/train/quickEval';

const row = (length: number) => ({ length, examples: 64, oracle: 1, perBatch: 1, perBatchStep: length });
const evalAt = (step: number, lengths = [16, 19]) => ({ kind: 'eval', step, rows: lengths.map(row) });
const trainAt = (step: number) => ({ kind: 'train', step, loss: 0.1, gradNorm: 1, lr: 1e-3, nPoints: 5, msPerStep: 10 });

test("the steps between points, the last point's lengths and examples", () => {
  assert.deepEqual(quickEvalOfHistory([trainAt(10), evalAt(500), trainAt(510), evalAt(1000, [16, 19, 24])], 2000), { every: 500, lengths: [16, 19, 24], examples: 64 });
  assert.deepEqual(quickEvalOfHistory([evalAt(500)], 2000), { every: 500, lengths: [16, 19], examples: 64 }, 'one point: its step');
  assert.deepEqual(quickEvalOfHistory([evalAt(500), evalAt(1000), evalAt(1999)], 1999), { every: 500, lengths: [16, 19], examples: 64 }, "the end's point is not the rhythm");
  assert.deepEqual(quickEvalOfHistory([evalAt(1999)], 1999), { every: 1999, lengths: [16, 19], examples: 64 }, 'only the end: every run length');
});

test('no evaluation point, or ones that do not read as such: none', () => {
  assert.equal(quickEvalOfHistory([], 100), undefined);
  assert.equal(quickEvalOfHistory([trainAt(10)], 100), undefined);
  for (const bad of [null, { kind: 'eval', step: 0, rows: [row(3)] }, { kind: 'eval', step: 5, rows: [] }, { kind: 'eval', step: 5, rows: [{ length: '3', examples: 64 }] }, { kind: 'eval', step: 5 }]) {
    assert.equal(quickEvalOfHistory([bad], 100), undefined, JSON.stringify(bad));
  }
});
