// A last stage run as branches (RecipeStage.branches): each branch starts from the stage's first
// weights with fresh moments, its own schedule and its own data; the run saves the mean of the
// branches' saved weights; a stopped run resumes mid-branch exactly; bad branches are refused in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { train } from '../../../src/core/train/trainer';
import { readCheckpoint, writeCheckpoint } from '../../../src/core/train/checkpoint';
import { checkpointResult, readRunState } from '../../../src/core/train/trainingCheckpoint';
import { validateRecipe, type TrainRecipe } from '../../../src/core/train/recipe';
import { adamStepOf, learningRateOf, parseStages, stageAt, stagesSpecText, startsStage } from '../../../src/core/train/stages';
import { branchDataStream } from '../../../src/core/train/branches';
import { recordedAverageText, recordedStagesText } from '../../../src/core/train/trainRecord';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { getTask } from '../../../src/core/tasks';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';
import { assertNearParams as near, assertSameParams as sameParams, meanOfParams as meanOf } from '../../support/paramsAssert';

/** microParity (lengths 1..5) with a stage 1..7 from step 20 to the end, as `branches` branches (none: one run of it). */
function branchedParity(steps: number, branches?: number): TrainRecipe {
  const r = microParity(steps);
  const task = getTask('parity');
  const stage = { fromStep: 20, maxLength: 7, lr: 2e-3, ...(branches === undefined ? {} : { branches }) };
  return { ...r, schedule: { ...r.schedule, holdSteps: 6 }, stages: [stage], width: task.rowWidth(8), horizon: task.horizon(8) };
}


test('a branched stage splits its steps as evenly as whole steps allow; each branch starts its moments and its schedule again', () => {
  const r = branchedParity(30, 3);
  assert.deepEqual(stageAt(r, 19), { index: -1, from: 0, to: 20 });
  assert.deepEqual([20, 22, 23, 25, 26, 29].map((s) => stageAt(r, s)), [
    { index: 0, from: 20, to: 23, branch: 0 },
    { index: 0, from: 20, to: 23, branch: 0 },
    { index: 0, from: 23, to: 26, branch: 1 },
    { index: 0, from: 23, to: 26, branch: 1 },
    { index: 0, from: 26, to: 30, branch: 2 },
    { index: 0, from: 26, to: 30, branch: 2 },
  ]);
  assert.deepEqual([19, 20, 21, 23, 26, 27].map((s) => startsStage(r, s)), [false, true, false, true, true, false]);
  assert.deepEqual([20, 22, 23, 26, 29].map((s) => adamStepOf(r, s)), [1, 3, 1, 1, 4]);
  assert.equal(learningRateOf(r, 23), learningRateOf(r, 20), "each branch's rate starts at the stage's peak");
  // branch 0 is the unbranched stage of a run that ends where it does, step for step
  const alone = branchedParity(23);
  for (const s of [20, 21, 22]) assert.equal(learningRateOf(r, s), learningRateOf(alone, s));
});

test("a branched run saves the mean of its branches' weights; branch 0 is the stage run once; the others start from the stage's first weights on their own data", async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const keep = (e: { type: string; step?: number }) => e.type === 'checkpoint' && fs.copyFileSync(ckpt, `${ckpt}.${e.step}`);
  const branched = await train({ recipe: branchedParity(30, 3), checkpointPath: ckpt, checkpointEvery: 1, cpuThreads: 1, onEvent: keep });
  const at = (step: number) => readRunState(`${ckpt}.${step}`);
  const [end0, end1, end2] = [(await at(23)).opt.params, (await at(26)).opt.params, (await at(30)).opt.params];
  near(branched.params, meanOf([end0, end1, end2]), "the saved weights: the branches' mean");
  const once = await train({ recipe: branchedParity(23), cpuThreads: 1 });
  sameParams(end0, once.params, 'branch 0: the stage of a run that ends at step 23');
  const start = (await at(20)).opt.params;
  sameParams((await at(23)).branches!.start, start, "the stage's first weights, kept");
  assert.equal((await at(24)).branches?.branch, 1);
  assert.deepEqual((await at(24)).branches!.done?.count, 1);
  assert.notDeepEqual(end1, end0, 'branch 1 draws its own data');
  // branch 1, replayed by hand: the stage's first weights, its own stream, its own three steps
  const rng = branchDataStream(3, 1);
  assert.notDeepEqual(rng.getState(), (await at(20)).rng.getState());
  assert.deepEqual((await at(23)).branches?.branch, 0);
  assert.equal((await at(19)).branches, undefined, 'nothing before the stage');
  sameParams((await checkpointResult(ckpt)).params, branched.params, '`looplens export` of the checkpoint: the mean');
});

test('with a weight average each branch averages its own steps, and the run saves the mean of those averages', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const recipe = { ...branchedParity(30, 3), averageFrom: 20 };
  const r = await train({ recipe, checkpointPath: ckpt, checkpointEvery: 1, cpuThreads: 1, onEvent: (e) => e.type === 'checkpoint' && fs.copyFileSync(ckpt, `${ckpt}.${e.step}`) });
  const avg = async (step: number) => (await readRunState(`${ckpt}.${step}`)).average!;
  const [a0, a1, a2] = [await avg(23), await avg(26), await avg(30)];
  assert.deepEqual([a0.count, a1.count, a2.count], [3, 3, 4], 'each over its own steps');
  near(r.params, meanOf([a0.params, a1.params, a2.params]), 'the mean of the three averages');
  assert.equal(recordedAverageText(JSON.parse(JSON.stringify(recipe))), "the weights averaged over steps 20 to 30, each branch's over its own");
});

test('a run stopped mid-branch resumes exactly; one stopped before its last stage may add branches to it, not after', async () => {
  const dir = tmpDir();
  const straight = await train({ recipe: branchedParity(30, 3), cpuThreads: 1 });
  for (const stopAt of [21, 24, 27]) {
    const ckpt = path.join(dir, `stop${stopAt}.ckpt`);
    const abort = new AbortController();
    await train({ recipe: branchedParity(30, 3), checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === stopAt && abort.abort() });
    const resumed = await train({ checkpointPath: ckpt, resume: true, cpuThreads: 1 });
    sameParams(resumed.params, straight.params, `stopped at step ${stopAt}`);
  }
  // a run planned with one stage of 3 steps, stopped before it: the same run with 3 branches (and 9 steps more)
  const ckpt = path.join(dir, 'before.ckpt');
  const abort = new AbortController();
  await train({ recipe: branchedParity(23), checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 15 && abort.abort() });
  const added = await train({ recipe: branchedParity(30, 3), checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  sameParams(added.params, straight.params, 'branches added before the stage');
  assert.equal((await readRunState(ckpt)).recipe.stages?.[0]?.branches, 3, 'the checkpoint records them');
  await assert.rejects(
    train({ recipe: branchedParity(33, 4), checkpointPath: ckpt, resume: true, cpuThreads: 1 }),
    /cannot resume .*before\.ckpt: it was trained with a different stages .*\. Only --steps may change when resuming \(and, while the run has not reached them, --average-from and the stages from step 30 on\)/,
  );
});

test('only the last stage may branch, into 2 to 16 branches of a step or more; the syntax, the record and the preset say them', () => {
  const r = branchedParity(30, 3);
  const bad = (stages: unknown, steps: number, re: RegExp) => assert.throws(() => validateRecipe({ ...r, steps, stages } as TrainRecipe), re);
  bad([{ fromStep: 20, maxLength: 7, lr: 1e-3, branches: 2 }, { fromStep: 25, maxLength: 7, lr: 1e-3 }], 30, /stages: stage 1 runs as branches, but only the last stage may/);
  for (const branches of [1, 17, 2.5, 'x']) bad([{ fromStep: 20, maxLength: 7, lr: 1e-3, branches }], 30, /stages: stage 1's branches must be an integer from 2 to 16, got /);
  bad([{ fromStep: 20, maxLength: 7, lr: 1e-3, branches: 4 }], 23, /stages: stage 1 has 3 steps, too few for 4 branches of at least one step each/);
  assert.deepEqual(parseStages('16000:19:1e-4:long=0.5:branches=3'), [{ fromStep: 16000, maxLength: 19, lr: 1e-4, longShare: 0.5, branches: 3 }]);
  assert.deepEqual(parseStages('16000:19:branches=2'), [{ fromStep: 16000, maxLength: 19, branches: 2 }]);
  for (const text of ['5:9:branches=1', '5:9:branches=17', '5:9:branches=x', '5:9:branches=3:long=0.5'])
    assert.throws(() => parseStages(text), /branches a whole number from 2 to 16$/, text);
  assert.equal(stagesSpecText(r), '20:7:0.002:branches=3');
  assert.match(recordedStagesText(JSON.parse(JSON.stringify(r)))!, /^then 1\.\.7 from step 20 \(lr 0\.002, as 3 branches from its first weights, each on its own data, the model the mean of theirs\), each with fresh AdamW moments/);
});

test("copy's cpu preset runs its averaged last stage as three branches of 1000 steps; the first is the stage it had", () => {
  const r = makeRecipe(getTask('copy'), 'cpu');
  assert.deepEqual([r.steps, r.stages?.[0]?.fromStep, r.stages?.[0]?.branches, r.averageFrom], [19000, 16000, 3, 16000]);
  assert.deepEqual([16000, 17000, 18000].map((s) => stageAt(r, s)).map(({ from, to }) => [from, to]), [[16000, 17000], [17000, 18000], [18000, 19000]]);
});

test("a checkpoint in a branch without the stage's first weights, or with a wrong count of finished branches, is refused as damaged", async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const abort = new AbortController();
  await train({ recipe: branchedParity(30, 3), checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 25 && abort.abort() });
  const state = await readCheckpoint(ckpt);
  const { branchStart: _start, ...moments } = state.moments;
  const noStart = path.join(dir, 'no-start.ckpt');
  await writeCheckpoint(noStart, { ...state, moments });
  await assert.rejects(readRunState(noStart), /no-start\.ckpt is corrupt: its branched stage's state is incomplete/);
  const miscounted = path.join(dir, 'miscounted.ckpt');
  await writeCheckpoint(miscounted, { ...state, extra: { ...state.extra, branch: 2 } });
  await assert.rejects(readRunState(miscounted), /miscounted\.ckpt is corrupt: it is in branch 3 of its last stage with 1 finished before it/);
  assert.equal((await readRunState(ckpt)).branches?.branch, 1, 'the file as written reads back');
});
