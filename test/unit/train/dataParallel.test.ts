// Data-parallel steps: the shares' summed gradient gives the update one session gives (to float32
// rounding), batches too wide or too small for the shares run as one session, and a failing worker
// is an error, not a hang, after which the run goes on as one session.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';
import { initParams, packParams } from '../../../src/core/model/params';
import { TrainStepRunner } from '../../../src/core/train/trainStep';
import { GradientPool } from '../../../src/core/train/dataParallel';
import { balancedShares, pieceCount, rowsOf, shareBounds, shareOf } from '../../../src/core/train/gradientShares';
import { randomBatch } from '../model/torchReference';
import { gradientWorkerScript } from '../../support/workerBundles';
import { tmpDir } from '../../support/tmpDir';

const config: LoopedConfig = { vocabSize: 6, d: 16, layers: 2, heads: 2, readIn: 'linear', inputInjection: true };

function maxRelDiff(a: Float32Array, b: Float32Array): number {
  let worst = 0;
  for (let i = 0; i < a.length; i++) worst = Math.max(worst, Math.abs(a[i]! - b[i]!) / Math.max(1e-3, Math.abs(b[i]!)));
  return worst;
}

test('shares cut a batch as evenly as whole examples allow; a share goes in pieces whose attention scores fit the budget', () => {
  assert.deepEqual(shareBounds(64, 2), [0, 32, 64]);
  assert.deepEqual(shareBounds(7, 3), [0, 2, 4, 7]);
  assert.equal(pieceCount(32, 75, 32, undefined), 1, 'no budget: one piece');
  assert.equal(pieceCount(32, 75, 32, 3_000_000), 8, '4 rows of 75² scores × 32 heads fit 3 MB, 5 do not');
  assert.equal(pieceCount(32, 27, 32, 3_000_000), 1, 'narrow rows: the whole share');
  assert.equal(pieceCount(5, 1000, 8, 1), 5, 'a row too wide for the budget goes alone');
});

test("shares have even loop work: a long share's first rows are dealt to every share, not to the first", () => {
  const sum = (rows: number[], steps: BigInt64Array) => rows.reduce((t, r) => t + Number(steps[r]!), 0);
  // Addition's 1..24 stage: half of a batch of 64 at the longest length (T = 25) in its first rows, the rest uniform.
  const rng = new Rng(7);
  const longShare = BigInt64Array.from({ length: 64 }, (_, i) => BigInt(i < 32 ? 25 : 1 + Math.floor(rng.float() * 25)));
  for (const [steps, count] of [[longShare, 2], [longShare, 3], [BigInt64Array.from([1n, 6n, 2n, 5n, 3n, 4n, 6n]), 3]] as const) {
    const shares = balancedShares(steps, count);
    assert.deepEqual(shares.flat().sort((a, b) => a - b), Array.from({ length: steps.length }, (_, i) => i), 'every example once');
    for (const s of shares) assert.deepEqual(s, [...s].sort((a, b) => a - b), 'in batch order');
    const sizes = shares.map((s) => s.length);
    assert.ok(Math.max(...sizes) - Math.min(...sizes) <= 1, `sizes ${sizes}`);
    const work = shares.map((s) => sum(s, steps));
    assert.ok(Math.max(...work) - Math.min(...work) <= Math.max(...Array.from(steps, Number)), `work ${work}`);
  }
  const contiguous = shareBounds(64, 2);
  assert.ok(sum(Array.from({ length: 32 }, (_, i) => i), longShare) > 1.5 * sum(Array.from({ length: 32 }, (_, i) => 32 + i), longShare), 'cut in two runs, the first share would have the long half');
  assert.equal(contiguous[1], 32);
  const balanced = balancedShares(longShare, 2).map((s) => sum(s, longShare));
  assert.ok(Math.abs(balanced[0]! - balanced[1]!) <= 25, `dealt: ${balanced}`);
});

test('a share of chosen rows is those rows, in the order given; contiguous rows as a slice', () => {
  const b = randomBatch(new Rng(8), 6, 5, 4, 6, [1, 6, 2, 5, 3]);
  const picked = rowsOf(b, [3, 0]);
  assert.equal(picked.batch, 2);
  assert.deepEqual(Array.from(picked.steps), [5n, 1n]);
  assert.deepEqual(Array.from(picked.tokens), [...b.tokens.slice(12, 16), ...b.tokens.slice(0, 4)]);
  assert.deepEqual(Array.from(picked.targets), [...b.targets.slice(12, 16), ...b.targets.slice(0, 4)]);
  assert.deepEqual(Array.from(picked.mask), [...b.mask.slice(12, 16), ...b.mask.slice(0, 4)]);
  assert.deepEqual(rowsOf(b, [1, 2, 3]), shareOf(b, 1, 4));
});

test('a data-parallel step updates as one session does: loss, gradient norm, parameters and moments', async () => {
  const rng = new Rng(21);
  const start = initParams(config, () => rng.float());
  const one = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1 });
  // Three shares of 2-3 examples; the second runner's workers train theirs in pieces of one or two
  // examples (a budget of two rows' attention scores: 2 heads × 8² floats each).
  const shared = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1, dataParallel: { script: gradientWorkerScript(), workers: 3 } });
  const pieces = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1, dataParallel: { script: gradientWorkerScript(), workers: 3, pieceBytes: 2 * 4 * 2 * 8 * 8 } });
  try {
    // Examples of every T(n) up to the horizon, so each share sorts and drops its own rows.
    const batches = [randomBatch(rng, 6, 7, 8, 6, [1, 6, 2, 5, 3, 4, 6]), randomBatch(rng, 6, 7, 8, 6, [6, 1, 1, 2, 6, 3, 5])];
    for (const b of batches) {
      const a = await one.step(b, 3e-3);
      for (const runner of [shared, pieces]) {
        const c = await runner.step(b, 3e-3);
        assert.equal(c.step, a.step);
        assert.ok(Math.abs(a.loss - c.loss) <= 1e-5 * Math.abs(a.loss), `loss ${a.loss} vs ${c.loss}`);
        assert.ok(Math.abs(a.gradNorm - c.gradNorm) <= 1e-4 * a.gradNorm, `gradient norm ${a.gradNorm} vs ${c.gradNorm}`);
      }
    }
    const sa = one.getState();
    for (const sc of [shared.getState(), pieces.getState()]) {
      assert.ok(maxRelDiff(packParams(config, sc.params), packParams(config, sa.params)) < 1e-3, 'parameters');
      assert.ok(maxRelDiff(packParams(config, sc.m), packParams(config, sa.m)) < 1e-3, 'first moments');
      assert.ok(maxRelDiff(packParams(config, sc.v), packParams(config, sa.v)) < 1e-3, 'second moments');
      assert.notDeepEqual(packParams(config, sc.params), packParams(config, start), 'the steps moved the parameters');
    }
  } finally {
    await Promise.all([one.release(), shared.release(), pieces.release()]);
  }
});

test('batches wider than maxWidth, or with fewer examples than workers, run as one session', async () => {
  const rng = new Rng(22);
  const start = initParams(config, () => rng.float());
  const runner = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1, dataParallel: { script: gradientWorkerScript(), workers: 2, maxWidth: 4 } });
  const one = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1 });
  try {
    const wide = randomBatch(rng, 6, 4, 8, 6, [1, 6, 2, 5]);
    const single = randomBatch(rng, 6, 1, 4, 3, [3]);
    for (const b of [wide, single]) assert.deepEqual(await runner.step(b, 1e-3), await one.step(b, 1e-3)); // bit for bit: the same session kind
  } finally {
    await Promise.all([runner.release(), one.release()]);
  }
});

test('a worker that cannot start fails the step with its reason', async () => {
  const rng = new Rng(23);
  const pool = GradientPool.start(config, { script: '/nonexistent/gradient-worker.js', workers: 2 });
  try {
    await assert.rejects(pool.gradient(packParams(config, initParams(config, () => rng.float())), randomBatch(rng, 6, 2, 4, 3, [1, 3])), /gradient worker (failed|exited)/);
  } finally {
    await pool.release();
  }
});

test('a runner whose workers cannot start says why and trains as one session, as a one-session runner does', async () => {
  const rng = new Rng(24);
  const start = initParams(config, () => rng.float());
  const logs: string[] = [];
  const runner = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1, dataParallel: { script: '/nonexistent/gradient-worker.js', workers: 2 }, log: (l) => logs.push(l) });
  const one = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1 });
  try {
    for (const b of [randomBatch(rng, 6, 4, 8, 6, [1, 6, 2, 5]), randomBatch(rng, 6, 4, 8, 6, [3, 3, 6, 1])]) {
      assert.deepEqual(await runner.step(b, 1e-3), await one.step(b, 1e-3)); // bit for bit: the same session kind
    }
    const stopped = logs.filter((l) => l.startsWith('data-parallel training stopped'));
    assert.equal(stopped.length, 1, logs.join('\n'));
    assert.match(stopped[0]!, /^data-parallel training stopped \(gradient worker (failed|exited)[^)]*\): the run goes on as one session on 1 thread\(s\)$/);
  } finally {
    await Promise.all([runner.release(), one.release()]);
  }
});

test('a worker that dies mid-run: the step it was in, and every later one, runs as one session', async () => {
  const rng = new Rng(25);
  const start = initParams(config, () => rng.float());
  // The real worker, but its thread exits when its second share arrives (listeners run in the order added).
  const dying = path.join(tmpDir(), 'dying-gradient-worker.js');
  fs.writeFileSync(
    dying,
    `const { parentPort } = require('node:worker_threads');\nlet shares = 0;\nparentPort.on('message', (m) => { if (m.type === 'share' && ++shares === 2) process.exit(7); });\nrequire(${JSON.stringify(gradientWorkerScript())});\n`,
  );
  const logs: string[] = [];
  const runner = TrainStepRunner.create(config, start, { provider: 'cpu', cpuThreads: 1, dataParallel: { script: dying, workers: 2 }, log: (l) => logs.push(l) });
  try {
    const batches = [0, 1, 2].map(() => randomBatch(rng, 6, 4, 8, 6, [1, 6, 2, 5]));
    const first = await runner.step(batches[0]!, 1e-3);
    assert.deepEqual(logs.filter((l) => l.startsWith('data-parallel training stopped')), [], 'the first step shared');
    const one = TrainStepRunner.create(config, runner.getState(), { provider: 'cpu', cpuThreads: 1 });
    try {
      for (const b of batches.slice(1)) assert.deepEqual(await runner.step(b, 1e-3), await one.step(b, 1e-3), 'as one session from the shared step\'s state');
    } finally {
      await one.release();
    }
    assert.equal(first.step, 1);
    assert.deepEqual(logs.filter((l) => l.startsWith('data-parallel training stopped')), ['data-parallel training stopped (gradient worker exited (code 7)): the run goes on as one session on 1 thread(s)']);
  } finally {
    await runner.release();
  }
});
