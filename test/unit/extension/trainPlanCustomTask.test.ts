// "Train Looped Model" with your own .raspl task: the plan, the panel's setup and the worker's recipe carry the program.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { recipeOf, trainingSetupOf, workerStartOptions, type TrainPlan } from '../../../src/extension/train/trainPlan';

const source = fs.readFileSync(path.join(__dirname, '../../../models/tasks/parity.raspl'), 'utf8');

test('a custom-task plan trains with the cpu preset and hands the source to the worker', () => {
  const plan: TrainPlan = { task: 'parity-raspl', taskFile: { file: 'mine.raspl', source }, preset: 'cpu', modelPath: '/tmp/x/parity-raspl-cpu.onnx', finalEval: null };
  const recipe = recipeOf(plan);
  assert.equal(recipe.task, 'parity-raspl');
  assert.deepEqual(recipe.taskFile, { file: 'mine.raspl', source });
  const setup = trainingSetupOf(plan, { provider: 'cpu' });
  assert.equal(setup.taskTitle, 'parity (mine.raspl)');
  assert.equal(setup.maxTrainLength, 20, '@lengths n in 1..20');
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false);
  assert.deepEqual(start.recipe?.taskFile, { file: 'mine.raspl', source });
  assert.equal(workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, true).recipe, undefined, 'a resume runs the checkpoint\'s recipe');
  assert.throws(() => recipeOf({ ...plan, task: 'other' }), /defines the task "parity-raspl", but this was made for "other"/);
});
