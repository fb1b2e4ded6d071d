// The fixed-depth baseline as a task: every row read at the fixed step, the same rows as the task's
// own, and a recipe with fixedSteps trains, shapes and validates at that depth.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeEvalBatch, makeTrainingBatch } from '../../../src/core/tasks/batches';
import { fixedDepthTask } from '../../../src/core/tasks/fixedDepth';
import { getTask, TaskInputError } from '../../../src/core/tasks';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { batchShape, recipeTask, RecipeError, validateRecipe } from '../../../src/core/train/recipe';
import { Rng } from '../../../src/core/util/rng';

test('training batches of a fixed-depth task read every example at the fixed step, on the same rows', () => {
  const parity = getTask('parity');
  const fixed = fixedDepthTask(parity, 12);
  const plain = makeTrainingBatch(parity, new Rng(4), { batchSize: 32, nPoints: 21 });
  const b = makeTrainingBatch(fixed, new Rng(4), { batchSize: 32, nPoints: 21 });
  assert.deepEqual(b.tokens, plain.tokens, 'the same seed gives the same rows');
  assert.deepEqual(b.targets, plain.targets);
  assert.ok(new Set(plain.steps).size > 3, 'the plain batch reads at mixed T(n)');
  assert.deepEqual([...b.steps], Array(32).fill(12n));
  assert.equal(b.horizon, 12);
  // Longer inputs than the depth too: the baseline reads n = 20 at step 12.
  assert.ok(b.lengths.some(([n]) => n! > 12));
});

test('a fixed-depth task: T(n), the adaptive budget and typed inputs all use the depth; lengths are still checked', () => {
  const add = fixedDepthTask(getTask('addition'), 9);
  assert.equal(add.fixedSteps, 9);
  assert.equal(add.steps([30]), 9);
  assert.equal(add.maxSteps([3]), 9 + add.adaptiveExtraSteps);
  assert.equal(add.fromText('1110+0101').steps, 9);
  const ev = makeEvalBatch(add, new Rng(1), [30], 4);
  assert.deepEqual([...ev.steps], [9n, 9n, 9n, 9n]);
  assert.equal(ev.horizon, 9 + add.adaptiveExtraSteps);
  assert.throws(() => add.steps([0]), TaskInputError);
  assert.equal(fixedDepthTask(add, 9), add, 'the same depth again is the same task');
  assert.throws(() => fixedDepthTask(add, 10), /already read at a fixed depth of 9/);
  for (const bad of [0, -3, 2.5, 1e9]) assert.throws(() => fixedDepthTask(getTask('copy'), bad), /fixed depth must be an integer number of loop steps in 1\.\.10000/);
});

test('a recipe with fixedSteps: horizon = the depth in every batch shape, the trainer reads at it, bad depths refused', () => {
  const r = makeRecipe('parity', 'tiny', { fixedSteps: 7, steps: 200 });
  assert.equal(r.fixedSteps, 7);
  assert.equal(r.horizon, 7);
  for (const nPoints of [2, 6, 11]) assert.equal(batchShape(r, nPoints).horizon, 7, `n_points ${nPoints}`);
  const b = makeTrainingBatch(recipeTask(r), new Rng(0), { batchSize: 8, nPoints: 11 });
  assert.deepEqual([...b.steps], Array(8).fill(7n));
  // Without it: T(n) per example, as before.
  const plain = makeRecipe('parity', 'tiny', { steps: 200 });
  assert.equal(plain.fixedSteps, undefined);
  assert.equal(recipeTask(plain).fixedSteps, undefined);
  assert.throws(() => validateRecipe({ ...r, fixedSteps: 0 }), (e: Error) => e instanceof RecipeError && /fixed depth must be/.test(e.message));
  assert.throws(() => validateRecipe({ ...r, horizon: 6 }), /horizon 6 is shorter than the longest example's T\(n\) = 7/);
});
