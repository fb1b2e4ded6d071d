// Evaluation shared out to worker threads gives evaluateParams's numbers exactly (oracle, the paper's
// rule and its step, the length-calibrated rule), whatever the number of workers and however the
// batches fall to them; a task the workers cannot rebuild, or a model they cannot open, is an error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { EvalPool } from '../../../src/core/eval/evalPool';
import { evaluateParams, ORACLE, PER_BATCH } from '../../../src/core/eval/evaluate';
import { loadModel } from '../../../src/core/model/modelFile';
import { evalShareWorkerScript } from '../../support/workerBundles';

const MODELS = path.join(__dirname, '../../../models');

test('a pool of workers measures what one evaluation measures, to the last example, for lengths, batches and calibration', async () => {
  // the shipped copy model: its answer forms over the steps, so the paper's step and the calibrated step are chosen, not given
  const copy = await loadModel(path.join(MODELS, 'copy.onnx'));
  const o = { lengths: [5, 19, 12], examples: 40, batchSize: 16, seed: 11, calibration: 24 };
  const one = await evaluateParams(copy.task, copy.config, copy.params, { ...o, rules: [ORACLE, PER_BATCH], calibrationScope: 'length', provider: 'cpu', cpuThreads: 1 });
  for (const workers of [1, 2, 3]) {
    const pool = EvalPool.start(evalShareWorkerScript(), copy.task, copy.config, copy.params, workers);
    try {
      const seen: number[] = [];
      const rows = await pool.measure({ ...o, onProgress: (p) => seen.push(p.done / p.total) });
      assert.deepEqual(
        rows.map((r) => [r.length, r.examples, r.oracleStep, r.oracle, r.paper, r.paperStep, r.calibrated, r.calibratedStep]),
        one.summary.rows.map((r) => [r.length, r.examples, r.oracleStep, r.oracle, r.perBatch, r.perBatchStep, r.calibrated, r.calibratedStep]),
        `${workers} worker(s)`,
      );
      assert.equal(seen.length, 3 * (1 + 3), 'a calibration and three batches (16, 16, 8) per length');
      assert.equal(seen.at(-1), 1);
    } finally {
      await pool.release();
    }
  }
  assert.ok(one.summary.rows.some((r) => r.oracle > 0.9) && one.summary.rows.some((r) => r.perBatchStep !== r.oracleStep || r.calibratedStep !== r.oracleStep || r.oracle < 1), 'the comparison has right and wrong answers or a chosen step to match');
});

test('the pool refuses a task its workers cannot rebuild, and a model they cannot open fails every request instead of hanging', async () => {
  const copy = await loadModel(path.join(MODELS, 'copy.onnx'));
  const custom = { ...copy.task, name: 'my_task', raspl: {} }; // a RASP-L task: its program lives in the main thread
  assert.throws(() => EvalPool.start(evalShareWorkerScript(), custom as never, copy.config, copy.params, 1), /built-in tasks; my_task is not one/);
  const broken = EvalPool.start(evalShareWorkerScript(), copy.task, copy.config, {}, 2);
  try {
    await assert.rejects(broken.measure({ lengths: [5], examples: 8, batchSize: 4, seed: 1, calibration: 0 }), /parameters: missing readIn.weight/);
  } finally {
    await broken.release();
  }
});
