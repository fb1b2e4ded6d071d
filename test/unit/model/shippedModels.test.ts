// The models shipped in models/ are what the README says: each loads (format, CRC, task), was trained
// on the lengths its recipe names, and still answers at its longest training length and beyond.
// A regression guard for the model format and the inference graph as much as for the files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { evaluateParams, ORACLE, PER_BATCH } from '../../../src/core/eval/evaluate';
import { loadModel } from '../../../src/core/model/modelFile';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { recordedLongestLength } from '../../../src/core/train/trainRecord';

const modelsDir = path.join(__dirname, '../../../models');
const shipped = fs.readdirSync(modelsDir).filter((f) => f.endsWith('.onnx')).sort();

test('models/ ships a model for each of the six tasks', () => {
  assert.deepEqual(shipped, ['addition.onnx', 'binary_sum.onnx', 'copy.onnx', 'multiplication.onnx', 'parity.onnx', 'unique_set.onnx']);
});

/** How far past its longest training length every model is held to 90% here (or to the paper's test length, if nearer). */
const REACH_BEYOND = 5;

for (const file of shipped) {
  test(`models/${file} loads and is right beyond its training lengths`, async () => {
    const model = await loadModel(path.join(modelsDir, file));
    assert.equal(model.task.name, path.basename(file, '.onnx'));
    const recipe = model.metadata.training.recipe;
    const trainMax = recordedLongestLength(recipe);
    assert.ok(trainMax !== undefined, `${file}: its recipe names its training lengths`);
    // What the README promises: the file is what `looplens train --task T` (the cpu preset) trains.
    assert.deepEqual(recipe, JSON.parse(JSON.stringify(makeRecipe(model.task.name, 'cpu'))), 'the cpu preset changed: retrain the shipped model or restore the preset');
    // 64 examples at the longest training length and a few beyond it (or the paper's test length, if nearer),
    // under the oracle and the paper's rule (the README gives the 6400-example numbers further out).
    const lengths = [trainMax, Math.min(trainMax + REACH_BEYOND, model.task.testLength)];
    const r = await evaluateParams(model.task, model.config, model.params, { lengths, examples: 64, batchSize: 64, seed: 99, rules: [ORACLE, PER_BATCH], provider: 'cpu', cpuThreads: 1 });
    for (const row of r.summary.rows) {
      assert.ok(row.oracle >= 0.9, `${file} n=${row.length}: oracle ${row.oracle}`);
      assert.ok(row.perBatch >= 0.9, `${file} n=${row.length}: per-batch ${row.perBatch}`);
    }
  });
}
