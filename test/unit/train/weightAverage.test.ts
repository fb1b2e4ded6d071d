// Weight averaging (TrainRecipe.averageFrom): the saved weights are the mean of the weights after each
// update from the given step on; a stopped run resumes its average exactly; its checkpoint exports it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { train } from '../../../src/core/train/trainer';
import { readCheckpoint, writeCheckpoint } from '../../../src/core/train/checkpoint';
import { checkpointResult, readRunState } from '../../../src/core/train/trainingCheckpoint';
import { RecipeError, validateRecipe } from '../../../src/core/train/recipe';
import { applyOverrides, makeRecipe } from '../../../src/core/train/recipePlan';
import { addToAverage, averageText, type WeightAverage } from '../../../src/core/train/weightAverage';
import { recordedAverageText } from '../../../src/core/train/trainRecord';
import { getTask } from '../../../src/core/tasks';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';
import { assertSameParams as sameParams } from '../../support/paramsAssert';

test('addToAverage: a running mean that equals the plain one', () => {
  const sets = [[1, 2], [3, -2], [8, 6]].map((v) => ({ w: Float32Array.from(v) }));
  let avg: WeightAverage | undefined;
  for (const p of sets) avg = addToAverage(avg, p);
  assert.equal(avg!.count, 3);
  assert.deepEqual(Array.from(avg!.params.w!), [4, 2]);
  assert.deepEqual(Array.from(sets[0]!.w!), [1, 2], 'the first set is copied, not kept');
  assert.throws(() => addToAverage(avg, { other: new Float32Array(2) }), /the weights have no "w" of 2 values/);
});

test('a run with averageFrom saves the mean of the weights after each update from that step, not the last ones', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  // a checkpoint after every step holds that step's own weights (opt.params) beside the average: keep a copy of each
  const averaged = await train({
    recipe: { ...microParity(8), averageFrom: 5 },
    checkpointPath: ckpt,
    checkpointEvery: 1,
    cpuThreads: 1,
    onEvent: (e) => e.type === 'checkpoint' && fs.copyFileSync(ckpt, `${ckpt}.${e.step}`),
  });
  const after = async (step: number) => (await readRunState(`${ckpt}.${step}`)).opt.params;
  const [w6, w7, w8] = [await after(6), await after(7), await after(8)];
  for (const [k, v] of Object.entries(averaged.params)) {
    for (let i = 0; i < v.length; i++) assert.ok(Math.abs(v[i]! - (w6[k]![i]! + w7[k]![i]! + w8[k]![i]!) / 3) < 1e-6, `${k}[${i}]: the mean of updates 6, 7 and 8`);
  }
  const state = await readRunState(ckpt);
  assert.equal(state.average?.count, 3, 'the checkpoint keeps the average and its count');
  const plain = await train({ recipe: microParity(8), cpuThreads: 1 });
  sameParams(state.opt.params, plain.params); // averaging changes what is saved, not the training
  assert.ok(Object.keys(plain.params).some((k) => plain.params[k]!.some((x, i) => x !== averaged.params[k]![i])), 'the saved weights are not the last ones');
  sameParams((await checkpointResult(ckpt)).params, averaged.params); // `looplens export` of the checkpoint: the average
  assert.equal((await readRunState(`${ckpt}.5`)).average, undefined, 'no average before its first step');
});

test('a run stopped while it averages resumes its average exactly', async () => {
  const dir = tmpDir();
  const recipe = { ...microParity(12), averageFrom: 4 };
  const straight = await train({ recipe, cpuThreads: 1 });
  const ckpt = path.join(dir, 'run.ckpt');
  const abort = new AbortController();
  const first = await train({ recipe, checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 8 && abort.abort() });
  assert.equal(first.status, 'cancelled');
  assert.equal((await readRunState(ckpt)).average?.count, 4);
  const second = await train({ checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  assert.equal(second.step, 12);
  sameParams(second.params, straight.params);
});

test('averageFrom: checked against the run, set and cleared by an override, in words', () => {
  assert.throws(() => validateRecipe({ ...microParity(8), averageFrom: 8 }), (e: Error) => e instanceof RecipeError && /^training recipe: averageFrom: the weight average must start before the run's 8 steps end: a step from 0 to 7, got 8$/.test(e.message));
  assert.throws(() => validateRecipe({ ...microParity(8), averageFrom: 1.5 }), /averageFrom/);
  assert.equal(validateRecipe({ ...microParity(8), averageFrom: 0 }).averageFrom, 0);
  const r = applyOverrides(makeRecipe(getTask('copy'), 'cpu'), { averageFrom: 16000, steps: 17000, singleStage: true });
  assert.equal(r.averageFrom, 16000);
  assert.equal(applyOverrides(r, { averageFrom: null }).averageFrom, undefined, 'null: the last weights');
  assert.equal(averageText(r), 'the weights averaged over steps 16,000 to 17,000');
  assert.equal(recordedAverageText(JSON.parse(JSON.stringify(r))), 'the weights averaged over steps 16,000 to 17,000');
  assert.equal(recordedAverageText({ averageFrom: 'x' }), undefined);
  assert.equal(recordedAverageText(microParity(8)), undefined, "the paper's last weights: nothing to say");
});

test('a resumed run may set or move its weight average until it begins, not after', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const straight = await train({ recipe: { ...microParity(12), averageFrom: 8 }, cpuThreads: 1 });
  const abort = new AbortController();
  await train({ recipe: microParity(12), checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 6 && abort.abort() });
  // stopped at step 6 without an average: one from step 8 on is the same run as one planned from the start
  const resumed = await train({ recipe: { ...microParity(12), averageFrom: 8 }, checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  sameParams(resumed.params, straight.params);
  assert.equal((await readRunState(ckpt)).recipe.averageFrom, 8, 'the checkpoint records it');
  // now the average has begun: it may not move, nor be dropped
  for (const averageFrom of [9, undefined]) {
    await assert.rejects(
      train({ recipe: { ...microParity(14), averageFrom }, checkpointPath: ckpt, resume: true, cpuThreads: 1 }),
      /cannot resume .*run\.ckpt: it was trained with a different averageFrom \(8 vs .*\)\. Only --steps may change when resuming \(and, while the run has not reached them, --average-from and the stages from step \d+ on\)/,
    );
  }
});

test("copy's cpu preset averages its last stage; the average moves with the stage and goes with it", () => {
  const copy = getTask('copy');
  const preset = makeRecipe(copy, 'cpu');
  assert.deepEqual([preset.steps, preset.stages?.[0]?.fromStep, preset.averageFrom], [19000, 16000, 16000]);
  const shorter = makeRecipe(copy, 'cpu', { steps: 1900 });
  assert.deepEqual([shorter.stages?.[0]?.fromStep, shorter.averageFrom], [1600, 1600], 'rescaled as the stage is');
  assert.equal(makeRecipe(copy, 'cpu', { steps: 40 }).averageFrom, makeRecipe(copy, 'cpu', { steps: 40 }).stages?.[0]?.fromStep);
  assert.equal(makeRecipe(copy, 'cpu', { steps: 1900, averageFrom: 5 }).averageFrom, 5, 'a given step is kept');
  assert.equal(makeRecipe(copy, 'cpu', { averageFrom: null }).averageFrom, undefined, 'and none is none');
  for (const unstaged of [{ maxLength: 10 }, { stages: [] }, { singleStage: true }]) {
    const r = makeRecipe(copy, 'cpu', unstaged);
    assert.deepEqual([r.stages, r.averageFrom], [undefined, undefined], `${JSON.stringify(unstaged)}: no stage, no average`);
  }
  assert.equal(makeRecipe(copy, 'cpu', { stages: [{ fromStep: 15000, maxLength: 19 }] }).averageFrom, undefined, 'stages of your own: an average of your own');
  assert.equal(makeRecipe(copy, 'cpu', { singleStage: true, averageFrom: 15000 }).averageFrom, 15000);
});

test('a checkpoint whose weight average lost its weights or its count is refused as damaged, in words', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  await train({ recipe: { ...microParity(6), averageFrom: 3 }, checkpointPath: ckpt, cpuThreads: 1 });
  const state = await readCheckpoint(ckpt);
  const { average: _weights, ...moments } = state.moments;
  const noWeights = path.join(dir, 'no-weights.ckpt');
  await writeCheckpoint(noWeights, { ...state, moments });
  await assert.rejects(readRunState(noWeights), /no-weights\.ckpt is corrupt: its weight average is incomplete/);
  const noCount = path.join(dir, 'no-count.ckpt');
  await writeCheckpoint(noCount, { ...state, extra: { ...state.extra, averageCount: 0 } });
  await assert.rejects(readRunState(noCount), /no-count\.ckpt is corrupt: its weight average is incomplete/);
  assert.equal((await readRunState(ckpt)).average?.count, 3, 'the file as written reads back');
});
