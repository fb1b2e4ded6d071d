// The recipe page's Estimate Time, as the extension runs it: the real estimate worker (through tsx)
// times a run's steps kind of batch by kind of batch and projects it, as `looplens train --estimate`;
// a bad recipe or a worker that dies is a failure in words; Cancel reports nothing more; and the page
// and the worker are held to their protocols.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { costPoints, ESTIMATE_SPREAD } from '../../../src/core/train/runCost';
import { validateMessage } from '../../../src/extension/panels/messageValidation';
import { recipeMessages } from '../../../src/extension/panels/panelMessages';
import { applyEstimateMessage, RecipeEstimateRun } from '../../../src/extension/train/recipeEstimate';
import { parseEstimateOutbound } from '../../../src/extension/train/estimateWorkerMessages';
import { formOf } from '../../../src/extension/train/recipeForm';
import type { TrainRecipe } from '../../../src/core/train/recipe';
import type { RecipeEstimate } from '../../../src/protocol/recipe';
import { microParity } from '../../support/tinyRecipes';

const root = path.resolve(__dirname, '../../..');
const worker = { script: 'src/extension/train/estimateWorker.ts', execArgv: ['--import', 'tsx'], cwd: root };

function estimate(recipe: TrainRecipe, extra: { onUpdate?: (e: RecipeEstimate) => void; script?: string } = {}) {
  const seen: RecipeEstimate[] = [];
  const run = new RecipeEstimateRun({
    worker: { ...worker, script: extra.script ?? worker.script },
    start: { recipe, provider: 'cpu', cpuThreads: 1 },
    onUpdate: (e) => {
      seen.push(e);
      extra.onUpdate?.(e);
    },
  });
  return { run, seen };
}

test("Estimate Time: each kind of batch timed in turn, then the run's wall and CPU time projected over its steps", async () => {
  const recipe: TrainRecipe = { ...microParity(60), stages: [{ fromStep: 40, maxLength: 5, lr: 1e-3, longShare: 0.5 }] };
  const { run, seen } = estimate(recipe);
  assert.equal(run.running, true);
  const last = await run.finished;
  assert.equal(run.running, false);
  const total = costPoints(recipe, ESTIMATE_SPREAD).length;
  const timing = seen.filter((e) => e.status === 'timing');
  assert.deepEqual(timing.map((e) => e.status === 'timing' && e.done), Array.from({ length: total }, (_, i) => i + 1), 'one update per point, in order');
  assert.equal(last?.status, 'done');
  assert.equal(run.state, last, 'the estimate kept for a page shown again');
  if (last?.status !== 'done') return;
  assert.equal(last.points.length, total);
  assert.match(last.points.at(-1)!, /^stage 1: lengths 1\.\.5 \(0\.5 of each batch at 5\), width \d+, horizon \d+: cpu \d+ ms\/step, wall \d+ ms\/step$/);
  assert.ok(last.cpuSeconds > 0 && last.wallSeconds > 0);
  assert.match(last.headline, /^about \d+ s of wall time \(\d+ s of CPU time\) on 1 thread\(s\), at load average \d+\.\d$/);
  assert.match(last.projection, /^projected run: .+ of CPU time for 60 steps on 1 thread\(s\) \(.+ while the curriculum grows, .+ at its full length, .+ in its stages\), .+ of wall time at the timed steps' pace; checkpoints and evaluations not counted$/);
});

test('Estimate Time: a recipe the worker refuses is a failure that says why; a worker that cannot start is one too', async () => {
  const bad = estimate({ ...microParity(10), batchSize: 0 });
  const failed = await bad.run.finished;
  assert.equal(failed?.status, 'failed');
  assert.match(failed?.status === 'failed' ? failed.message : '', /batch/i);
  const missing = estimate(microParity(10), { script: 'src/extension/train/no-such-worker.ts' });
  const gone = await missing.run.finished;
  assert.equal(gone?.status, 'failed');
  assert.match(gone?.status === 'failed' ? gone.message : '', /^the timing process stopped \(exit code \d+\)/);
});

test('Estimate Time cancelled (the form changed, the page closed): the worker stops and nothing more is reported', async () => {
  let cancelledAt = -1;
  const holder: { run?: RecipeEstimateRun } = {};
  const { run, seen } = estimate(microParity(60), {
    onUpdate: (e) => {
      if (e.status === 'timing' && e.done === 1 && cancelledAt < 0) {
        cancelledAt = seen.length;
        holder.run!.cancel();
      }
    },
  });
  holder.run = run;
  assert.equal(await run.finished, undefined);
  assert.equal(seen.length, cancelledAt, 'no update after Cancel');
});

test("the estimate's messages: the worker's lines and the page's request are checked; each folds into what the page shows", () => {
  assert.throws(() => parseEstimateOutbound({ type: 'point', done: 3, total: 2, text: 'x' }), /done 3 is more than total 2/);
  assert.throws(() => parseEstimateOutbound({ type: 'result', text: 'x', cpuSeconds: -1, wallSeconds: 1, threads: '1 thread(s)', loadAverage: 0 }), /cpuSeconds/);
  assert.throws(() => parseEstimateOutbound({ type: 'nope' }), /unknown/);
  const timing: RecipeEstimate = { status: 'timing', done: 1, total: 2, points: ['a'] };
  assert.deepEqual(applyEstimateMessage(timing, { type: 'point', done: 2, total: 2, text: 'b' }), { status: 'timing', done: 2, total: 2, points: ['a', 'b'] });
  assert.deepEqual(applyEstimateMessage(timing, { type: 'result', text: 'projected run: …', cpuSeconds: 12600, wallSeconds: 7560, threads: '2 thread(s)', loadAverage: 0.42 }), {
    status: 'done',
    points: ['a'],
    cpuSeconds: 12600,
    wallSeconds: 7560,
    headline: 'about 2.1 h of wall time (3.5 h of CPU time) on 2 thread(s), at load average 0.4',
    projection: 'projected run: …',
  });
  assert.deepEqual(applyEstimateMessage(timing, { type: 'error', message: 'no' }), { status: 'failed', message: 'no' });
  assert.equal(applyEstimateMessage(timing, { type: 'log', message: 'x' }), timing);
  const form = formOf({ task: 'parity', preset: 'cpu', modelPath: '/ws/models/parity-cpu.onnx', finalEval: null });
  assert.equal(validateMessage(recipeMessages, { type: 'estimate', form }).ok, true);
  assert.equal(validateMessage(recipeMessages, { type: 'estimate', form: { ...form, steps: 6000 } as unknown as typeof form }).ok, false, 'a form of strings only');
  assert.equal(validateMessage(recipeMessages, { type: 'estimate' }).ok, false);
});
