// What "Fine-Tune Model…" asks the worker to do: the model's task and network, every length it was
// trained on (or up to a longer one) from the first step, the chosen steps and rate, a recipe recording the weights it starts
// from, and a Training panel that says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { modelFileBytes, parseModel, weightsCrc32 } from '../../../src/core/model/modelFile';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { finalEnd } from '../../../src/core/train/stages';
import { Rng } from '../../../src/core/util/rng';
import { FINE_TUNE_DEFAULTS, fineTuneLength, fineTuneMaxLength, fineTunePlan, fineTuneSteps } from '../../../src/extension/train/fineTunePlan';
import { recipeOf, trainingSetupOf, workerStartOptions } from '../../../src/extension/train/trainPlan';
import { checkForm, formOf, NETWORK_FIELDS } from '../../../src/extension/train/recipeForm';
import { tmpDir } from './helpers';

/** A unique set model of the cpu preset's shape with 8 heads and no injection, trained (its record says) on lengths 1..12. */
function model(trainedLengths: { min: number; max: number } | undefined) {
  const task = getTask('unique_set');
  const recipe = makeRecipe('unique_set', 'cpu', { heads: 8, inputInjection: false });
  const rng = new Rng(5);
  const params = initParams(recipe.model, () => rng.float());
  const training = { preset: 'cpu', recipe: recipe as unknown as Record<string, unknown>, stepsCompleted: 5000, seed: 0, elapsedSeconds: 60, finalLoss: 0.1, provider: 'cpu', finishedAt: '', lossCurve: [], ...(trainedLengths ? { trainedLengths } : {}) };
  return { loaded: parseModel(modelFileBytes({ task, config: recipe.model, params, training })), crc: weightsCrc32(recipe.model, params) };
}

test("a fine-tuning plan: the model's task and network, its trained lengths from step 1, the chosen steps and rate, the weights recorded", () => {
  const dir = tmpDir();
  const { loaded, crc } = model({ min: 1, max: 12 });
  const plan = fineTunePlan(loaded, '/somewhere/models/u.onnx', { steps: 1500, lr: 2e-5 }, dir);
  assert.equal(plan.modelPath, path.join(dir, 'unique_set-fine-tune.onnx'));
  assert.deepEqual(plan.start, {
    modelPath: '/somewhere/models/u.onnx',
    init: { model: 'u.onnx', weightsCrc32: crc, stepsBefore: 5000, secondsBefore: 60 },
    shape: { d: 64, layers: loaded.config.layers, heads: 8, attentionScale: 'none', inputInjection: false, singleStage: true },
  });
  const r = recipeOf(plan);
  assert.equal(r.preset, 'fine-tune');
  assert.deepEqual(r.model, loaded.config);
  assert.deepEqual(r.curriculum, { start: 2, interval: 1, end: 13 }, 'lengths 1..12 within the first dozen steps');
  assert.deepEqual([r.steps, r.schedule.lr], [1500, 2e-5]);
  assert.ok(r.schedule.holdSteps < 20, `the rate decays from the curriculum's end on: held ${r.schedule.holdSteps} steps`);
  assert.deepEqual(r.initFrom, plan.start!.init);
  assert.equal(plan.finalEval?.examples, 640);
  assert.ok(plan.finalEval!.lengths.includes(30), `the test length among ${plan.finalEval!.lengths.join(', ')}`);

  const runtime = { provider: 'cpu' as const, cpuThreads: 1 };
  const setup = trainingSetupOf(plan, runtime);
  assert.equal(setup.startedFrom, `the weights of u.onnx (5000 steps trained, 1.0 min of wall time from scratch), CRC-32 ${crc.toString(16).padStart(8, '0')}`);
  assert.equal(setup.maxTrainLength, 12);
  const start = workerStartOptions(setup, runtime, false, r, plan.start!.modelPath);
  assert.equal(start.initFrom, '/somewhere/models/u.onnx');
  assert.deepEqual(start.recipe?.initFrom, plan.start!.init);
  const resumed = workerStartOptions(setup, runtime, true, r, plan.start!.modelPath);
  assert.equal('initFrom' in resumed, false, 'a resume continues its checkpoint, not the model');
  assert.equal(resumed.recipe, undefined);
});

test("a model without a trained-lengths record is fine-tuned at the cpu preset's lengths; the steps box takes whole numbers", () => {
  const { loaded } = model(undefined);
  const r = recipeOf(fineTunePlan(loaded, 'u.onnx', FINE_TUNE_DEFAULTS, tmpDir()));
  assert.equal(r.curriculum.end, finalEnd(makeRecipe('unique_set', 'cpu')), "the preset's longest length, its last stage's");
  assert.deepEqual([r.steps, r.schedule.lr], [2000, 1e-4]);
  assert.equal(fineTuneSteps(' 2,500 '), 2500);
  for (const [text, re] of [['', /steps must be a whole number, e.g\. 2000/], ['many', /steps must be a whole number/], ['0', /steps must be between 1 and 10,000,000/]] as const) {
    assert.throws(() => fineTuneSteps(text), re);
  }
});

test('a longer longest length extends the fine-tune to new lengths from step 1; the box takes whole numbers up to the length limit', () => {
  const { loaded } = model({ min: 1, max: 12 });
  assert.equal(fineTuneMaxLength(loaded), 12, "the default: the model's trained lengths");
  const r = recipeOf(fineTunePlan(loaded, 'u.onnx', { ...FINE_TUNE_DEFAULTS, maxLength: 16 }, tmpDir()));
  assert.deepEqual(r.curriculum, { start: 2, interval: 1, end: 17 }, 'lengths 1..16, 13..16 new to the model');
  assert.ok(r.schedule.holdSteps < 20, `the rate decays from the curriculum's end on: held ${r.schedule.holdSteps} steps`);
  assert.equal(fineTuneMaxLength(model(undefined).loaded), finalEnd(makeRecipe('unique_set', 'cpu')) - 1, "no record: the cpu preset's");
  assert.equal(fineTuneLength(' 16 '), 16);
  for (const [text, re] of [['', /the longest length must be a whole number, e\.g\. 12/], ['long', /must be a whole number/], ['0', /between 1 and 500/], ['501', /between 1 and 500/]] as const) {
    assert.throws(() => fineTuneLength(text), re);
  }
});

test('a fine-tune set on the recipe page: every field but the network, which stays the model\'s; the plan still starts from its weights', () => {
  const dir = tmpDir();
  const { loaded, crc } = model({ min: 1, max: 12 });
  const plan = fineTunePlan(loaded, '/m/u.onnx', FINE_TUNE_DEFAULTS, dir);
  const form = formOf(plan);
  assert.deepEqual([form.d, form.heads, form.injection, form.maxLength, form.interval, form.lr], ['64', '8', 'off', '12', '1', '0.0001'], "the quick fine-tune's values to start from");
  const held = checkForm(plan, { ...form, answerHold: '4', maxLength: '16', steps: '900' });
  assert.equal(held.preview.ok, true, JSON.stringify(held.preview.errors));
  const r = recipeOf(held.plan!);
  assert.deepEqual([r.preset, r.answerHold, r.curriculum.end, r.steps, r.model.heads, r.model.inputInjection], ['fine-tune', 4, 17, 900, 8, false]);
  assert.deepEqual(r.initFrom, { model: 'u.onnx', weightsCrc32: crc, stepsBefore: 5000, secondsBefore: 60 });
  assert.equal(held.plan!.start?.modelPath, '/m/u.onnx', 'the worker is told which file to read the weights from');
  assert.equal(held.preview.summary[0]?.label, 'weights');
  assert.match(held.preview.summary[0]!.value, /^the weights of u\.onnx \(5000 steps trained, 1\.0 min of wall time from scratch\), CRC-32 [0-9a-f]{8}$/);
  // the page greys the network; a form that changes it anyway (a hostile page) is refused under each field
  const changed = checkForm(plan, { ...form, d: '128', heads: '16', injection: 'on', fixedSteps: '8' });
  assert.equal(changed.plan, undefined);
  assert.deepEqual(changed.preview.errors, {
    d: 'a fine-tune keeps the network of u.onnx: d = 64',
    heads: 'a fine-tune keeps the network of u.onnx: 8 heads',
    injection: 'a fine-tune keeps the network of u.onnx: input injection off',
    fixedSteps: 'a fine-tune keeps the network of u.onnx: T(n) loop steps per example',
  });
  assert.ok(NETWORK_FIELDS.every((k) => k in form), 'the greyed fields are fields of the form');
});
