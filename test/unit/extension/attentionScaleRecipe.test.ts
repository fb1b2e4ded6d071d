// The attention scale (the CLI's --attention-scale) in VS Code: the custom recipe page's field
// (parsed, checked, reset by a preset, in the plan's recipe and its preview), the worker path that
// trains it, a fine-tune's change to learned key scales, and what the Training panel, the model page
// and the Evaluation panel say of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, weightsCrc32 } from '../../../src/core/model/modelFile';
import { startingWeights } from '../../../src/core/train/fineTune';
import { runTrainJob } from '../../../src/core/train/trainJob';
import { FINE_TUNE_DEFAULTS, fineTunePlan } from '../../../src/extension/train/fineTunePlan';
import { checkForm, formOf, lockedNetworkFields, presetForm } from '../../../src/extension/train/recipeForm';
import { recipeOf, trainingSetupOf, workerStartOptions, type TrainPlan } from '../../../src/extension/train/trainPlan';
import { buildModelPage } from '../../../src/extension/modelEditor/modelPage';
import { configText } from '../../../src/extension/models/modelSummary';
import { evaluationSetupOf } from '../../../src/extension/evaluate/evaluationState';
import { isRecipeForm } from '../../../src/protocol/recipe';
import type { LoopLensModelPage } from '../../../src/protocol/modelPage';
import { tmpDir } from '../../support/tmpDir';

const plan: TrainPlan = { task: 'parity', preset: 'cpu', modelPath: '/ws/models/parity-cpu.onnx', finalEval: { lengths: [10, 20, 30, 40], examples: 640 } };

test("the custom recipe page's attention field: the paper's by default, log-keys in the recipe and the preview, bad text refused, reset by a preset", () => {
  const form = formOf(plan);
  assert.equal(form.attention, 'none');
  const plain = checkForm(plan, form);
  assert.equal(plain.plan?.custom?.attentionScale, undefined, "the paper's attention changes nothing");
  assert.equal(plain.preview.summary.find((s) => s.label === 'attention'), undefined, "the preview names only a non-paper attention");

  const scaled = checkForm(plan, { ...form, attention: 'log-keys' });
  assert.equal(scaled.preview.ok, true);
  assert.equal(recipeOf(scaled.plan!).model.attentionScale, 'log-keys');
  assert.equal(scaled.preview.summary.find((s) => s.label === 'attention')?.value, 'scores times ln(number of keys each query sees) (Scalable-Softmax; not in the paper)');
  assert.equal(formOf(scaled.plan!).attention, 'log-keys', 'a plan shows its attention again');

  const bad = checkForm(plan, { ...form, attention: 'sqrt-keys' });
  assert.equal(bad.plan, undefined);
  assert.deepEqual(bad.preview.errors, { attention: 'attention is none, log-keys or learned-log-keys' });
  const learned = checkForm(plan, { ...form, attention: 'learned-log-keys' });
  assert.equal(recipeOf(learned.plan!).model.attentionScale, 'learned-log-keys');
  assert.match(learned.preview.summary.find((s) => s.label === 'attention')?.value ?? '', /^scores times 1 \+ s ln\(number of keys each query sees\), s learned per head from 0/);
  assert.equal(presetForm(plan, { ...form, preset: 'tiny', attention: 'log-keys' }).attention, 'none', "a preset loads the paper's attention");
  const { attention: _dropped, ...missing } = form;
  assert.equal(isRecipeForm(missing), false, 'a form without the attention field');
});

test('a custom recipe with log-keys attention trains through the worker path; the panels and the model page state it', async () => {
  const custom: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, attentionScale: 'log-keys' }, steps: 4, modelPath: path.join(tmpDir('custom-attention'), 'm.onnx'), finalEval: null };
  const setup = trainingSetupOf(custom, { provider: 'cpu' });
  assert.deepEqual(setup.model, { d: 16, layers: 1, heads: 2, attention: 'attention × ln keys' }, "the Training panel's model chips");
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  assert.equal(start.recipe?.model.attentionScale, 'log-keys');
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const model = await loadModel(custom.modelPath);
  assert.equal(model.config.attentionScale, 'log-keys');
  assert.equal(configText(model), 'd = 16, 1 layer, 2 heads, attention × ln keys');
  assert.equal(evaluationSetupOf(model, { lengths: [3], examples: 8, batchSize: 8, seed: 0 }).model.attention, 'attention × ln keys', "the Evaluation panel's model chips");
  const page = buildModelPage({ fileName: 'm.onnx', path: custom.modelPath, onDisk: true }, fs.readFileSync(custom.modelPath)) as LoopLensModelPage;
  assert.equal(page.architecture.find((f) => f.label === 'attention')?.value, 'scores times ln(number of keys each query sees) (Scalable-Softmax; not in the paper)');
  assert.ok(page.chips.includes('attention × ln keys'), page.chips.join(' | '));
});

test('a custom recipe with learned key scales trains through the worker path; the model page states the attention and each head s', async () => {
  const custom: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3, attentionScale: 'learned-log-keys' }, steps: 4, modelPath: path.join(tmpDir('custom-attention'), 'm.onnx'), finalEval: null };
  const start = workerStartOptions(trainingSetupOf(custom, { provider: 'cpu' }), { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(custom));
  const job = await runTrainJob({ recipe: start.recipe!, modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const model = await loadModel(custom.modelPath);
  const page = buildModelPage({ fileName: 'm.onnx', path: custom.modelPath, onDisk: true }, fs.readFileSync(custom.modelPath)) as LoopLensModelPage;
  assert.ok(page.chips.includes('attention × (1 + s ln keys)'), page.chips.join(' | '));
  const s = Array.from(model.params['layers.0.attn.keyScale']!, (v) => (10 * v).toFixed(2)).join(' ');
  assert.equal(page.architecture.find((f) => f.label === 'key scales s')?.value, `per head: layer 1: ${s}`);
});

test("a fine-tune on the recipe page may give a paper-attention model learned key scales (the same function at the start), and nothing else", async () => {
  const dir = tmpDir('fine-tune-attention');
  const source: TrainPlan = { ...plan, preset: 'tiny', custom: { d: 16, heads: 2, batchSize: 8, maxLength: 3 }, steps: 4, modelPath: path.join(dir, 'm.onnx'), finalEval: null };
  const first = workerStartOptions(trainingSetupOf(source, { provider: 'cpu' }), { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(source));
  assert.equal((await runTrainJob({ recipe: first.recipe!, modelPath: first.modelPath, provider: 'cpu', cpuThreads: 1 })).train.status, 'finished');
  const paper = await loadModel(source.modelPath);

  const fineTune = fineTunePlan(paper, source.modelPath, FINE_TUNE_DEFAULTS, dir);
  const locked = lockedNetworkFields(fineTune.start!.shape);
  assert.deepEqual([locked.includes('attention'), locked.includes('d'), locked.includes('heads')], [false, true, true], 'the page leaves the attention open');
  const form = { ...formOf(fineTune), steps: '3' };
  assert.deepEqual(checkForm(fineTune, { ...form, attention: 'log-keys' }).preview.errors, {
    attention: 'a fine-tune keeps the network of m.onnx: attention none (or learned-log-keys, which starts as the same function)',
  });
  const learned = checkForm(fineTune, { ...form, attention: 'learned-log-keys' });
  assert.equal(learned.preview.ok, true, JSON.stringify(learned.preview.errors));
  const recipe = recipeOf(learned.plan!);
  assert.deepEqual([recipe.model.attentionScale, recipe.model.d, recipe.initFrom?.weightsCrc32], ['learned-log-keys', 16, weightsCrc32(paper.config, paper.params)]);

  // the worker's path: the model's weights with every key scale at 0, recorded under the model's own CRC-32
  const setup = trainingSetupOf(learned.plan!, { provider: 'cpu' });
  const start = workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipe, fineTune.start!.modelPath);
  const job = await runTrainJob({ recipe: start.recipe!, initParams: startingWeights(start.recipe!, await loadModel(start.initFrom!), start.initFrom!), modelPath: start.modelPath, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const tuned = await loadModel(learned.plan!.modelPath);
  assert.equal(tuned.config.attentionScale, 'learned-log-keys');
  assert.ok(tuned.params['layers.0.attn.keyScale']!.some((v) => v !== 0), 'the key scales moved from 0');
  assert.ok(lockedNetworkFields(fineTunePlan(tuned, learned.plan!.modelPath, FINE_TUNE_DEFAULTS, dir).start!.shape).includes('attention'), "a learned-key-scale model's fine-tune keeps its attention");
});
