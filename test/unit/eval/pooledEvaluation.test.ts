// Evaluation on a pool of one-thread worker sessions gives one session's numbers exactly, for every
// rule and every part of the result, whatever the number of workers; it streams each length as it
// finishes, runs custom tasks, and fails (not hangs) on a model its workers cannot open.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateParams, EvaluationCancelled, ORACLE, PER_BATCH, PER_EXAMPLE, PER_EXAMPLE_VARIANTS, type EvaluateOptions, type EvaluateResult } from '../../../src/core/eval/evaluate';
import { loadModel } from '../../../src/core/model/modelFile';
import { initParams } from '../../../src/core/model/params';
import { taskFromRaspl } from '../../../src/core/programs/tasks/fromRaspl';
import { Rng } from '../../../src/core/util/rng';
import { SessionPool } from '../../../src/core/infer/sessionPool';
import { sessionWorkerScript } from '../../support/workerBundles';

const MODELS = path.join(__dirname, '../../../models');
sessionWorkerScript(); // the bundle evaluateParams finds (as `npm run build` makes it)

/** Everything a result holds but its wall time. */
function measured(r: EvaluateResult) {
  const { seconds, ...rest } = r;
  assert.ok(seconds >= 0);
  return { ...rest, report: r.report.toJSON() };
}

test('a pool of 2 or 3 workers measures what one session measures: every rule, calibration, positions, steps, failures', async () => {
  // the shipped copy model: its answer forms over the steps, so the chosen steps and the failures are measured, not given
  const copy = await loadModel(path.join(MODELS, 'copy.onnx'));
  const o: EvaluateOptions = { lengths: [5, 44], examples: 24, batchSize: 10, seed: 11, rules: [ORACLE, PER_BATCH, ...PER_EXAMPLE_VARIANTS], calibration: 24, positions: true, byStep: true, failures: true, provider: 'cpu', cpuThreads: 1 };
  for (const [calibrationScope, workers] of [['length', 3], ['batch', 2]] as const) {
    const one = measured(await evaluateParams(copy.task, copy.config, copy.params, { ...o, calibrationScope }));
    assert.ok(one.summary.rows.some((r) => r.oracle === 1) && one.summary.rows.some((r) => r.oracle < 1 || r.perBatch < 1 || r.perExample < 1), 'right and wrong answers to match');
    assert.ok((one.failures?.size ?? 0) >= 1, 'a failure to match');
    const progress: number[] = [];
    const pooled = await evaluateParams(copy.task, copy.config, copy.params, { ...o, calibrationScope, workers, onProgress: (p) => progress.push(p.done / p.total) });
    assert.deepEqual(measured(pooled), one, `${workers} workers, calibration per ${calibrationScope}`);
    assert.deepEqual(progress, Array.from({ length: 6 }, (_, i) => (i + 1) / 6), 'three batches (10, 10, 4) per length, in order');
  }
});

test('pooled: the case split, and each length streamed as it finishes, in the order asked (once however often asked)', async () => {
  const uniqueSet = await loadModel(path.join(MODELS, 'unique_set.onnx'));
  const o: EvaluateOptions = { lengths: [10, 4], examples: 24, batchSize: 8, seed: 3, rules: [ORACLE, PER_BATCH, PER_EXAMPLE], cases: true, provider: 'cpu', cpuThreads: 1 };
  const one = measured(await evaluateParams(uniqueSet.task, uniqueSet.config, uniqueSet.params, o));
  assert.equal(one.cases?.size, 2);
  const streamed: EvaluateResult[] = [];
  const pooled = await evaluateParams(uniqueSet.task, uniqueSet.config, uniqueSet.params, { ...o, lengths: [10, 4, 10], workers: 2, onLength: (r) => streamed.push(r) });
  assert.deepEqual(measured(pooled), one);
  assert.deepEqual(streamed.map((r) => r.summary.rows.map((row) => row.length)), [[10], [4]]);
  assert.deepEqual(streamed.map((r) => r.summary.rows[0]), [one.summary.rows[1], one.summary.rows[0]]);
  assert.deepEqual(streamed.map((r) => [...r.cases!.keys()]), [[10], [4]]);
});

test('pooled: a custom RASP-L task runs (its batches are drawn here, only the graph runs in the workers)', async () => {
  const task = taskFromRaspl(fs.readFileSync(path.join(MODELS, 'tasks/parity.raspl'), 'utf8'), 'my-parity.raspl');
  const config = { vocabSize: task.vocabSize, d: 16, layers: 1, heads: 2, readIn: 'linear' as const, inputInjection: true };
  const rng = new Rng(5);
  const params = initParams(config, () => rng.float());
  const o: EvaluateOptions = { lengths: [4, 7], examples: 20, batchSize: 8, seed: 2, rules: [ORACLE, PER_BATCH, PER_EXAMPLE], byStep: true, provider: 'cpu', cpuThreads: 1 };
  assert.deepEqual(measured(await evaluateParams(task, config, params, { ...o, workers: 2 })), measured(await evaluateParams(task, config, params, o)));
});

test('pooled: a model the workers cannot open fails the evaluation, and a cancelled one stops', async () => {
  const copy = await loadModel(path.join(MODELS, 'copy.onnx'));
  const o: EvaluateOptions = { lengths: [5, 9], examples: 32, batchSize: 8, provider: 'cpu', workers: 2 };
  await assert.rejects(evaluateParams(copy.task, copy.config, {}, o), /parameters: missing readIn.weight/);
  const abort = new AbortController();
  await assert.rejects(evaluateParams(copy.task, copy.config, copy.params, { ...o, signal: abort.signal, onProgress: (p) => p.done === 2 && abort.abort() }), EvaluationCancelled);
});

test('a session pool runs requests side by side on its workers and refuses a bad request', async () => {
  const copy = await loadModel(path.join(MODELS, 'copy.onnx'));
  const pool = SessionPool.start(sessionWorkerScript(), copy.config, copy.params, 2);
  try {
    assert.equal(pool.parallelism, 2);
    const tokens = BigInt64Array.from({ length: 3 * 12 }, (_, i) => BigInt(i % 4));
    const runs = await Promise.all([1, 2, 3].map((steps) => pool.run(tokens, 3, 12, steps)));
    assert.deepEqual(runs.map((r) => r.data.length), [1, 2, 3].map((steps) => steps * 3 * 12 * copy.config.vocabSize));
    assert.deepEqual(runs[2]!.data.subarray(0, runs[0]!.data.length), runs[0]!.data, 'step 1 reads the same in every run');
    await assert.rejects(pool.run(tokens, 2, 12, 1), /expected batch\*width = 24/);
  } finally {
    await pool.release();
  }
});

test('a session pool released while its workers are still opening their sessions waits for them, then stops cleanly', async () => {
  // A worker stopped as ONNX Runtime finished opening its session took the process down (a one-batch
  // evaluation on two workers, the second still opening): released at points around that moment.
  const addition = await loadModel(path.join(MODELS, 'addition.onnx'));
  const start = () => SessionPool.start(sessionWorkerScript(), addition.config, addition.params, 2);
  const t0 = performance.now();
  const first = start();
  await first.opened;
  const opening = performance.now() - t0;
  await first.release();
  for (const share of [0, 0.5, 0.7, 0.8, 0.85, 0.9, 0.95, 1, 1.05, 1.1]) {
    const pool = start();
    await new Promise((r) => setTimeout(r, share * opening));
    await pool.release();
  }
  const pool = start();
  const tokens = BigInt64Array.from({ length: 12 }, () => 0n);
  const one = pool.run(tokens, 1, 12, 1);
  await pool.release();
  assert.equal((await one).batch, 1, 'a run taken before the release finishes');
  await assert.rejects(pool.run(tokens, 1, 12, 1), /released/);
});
