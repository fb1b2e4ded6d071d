// Going on from a run's checkpoint with other later stages, from VS Code (the CLI's --resume-from):
// the recipe page opened on the checkpoint's recipe with only what may change editable, its checks,
// and the plan through the real training worker to a new run that keeps the checkpoint as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { train } from '../../../src/core/train/trainer';
import type { RecipeStage, TrainRecipe } from '../../../src/core/train/recipe';
import type { ForkPoint } from '../../../src/core/train/forkRecipe';
import { checkpointPathFor, readRunState } from '../../../src/core/train/trainingCheckpoint';
import { getTask } from '../../../src/core/tasks';
import { checkForm, formOf } from '../../../src/extension/train/recipeForm';
import { FORK_STEPS_PAST_FINISHED, forkModelPath, forkPlanOf } from '../../../src/extension/train/forkPlan';
import { forkStartOptions, recipeOf, resumeSetupOf, trainingSetupOf } from '../../../src/extension/train/trainPlan';
import { TrainingRun } from '../../../src/extension/train/trainingRun';
import { microParity } from '../../support/tinyRecipes';
import { sourceTrainingWorker, tmpDir } from './helpers';

/** microParity (lengths 1..5) with stages; the rows and loop steps hold the longest stage. */
function staged(steps: number, stages: RecipeStage[]): TrainRecipe {
  const end = Math.max(6, ...stages.map((s) => s.maxLength + 1));
  const task = getTask('parity');
  return { ...microParity(steps), stages, width: task.rowWidth(end), horizon: task.horizon(end) };
}

const planned = staged(16, [
  { fromStep: 8, maxLength: 5, lr: 2e-3 },
  { fromStep: 12, maxLength: 6, lr: 1e-3 },
]);
const runtime = { provider: 'cpu' as const, cpuThreads: 1 };

test("the page on a checkpoint: its recipe, a new model beside it, and checks that keep the run's past", () => {
  const dir = tmpDir();
  const fork: ForkPoint = { checkpointPath: path.join(dir, 'run-step12.ckpt'), step: 12, recipe: planned };
  const plan = forkPlanOf(fork);
  assert.equal(plan.modelPath, path.join(dir, 'run-from12.onnx'));
  const form = formOf(plan);
  assert.equal(form.stages, '8:5:0.002, 12:6:0.001');
  assert.deepEqual([form.preset, form.steps, form.d, form.interval], ['test-micro', '16', '16', '5'], "the checkpoint's own recipe");

  const same = checkForm(plan, form);
  assert.deepEqual(same.preview.errors, {});
  assert.deepEqual(recipeOf(same.plan!), planned, 'unchanged, the recipe is the checkpoint’s');
  assert.match(same.preview.summary.find((r) => r.label === 'goes on from')?.value ?? '', /^run-step12\.ckpt at step 12, as a run of its own/);
  const setup = trainingSetupOf(same.plan!, runtime);
  assert.equal(setup.forkedFrom, 'run-step12.ckpt at step 12');
  assert.equal(setup.preset, 'test-micro');

  const later = checkForm(plan, { ...form, steps: '20', stages: '8:5:0.002, 12:7:0.0005:long=0.5', d: '999', lr: 'x' });
  assert.deepEqual(later.preview.errors, {}, 'the greyed fields are never read');
  const r = recipeOf(later.plan!);
  assert.deepEqual([r.steps, r.model.d, r.stages?.at(-1)], [20, 16, { fromStep: 12, maxLength: 7, lr: 5e-4, longShare: 0.5 }]);
  assert.equal(r.width, getTask('parity').rowWidth(8), 'the rows follow the new last stage');
  const start = forkStartOptions(trainingSetupOf(later.plan!, runtime), runtime, r, fork.checkpointPath);
  assert.deepEqual([start.resume, start.resumeFrom, start.recipe?.steps, start.checkpointPath], [true, fork.checkpointPath, 20, checkpointPathFor(plan.modelPath)]);

  const errorsOf = (change: Partial<typeof form>) => checkForm(plan, { ...form, ...change }).preview.errors;
  assert.match(errorsOf({ stages: '8:4:0.002, 12:7' }).stages ?? '', /stages begun before step 12 are the run's past/);
  assert.match(errorsOf({ stages: 'none' }).stages ?? '', /the run's past/);
  assert.match(errorsOf({ steps: '12' }).steps ?? '', /has trained 12 steps/);
  assert.match(errorsOf({ saveAt: '10' }).saveAt ?? '', /step 10 is not after the checkpoint's \(12\)/);
  assert.match(errorsOf({ averageFrom: '4' }).averageFrom ?? '', /would begin at step 4, before the checkpoint's step 12/);
  assert.deepEqual(errorsOf({ averageFrom: '14' }), {}, 'an average not yet begun may be added');
  assert.match(errorsOf({ output: path.join(dir, 'run-step12.onnx') }).output ?? '', /that is the run it goes on from/);
  fs.writeFileSync(path.join(dir, 'run-from12.ckpt'), 'taken');
  assert.equal(forkModelPath(fork), path.join(dir, 'run-from12-2.onnx'), "a name whose checkpoint is taken is another run's");
  assert.match(errorsOf({ output: path.join(dir, 'run-from12.onnx') }).output ?? '', /already holds a run's checkpoint/);
  assert.equal(checkForm(plan, { ...form, steps: '12' }).plan, undefined);

  // a finished run's checkpoint opens with steps to train
  assert.equal(forkPlanOf({ ...fork, step: 16 }).steps, 16 + FORK_STEPS_PAST_FINISHED);
  // "Resume Training" on the fork's own checkpoint still says where it went on from
  assert.equal(resumeSetupOf(planned, '/ws/f.ckpt', runtime, { forks: [{ checkpoint: 'runs/a/run-step12.ckpt', step: 12 }] }).forkedFrom, 'run-step12.ckpt at step 12');
});

test('a fork through the real worker: a new run from the checkpoint with another last stage, the checkpoint left as it was, the fork on the record', async () => {
  const dir = tmpDir();
  await train({ recipe: planned, checkpointPath: path.join(dir, 'run.ckpt'), saveAt: [12], cpuThreads: 1 });
  const from = path.join(dir, 'run-step12.ckpt');
  const before = fs.readFileSync(from);
  const plan = forkPlanOf({ checkpointPath: from, step: 12, recipe: (await readRunState(from)).recipe });
  const { plan: chosen } = checkForm(plan, { ...formOf(plan), steps: '18', stages: '8:5:0.002, 12:7:0.0005', finalEval: 'none' });
  assert.ok(chosen);
  const setup = trainingSetupOf(chosen, runtime);
  const start = { ...forkStartOptions(setup, runtime, recipeOf(chosen), from), progressIntervalMs: 0 };
  const s = await new TrainingRun({ worker: sourceTrainingWorker, start, setup, log: () => undefined }).finished;
  assert.equal(s.status, 'finished', JSON.stringify(s.error));
  assert.equal(s.setup.forkedFrom, 'run-step12.ckpt at step 12');
  const record = (await loadModel(chosen.modelPath)).metadata.training;
  assert.deepEqual(record.forks, [{ checkpoint: 'run-step12.ckpt', step: 12 }]);
  assert.equal(record.stepsCompleted, 18);
  assert.deepEqual(fs.readFileSync(from), before, 'the checkpoint it went on from is unchanged');
  assert.equal((await readRunState(setup.checkpointPath)).opt.step, 18, 'the new run wrote its own checkpoint');

  // the worker refuses to write over a run's checkpoint, and a fork of a run's own checkpoint
  const again = await new TrainingRun({ worker: sourceTrainingWorker, start, setup, log: () => undefined }).finished;
  assert.equal(again.status, 'failed');
  assert.match(again.error?.message ?? '', /already holds a run's checkpoint/);
  const own = await new TrainingRun({ worker: sourceTrainingWorker, start: { ...start, resumeFrom: setup.checkpointPath }, setup, log: () => undefined }).finished;
  assert.match(own.error?.message ?? '', /is the run's own checkpoint/);
});
