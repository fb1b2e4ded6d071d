import { test } from 'node:test';
import assert from 'node:assert/strict';
import { accuracyInterval, wilsonInterval } from '../../../src/core/eval/interval';
import { estimateSeconds, evaluationPlan, fitCost, remainingSeconds, rowWork, workDone } from '../../../src/core/eval/estimate';
import { firstFailure } from '../../../src/core/eval/failures';
import { getTask } from '../../../src/core/tasks';
import { packBatch } from '../../../src/core/tasks/batches';

const close = (a: number, b: number, eps = 1e-4) => Math.abs(a - b) <= eps;

test('Wilson intervals: known values, the edges, and no data', () => {
  const i = wilsonInterval(8, 10)!;
  assert.ok(close(i.low, 0.4902) && close(i.high, 0.9433), JSON.stringify(i));
  const all = wilsonInterval(256, 256)!;
  assert.equal(all.high, 1);
  assert.ok(close(all.low, 0.98523), JSON.stringify(all));
  assert.ok(close(wilsonInterval(0, 50)!.low, 0, 1e-12));
  assert.equal(wilsonInterval(3, 0), null);
  assert.deepEqual(accuracyInterval(0.8, 10), wilsonInterval(8, 10));
  assert.equal(accuracyInterval(NaN, 10), null);
});

test('the evaluation plan weighs lengths by steps x width x (width + d), calibration included', () => {
  const task = getTask('parity');
  // parity: T(n) = n, 20 extra steps, width n + 3 (n bits, '=', one pad... widthFor decides)
  const w = (n: number) => task.widthFor([n]);
  assert.equal(rowWork(task, 10, 64), (10 + 20) * w(10) * (w(10) + 64));
  const plan = evaluationPlan(task, { lengths: [10, 20], examples: 100, batchSize: 64, dModel: 64, calibration: 256 });
  assert.equal(plan.batches, 4);
  assert.equal(plan.lengths[0]!.batches, 2);
  assert.equal(plan.lengths[0]!.batchWork, rowWork(task, 10, 64) * 64);
  assert.equal(plan.lengths[1]!.calibrationWork, rowWork(task, 20, 64) * 256);
  const total = plan.lengths.reduce((s, l) => s + 2 * l.batchWork + l.calibrationWork, 0);
  assert.equal(plan.totalWork, total);
  assert.equal(workDone(plan, 0), 0);
  assert.equal(workDone(plan, 1), plan.lengths[0]!.batchWork + plan.lengths[0]!.calibrationWork);
  assert.equal(workDone(plan, 4), total);
  assert.equal(workDone(plan, 9), total);
  // half the work in 10 s: 10 s left
  const half = workDone(plan, 2);
  assert.ok(close(remainingSeconds(plan, 2, 10)!, (10 / half) * (total - half)));
  assert.equal(remainingSeconds(plan, 0, 0), null);
  assert.equal(remainingSeconds(plan, 4, 30), 0);
});

test('the cost fit and the estimate', () => {
  assert.deepEqual(fitCost([{ work: 100, seconds: 1.5 }, { work: 300, seconds: 3.5 }]), { perBatch: 0.5, perWork: 0.01 });
  assert.deepEqual(fitCost([{ work: 200, seconds: 2 }]), { perBatch: 0, perWork: 0.01 });
  // a shorter length that was slower (noise): the larger sample alone
  assert.deepEqual(fitCost([{ work: 100, seconds: 3 }, { work: 200, seconds: 2 }]), { perBatch: 0, perWork: 0.01 });
  assert.throws(() => fitCost([]), /at least one/);
  const task = getTask('parity');
  const plan = evaluationPlan(task, { lengths: [10], examples: 64, batchSize: 64, dModel: 64 });
  assert.ok(close(estimateSeconds(plan, { perBatch: 1, perWork: 0 }, 2), 3));
});

test('firstFailure renders the first wrong example with what the model said', () => {
  const task = getTask('parity');
  const a = task.fromText('1011');
  const b = task.fromText('1000');
  const batch = packBatch([a, b]);
  const W = batch.width;
  const predictions = [...a.target, ...b.target];
  predictions[W + b.answerStart] = 0; // parity of 1000 is 1: say 0
  const f = firstFailure(task, batch, { correct: [1, 0], predictions, steps: [4, 4] }, 'oracle T(n)');
  assert.deepEqual(f, { input: '1000=', expected: '1', predicted: '0', rule: 'oracle T(n)', step: 4 });
  assert.equal(firstFailure(task, batch, { correct: [1, 1], predictions, steps: [4, 4] }, 'oracle T(n)'), null);
  assert.equal(task.fromText(f!.input).input.join(), b.input.join(), 'the input text opens the same row');
});
