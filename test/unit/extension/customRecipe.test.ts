// Training set-up in VS Code: the presets offered (tiny first), the review list's rescaling note and
// warnings, the custom recipe page's form (checked field by field, the paper's ablations, the lr floor, the weight decay, the long, hard and distinct shares, the answer hold and the weight average included),
// resuming a run from its checkpoint alone, and the "trained" length the Training panel tags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { runTrainJob } from '../../../src/core/train/trainJob';
import { modelPathForCheckpoint } from '../../../src/core/train/trainingCheckpoint';
import { recordedAnswerHoldText, recordedDistinctShareText, recordedHardShareText, recordedInputsText, recordedLongShareText, recordedSavedWeightsText, recordedScheduleText } from '../../../src/core/train/trainRecord';
import { tmpDir } from '../../support/tmpDir';
import { checkForm, formOf, NETWORK_FIELDS, presetForm } from '../../../src/extension/train/recipeForm';
import { averageText } from '../../../src/core/train/weightAverage';
import {
  CUSTOM_PRESET_LABEL,
  presetChoices,
  recipeNotes,
  recipeOf,
  recipePlanOf,
  recipeSetup,
  resumeSetupOf,
  trainingSetupOf,
  workerStartOptions,
  type TrainPlan,
} from '../../../src/extension/train/trainPlan';
import { cpuRecipe } from '../../../src/core/train/presets';
import { applyOverrides } from '../../../src/core/train/recipePlan';
import { isRecipeForm, type RecipeForm } from '../../../src/protocol/recipe';
import { validateMessage } from '../../../src/extension/panels/messageValidation';
import { modelPageMessages, recipeMessages } from '../../../src/extension/panels/panelMessages';
import { buildModelPage } from '../../../src/extension/modelEditor/modelPage';
import type { LoopLensModelPage } from '../../../src/protocol/modelPage';

const plan: TrainPlan = { task: 'parity', preset: 'cpu', modelPath: '/ws/models/parity-cpu.onnx', finalEval: { lengths: [10, 20, 30, 40], examples: 640 } };

/** Each text typed into `field` of the plan's form gives no plan and exactly that error, under that field only. */
function assertFieldErrors(field: keyof RecipeForm, cases: readonly (readonly [string, string])[]): void {
  const form = formOf(plan);
  for (const [text, error] of cases) {
    const bad = checkForm(plan, { ...form, [field]: text });
    assert.equal(bad.plan, undefined, text);
    assert.deepEqual(bad.preview.errors, { [field]: error }, text);
  }
}

test('presets offered: tiny (under a minute), cpu, paper', () => {
  const choices = presetChoices('parity');
  assert.deepEqual(choices.map((c) => c.preset), ['tiny', 'cpu', 'paper']);
  assert.match(choices[0]!.description, /under a minute/);
  assert.match(choices[0]!.detail, /d = 64, 1 layer, 4 heads · 1,500 steps · lr 0\.001 · lengths 1\.\.10, \+1 every 100 steps/);
  assert.equal(choices[1]!.description, 'minutes to hours on a laptop CPU, by task');
});

test('the review list says how a changed step count rescaled the recipe, and warns when it cannot', () => {
  const p = recipePlanOf({ ...plan, steps: 300 });
  assert.equal(p.recipe.curriculum.interval, 5);
  const notes = recipeNotes(p);
  assert.match(notes.scaling!, /^Curriculum and learning rate scaled to 300 steps: the curriculum adds a length every 5 steps/);
  assert.deepEqual(notes.warnings, []);
  assert.deepEqual(recipeNotes(recipePlanOf(plan)), { scaling: undefined, warnings: [] });
  const tooShort = recipeNotes(recipePlanOf({ ...plan, steps: 10 }));
  assert.equal(tooShort.warnings.length, 2, tooShort.warnings.join('\n'));
  // the panel's "trained" tag is the longest length the run will reach
  assert.equal(trainingSetupOf({ ...plan, steps: 300 }, { provider: 'cpu' }).maxTrainLength, 20);
  assert.equal(recipeSetup(applyOverrides(cpuRecipe('parity'), { steps: 300 })).maxTrainLength, 3, 'an unscaled curriculum reaches 1..3 only');
});

test('the Training panel\'s setup says how the run loops and where its learning rate ends, in the CLI\'s words', () => {
  const paper = trainingSetupOf(plan, { provider: 'cpu' });
  assert.equal(paper.loopText, 'each example read at its T(n), with input injection');
  assert.equal(paper.scheduleText, '0.001, constant to step 2,100, then cosine to 0');
  const ablated = recipeSetup(applyOverrides(cpuRecipe('parity'), { fixedSteps: 12, inputInjection: false, minLrFraction: 0.1 }));
  assert.equal(ablated.loopText, 'a fixed depth of 12 loop steps, without input injection');
  assert.equal(ablated.scheduleText, '0.001, constant to step 2,100, then cosine to 0.1 x lr');
  const resumed = resumeSetupOf(applyOverrides(cpuRecipe('parity'), { inputInjection: false, steps: 500 }), '/ws/runs/parity-cpu.ckpt', { provider: 'auto' });
  assert.equal(resumed.loopText, 'each example read at its T(n), without input injection');
});

test('a custom recipe is labelled custom, rescales like a preset and reaches the worker as it is', () => {
  const custom: TrainPlan = { ...plan, custom: { d: 32, heads: 2, lr: 2e-3, maxLength: 8 }, steps: 1000 };
  const r = recipeOf(custom);
  assert.equal(r.preset, CUSTOM_PRESET_LABEL);
  assert.deepEqual([r.model.d, r.model.heads, r.schedule.lr, r.curriculum.end, r.steps], [32, 2, 2e-3, 9, 1000]);
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.equal(setup.preset, 'custom');
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 0 }, false, r);
  assert.deepEqual(start.recipe, r);
  assert.equal(workerStartOptions(setup, { provider: 'cpu', cpuThreads: 0 }, true, r).recipe, undefined, 'a resume uses the checkpoint\'s recipe');
});

test('the custom recipe page: its form, a preset\'s values, field errors and the preview', () => {
  const form = formOf(plan);
  assert.ok(isRecipeForm(form));
  assert.deepEqual(
    { d: form.d, layers: form.layers, heads: form.heads, lr: form.lr, batch: form.batch, steps: form.steps, maxLength: form.maxLength, interval: form.interval, seed: form.seed },
    { d: '64', layers: '1', heads: '4', lr: '0.001', batch: '64', steps: '6000', maxLength: '20', interval: '', seed: '1' },
  );
  assert.equal(form.finalEval, '10,20,30,40 x 640');
  const ok = checkForm(plan, { ...form, steps: '600', heads: '8' });
  assert.equal(ok.preview.ok, true);
  assert.equal(ok.plan?.custom?.heads, 8);
  assert.equal(ok.plan?.steps, 600);
  assert.match(ok.preview.scaling!, /scaled to 600 steps \(the cpu preset: every 100 of 6,000 steps\)/);
  assert.deepEqual(ok.preview.summary.map((s) => s.label), ['parameters', 'curriculum', 'learning rate', 'depth', 'input injection', 'rows']);
  assert.match(ok.preview.summary[1]!.value, /\+1 every 10 steps, all of 1\.\.20 from step 190/);

  const bad = checkForm(plan, { ...form, d: 'wide', lr: '0', output: 'model.onnx', interval: '-3', finalEval: 'lots' });
  assert.equal(bad.plan, undefined);
  assert.equal(bad.preview.ok, false);
  assert.deepEqual(Object.keys(bad.preview.errors).sort(), ['d', 'finalEval', 'interval', 'lr', 'output']);
  assert.equal(bad.preview.errors.d, 'd must be a whole number');
  assert.equal(bad.preview.errors.output, 'give an absolute path');
  // what Number() reads but the CLI's --lr refuses, the form refuses too
  for (const lr of ['0x1', ' ', '1e']) assert.equal(checkForm(plan, { ...form, lr }).preview.errors.lr, 'the learning rate must be a number, e.g. 0.001 or 1e-3', JSON.stringify(lr));

  const recipeLevel = checkForm(plan, { ...form, heads: '5' });
  assert.equal(recipeLevel.plan, undefined);
  assert.match(recipeLevel.preview.error!, /heads \(5\) must divide d \(64\)/);

  const warned = checkForm(plan, { ...form, steps: '300', interval: '100' });
  assert.equal(warned.preview.ok, true, 'a warning does not block Start');
  assert.equal(warned.preview.warnings.length, 2);

  const tiny = presetForm(plan, { ...form, preset: 'tiny', d: '999' });
  assert.deepEqual([tiny.d, tiny.steps, tiny.maxLength, tiny.interval, tiny.output], ['64', '1500', '10', '', form.output]);
});

test("the custom recipe page's ablations: parsed, checked, reset by a preset, and in the plan's recipe", () => {
  const form = formOf(plan);
  assert.deepEqual([form.injection, form.fixedSteps], ['on', ''], "the paper's model: injected, T(n) per example");
  const plain = checkForm(plan, form);
  assert.deepEqual([plain.plan?.custom?.inputInjection, plain.plan?.custom?.fixedSteps], [undefined, undefined], 'the defaults change nothing');
  assert.match(plain.preview.summary.find((s) => s.label === 'depth')!.value, /^T\(n\) per example/);
  assert.match(plain.preview.summary.find((s) => s.label === 'input injection')!.value, /^on: /);

  const ablated = checkForm(plan, { ...form, injection: 'off', fixedSteps: ' 12 ' });
  assert.equal(ablated.preview.ok, true);
  assert.deepEqual(ablated.preview.errors, {});
  const r = recipeOf(ablated.plan!);
  assert.equal(r.model.inputInjection, false);
  assert.equal(r.fixedSteps, 12);
  assert.equal(r.horizon, 12, 'every batch unrolls the fixed depth');
  const summary = Object.fromEntries(ablated.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(summary.depth, 'fixed: 12 loop steps for every input (the ablation)');
  assert.equal(summary['input injection'], 'off (the ablation): the input enters once, at the first loop step');
  assert.match(summary.rows!, /up to 12 loop iterations/);
  const back = formOf(ablated.plan!);
  assert.deepEqual([back.injection, back.fixedSteps], ['off', '12'], 'a plan shows its ablations again');

  const bad = checkForm(plan, { ...form, injection: 'maybe', fixedSteps: '0' });
  assert.equal(bad.plan, undefined);
  assert.deepEqual(bad.preview.errors, { injection: 'input injection is on or off', fixedSteps: 'the fixed depth must be between 1 and 10,000' });
  assert.equal(checkForm(plan, { ...form, fixedSteps: 'abc' }).preview.errors.fixedSteps, 'the fixed depth must be a whole number');
  assert.equal(checkForm(plan, { ...form, fixedSteps: '2.5' }).preview.errors.fixedSteps, 'the fixed depth must be a whole number');
  assert.equal(checkForm(plan, { ...form, fixedSteps: '10001' }).preview.errors.fixedSteps, 'the fixed depth must be between 1 and 10,000');
  // a depth no machine can unroll is refused before Start, with the worker's own memory check
  const huge = checkForm(plan, { ...form, batch: '4096', fixedSteps: '10000' });
  assert.equal(huge.plan, undefined);
  assert.match(huge.preview.error!, /training this model would need about .* × 10000 loop steps/);

  const reset = presetForm(plan, { ...form, preset: 'tiny', injection: 'off', fixedSteps: '7' });
  assert.deepEqual([reset.injection, reset.fixedSteps], ['on', ''], 'a preset loads its own (no ablation)');
  assert.equal(isRecipeForm({ ...form, fixedSteps: 7 }), false, 'a number where the page sends text');
  const { injection: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the ablation fields');
});

test('a custom recipe without input injection at a fixed depth trains through the worker path and its model file records both', async () => {
  const custom: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, inputInjection: false, fixedSteps: 5 }, steps: 4, modelPath: path.join(tmpDir('custom-ablation'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.equal(setup.loopText, 'a fixed depth of 5 loop steps, without input injection', 'the panel\'s header names both ablations');
  assert.equal(setup.fixedSteps, 5, 'the accuracy legend names the fixed step');
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.equal(start.recipe?.fixedSteps, 5);
  assert.equal(start.recipe?.model.inputInjection, false);
  // the worker runs exactly this with the start options (src/core/train/worker.ts)
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const m = await loadModel(custom.modelPath);
  assert.equal(m.config.inputInjection, false);
  assert.equal(m.metadata.stepsRule.fixedSteps, 5);
  assert.equal(m.task.fixedSteps, 5);
  assert.equal(m.metadata.training.recipe.fixedSteps, 5);
});

test("the custom recipe page's lr floor (the CLI's --lr-floor): parsed, checked, reset by a preset, and in the plan's recipe", () => {
  const form = formOf(plan);
  assert.equal(form.lrFloor, '0', "the paper's schedule: the cosine ends at 0");
  const plain = checkForm(plan, form);
  assert.equal(plain.plan?.custom?.minLrFraction, undefined, 'the default changes nothing');
  assert.equal('minLrFraction' in recipeOf(plain.plan!).schedule, false, 'no key in the recipe, as the CLI without --lr-floor');
  assert.match(plain.preview.summary.find((s) => s.label === 'learning rate')!.value, /then cosine to 0 at step 6,000$/);
  for (const zero of ['', ' 0 ', '0.0', '0e0']) assert.equal(checkForm(plan, { ...form, lrFloor: zero }).plan?.custom?.minLrFraction, undefined, JSON.stringify(zero));

  const floored = checkForm(plan, { ...form, lrFloor: ' 0.25 ' });
  assert.equal(floored.preview.ok, true);
  assert.deepEqual(floored.preview.errors, {});
  const r = recipeOf(floored.plan!);
  assert.equal(r.schedule.minLrFraction, 0.25);
  assert.equal(r.schedule.lr, 0.001, 'the peak rate is unchanged');
  const summary = Object.fromEntries(floored.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(summary['learning rate'], '0.001 until step 2,100, then cosine to 0.25 x lr at step 6,000');
  assert.equal(recipeSetup(r).scheduleText, '0.001, constant to step 2,100, then cosine to 0.25 x lr', "the Training panel's schedule caption");
  assert.equal(checkForm(plan, { ...form, lrFloor: '1e-1' }).plan?.custom?.minLrFraction, 0.1);
  const back = formOf(floored.plan!);
  assert.equal(back.lrFloor, '0.25', 'a plan shows its floor again');

  const mustBeNumber = 'the lr floor must be a number, e.g. 0.1 (the cosine then ends at 0.1 x the peak lr)';
  const outOfRange = "the lr floor must be at least 0 and below 1 (0: the cosine ends at 0, the paper's)";
  assertFieldErrors('lrFloor', [['tenth', mustBeNumber], ['NaN', mustBeNumber], ['Infinity', mustBeNumber], ['0x1', mustBeNumber], ['1/2', mustBeNumber], ['1', outOfRange], ['1.5', outOfRange], ['-0.1', outOfRange]]);

  const reset = presetForm(plan, { ...form, preset: 'tiny', lrFloor: '0.5' });
  assert.equal(reset.lrFloor, '0', 'a preset loads its own (no floor)');
  assert.equal(isRecipeForm({ ...form, lrFloor: 0.5 }), false, 'a number where the page sends text');
  const { lrFloor: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the lr floor');
});

test('a custom recipe with an lr floor trains through the worker path and its model file records it', async () => {
  const custom: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, minLrFraction: 0.25 }, steps: 4, modelPath: path.join(tmpDir('custom-lr-floor'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.match(setup.scheduleText!, /then cosine to 0\.25 x lr$/, "the panel's schedule caption names the floor");
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.equal(start.recipe?.schedule.minLrFraction, 0.25);
  // the worker runs exactly this with the start options (src/core/train/worker.ts)
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const m = await loadModel(custom.modelPath);
  assert.equal((m.metadata.training.recipe as { schedule: { minLrFraction?: number } }).schedule.minLrFraction, 0.25);
  assert.match(recordedScheduleText(m.metadata.training.recipe)!, /cosine to 0\.25 x lr$/, 'info and the model page state it');
});

test("the custom recipe page's weight decay (the CLI's --weight-decay): parsed, checked, reset by a preset, and in the plan's recipe", () => {
  const form = formOf(plan);
  assert.equal(form.weightDecay, '0.01', "the preset's, the paper's");
  const plain = checkForm(plan, form);
  assert.equal(recipeOf(plain.plan!).optimizer.weightDecay, 0.01);
  assert.equal(plain.preview.summary.some((s) => s.label === 'weight decay'), false, "the paper's is not stated");
  assert.equal(trainingSetupOf(plain.plan!, { provider: 'cpu' }).weightDecay, undefined, "the panel states none for the paper's");
  const empty = checkForm(plan, { ...form, weightDecay: '  ' });
  assert.equal(empty.plan?.custom?.weightDecay, undefined, "empty: the preset's");
  assert.equal(recipeOf(empty.plan!).optimizer.weightDecay, 0.01);

  for (const [text, value] of [[' 0.1 ', 0.1], ['0', 0], ['1', 1], ['5e-2', 0.05]] as const) {
    const ok = checkForm(plan, { ...form, weightDecay: text });
    assert.deepEqual(ok.preview.errors, {}, text);
    assert.equal(ok.preview.ok, true, text);
    const r = recipeOf(ok.plan!);
    assert.equal(r.optimizer.weightDecay, value, text);
    assert.deepEqual([r.optimizer.beta1, r.optimizer.beta2, r.optimizer.maxGradNorm, r.schedule.lr], [0.9, 0.999, 1, 0.001], 'the rest of the optimizer is unchanged');
    const summary = Object.fromEntries(ok.preview.summary.map((s) => [s.label, s.value]));
    assert.equal(summary['weight decay'], `${value} (the paper's: 0.01)`, text);
    assert.deepEqual(ok.preview.summary.map((s) => s.label), ['parameters', 'curriculum', 'learning rate', 'weight decay', 'depth', 'input injection', 'rows'], 'stated beside the learning rate');
    assert.equal(recipeSetup(r).weightDecay, value, "the Training panel's header states it");
    assert.equal(formOf(ok.plan!).weightDecay, String(value), 'a plan shows its weight decay again');
  }

  const mustBeNumber = "the weight decay must be a number, e.g. 0.01 (the paper's)";
  const outOfRange = "the weight decay must be between 0 and 1 (the paper's: 0.01)";
  assertFieldErrors('weightDecay', [['some', mustBeNumber], ['NaN', mustBeNumber], ['Infinity', mustBeNumber], ['0x1', mustBeNumber], ['1e', mustBeNumber], ['1.0001', outOfRange], ['2', outOfRange], ['-0.01', outOfRange]]);

  const reset = presetForm(plan, { ...form, preset: 'tiny', weightDecay: '0.5' });
  assert.equal(reset.weightDecay, '0.01', "a preset loads its own (the paper's)");
  assert.equal(isRecipeForm({ ...form, weightDecay: 0.1 }), false, 'a number where the page sends text');
  assert.equal(isRecipeForm({ ...form, weightDecay: null }), false);
  assert.equal(isRecipeForm({ ...form, weightDecay: 'x'.repeat(4097) }), false, 'a string too long for a number');
  const { weightDecay: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the weight decay');
  assert.equal(validateMessage(recipeMessages, { type: 'change', form: { ...form, weightDecay: ['0.1'] } }).ok, false, 'the message check refuses it before the host parses it');
});

test("the custom recipe page's long share (the CLI's --long-share): parsed, checked, reset by a preset, and in the plan's recipe", () => {
  const form = formOf(plan);
  assert.equal(form.longShare, '0', "the paper's uniform lengths");
  const plain = checkForm(plan, form);
  assert.equal(plain.plan?.custom?.longShare, undefined, 'the default changes nothing');
  assert.equal('longShare' in recipeOf(plain.plan!), false, 'no key in the recipe, as the CLI without --long-share');
  assert.doesNotMatch(plain.preview.summary.find((s) => s.label === 'curriculum')!.value, /longest length so far/);
  assert.equal(trainingSetupOf(plain.plan!, { provider: 'cpu' }).longShare, undefined, 'the panel states none for uniform lengths');
  for (const zero of ['', ' 0 ', '0.0', '0e0']) {
    const z = checkForm(plan, { ...form, longShare: zero });
    assert.equal(z.preview.ok, true, JSON.stringify(zero));
    assert.equal(z.plan?.custom?.longShare, undefined, JSON.stringify(zero));
  }

  const long = checkForm(plan, { ...form, longShare: ' 0.5 ' });
  assert.equal(long.preview.ok, true);
  assert.deepEqual(long.preview.errors, {});
  const r = recipeOf(long.plan!);
  assert.equal(r.longShare, 0.5);
  assert.deepEqual([r.curriculum.end, r.curriculum.interval], [21, 100], 'the curriculum is unchanged');
  const summary = Object.fromEntries(long.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(summary.curriculum, 'lengths 1..1 at first, +1 every 100 steps, all of 1..20 from step 1,900; 0.5 of each batch at the longest length so far');
  assert.equal(summary.curriculum!.endsWith(recordedLongShareText(r)!), true, 'in the words of the CLI and the model page');
  assert.equal(recipeSetup(r).longShare, 0.5, "the Training panel's curriculum chip states it");
  assert.equal(checkForm(plan, { ...form, longShare: '25e-2' }).plan?.custom?.longShare, 0.25);
  assert.equal(checkForm(plan, { ...form, longShare: '0.999' }).plan?.custom?.longShare, 0.999);
  assert.equal(formOf(long.plan!).longShare, '0.5', 'a plan shows its share again');

  const mustBeNumber = 'the long share must be a number, e.g. 0.5 (half of each batch at the longest length so far)';
  const outOfRange = "the long share must be at least 0 and below 1 (0: uniform lengths, the paper's)";
  assertFieldErrors('longShare', [['half', mustBeNumber], ['NaN', mustBeNumber], ['-Infinity', mustBeNumber], ['0x1', mustBeNumber], ['1/2', mustBeNumber], ['50%', mustBeNumber], ['1', outOfRange], ['1.5', outOfRange], ['-0.1', outOfRange]]);
  // several fields wrong at once: each error under its own field
  assert.deepEqual(Object.keys(checkForm(plan, { ...form, longShare: '1', weightDecay: '-1', lrFloor: '1' }).preview.errors).sort(), ['longShare', 'lrFloor', 'weightDecay']);

  const reset = presetForm(plan, { ...form, preset: 'tiny', longShare: '0.5' });
  assert.equal(reset.longShare, '0', 'a preset loads its own (uniform lengths)');
  assert.equal(isRecipeForm({ ...form, longShare: 0.5 }), false, 'a number where the page sends text');
  assert.equal(isRecipeForm({ ...form, longShare: { toString: '0.5' } }), false);
  const { longShare: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the long share');
});

test('a custom recipe with a long share and a weight decay trains through the worker path and its model file records both', async () => {
  const custom: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, longShare: 0.5, weightDecay: 0.1 }, steps: 4, modelPath: path.join(tmpDir('custom-long-share'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.deepEqual([setup.longShare, setup.weightDecay], [0.5, 0.1], "the panel's header states both");
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.deepEqual([start.recipe?.longShare, start.recipe?.optimizer.weightDecay], [0.5, 0.1]);
  // the worker runs exactly this with the start options (src/core/train/worker.ts)
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const m = await loadModel(custom.modelPath);
  const recorded = m.metadata.training.recipe as { longShare?: number; optimizer: { weightDecay: number } };
  assert.deepEqual([recorded.longShare, recorded.optimizer.weightDecay], [0.5, 0.1]);
  assert.equal(recordedLongShareText(recorded), '0.5 of each batch at the longest length so far', 'info and the model page state it');
});

test('a resumed checkpoint (the CLI may make one with --long-share and --weight-decay) shows its own long share and weight decay', () => {
  const r = applyOverrides(cpuRecipe('parity'), { steps: 500, longShare: 0.25, weightDecay: 0 });
  const setup = resumeSetupOf(r, '/ws/runs/parity-cpu.ckpt', { provider: 'auto' });
  assert.deepEqual([setup.longShare, setup.weightDecay], [0.25, 0], 'no weight decay at all is not the paper\'s either');
  const paper = resumeSetupOf(applyOverrides(cpuRecipe('parity'), { steps: 500 }), '/ws/runs/parity-cpu.ckpt', { provider: 'auto' });
  assert.deepEqual([paper.longShare, paper.weightDecay], [undefined, undefined]);
  // a stored recipe with an explicit 0 share is the paper's uniform stream
  assert.equal(recipeSetup({ ...cpuRecipe('parity'), longShare: 0 }).longShare, undefined);
});

test("the custom recipe page's hard share (the CLI's --hard-share): parsed, checked against the task, reset by a preset, and in the plan's recipe", () => {
  const uset: TrainPlan = { ...plan, task: 'unique_set', modelPath: '/ws/models/unique_set-cpu.onnx' };
  const form = formOf(uset);
  assert.equal(form.hardShare, '0', "the paper's uniform inputs");
  const plain = checkForm(uset, form);
  assert.equal(plain.preview.ok, true);
  assert.equal(plain.plan?.custom?.hardShare, undefined, 'the default changes nothing');
  assert.equal('hardShare' in recipeOf(plain.plan!), false, 'no key in the recipe, as the CLI without --hard-share');
  assert.equal(plain.preview.summary.some((s) => s.label === 'inputs'), false, "the paper's uniform inputs are not stated");
  assert.equal(trainingSetupOf(plain.plan!, { provider: 'cpu' }).hardShare, undefined, 'the panel states none for uniform inputs');
  for (const zero of ['', ' 0 ', '0.0', '0e0']) {
    const z = checkForm(uset, { ...form, hardShare: zero });
    assert.equal(z.preview.ok, true, JSON.stringify(zero));
    assert.equal(z.plan?.custom?.hardShare, undefined, JSON.stringify(zero));
  }

  const hard = checkForm(uset, { ...form, hardShare: ' 0.5 ' });
  assert.equal(hard.preview.ok, true);
  assert.deepEqual(hard.preview.errors, {});
  const r = recipeOf(hard.plan!);
  assert.equal(r.hardShare, 0.5);
  assert.equal('longShare' in r, false, 'the lengths stay uniform');
  const summary = Object.fromEntries(hard.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(summary.inputs, '0.5 of each batch from inputs over a random alphabet of 1 to 50 elements (many repeats)');
  assert.equal(summary.inputs, recordedHardShareText(r), 'in the words of the CLI and the model page');
  assert.deepEqual(hard.preview.summary.map((s) => s.label), ['parameters', 'curriculum', 'inputs', 'learning rate', 'depth', 'input injection', 'rows'], 'stated beside the curriculum');
  assert.equal(recipeSetup(r).hardShare, 0.5, "the Training panel's header states it");
  assert.equal(trainingSetupOf(hard.plan!, { provider: 'cpu' }).hardShare, 0.5);
  assert.equal(checkForm(uset, { ...form, hardShare: '25e-2' }).plan?.custom?.hardShare, 0.25);
  assert.equal(checkForm(uset, { ...form, hardShare: '0.999' }).plan?.custom?.hardShare, 0.999);
  assert.equal(formOf(hard.plan!).hardShare, '0.5', 'a plan shows its share again');
  const both = checkForm(uset, { ...form, hardShare: '0.5', longShare: '0.25' });
  assert.deepEqual([both.plan?.custom?.hardShare, both.plan?.custom?.longShare], [0.5, 0.25], 'the two shares are independent');

  const mustBeNumber = "the hard share must be a number, e.g. 0.5 (half of each batch from the task's hard inputs)";
  const outOfRange = "the hard share must be at least 0 and below 1 (0: uniform inputs, the paper's)";
  assertFieldErrors('hardShare', [['half', mustBeNumber], ['NaN', mustBeNumber], ['Infinity', mustBeNumber], ['0x1', mustBeNumber], ['1/2', mustBeNumber], ['50%', mustBeNumber], ['1', outOfRange], ['1.5', outOfRange], ['-0.1', outOfRange]]);

  const reset = presetForm(uset, { ...form, preset: 'tiny', hardShare: '0.5' });
  assert.equal(reset.hardShare, '0', 'a preset loads its own (uniform inputs)');
  assert.equal(isRecipeForm({ ...form, hardShare: 0.5 }), false, 'a number where the page sends text');
  assert.equal(isRecipeForm({ ...form, hardShare: null }), false);
  const { hardShare: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the hard share');
  assert.equal(validateMessage(recipeMessages, { type: 'change', form: { ...form, hardShare: ['0.5'] } }).ok, false, 'the message check refuses it before the host parses it');
});

test('a hard share on a task without hard inputs is an error under the field naming the tasks that have them; 0 is fine', () => {
  const form = formOf(plan);
  assert.equal(form.hardShare, '0');
  const noHard = "the parity task has no hard inputs to draw from (tasks with them: unique_set); 0: uniform inputs, the paper's";
  assertFieldErrors('hardShare', [['0.5', noHard], ['0.001', noHard]]);
  const bad = checkForm(plan, { ...form, hardShare: '0.5' });
  assert.equal(bad.preview.ok, false, 'Start stays disabled');
  for (const zero of ['0', '']) assert.equal(checkForm(plan, { ...form, hardShare: zero }).preview.ok, true, JSON.stringify(zero));
  // a plan made elsewhere (not through the form) is refused by the recipe check itself
  assert.throws(() => recipePlanOf({ ...plan, custom: { hardShare: 0.5 } }), /hardShare: the parity task has no hard inputs to draw from \(tasks with them: unique_set\)/);
});

test('a custom recipe with a hard share trains through the worker path; its model file records it and the model page states it', async () => {
  const custom: TrainPlan = { ...plan, task: 'unique_set', preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, hardShare: 0.5 }, steps: 4, modelPath: path.join(tmpDir('custom-hard-share'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.equal(setup.hardShare, 0.5, "the panel's header states it");
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.equal(start.recipe?.hardShare, 0.5);
  // the worker runs exactly this with the start options (src/core/train/worker.ts)
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const recorded = (await loadModel(custom.modelPath)).metadata.training.recipe as { hardShare?: number };
  assert.equal(recorded.hardShare, 0.5);
  const page = buildModelPage({ fileName: 'm.onnx', path: custom.modelPath, onDisk: true }, fs.readFileSync(custom.modelPath)) as LoopLensModelPage;
  assert.equal(page.recipe.find((f) => f.label === 'inputs')?.value, '0.5 of each batch from inputs over a random alphabet of 1 to 50 elements (many repeats)');
});

test('a resumed checkpoint (the CLI may make one with --hard-share) shows its own hard share', () => {
  const r = applyOverrides(cpuRecipe('unique_set'), { steps: 500, hardShare: 0.25 });
  assert.equal(resumeSetupOf(r, '/ws/runs/uset.ckpt', { provider: 'auto' }).hardShare, 0.25);
  assert.equal(resumeSetupOf(applyOverrides(cpuRecipe('unique_set'), { steps: 500 }), '/ws/runs/uset.ckpt', { provider: 'auto' }).hardShare, undefined);
  // a stored recipe with an explicit 0 share is the paper's uniform stream
  assert.equal(recipeSetup({ ...cpuRecipe('unique_set'), hardShare: 0 }).hardShare, undefined);
});

test("the custom recipe page's distinct share (the CLI's --distinct-share): parsed, checked against the task and the hard share, reset by a preset, and in the plan's recipe", () => {
  const uset: TrainPlan = { ...plan, task: 'unique_set', modelPath: '/ws/models/unique_set-cpu.onnx' };
  const form = formOf(uset);
  assert.equal(form.distinctShare, '0', "the paper's uniform inputs");
  const plain = checkForm(uset, form);
  assert.equal(plain.preview.ok, true);
  assert.equal(plain.plan?.custom?.distinctShare, undefined, 'the default changes nothing');
  assert.equal('distinctShare' in recipeOf(plain.plan!), false, 'no key in the recipe, as the CLI without --distinct-share');
  assert.equal(trainingSetupOf(plain.plan!, { provider: 'cpu' }).distinctShare, undefined, 'the panel states none for uniform inputs');
  for (const zero of ['', ' 0 ', '0.0', '0e0']) {
    const z = checkForm(uset, { ...form, distinctShare: zero });
    assert.equal(z.preview.ok, true, JSON.stringify(zero));
    assert.equal(z.plan?.custom?.distinctShare, undefined, JSON.stringify(zero));
  }

  const distinct = checkForm(uset, { ...form, distinctShare: ' 0.5 ' });
  assert.equal(distinct.preview.ok, true);
  assert.deepEqual(distinct.preview.errors, {});
  const r = recipeOf(distinct.plan!);
  assert.equal(r.distinctShare, 0.5);
  assert.equal('hardShare' in r, false, 'no hard inputs');
  const summary = Object.fromEntries(distinct.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(summary.inputs, '0.5 of each batch from inputs of n different elements (no repeats, so all n answer slots filled)');
  assert.equal(summary.inputs, recordedDistinctShareText(r), 'in the words of the CLI and the model page');
  assert.deepEqual(distinct.preview.summary.map((s) => s.label), ['parameters', 'curriculum', 'inputs', 'learning rate', 'depth', 'input injection', 'rows'], 'stated beside the curriculum');
  assert.equal(recipeSetup(r).distinctShare, 0.5, "the Training panel's header states it");
  assert.equal(trainingSetupOf(distinct.plan!, { provider: 'cpu' }).distinctShare, 0.5);
  assert.equal(checkForm(uset, { ...form, distinctShare: '25e-2' }).plan?.custom?.distinctShare, 0.25);
  assert.equal(formOf(distinct.plan!).distinctShare, '0.5', 'a plan shows its share again');

  // with a hard share: both in the recipe and on one line, at most 1 together
  const both = checkForm(uset, { ...form, hardShare: '0.25', distinctShare: '0.5' });
  assert.deepEqual([both.plan?.custom?.hardShare, both.plan?.custom?.distinctShare], [0.25, 0.5]);
  const bothRecipe = recipeOf(both.plan!);
  assert.equal(both.preview.summary.find((s) => s.label === 'inputs')?.value, recordedInputsText(bothRecipe));
  assert.equal(recordedInputsText(bothRecipe), `${recordedHardShareText(bothRecipe)}, ${recordedDistinctShareText(bothRecipe)}`);
  assert.equal(checkForm(uset, { ...form, hardShare: '0.5', distinctShare: '0.5' }).preview.ok, true, 'the whole batch is allowed');
  const over = checkForm(uset, { ...form, hardShare: '0.6', distinctShare: '0.6' });
  assert.equal(over.plan, undefined);
  assert.deepEqual(over.preview.errors, { distinctShare: 'the hard share 0.6 and the distinct share 0.6 take 1.2 of each batch together; they may take at most 1' }, 'said under the field');
  const long = checkForm(uset, { ...form, maxLength: '51', stages: 'none', distinctShare: '0.5' });
  assert.deepEqual(long.preview.errors, { distinctShare: 'the unique_set task has distinct inputs only up to length 50, the curriculum reaches 51' });

  const reset = presetForm(uset, { ...form, preset: 'tiny', distinctShare: '0.5' });
  assert.equal(reset.distinctShare, '0', 'a preset loads its own (uniform inputs)');
  assert.equal(isRecipeForm({ ...form, distinctShare: 0.5 }), false, 'a number where the page sends text');
  assert.equal(isRecipeForm({ ...form, distinctShare: null }), false);
  const { distinctShare: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the distinct share');
  assert.equal(validateMessage(recipeMessages, { type: 'change', form: { ...form, distinctShare: ['0.5'] } }).ok, false, 'the message check refuses it before the host parses it');
});

test('a distinct share on a task without distinct inputs, or out of range, is an error under the field; 0 is fine', () => {
  const form = formOf(plan);
  assert.equal(form.distinctShare, '0');
  const noDistinct = "the parity task has no distinct inputs to draw from (tasks with them: unique_set); 0: uniform inputs, the paper's";
  const mustBeNumber = "the distinct share must be a number, e.g. 0.5 (half of each batch from the task's distinct inputs)";
  const outOfRange = "the distinct share must be at least 0 and below 1 (0: uniform inputs, the paper's)";
  assertFieldErrors('distinctShare', [['0.5', noDistinct], ['0.001', noDistinct], ['half', mustBeNumber], ['NaN', mustBeNumber], ['50%', mustBeNumber], ['1', outOfRange], ['-0.1', outOfRange]]);
  assert.equal(checkForm(plan, { ...form, distinctShare: '0.5' }).preview.ok, false, 'Start stays disabled');
  for (const zero of ['0', '']) assert.equal(checkForm(plan, { ...form, distinctShare: zero }).preview.ok, true, JSON.stringify(zero));
  // a plan made elsewhere (not through the form) is refused by the recipe check itself
  assert.throws(() => recipePlanOf({ ...plan, custom: { distinctShare: 0.5 } }), /distinctShare: the parity task has no distinct inputs to draw from \(tasks with them: unique_set\)/);
});

test('a custom recipe with a distinct share trains through the worker path; its model file records it and the model page states it', async () => {
  const custom: TrainPlan = { ...plan, task: 'unique_set', preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, distinctShare: 0.5 }, steps: 4, modelPath: path.join(tmpDir('custom-distinct-share'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.equal(setup.distinctShare, 0.5, "the panel's header states it");
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.equal(start.recipe?.distinctShare, 0.5);
  // the worker runs exactly this with the start options (src/core/train/worker.ts)
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const recorded = (await loadModel(custom.modelPath)).metadata.training.recipe as { distinctShare?: number };
  assert.equal(recorded.distinctShare, 0.5);
  const page = buildModelPage({ fileName: 'm.onnx', path: custom.modelPath, onDisk: true }, fs.readFileSync(custom.modelPath)) as LoopLensModelPage;
  assert.equal(page.recipe.find((f) => f.label === 'inputs')?.value, '0.5 of each batch from inputs of n different elements (no repeats, so all n answer slots filled)');
});

test('a resumed checkpoint (the CLI may make one with --distinct-share) shows its own distinct share', () => {
  const r = applyOverrides(cpuRecipe('unique_set'), { steps: 500, distinctShare: 0.25 });
  assert.equal(resumeSetupOf(r, '/ws/runs/uset.ckpt', { provider: 'auto' }).distinctShare, 0.25);
  assert.equal(resumeSetupOf(applyOverrides(cpuRecipe('unique_set'), { steps: 500 }), '/ws/runs/uset.ckpt', { provider: 'auto' }).distinctShare, undefined);
  // a stored recipe with an explicit 0 share is the paper's uniform stream
  assert.equal(recipeSetup({ ...cpuRecipe('unique_set'), distinctShare: 0 }).distinctShare, undefined);
});

test("the custom recipe page's answer hold (the CLI's --answer-hold): parsed, checked, reset by a preset, and in the plan's recipe", () => {
  const form = formOf(plan);
  assert.equal(form.answerHold, '0', "the paper's read at T(n)");
  const plain = checkForm(plan, form);
  assert.equal(plain.plan?.custom?.answerHold, undefined, 'the default changes nothing');
  const paper = recipeOf(plain.plan!);
  assert.equal('answerHold' in paper, false, 'no key in the recipe, as the CLI without --answer-hold');
  const plainSummary = Object.fromEntries(plain.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(plainSummary.depth, 'T(n) per example: each example is read at its own loop step');
  assert.match(plainSummary.rows!, new RegExp(`; up to ${paper.horizon} loop iterations$`));
  assert.equal(trainingSetupOf(plain.plan!, { provider: 'cpu' }).loopText, 'each example read at its T(n), with input injection', 'the panel states the read at T(n)');
  for (const zero of ['', ' 0 ', '00']) {
    const z = checkForm(plan, { ...form, answerHold: zero });
    assert.equal(z.preview.ok, true, JSON.stringify(zero));
    assert.equal(z.plan?.custom?.answerHold, undefined, JSON.stringify(zero));
  }

  const held = checkForm(plan, { ...form, answerHold: ' 4 ' });
  assert.equal(held.preview.ok, true);
  assert.deepEqual(held.preview.errors, {});
  const r = recipeOf(held.plan!);
  assert.equal(r.answerHold, 4);
  assert.equal(r.horizon, paper.horizon, "the recipe's horizon is T(n)'s; the hold adds to it");
  const summary = Object.fromEntries(held.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(summary.depth, 'T(n) per example: each example read at a random step from T(n) to T(n) + 4');
  assert.equal(summary.depth, `T(n) per example: ${recordedAnswerHoldText(r)}`, 'in the words of the CLI and the model page');
  assert.match(summary.rows!, new RegExp(`; up to ${paper.horizon + 4} loop iterations$`), 'the late reads lengthen every batch');
  assert.deepEqual(held.preview.summary.map((s) => s.label), plain.preview.summary.map((s) => s.label), 'stated in the depth line');
  assert.equal(recipeSetup(r).loopText, 'each example read at a random step from T(n) to T(n) + 4, with input injection', "the Training panel's header states it");
  assert.equal(trainingSetupOf(held.plan!, { provider: 'cpu' }).loopText, 'each example read at a random step from T(n) to T(n) + 4, with input injection');
  assert.equal(checkForm(plan, { ...form, answerHold: '100' }).plan?.custom?.answerHold, 100, 'MAX_ANSWER_HOLD');
  assert.equal(formOf(held.plan!).answerHold, '4', 'a plan shows its hold again');

  const whole = 'the answer hold must be a whole number';
  const outOfRange = 'the answer hold must be between 0 and 100';
  assertFieldErrors('answerHold', [['four', whole], ['2.5', whole], ['-1', whole], ['1e2', whole], ['0x4', whole], ['101', outOfRange], ['1000000', outOfRange]]);

  const reset = presetForm(plan, { ...form, preset: 'tiny', answerHold: '4' });
  assert.equal(reset.answerHold, '0', 'a preset loads its own (the read at T(n))');
  assert.equal(isRecipeForm({ ...form, answerHold: 4 }), false, 'a number where the page sends text');
  const { answerHold: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the answer hold');
  assert.equal(validateMessage(recipeMessages, { type: 'change', form: { ...form, answerHold: ['4'] } }).ok, false, 'the message check refuses it before the host parses it');
});

test('an answer hold with a fixed depth is refused under the answer hold field, in the recipe check\'s words; a hold of 0 is fine', () => {
  const form = { ...formOf(plan), fixedSteps: '8' };
  const bad = checkForm(plan, { ...form, answerHold: '4' });
  assert.equal(bad.plan, undefined);
  assert.equal(bad.preview.ok, false, 'Start stays disabled');
  assert.deepEqual(bad.preview.errors, { answerHold: 'the fixed-depth baseline reads every example at one step (fixedSteps), not at T(n); train it without a hold' });
  assert.equal(bad.preview.error, null, 'not as the recipe\'s error');
  // checked as the field is, so said even while another field is wrong
  assert.equal(checkForm(plan, { ...form, answerHold: '4', d: 'big' }).preview.errors.answerHold, bad.preview.errors.answerHold);
  // the core's own message (validateRecipe), not a copy
  assert.throws(() => recipePlanOf({ ...plan, custom: { fixedSteps: 8, answerHold: 4 } }), (e: Error) => e.message === `training recipe: answerHold: ${bad.preview.errors.answerHold}`);
  for (const zero of ['0', '']) {
    const ok = checkForm(plan, { ...form, answerHold: zero });
    assert.equal(ok.preview.ok, true, JSON.stringify(zero));
    assert.equal('answerHold' in recipeOf(ok.plan!), false, JSON.stringify(zero));
  }
  // a problem of the recipe as a whole stays the recipe's
  const wide = checkForm(plan, { ...form, heads: '5' });
  assert.deepEqual(wide.preview.errors, {});
  assert.match(wide.preview.error!, /heads \(5\) must divide d \(64\)$/);
});

test('a custom recipe with an answer hold trains through the worker path; its model file records it and the model page states it', async () => {
  const custom: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, answerHold: 2 }, steps: 4, modelPath: path.join(tmpDir('custom-answer-hold'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.equal(setup.loopText, 'each example read at a random step from T(n) to T(n) + 2, with input injection', "the panel's header states it");
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.equal(start.recipe?.answerHold, 2);
  // the worker runs exactly this with the start options (src/core/train/worker.ts)
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const recorded = (await loadModel(custom.modelPath)).metadata.training.recipe as { answerHold?: number; horizon: number };
  assert.equal(recorded.answerHold, 2);
  const page = buildModelPage({ fileName: 'm.onnx', path: custom.modelPath, onDisk: true }, fs.readFileSync(custom.modelPath)) as LoopLensModelPage;
  assert.equal(page.recipe.find((f) => f.label === 'loss')?.value, 'each example read at a random step from T(n) to T(n) + 2');
  assert.match(page.recipe.find((f) => f.label === 'rows')!.value, new RegExp(`up to ${recorded.horizon + 2} loops per batch$`));
});

test('a resumed checkpoint (the CLI may make one with --answer-hold) shows its own answer hold', () => {
  const r = applyOverrides(cpuRecipe('parity'), { steps: 500, answerHold: 3 });
  assert.equal(resumeSetupOf(r, '/ws/runs/parity-cpu.ckpt', { provider: 'auto' }).loopText, 'each example read at a random step from T(n) to T(n) + 3, with input injection');
  assert.equal(resumeSetupOf(applyOverrides(cpuRecipe('parity'), { steps: 500 }), '/ws/runs/parity-cpu.ckpt', { provider: 'auto' }).loopText, 'each example read at its T(n), with input injection');
  // a stored recipe with an explicit 0 hold is the paper's read at T(n)
  assert.equal(recipeSetup({ ...cpuRecipe('parity'), answerHold: 0 }).loopText, 'each example read at its T(n), with input injection');
});

test("the custom recipe page's weight average (the CLI's --average-from): parsed, checked under the field, reset by a preset, and in the plan's recipe", () => {
  const form = formOf(plan);
  assert.equal(form.averageFrom, '', "empty: the paper's last weights (the page shows its placeholder)");
  const plain = checkForm(plan, form);
  assert.equal(plain.plan?.custom?.averageFrom, undefined, 'the default changes nothing');
  assert.equal('averageFrom' in recipeOf(plain.plan!), false, 'no key in the recipe, as the CLI without --average-from');
  assert.equal(plain.preview.summary.some((s) => s.label === 'saved weights'), false, "the paper's last weights are not stated");
  assert.equal(trainingSetupOf(plain.plan!, { provider: 'cpu' }).averageText, undefined, 'the panel states none for the last weights');
  for (const none of ['', '  ', 'none', ' None ']) {
    const z = checkForm(plan, { ...form, averageFrom: none });
    assert.equal(z.preview.ok, true, JSON.stringify(none));
    assert.equal(z.plan?.custom?.averageFrom, undefined, JSON.stringify(none));
  }

  const avg = checkForm(plan, { ...form, averageFrom: ' 5,000 ' });
  assert.equal(avg.preview.ok, true);
  assert.deepEqual(avg.preview.errors, {});
  const r = recipeOf(avg.plan!);
  assert.equal(r.averageFrom, 5000);
  const summary = Object.fromEntries(avg.preview.summary.map((s) => [s.label, s.value]));
  assert.equal(summary['saved weights'], "the weights averaged over steps 5,000 to 6,000 (not the paper's last weights)");
  assert.equal(summary['saved weights'], recordedSavedWeightsText(r), 'in the words of `looplens info`');
  assert.deepEqual(avg.preview.summary.map((s) => s.label), [...plain.preview.summary.map((s) => s.label), 'saved weights'], 'stated last, the rest unchanged');
  assert.equal(recipeSetup(r).averageText, 'the weights averaged over steps 5,000 to 6,000', "the Training panel's header states it");
  assert.equal(trainingSetupOf(avg.plan!, { provider: 'cpu' }).averageText, averageText(r));
  assert.equal(formOf(avg.plan!).averageFrom, '5000', 'a plan shows its average again');
  assert.equal(recipeOf(checkForm(plan, { ...form, averageFrom: '0' }).plan!).averageFrom, 0, '0 averages the whole run, not none');
  assert.equal(checkForm(plan, { ...form, averageFrom: '5999' }).plan?.custom?.averageFrom, 5999, "the run's last step");

  const whole = 'the step the average starts at must be a whole number';
  const late = (got: number) => `the weight average must start before the run's 6000 steps end: a step from 0 to 5999, got ${got}`;
  assertFieldErrors('averageFrom', [['half', whole], ['2.5', whole], ['-1', whole], ['1e3', whole], ['0x10', whole], ['6000', late(6000)], ['10000', late(10000)], ['10000000', 'the step the average starts at must be between 0 and 9,999,999']]);
  // fewer steps move the end: the core's check (validateRecipe), said under the average, not as the recipe's error
  const shorter = checkForm(plan, { ...form, averageFrom: '5000', steps: '5000' });
  assert.deepEqual([shorter.plan, shorter.preview.error], [undefined, null]);
  assert.deepEqual(shorter.preview.errors, { averageFrom: "the weight average must start before the run's 5000 steps end: a step from 0 to 4999, got 5000" });
  assert.deepEqual(Object.keys(checkForm(plan, { ...form, averageFrom: '5000', steps: 'many' }).preview.errors), ['steps'], 'no end to check against');

  const reset = presetForm(plan, { ...form, preset: 'tiny', averageFrom: '1000' });
  assert.equal(reset.averageFrom, '', 'a preset loads its own (the last weights)');
  assert.equal(isRecipeForm({ ...form, averageFrom: 5000 }), false, 'a number where the page sends text');
  const { averageFrom: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the weight average');
  assert.equal(validateMessage(recipeMessages, { type: 'change', form: { ...form, averageFrom: ['5000'] } }).ok, false, 'the message check refuses it before the host parses it');
});

test("a fine-tune's recipe page keeps the weight average editable: not greyed, in its recipe beside the weights it starts from", () => {
  const shape = { d: 64, layers: 1, heads: 4, attentionScale: 'none' as const, inputInjection: true, singleStage: true };
  const tuned: TrainPlan = { ...plan, start: { modelPath: '/m/p.onnx', init: { model: 'p.onnx', weightsCrc32: 0xff, stepsBefore: 6000 }, shape } };
  assert.equal(NETWORK_FIELDS.includes('averageFrom'), false, 'the page does not grey it');
  const ok = checkForm(tuned, { ...formOf(tuned), averageFrom: '1500', steps: '2000' });
  assert.equal(ok.preview.ok, true, JSON.stringify(ok.preview.errors));
  const r = recipeOf(ok.plan!);
  assert.deepEqual([r.preset, r.averageFrom, r.steps, r.initFrom?.model], ['fine-tune', 1500, 2000, 'p.onnx']);
  const labels = ok.preview.summary.map((s) => s.label);
  assert.deepEqual([labels[0], labels.at(-1)], ['weights', 'saved weights'], 'where it starts, then what it saves');
  assert.equal(checkForm(tuned, { ...formOf(tuned), averageFrom: '2000', steps: '2000' }).preview.errors.averageFrom, "the weight average must start before the run's 2000 steps end: a step from 0 to 1999, got 2000");
});

test('a custom recipe with a weight average trains through the worker path; its model file records it and the model page states it', async () => {
  const custom: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, averageFrom: 2 }, steps: 4, modelPath: path.join(tmpDir('custom-average'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.equal(setup.averageText, 'the weights averaged over steps 2 to 4', "the panel's header states it");
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.equal(start.recipe?.averageFrom, 2);
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  assert.equal((await loadModel(custom.modelPath)).metadata.training.recipe.averageFrom, 2);
  const page = buildModelPage({ fileName: 'm.onnx', path: custom.modelPath, onDisk: true }, fs.readFileSync(custom.modelPath)) as LoopLensModelPage;
  assert.equal(page.recipe.find((f) => f.label === 'weights')?.value, "the weights averaged over steps 2 to 4 (not the paper's last weights)");
});

test('a resumed checkpoint (the CLI may make one with --average-from) shows its own weight average', () => {
  const r = applyOverrides(cpuRecipe('parity'), { steps: 500, averageFrom: 400 });
  assert.equal(resumeSetupOf(r, '/ws/runs/parity-cpu.ckpt', { provider: 'auto' }).averageText, 'the weights averaged over steps 400 to 500');
  assert.equal(resumeSetupOf(applyOverrides(r, { averageFrom: null }), '/ws/runs/parity-cpu.ckpt', { provider: 'auto' }).averageText, undefined);
});

test("the custom recipe page's stages (the CLI's --stages): the preset's shown, parsed, checked under the field, and in the plan's recipe", () => {
  const addition: TrainPlan = { ...plan, task: 'addition', modelPath: '/ws/models/addition-cpu.onnx' };
  const form = formOf(addition);
  assert.equal(form.stages, '20000:12, 23500:16, 25000:19, 27000:24:0.0003:long=0.5', "the preset's stages");
  assert.equal(form.maxLength, '8', "the longest length is the curriculum's own");
  const same = checkForm(addition, form);
  assert.deepEqual(recipeOf(same.plan!), { ...cpuRecipe('addition'), preset: CUSTOM_PRESET_LABEL }, 'the form as shown is the preset');
  assert.match(same.preview.summary.find((f) => f.label === 'curriculum')!.value, /all of 1\.\.8 from step 3,500, then 1\.\.12 from step 20,000 \(lr 0\.001\), 1\.\.16 from step 23,500/);
  assert.equal(same.preview.summary.find((f) => f.label === 'learning rate')!.value, '0.001 until step 4,500, then cosine to 0 at step 20,000 (each stage: its own decay)');
  const changed = checkForm(addition, { ...form, stages: '20000:14:3e-4' });
  assert.deepEqual(recipeOf(changed.plan!).stages, [{ fromStep: 20000, maxLength: 14, lr: 3e-4 }]);
  const long = checkForm(addition, { ...form, stages: '20000:14:3e-4:long=0.5' });
  assert.deepEqual(recipeOf(long.plan!).stages, [{ fromStep: 20000, maxLength: 14, lr: 3e-4, longShare: 0.5 }], 'a stage may carry its own long share');
  const held = checkForm(addition, { ...form, stages: '20000:14:3e-4:hold=4' });
  assert.deepEqual(recipeOf(held.plan!).stages, [{ fromStep: 20000, maxLength: 14, lr: 3e-4, answerHold: 4 }], 'and its own answer hold');
  const branched = checkForm(addition, { ...form, stages: '20000:14:3e-4:branches=3' });
  assert.deepEqual(recipeOf(branched.plan!).stages, [{ fromStep: 20000, maxLength: 14, lr: 3e-4, branches: 3 }], 'the last stage may run as branches');
  const earlyBranches = checkForm(addition, { ...form, stages: '20000:14:branches=3, 25000:19' });
  assert.match(earlyBranches.preview.errors.stages!, /^stage 1 runs as branches, but only the last stage may/, 'said under the stages field');
  assert.match(held.preview.summary.find((f) => f.label === 'rows')!.value, new RegExp(`up to ${recipeOf(held.plan!).horizon + 4} loop iterations$`), "the hold's late reads in the rows' loops");
  const heldFixed = checkForm(addition, { ...form, stages: '20000:14:hold=4', fixedSteps: '20' });
  assert.equal(heldFixed.plan, undefined);
  assert.match(heldFixed.preview.errors.stages!, /stage 1's answer hold: the fixed-depth baseline reads every example at one step/, 'said under the stages field');
  const none = checkForm(addition, { ...form, stages: 'none' });
  assert.equal(recipeOf(none.plan!).stages, undefined);
  assert.equal(formOf(plan).stages, 'none', "parity's preset has none");
  assert.deepEqual(presetForm(plan, { ...form, preset: 'cpu' }).stages, 'none', "a preset's values replace the stages too");
  const bad = checkForm(addition, { ...form, stages: '20000' });
  assert.equal(bad.plan, undefined);
  assert.match(bad.preview.errors.stages!, /^stage 1 \("20000"\) does not read as FROM:LONGEST\[:LR\]/);
  const late = checkForm(addition, { ...form, steps: '10000' });
  assert.equal(late.plan, undefined);
  assert.deepEqual(Object.keys(late.preview.errors), ['stages'], 'a stage past the run is said under the stages field');
  assert.match(late.preview.errors.stages!, /^stage 1 must start at a step after 0 and before the run's 10000 steps end, got 20000/);
});

test('a run resumed from its checkpoint alone keeps its own recipe and saves its model beside it', () => {
  const r = applyOverrides(cpuRecipe('parity'), { steps: 500 });
  const setup = resumeSetupOf(r, '/ws/runs/parity-cpu.ckpt', { provider: 'auto' });
  assert.equal(setup.modelPath, path.join('/ws/runs', 'parity-cpu.onnx'));
  assert.equal(setup.checkpointPath, '/ws/runs/parity-cpu.ckpt');
  assert.equal(setup.steps, 500);
  assert.equal(setup.maxTrainLength, 5, 'steps 0..499 of a 100-step interval reach n_points 6');
  assert.deepEqual(setup.finalEval?.examples, 640);
  assert.equal(modelPathForCheckpoint('/a/b.CKPT'), '/a/b.onnx');
});

test('the pages\' messages are checked before their panels see them', () => {
  const form = formOf(plan);
  assert.equal(validateMessage(recipeMessages, { type: 'change', form }).ok, true);
  const bad = validateMessage(recipeMessages, { type: 'start', form: { ...form, d: 64 } });
  assert.deepEqual(bad, { ok: false, problem: 'the page sent a malformed "start" message: form must be a recipe form (every field a string)' });
  assert.equal(validateMessage(recipeMessages, { type: 'start' }).ok, false);
  assert.equal(validateMessage(modelPageMessages, { type: 'stepThrough' }).ok, true);
  assert.equal(validateMessage(modelPageMessages, { type: 'openFile', path: '/etc/passwd' }).ok, false, 'the model editor acts only on the file it opened');
});
