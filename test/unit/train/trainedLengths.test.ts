// "Trained" means the lengths the curriculum actually reached, which the model file records: a
// 300-step run of a 6000-step curriculum trained on 1..3, whatever its recipe's curriculum says.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, modelFileBytes, parseModel } from '../../../src/core/model/modelFile';
import type { TrainingRecord } from '../../../src/core/model/modelMetadata';
import { initParams } from '../../../src/core/model/params';
import { taskFromRaspl } from '../../../src/core/programs/tasks/fromRaspl';
import { getTask } from '../../../src/core/tasks';
import { cpuRecipe } from '../../../src/core/train/presets';
import { applyOverrides, makeRecipe } from '../../../src/core/train/recipePlan';
import { runTrainJob } from '../../../src/core/train/trainJob';
import { recordedTrainedLengths, trainedLengthsAt, trainedLengthsText, trainingRecordOf } from '../../../src/core/train/trainRecord';
import type { TrainResult } from '../../../src/core/train/trainEvents';
import { Rng } from '../../../src/core/util/rng';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';

test('trainedLengthsAt follows the curriculum to the last completed step', () => {
  const unscaled = applyOverrides(cpuRecipe('parity'), { steps: 300 }); // the old behaviour: curriculum of 6000 steps
  assert.deepEqual(trainedLengthsAt(unscaled, 300), { min: 1, max: 3 }, 'steps 0..299: n_points 2, 3, 4');
  assert.deepEqual(trainedLengthsAt(unscaled, 100), { min: 1, max: 1 });
  assert.deepEqual(trainedLengthsAt(unscaled, 101), { min: 1, max: 2 });
  assert.equal(trainedLengthsAt(unscaled, 0), undefined, 'no step, no lengths');
  assert.deepEqual(trainedLengthsAt(makeRecipe('parity', 'cpu', { steps: 300 }), 300), { min: 1, max: 20 }, 'rescaled: the whole range');
  assert.deepEqual(trainedLengthsAt(cpuRecipe('parity'), 6000), { min: 1, max: 20 });
  assert.deepEqual(trainedLengthsAt(cpuRecipe('multiplication'), 8000), { min: 1, max: 11 }, 'n_b for multiplication');
  // a RASP-L task whose lengths start above 1
  const src = fs.readFileSync(path.join(__dirname, '../../../models/tasks/parity.raspl'), 'utf8').replace('@lengths n in 1..20', '@lengths n in 3..12');
  const custom = taskFromRaspl(src, 'parity3.raspl');
  const r = cpuRecipe(custom);
  assert.deepEqual(trainedLengthsAt(r, 1, custom), { min: 3, max: 3 });
  assert.deepEqual(trainedLengthsAt(r, r.steps, custom), { min: 3, max: 12 });
});

test('the training record carries the reached lengths; text and reader handle old and odd records', () => {
  const recipe = applyOverrides(cpuRecipe('parity'), { steps: 300 });
  const result: TrainResult = { status: 'finished', step: 300, recipe, params: {}, history: [], elapsedSeconds: 1, finalLoss: 0.5, provider: 'cpu' };
  const rec = trainingRecordOf(result);
  assert.deepEqual(rec.trainedLengths, { min: 1, max: 3 });
  assert.equal(trainedLengthsText(recordedTrainedLengths(rec)), '1..3');
  const old = { ...rec } as Partial<TrainingRecord>;
  delete old.trainedLengths;
  assert.equal(recordedTrainedLengths(old as TrainingRecord), undefined);
  assert.equal(trainedLengthsText(undefined), 'unknown');
  for (const bad of [null, 5, { min: 0, max: 3 }, { min: 4, max: 3 }, { min: 1.5, max: 3 }, { max: 3 }]) {
    assert.equal(recordedTrainedLengths({ trainedLengths: bad } as never), undefined, JSON.stringify(bad));
  }
  // a checkpoint at step 0 (nothing trained yet) records no lengths
  assert.equal(trainingRecordOf({ ...result, step: 0 }).trainedLengths, undefined);
});

test('a trained model file records its lengths, and a file without them (older LoopLens) still loads', async () => {
  const dir = tmpDir('trained-lengths');
  const file = path.join(dir, 'm.onnx');
  const recipe = microParity(12); // interval 5: steps 0..11 reach n_points 4
  const job = await runTrainJob({ recipe, modelPath: file, provider: 'cpu', cpuThreads: 1 });
  assert.equal(job.train.status, 'finished');
  const m = await loadModel(file);
  assert.deepEqual(m.metadata.training.trainedLengths, { min: 1, max: 3 });
  assert.deepEqual(recordedTrainedLengths(m.metadata.training), { min: 1, max: 3 });

  const task = getTask('parity');
  const config = recipe.model;
  const rng = new Rng(1);
  const oldRecord = { ...m.metadata.training };
  delete oldRecord.trainedLengths;
  const bytes = modelFileBytes({ task, config, params: initParams(config, () => rng.float()), training: oldRecord });
  const loaded = parseModel(bytes, 'old.onnx');
  assert.equal(loaded.metadata.training.trainedLengths, undefined);
  assert.equal(recordedTrainedLengths(loaded.metadata.training), undefined, 'unknown, not guessed from the recipe');
});
