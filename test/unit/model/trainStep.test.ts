// The training-step runner: loss goes down on a fixed batch, NaN/Inf is reported without touching
// the parameters, bad batches get clear errors, and state round-trips.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';
import { initParams } from '../../../src/core/model/params';
import { NonFiniteLossError, TrainStepRunner } from '../../../src/core/train/trainStep';
import { randomBatch } from './torchReference';

const config: LoopedConfig = { vocabSize: 6, d: 16, layers: 1, heads: 2, readIn: 'linear', inputInjection: true };

test('repeated steps on one batch lower the loss; state round-trips', async () => {
  const rng = new Rng(11);
  const runner = TrainStepRunner.create(config, initParams(config, () => rng.float()), { provider: 'cpu', cpuThreads: 1 });
  const b = randomBatch(rng, 6, 8, 6, 4, [1, 2, 3, 4, 4, 3, 2, 1]);
  const first = await runner.step(b, 1e-2);
  let last = first;
  for (let i = 0; i < 15; i++) last = await runner.step(b, 1e-2);
  assert.equal(last.step, 16);
  assert.ok(last.loss < first.loss * 0.8, `loss ${first.loss} -> ${last.loss}`);
  const saved = runner.getState();
  const other = TrainStepRunner.create(config, saved, { provider: 'cpu' });
  assert.equal(other.stepCount, 16);
  const [a, c] = [await runner.step(b, 1e-3), await other.step(b, 1e-3)];
  assert.equal(a.loss, c.loss);
  assert.deepEqual(runner.params['readOut.weight'], other.params['readOut.weight']);
  await Promise.all([runner.release(), other.release()]);
});

test('a non-finite loss is an error and leaves the parameters as they were', async () => {
  const rng = new Rng(12);
  const params = initParams(config, () => rng.float());
  params['readOut.bias']![0] = Number.POSITIVE_INFINITY;
  const runner = TrainStepRunner.create(config, params, { provider: 'cpu' });
  const before = runner.getState();
  await assert.rejects(runner.step(randomBatch(rng, 6, 2, 4, 2, [1, 2]), 1e-3), NonFiniteLossError);
  assert.equal(runner.stepCount, 0);
  assert.deepEqual(runner.getState(), before);
  await runner.release();
});

test('bad batches are rejected before running', async () => {
  const rng = new Rng(13);
  const runner = TrainStepRunner.create(config, initParams(config, () => rng.float()), { provider: 'cpu' });
  const b = randomBatch(rng, 6, 2, 4, 3, [1, 3]);
  await assert.rejects(runner.step({ ...b, steps: BigInt64Array.of(1n, 4n) }, 1e-3), /outside \[1, horizon = 3\]/);
  await assert.rejects(runner.step({ ...b, tokens: b.tokens.map(() => 9n) }, 1e-3), /outside the vocabulary/);
  await assert.rejects(runner.step({ ...b, mask: new Float32Array(8) }, 1e-3), /selects no position/);
  await assert.rejects(runner.step(b, Number.NaN), /learning rate/);
});

test("fresh moments with the update count started again step exactly as a new runner from the same weights (a stage's start)", async () => {
  const rng = new Rng(14);
  const runner = TrainStepRunner.create(config, initParams(config, () => rng.float()), { provider: 'cpu', cpuThreads: 1 });
  const b = randomBatch(rng, 6, 8, 6, 4, [1, 2, 3, 4, 4, 3, 2, 1]);
  for (let i = 0; i < 3; i++) await runner.step(b, 1e-2);
  const fresh = TrainStepRunner.create(config, runner.getState().params, { provider: 'cpu', cpuThreads: 1 });
  runner.resetMoments();
  const [a, c] = [await runner.step(b, 1e-2, 1), await fresh.step(b, 1e-2)];
  assert.equal(a.loss, c.loss);
  assert.equal(a.step, 4, 'the run keeps counting its steps');
  assert.deepEqual(runner.getState().params, fresh.getState().params);
  assert.deepEqual(runner.getState().v, fresh.getState().v);
  await assert.rejects(runner.step(b, 1e-2, 0), /update count must be a positive integer/);
  await Promise.all([runner.release(), fresh.release()]);
});
