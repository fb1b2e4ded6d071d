// A fine-tuning run (TrainRecipe.initFrom): it starts from the given weights, refuses weights that
// are not the recorded ones, resumes from its checkpoint like any run, and a model's task, depth
// rule and shape decide what may start from it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { train } from '../../../src/core/train/trainer';
import { RecipeError, validateRecipe, type TrainRecipe } from '../../../src/core/train/recipe';
import { startingPointConflicts, startingPointOf } from '../../../src/core/train/fineTune';
import { parseModel, modelFileBytes, weightsCrc32 } from '../../../src/core/model/modelFile';
import { getTask } from '../../../src/core/tasks';
import type { Params } from '../../../src/core/model/params';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';

const maxDiff = (a: Params, b: Params) => Math.max(...Object.keys(a).map((k) => a[k]!.reduce((m, v, i) => Math.max(m, Math.abs(v - b[k]![i]!)), 0)));

/** A 12-step micro parity run, and a fine-tuning recipe that starts from its weights. */
async function startAndRecipe(steps: number, lr: number): Promise<{ start: Params; recipe: TrainRecipe }> {
  const first = await train({ recipe: microParity(12), cpuThreads: 1 });
  const base = microParity(steps, 7);
  const recipe: TrainRecipe = { ...base, schedule: { kind: 'constant', lr, holdSteps: 0 }, initFrom: { model: 'first.onnx', weightsCrc32: weightsCrc32(base.model, first.params), stepsBefore: 12 } };
  return { start: first.params, recipe };
}

test('a fine-tuning run starts from the given weights, not from its seed', async () => {
  const { start, recipe } = await startAndRecipe(1, 1e-9);
  const tuned = await train({ recipe, initParams: start, cpuThreads: 1 });
  assert.ok(maxDiff(tuned.params, start) < 1e-5, `one step at lr 1e-9 moves the weights by ${maxDiff(tuned.params, start)}`);
  const { initFrom: _, ...scratch } = recipe;
  const fresh = await train({ recipe: scratch, cpuThreads: 1 });
  assert.ok(maxDiff(fresh.params, start) > 0.01, 'the same recipe from scratch starts elsewhere');
  assert.deepEqual(tuned.recipe.initFrom, recipe.initFrom, 'the result carries where it started');
});

test('a fine-tuning run refuses missing, unrecorded, other or misshapen weights', async () => {
  const { start, recipe } = await startAndRecipe(2, 1e-3);
  await assert.rejects(train({ recipe }), (e: Error) => e instanceof RecipeError && /starts from the weights of first\.onnx, and none were given/.test(e.message));
  const { initFrom: _, ...scratch } = recipe;
  await assert.rejects(train({ recipe: scratch, initParams: start }), /the recipe does not record where they come from \(initFrom\)/);
  const other = Object.fromEntries(Object.entries(start).map(([k, v]) => [k, v.map((x) => x + 1e-3)]));
  await assert.rejects(train({ recipe, initParams: other }), /not those of first\.onnx that the recipe records \(CRC-32 \d+ against \d+\)/);
  const { ['readOut.bias']: _bias, ...missing } = start;
  await assert.rejects(train({ recipe, initParams: missing }), /the weights of first\.onnx: missing readOut\.bias/);
});

test('a fine-tuning run resumes from its checkpoint without the weights again, exactly as an uninterrupted one', async () => {
  const { start, recipe } = await startAndRecipe(10, 1e-3);
  const straight = await train({ recipe, initParams: start, cpuThreads: 1 });
  const ckpt = path.join(tmpDir(), 'ft.ckpt');
  const abort = new AbortController();
  const first = await train({ recipe, initParams: start, checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 4 && abort.abort() });
  assert.equal(first.status, 'cancelled');
  const rest = await train({ checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  assert.equal(rest.step, 10);
  assert.deepEqual(rest.recipe.initFrom, recipe.initFrom);
  assert.equal(maxDiff(rest.params, straight.params), 0);
});

test('validateRecipe checks initFrom: a name, a CRC-32, a step count', () => {
  const r = microParity();
  const bad = (initFrom: unknown, re: RegExp) => assert.throws(() => validateRecipe({ ...r, initFrom } as TrainRecipe), re);
  bad({ model: '', weightsCrc32: 1 }, /initFrom needs the model file's name \(1 to 200 characters\)/);
  bad({ model: 'x'.repeat(201), weightsCrc32: 1 }, /initFrom needs the model file's name/);
  bad({ model: 'm.onnx', weightsCrc32: 2 ** 32 }, /initFrom\.weightsCrc32 must be a CRC-32/);
  bad({ model: 'm.onnx', weightsCrc32: '1' }, /initFrom\.weightsCrc32 must be a CRC-32/);
  bad({ model: 'm.onnx', weightsCrc32: 1, stepsBefore: -1 }, /initFrom\.stepsBefore must be a non-negative integer/);
  assert.doesNotThrow(() => validateRecipe({ ...r, initFrom: { model: 'm.onnx', weightsCrc32: 0 } }));
});

test("a model's starting point: its CRC-32 and steps, its shape; a recipe of another task, depth or shape conflicts in words", async () => {
  const r = microParity(3);
  const trained = await train({ recipe: r, cpuThreads: 1 });
  const training = { preset: r.preset, recipe: r as unknown as Record<string, unknown>, stepsCompleted: 3, seed: r.seed, elapsedSeconds: 1, finalLoss: null, provider: 'cpu', finishedAt: '2026-12-03T00:00:00Z', lossCurve: [] };
  const model = parseModel(modelFileBytes({ task: getTask('parity'), config: r.model, params: trained.params, training }));
  const point = startingPointOf(model, 'runs/m.onnx');
  assert.deepEqual(point.init, { model: 'runs/m.onnx', weightsCrc32: weightsCrc32(r.model, trained.params), stepsBefore: 3, secondsBefore: 1 });
  assert.deepEqual(point.shape, { d: 16, layers: r.model.layers, heads: 2, attentionScale: 'none', inputInjection: true, singleStage: true });
  assert.deepEqual(startingPointConflicts(r, model), []);
  assert.deepEqual(startingPointConflicts({ ...r, model: { ...r.model, heads: 4 } }, model), ['heads: the recipe has 4, the model 2']);
  assert.deepEqual(startingPointConflicts({ ...r, task: 'copy' }, model), ['task: the recipe trains copy, the model does parity']);
  assert.deepEqual(startingPointConflicts({ ...r, fixedSteps: 6 }, model), ['loop steps: the recipe reads every example at step 6, the model each example at its T(n)']);
  assert.deepEqual(startingPointConflicts({ ...r, model: { ...r.model, attentionScale: 'none', mlpRatio: 4 } }, model), [], 'a default written out is the default');
});
