// Saving the weights and the run's checkpoint at chosen steps, from VS Code (the CLI's --save-at): the
// custom recipe page's "Save at steps" field, the plan through the real training worker to the Training
// panel's state, a resume that keeps the steps, and a restored panel that names the files from the host's paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { readRunState } from '../../../src/core/train/trainingCheckpoint';
import { checkForm, formOf } from '../../../src/extension/train/recipeForm';
import { recipeOf, resumeSetupOf, trainingSetupOf, workerStartOptions, type TrainPlan } from '../../../src/extension/train/trainPlan';
import { TrainingRun } from '../../../src/extension/train/trainingRun';
import { initialTrainingState } from '../../../src/extension/train/trainingState';
import { restoreTrainingState } from '../../../src/extension/panels/panelRestore';
import type { TrainingSetup } from '../../../src/protocol/training';
import { microParity } from '../../support/tinyRecipes';
import { sourceTrainingWorker, tmpDir } from './helpers';

const worker = sourceTrainingWorker;
const parity: TrainPlan = { task: 'parity', preset: 'cpu', modelPath: '/ws/runs/parity-cpu.onnx', finalEval: { lengths: [10, 20], examples: 640 } };

test("the recipe page's Save at steps: none by default, checked against the run's steps, stated in the preview and passed to the worker", () => {
  const form = formOf(parity);
  assert.equal(form.saveAt, '');
  const plain = checkForm(parity, form);
  assert.equal(plain.plan?.saveAt, undefined);
  assert.equal(plain.preview.summary.some((f) => f.label === 'kept along the way'), false);
  assert.equal(workerStartOptions(trainingSetupOf(plain.plan!, { provider: 'cpu' }), { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(plain.plan!)).saveAt, undefined);

  const kept = checkForm(parity, { ...form, saveAt: ' 3000, 1500 ,3000' });
  assert.deepEqual(kept.preview.errors, {});
  assert.deepEqual(kept.plan?.saveAt, [1500, 3000], 'sorted, once each');
  assert.equal(kept.preview.summary.find((f) => f.label === 'kept along the way')?.value, "the weights and the run's checkpoint at steps 1,500, 3,000 (parity-cpu-step1500.onnx, .ckpt …): starting points for probes and forks");
  assert.equal(formOf(kept.plan!).saveAt, '1500,3000', 'the form shows the plan again');
  const setup = trainingSetupOf(kept.plan!, { provider: 'cpu' });
  assert.deepEqual(setup.saveAt, [1500, 3000]);
  assert.deepEqual(workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(kept.plan!)).saveAt, [1500, 3000]);
  assert.deepEqual(checkForm(parity, { ...form, saveAt: 'none' }).plan?.saveAt, undefined);

  const steps = recipeOf(plain.plan!).steps;
  assert.equal(checkForm(parity, { ...form, saveAt: `100,${steps}` }).preview.errors.saveAt, `step ${steps} is not before the run's last (${steps}): the model is saved after the last step anyway`);
  assert.equal(checkForm(parity, { ...form, saveAt: `100,${steps}` }).plan, undefined);
  assert.match(checkForm(parity, { ...form, saveAt: '0' }).preview.errors.saveAt ?? '', /a step to save at/);
  assert.match(checkForm(parity, { ...form, saveAt: '12,x' }).preview.errors.saveAt ?? '', /a step to save at/);
  // "Resume Training" on a checkpoint shows the steps it keeps
  assert.deepEqual(resumeSetupOf(recipeOf(parity), '/ws/runs/parity-cpu.ckpt', { provider: 'cpu' }, { saveAt: [1500] }).saveAt, [1500]);
});

test('a run saving at steps through the real worker: the panel lists the kept files; a resume keeps those before its checkpoint; a reload names them from the host', async () => {
  const dir = tmpDir();
  const recipe = microParity(12);
  const setup: TrainingSetup = {
    task: 'parity', taskTitle: 'Parity', preset: 'test-micro', model: { d: 16, layers: 1, heads: 2 }, steps: 12, batchSize: 8, lr: 3e-3, curriculum: recipe.curriculum, maxTrainLength: 5, seed: 3,
    modelPath: path.join(dir, 'm.onnx'), checkpointPath: path.join(dir, 'm.ckpt'), provider: 'cpu', finalEval: null, quickEvalLengths: [5], saveAt: [4, 8],
  };
  const start = { ...workerStartOptions({ ...setup, preset: 'cpu' }, { provider: 'cpu', cpuThreads: 1 }, false), recipe, progressIntervalMs: 0 };
  const logs: string[] = [];
  const s = await new TrainingRun({ worker, start, setup, log: (l) => logs.push(l) }).finished;
  assert.equal(s.status, 'finished', JSON.stringify(s.error));
  assert.deepEqual(logs.filter((l) => /training worker sent/.test(l)), []);
  assert.deepEqual(s.saved, [
    { step: 4, model: 'm-step4.onnx', checkpoint: 'm-step4.ckpt' },
    { step: 8, model: 'm-step8.onnx', checkpoint: 'm-step8.ckpt' },
  ]);
  assert.equal((await readRunState(path.join(dir, 'm-step8.ckpt'))).opt.step, 8);
  assert.ok(fs.existsSync(path.join(dir, 'm-step4.onnx')));

  // a resume from step 6 keeps what was kept before it
  const resumed = initialTrainingState(setup, { ...s, checkpoint: { step: 6, path: setup.checkpointPath } });
  assert.deepEqual(resumed.saved?.map((k) => k.step), [4]);
  // a window reload: the saved state's file names give way to the host's
  const saved = JSON.parse(JSON.stringify({ ...s, saved: s.saved!.map((k) => ({ ...k, model: '../../etc/passwd' })) }));
  assert.deepEqual(restoreTrainingState(saved, { setup })?.saved, s.saved);
  assert.equal(restoreTrainingState({ ...saved, saved: [{ step: -1, model: 'x', checkpoint: 'y' }] }, { setup }), null, 'a hostile list is refused');
});
