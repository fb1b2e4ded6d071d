// Issue 17, training: shapes are checked against the parameter limit and this machine's memory
// before anything is allocated (every shipped preset fits a small machine), a warm-up longer than
// the run is reported, and a run cleans the temp files that killed writes left beside its checkpoint.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { checkTrainingResources, estimateTraining, recipeWarnings } from '../../../src/core/train/trainLimits';
import { presetNames } from '../../../src/core/train/presets';
import { applyOverrides, makeRecipe } from '../../../src/core/train/recipePlan';
import { RecipeError } from '../../../src/core/train/recipe';
import { train } from '../../../src/core/train/trainer';
import { taskNames } from '../../../src/core/tasks';
import { ResourceLimitError } from '../../../src/core/util/limits';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';

const GiB = 1024 ** 3;

test('every preset of every task fits a 4 GiB machine; absurd shapes do not fit this one', () => {
  for (const task of taskNames) for (const preset of presetNames) {
    const r = makeRecipe(task, preset);
    assert.doesNotThrow(() => checkTrainingResources(r, 4 * GiB), `${task} ${preset}: ${(estimateTraining(r).totalBytes / GiB).toFixed(2)} GiB`);
  }
  const wide = applyOverrides(makeRecipe('parity', 'cpu'), { batchSize: 4096, maxLength: 500, widthMode: 'fixed' });
  assert.throws(() => checkTrainingResources(wide, 8 * GiB), (e: Error) => e instanceof ResourceLimitError && /would need about [\d.]+ TiB .*more than 75% of this machine's 8\.0 GiB \(6\.0 GiB\)/.test(e.message));
  assert.throws(() => makeRecipe('parity', 'cpu', { d: 4096, heads: 1024, layers: 64, batchSize: 4096 }), (e: Error) => e instanceof RecipeError && /12\.9 billion parameters/.test(e.message));
});

test("a data-parallel run's memory counts its workers: their runtimes and weights, and the widest rows they share beside the run's own wider ones", () => {
  const parity = makeRecipe('parity', 'cpu');
  const alone = estimateTraining(parity);
  assert.equal(alone.workerBytes, 0);
  const shared = estimateTraining(parity, { workers: 2, maxWidth: 10_000 });
  assert.equal(shared.activationBytes, alone.activationBytes, 'every row shared: the workers hold the activations between them');
  assert.ok(shared.workerBytes >= 2 * alone.parameterBytes, 'each worker keeps its own runtime and weights');
  assert.equal(shared.totalBytes, alone.totalBytes + shared.workerBytes);
  const addition = makeRecipe('addition', 'cpu');
  assert.ok(addition.width > 32, "the preset's last stage is wider than the rows shared here");
  const narrowShares = estimateTraining(addition, { maxWidth: 32 });
  assert.ok(narrowShares.activationBytes > estimateTraining(addition).activationBytes, "the run's own session keeps the widest rows, the workers the widest they share");
  assert.ok(narrowShares.activationBytes < 2 * estimateTraining(addition).activationBytes);
  const inPieces = estimateTraining(addition, { pieceBytes: 3_000_000 });
  assert.ok(inPieces.activationBytes < estimateTraining(addition, {}).activationBytes / 4, 'in pieces of 4 of 32 rows, each worker holds a piece\'s activations');
  const between = (alone.totalBytes + shared.totalBytes) / 2 / 0.75;
  assert.doesNotThrow(() => checkTrainingResources(parity, between));
  assert.throws(() => checkTrainingResources(parity, between, { workers: 2 }), (e: Error) => e instanceof ResourceLimitError && /data-parallel gradient workers: [\d.]+ [KMG]i?B more\).*, or train without --data-parallel$/.test(e.message));
});

test('a warm-up longer than the run is a warning; a normal one is not', () => {
  assert.deepEqual(recipeWarnings(makeRecipe('parity', 'cpu')), []);
  assert.deepEqual(recipeWarnings(makeRecipe('parity', 'cpu', { steps: 100, warmupSteps: 50 })), []);
  const [w] = recipeWarnings(makeRecipe('parity', 'cpu', { steps: 1, warmupSteps: 1_000_000 }));
  assert.match(w!, /warm-up \(1000000 steps\) is longer than the run \(1 steps\): the rate never reaches its peak 0\.001 and ends at 1\.0e-9/);
});

test('a new run removes temp files that killed writes left beside its checkpoint, and refuses a run too large before allocating', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const stale = path.join(dir, `.run.ckpt.${2 ** 22 + 777}.deadbeef.tmp`);
  fs.writeFileSync(stale, 'half a checkpoint');
  const r = await train({ recipe: microParity(2), checkpointPath: ckpt, provider: 'cpu', cpuThreads: 1 });
  assert.equal(r.status, 'finished');
  assert.ok(!fs.existsSync(stale), 'the stale temp file is gone');
  assert.deepEqual(fs.readdirSync(dir), ['run.ckpt']);
  const huge = { ...microParity(2), batchSize: 1_000_000, width: 500, horizon: 500 };
  await assert.rejects(train({ recipe: huge, provider: 'cpu' }), ResourceLimitError);
});
