// The Evaluate command's batch shrinks to what fits the memory budget instead of the worker refusing
// a long length it could evaluate in smaller batches.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PANEL_BATCH, panelBatchSize, panelRunner, panelWorkers } from '../../../src/extension/evaluate/panelBatch';
import { CALIBRATION_EXAMPLES } from '../../../src/core/eval/calibration';
import { checkEvaluationBudget, evaluationRunsAtOnce, workersWithinBudget } from '../../../src/core/eval/evalLimits';
import type { LoopedConfig } from '../../../src/core/model/config';
import { getTask } from '../../../src/core/tasks';

// the shipped addition model's shape
const addition: LoopedConfig = { vocabSize: 6, d: 64, layers: 3, heads: 32, readIn: 'linear', inputInjection: true };

test('the paper\'s lengths evaluate in batches of 64; a long one in the largest batch that fits', () => {
  const task = getTask('addition');
  assert.equal(panelBatchSize(task, addition, [19, 30, 38], 6400, 1), PANEL_BATCH);
  const long = [10, 200];
  const shape = (batchSize: number) => ({ lengths: long, examples: 6400, batchSize, calibration: CALIBRATION_EXAMPLES });
  assert.throws(() => checkEvaluationBudget(task, addition, shape(PANEL_BATCH)), /use a smaller batch/, 'a batch of 64 at n = 200 is over the budget');
  const b = panelBatchSize(task, addition, long, 6400, 1);
  assert.ok(b >= 1 && b < PANEL_BATCH, `batch ${b}`);
  assert.doesNotThrow(() => checkEvaluationBudget(task, addition, shape(b)));
  assert.throws(() => checkEvaluationBudget(task, addition, shape(b + 1)), /use a smaller batch/, 'the largest that fits');
  // not even one example: a batch of 1, which the worker refuses with the length that does not fit
  assert.equal(panelBatchSize(task, { ...addition, d: 1024 }, [500], 256, 1), 1);
});

test('with workers sharing the batches, the batch fits the budget with all of them in flight', () => {
  const task = getTask('addition');
  const long = [10, 200];
  const one = panelBatchSize(task, addition, long, 6400, 1);
  const two = panelBatchSize(task, addition, long, 6400, 2);
  assert.ok(two >= 1 && two < one, `${two} against ${one}`);
  const shape = { lengths: long, examples: 6400, batchSize: two, calibration: CALIBRATION_EXAMPLES, runsAtOnce: evaluationRunsAtOnce(2) };
  assert.doesNotThrow(() => checkEvaluationBudget(task, addition, shape));
  assert.throws(() => checkEvaluationBudget(task, addition, { ...shape, batchSize: two + 1 }), /use a smaller batch/);
  // an evaluation asked for more workers than its batches fit runs on fewer, down to one session
  assert.equal(workersWithinBudget(task, addition, { ...shape, batchSize: one }, 3), 1);
  assert.equal(workersWithinBudget(task, addition, shape, 3), 2);
  assert.equal(workersWithinBudget(task, addition, { ...shape, lengths: [10, 30], batchSize: 8 }, 3), 3);
  assert.throws(() => workersWithinBudget(task, addition, shape, 0), /positive whole number/);
  assert.equal(panelWorkers(3), 1, 'threads set: one session on them');
  assert.ok(panelWorkers(0) >= 1);
});

test("the evaluation runner follows the settings: one-thread workers unless the threads are fixed", () => {
  const shared = panelRunner({ executionProvider: 'auto', cpuThreads: 0 });
  assert.deepEqual(shared, { provider: 'auto', cpuThreads: undefined, workers: panelWorkers(0) });
  assert.deepEqual(panelRunner({ executionProvider: 'cpu', cpuThreads: 3 }), { provider: 'cpu', cpuThreads: 3, workers: 1 });
});
