// What Train Looped Model asks the worker to do, and the parsing of its input boxes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  defaultFinalEval, defaultModelPath, historyEveryFor, parseFinalEval, presetChoices, quickEvalEvery, recipeOf, trainingSetupOf, workerStartOptions,
} from '../../../src/extension/train/trainPlan';
import { optionalWholeNumber, wholeNumber } from '../../../src/extension/train/wholeNumberField';
import { getTask } from '../../../src/core/tasks';
import { checkpointPathFor } from '../../../src/core/train/trainingCheckpoint';
import { tmpDir } from './helpers';

test('default model path: task-preset.onnx, then -2, -3 once a finished model has the name', () => {
  const dir = tmpDir();
  assert.equal(defaultModelPath(dir, 'parity', 'cpu'), path.join(dir, 'parity-cpu.onnx'));
  fs.writeFileSync(path.join(dir, 'parity-cpu.onnx'), 'x');
  assert.equal(defaultModelPath(dir, 'parity', 'cpu'), path.join(dir, 'parity-cpu-2.onnx'));
  fs.writeFileSync(path.join(dir, 'parity-cpu-2.onnx'), 'x');
  assert.equal(defaultModelPath(dir, 'parity', 'cpu'), path.join(dir, 'parity-cpu-3.onnx'));
  // an unfinished run (checkpoint, no model) keeps its name so it can be resumed
  fs.writeFileSync(path.join(dir, 'copy-cpu.ckpt'), 'x');
  assert.equal(defaultModelPath(dir, 'copy', 'cpu'), path.join(dir, 'copy-cpu.onnx'));
  assert.equal(checkpointPathFor('/a/b/parity-cpu.onnx'), '/a/b/parity-cpu.ckpt');
});

test('final evaluation: the parity default is 10, 20, 30, 40 × 640; the input box syntax parses', () => {
  assert.deepEqual(defaultFinalEval(getTask('parity'), recipeOf({ task: 'parity', preset: 'cpu' })), { lengths: [10, 20, 30, 40], examples: 640 });
  assert.deepEqual(parseFinalEval('10,20, 30 x 640'), { lengths: [10, 20, 30], examples: 640 });
  assert.deepEqual(parseFinalEval('5 10 × 64'), { lengths: [5, 10], examples: 64 });
  assert.deepEqual(parseFinalEval('40'), { lengths: [40], examples: 640 });
  assert.deepEqual(parseFinalEval('3..5 x 8'), { lengths: [3, 4, 5], examples: 8 });
  assert.equal(parseFinalEval('none'), null);
  assert.throws(() => parseFinalEval('ten x 5'), /"ten" is not a positive whole number/);
  assert.throws(() => parseFinalEval('10 x 0'), /examples per length/);
});

test('a staged recipe is evaluated past its last stage, not past its first curriculum', () => {
  const addition = getTask('addition');
  const recipe = recipeOf({ task: 'addition', preset: 'cpu' });
  assert.ok(recipe.stages && recipe.curriculum.end - 1 < 24, 'the addition cpu preset trains in stages up to 24');
  assert.deepEqual(defaultFinalEval(addition, recipe).lengths, [12, 24, 27, 30]);
  const setup = trainingSetupOf({ task: 'addition', preset: 'cpu', modelPath: '/m/a.onnx', finalEval: null }, { provider: 'cpu' });
  assert.equal(setup.maxTrainLength, 24);
  assert.deepEqual(setup.quickEvalLengths, [24, 30]);
});

test('whole numbers as typed: empty is undefined or an error, separators read, bounds said with separators', () => {
  assert.equal(optionalWholeNumber('', 'steps', 1, 10), undefined);
  assert.equal(optionalWholeNumber(' 2_000 ', 'steps', 1, 5000), 2000);
  assert.equal(optionalWholeNumber('2,000', 'steps', 1, 5000), 2000);
  assert.throws(() => optionalWholeNumber('1.5', 'steps', 1, 10), /^Error: steps must be a whole number$/);
  assert.throws(() => optionalWholeNumber('0', 'steps', 1, 10_000_000), /^Error: steps must be between 1 and 10,000,000$/);
  assert.equal(wholeNumber('7', 'heads', 1, 64), 7);
  assert.throws(() => wholeNumber(' ', 'heads', 1, 64), /^Error: heads must be a whole number$/);
  assert.throws(() => wholeNumber('', 'steps', 1, 64, 2000), /^Error: steps must be a whole number, e\.g\. 2000$/);
});

test('worker options: a fresh run sends the recipe with the chosen steps and seed; a resume sends none', () => {
  const setup = trainingSetupOf({ task: 'parity', preset: 'cpu', steps: 30, seed: 4, modelPath: '/m/p.onnx', finalEval: { lengths: [5], examples: 8 } }, { provider: 'cpu' });
  assert.equal(setup.steps, 30);
  assert.equal(setup.maxTrainLength, 20);
  assert.deepEqual(setup.quickEvalLengths, [20, 40]);
  const fresh = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 0 }, false);
  assert.equal(fresh.recipe?.steps, 30);
  assert.equal(fresh.recipe?.seed, 4);
  assert.equal(fresh.resume, false);
  assert.equal(fresh.checkpointPath, '/m/p.ckpt');
  assert.equal(fresh.modelPath, '/m/p.onnx');
  assert.deepEqual(fresh.finalEval, { lengths: [5], examples: 8, batchSize: 64 });
  assert.deepEqual(fresh.quickEval, { every: 10, lengths: [20, 40], examples: 64 });
  assert.equal(fresh.cpuThreads, undefined);
  assert.equal('dataParallel' in fresh, false, 'one session unless the setting asks');
  assert.equal(workerStartOptions(setup, { provider: 'cpu', cpuThreads: 0, dataParallel: true }, false).dataParallel, true);
  const resume = workerStartOptions({ ...setup, preset: 'test-micro' }, { provider: 'auto', cpuThreads: 2 }, true);
  assert.equal(resume.recipe, undefined, 'a resume continues the checkpoint\'s own recipe, even one no preset makes');
  assert.equal(resume.resume, true);
  assert.equal(resume.cpuThreads, 2);
});

test('history and quick evaluation intervals scale with the run', () => {
  assert.equal(historyEveryFor(30), 5);
  assert.equal(historyEveryFor(100_001), 167);
  assert.equal(quickEvalEvery(30), 10);
  assert.equal(quickEvalEvery(6000), 500);
});

test('the preset list describes each recipe from the presets themselves', () => {
  const [tiny, cpu, paper] = presetChoices('parity');
  assert.equal(tiny!.preset, 'tiny');
  assert.equal(cpu!.preset, 'cpu');
  assert.match(cpu!.detail, /d = 64, 1 layer, 4 heads · 6,000 steps/);
  assert.match(paper!.detail, /d = 256, 1 layer, 64 heads · 100,001 steps · lr 0\.0001/);
  assert.match(paper!.description, /days on a CPU/);
});
