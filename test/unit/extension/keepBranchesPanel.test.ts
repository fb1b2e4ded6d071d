// Keeping each branch of a last stage run as branches, from VS Code: the custom recipe page's
// "Keep each branch" field (checked against the stages), the plan through the real training worker
// to the Training panel's state, and a restored panel that names the files from the host's paths.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { getTask } from '../../../src/core/tasks';
import { parseWorkerOutbound } from '../../../src/core/train/workerMessages';
import { checkForm, formOf } from '../../../src/extension/train/recipeForm';
import { recipeOf, resumeSetupOf, trainingSetupOf, workerStartOptions, type TrainPlan } from '../../../src/extension/train/trainPlan';
import { TrainingRun } from '../../../src/extension/train/trainingRun';
import { restoreTrainingState } from '../../../src/extension/panels/panelRestore';
import type { TrainingSetup } from '../../../src/protocol/training';
import { microParity } from '../../support/tinyRecipes';
import { sourceTrainingWorker, tmpDir } from './helpers';

const worker = sourceTrainingWorker;
const copy: TrainPlan = { task: 'copy', preset: 'cpu', modelPath: '/ws/runs/copy-cpu.onnx', finalEval: { lengths: [19, 30], examples: 640 } };

test("the recipe page's Keep each branch: off by default, on only with a branched last stage, and through the plan to the worker", () => {
  const form = formOf(copy);
  assert.equal(form.keepBranches, 'off');
  const kept = checkForm(copy, { ...form, keepBranches: 'on' });
  assert.equal(kept.plan?.keepBranches, true, "copy's cpu preset ends with three branches");
  assert.equal(kept.preview.summary.find((f) => f.label === 'kept branches')?.value, 'each of the 3 also saved as copy-cpu-branch1.onnx … copy-cpu-branch3.onnx and evaluated beside their mean');
  assert.equal(formOf(kept.plan!).keepBranches, 'on', 'the form shows the plan again');
  const setup = trainingSetupOf(kept.plan!, { provider: 'cpu' });
  assert.equal(setup.keepBranches, true);
  assert.equal(workerStartOptions(setup, { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(kept.plan!)).keepBranches, true);
  const plain = checkForm(copy, form);
  assert.equal(plain.plan?.keepBranches, undefined);
  assert.equal(workerStartOptions(trainingSetupOf(plain.plan!, { provider: 'cpu' }), { provider: 'cpu', cpuThreads: 1 }, false, recipeOf(plain.plan!)).keepBranches, undefined);
  const once = checkForm(copy, { ...form, stages: '16000:19:1e-4:long=0.5', keepBranches: 'on' });
  assert.equal(once.plan, undefined);
  assert.equal(once.preview.errors.keepBranches, 'the last stage runs once: add branches=B to it under Stages to keep each branch');
  assert.equal(checkForm(copy, { ...form, stages: 'none', keepBranches: 'on' }).preview.errors.keepBranches, 'the recipe has no stages: add one under Stages with branches=B to keep each branch');
  assert.equal(checkForm(copy, { ...form, keepBranches: 'maybe' }).preview.errors.keepBranches, 'choose on or off');
});

test('"Resume Training" on a checkpoint keeps its branches when the run keeps them', () => {
  const recipe = recipeOf(copy);
  const kept = resumeSetupOf(recipe, '/ws/runs/copy-cpu.ckpt', { provider: 'cpu' }, { keepBranches: true });
  assert.equal(kept.keepBranches, true);
  assert.equal(workerStartOptions(kept, { provider: 'cpu', cpuThreads: 1 }, true).keepBranches, true);
  assert.equal(resumeSetupOf(recipe, '/ws/runs/copy-cpu.ckpt', { provider: 'cpu' }).keepBranches, undefined);
});

test('a run keeping its branches through the real worker: the panel lists each file and its evaluation beside the mean', async () => {
  const dir = tmpDir();
  const task = getTask('parity');
  const recipe = { ...microParity(30), schedule: { kind: 'cosine' as const, lr: 3e-3, holdSteps: 6 }, stages: [{ fromStep: 20, maxLength: 7, lr: 2e-3, branches: 2 }], width: task.rowWidth(8), horizon: task.horizon(8) };
  const setup: TrainingSetup = {
    task: 'parity', taskTitle: 'Parity', preset: 'test-micro', model: { d: 16, layers: 1, heads: 2 }, steps: 30, batchSize: 8, lr: 3e-3, curriculum: recipe.curriculum, maxTrainLength: 7, seed: 3,
    modelPath: path.join(dir, 'm.onnx'), checkpointPath: path.join(dir, 'm.ckpt'), provider: 'cpu', finalEval: { lengths: [3, 6], examples: 8 }, quickEvalLengths: [5], lastStageBranches: 2, keepBranches: true,
  };
  const start = { ...workerStartOptions({ ...setup, preset: 'cpu' }, { provider: 'cpu', cpuThreads: 1 }, false), recipe, progressIntervalMs: 0 };
  const logs: string[] = [];
  const s = await new TrainingRun({ worker, start, setup, log: (l) => logs.push(l) }).finished;
  assert.equal(s.status, 'finished', JSON.stringify(s.error));
  assert.deepEqual(logs.filter((l) => /training worker sent/.test(l)), [], 'the host accepts the result with its branches');
  assert.deepEqual(s.result?.branches?.map((b) => [b.index, b.of, b.file, b.rows?.map((r) => r.length)]), [[1, 2, 'm-branch1.onnx', [3, 6]], [2, 2, 'm-branch2.onnx', [3, 6]]]);
  assert.deepEqual((await loadModel(path.join(dir, 'm-branch2.onnx'))).metadata.training.branch, { index: 2, of: 2 });
  // a window reload: the saved state's file names give way to the host's
  const saved = JSON.parse(JSON.stringify({ ...s, result: { ...s.result, branches: s.result!.branches!.map((b) => ({ ...b, file: '../../etc/passwd' })) } }));
  const restored = restoreTrainingState(saved, { setup })!;
  assert.deepEqual(restored.result?.branches?.map((b) => b.file), ['m-branch1.onnx', 'm-branch2.onnx']);
  assert.equal(restoreTrainingState({ ...saved, result: { ...saved.result, branches: [{ index: 3, of: 2, file: null, rows: null }, 'x'] } }, { setup }), null, 'a hostile branch list is refused');
  assert.ok(fs.existsSync(path.join(dir, 'm-branch1.onnx')));
});

test("the worker's result names real branches only", () => {
  const result = { type: 'result', status: 'finished', step: 30, elapsedSeconds: 1, finalLoss: 0.5 };
  assert.doesNotThrow(() => parseWorkerOutbound({ ...result, branches: [{ index: 1, of: 2 }, { index: 2, of: 2, modelPath: '/r/m-branch2.onnx' }] }));
  assert.throws(() => parseWorkerOutbound({ ...result, branches: [{ index: 3, of: 2 }] }), /branches.*names branch 3 of 2/);
  assert.throws(() => parseWorkerOutbound({ ...result, branches: [{ index: 1, of: 1 }] }), /branches/);
});
