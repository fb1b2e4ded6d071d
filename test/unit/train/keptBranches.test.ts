// Each branch of a last stage run as branches, kept: the run's result carries every branch's own
// saved weights (through a checkpoint too), and a job asked to keep them saves each as a model of
// its own, evaluated as the run's model is, its record saying which branch it is.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, LoopLensModelError, modelFileBytes, parseModel } from '../../../src/core/model/modelFile';
import type { TrainingRecord } from '../../../src/core/model/modelMetadata';
import { train } from '../../../src/core/train/trainer';
import { readCheckpoint, writeCheckpoint } from '../../../src/core/train/checkpoint';
import { readRunState, readTrainingCheckpoint } from '../../../src/core/train/trainingCheckpoint';
import { runTrainJob } from '../../../src/core/train/trainJob';
import { branchModelPath } from '../../../src/core/train/branches';
import { recordedBranchText } from '../../../src/core/train/trainRecord';
import { quickEvaluate } from '../../../src/core/train/quickEval';
import type { QuickEvalPoint } from '../../../src/core/train/trainEvents';
import { getTask } from '../../../src/core/tasks';
import type { TrainRecipe } from '../../../src/core/train/recipe';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';
import { assertNearParams as near, assertSameParams as sameParams, meanOfParams as meanOf } from '../../support/paramsAssert';

/** microParity (lengths 1..5) with a last stage 1..7 from step 20 to step 30 as `branches` branches. */
function branchedParity(branches: number, averageFrom?: number): TrainRecipe {
  const r = microParity(30);
  const task = getTask('parity');
  return { ...r, schedule: { ...r.schedule, holdSteps: 6 }, stages: [{ fromStep: 20, maxLength: 7, lr: 2e-3, branches }], width: task.rowWidth(8), horizon: task.horizon(8), ...(averageFrom === undefined ? {} : { averageFrom }) };
}


/** A run's checkpoints at every step, copied aside as `run.ckpt.STEP`. */
async function trainKeepingCheckpoints(recipe: TrainRecipe, dir: string) {
  const ckpt = path.join(dir, 'run.ckpt');
  const result = await train({ recipe, checkpointPath: ckpt, checkpointEvery: 1, cpuThreads: 1, keepBranches: true, onEvent: (e) => e.type === 'checkpoint' && fs.copyFileSync(ckpt, `${ckpt}.${e.step}`) });
  return { result, at: (step: number) => readRunState(`${ckpt}.${step}`) };
}

test("a finished branched run gives each branch's own weights, whose mean it saves; its checkpoints carry the finished ones", async () => {
  const { result, at } = await trainKeepingCheckpoints(branchedParity(3), tmpDir());
  const ends = [(await at(23)).opt.params, (await at(26)).opt.params, (await at(30)).opt.params];
  assert.equal(result.branches?.length, 3);
  ends.forEach((end, k) => sameParams(result.branches![k], end, `branch ${k + 1}: its last weights`));
  near(result.params, meanOf(ends), "the saved model: the branches' mean");
  assert.deepEqual((await at(27)).branches?.finished.length, 2, 'in branch 3, the first two are kept');
  sameParams((await at(27)).branches?.finished[1], ends[1]!, "the checkpoint's second branch");
  assert.equal((await train({ recipe: microParity(30), cpuThreads: 1, keepBranches: true })).branches, undefined, 'a run without branches gives none');
  assert.equal((await train({ recipe: branchedParity(3), cpuThreads: 1 })).branches, undefined, 'a run not asked to keep them gives only their mean');
});

test("with a weight average each branch's weights are its own average", async () => {
  const { result, at } = await trainKeepingCheckpoints(branchedParity(3, 20), tmpDir());
  const averages = [(await at(23)).average!, (await at(26)).average!, (await at(30)).average!];
  averages.forEach((a, k) => sameParams(result.branches![k], a.params, `branch ${k + 1}: its average`));
});

/** A branched run stopped in its third branch (step 27); `keepBranches` as it was started. */
async function stoppedInBranch3(ckpt: string, keepBranches: boolean): Promise<void> {
  const abort = new AbortController();
  await train({ recipe: branchedParity(3), checkpointPath: ckpt, cpuThreads: 1, keepBranches, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 27 && abort.abort() });
}

test("a run resumed mid-branch gives every branch; one resumed from a checkpoint that did not keep them says which are lost, its model the same", async () => {
  const dir = tmpDir();
  const straight = await train({ recipe: branchedParity(3), cpuThreads: 1, keepBranches: true });
  const ckpt = path.join(dir, 'stop.ckpt');
  await stoppedInBranch3(ckpt, true);
  const resumed = await train({ checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  straight.branches!.forEach((b, k) => sameParams(resumed.branches![k], b!, `branch ${k + 1} after the resume`));
  // a checkpoint of the LoopLens that kept only the finished branches' mean
  const state = await readCheckpoint(ckpt);
  const older = path.join(dir, 'older.ckpt');
  await writeCheckpoint(older, { ...state, moments: Object.fromEntries(Object.entries(state.moments).filter(([slot]) => !slot.startsWith('branchFinished'))) });
  const fromOlder = await train({ checkpointPath: older, resume: true, cpuThreads: 1 });
  assert.deepEqual(fromOlder.branches?.map((b) => b === null), [true, true, false]);
  sameParams(fromOlder.branches![2], straight.branches![2]!, 'the branch it ran');
  sameParams(fromOlder.params, straight.params, 'the model');
  // one finished branch's weights missing of two: damaged
  const { branchFinished2: _gone, ...moments } = state.moments;
  const damaged = path.join(dir, 'damaged.ckpt');
  await writeCheckpoint(damaged, { ...state, moments });
  await assert.rejects(readRunState(damaged), /damaged\.ckpt is corrupt: it is in branch 3 of its last stage and keeps the weights of 1 finished branches/);
});

test('keeping the branches is the run\'s choice, kept in its checkpoint: a resume need not ask again, and may ask for the first time', async () => {
  const dir = tmpDir();
  const started = path.join(dir, 'kept.ckpt');
  await stoppedInBranch3(started, true);
  assert.equal((await readTrainingCheckpoint(started)).keepBranches, true);
  assert.equal((await train({ checkpointPath: started, resume: true, cpuThreads: 1 })).branches?.length, 3, 'resumed without asking');
  const notAsked = path.join(dir, 'plain.ckpt');
  await stoppedInBranch3(notAsked, false);
  assert.equal((await readTrainingCheckpoint(notAsked)).keepBranches, false);
  const askedLate = await train({ checkpointPath: notAsked, resume: true, cpuThreads: 1, keepBranches: true });
  assert.deepEqual(askedLate.branches?.map((b) => b === null), [false, false, false], "asked at the resume: the checkpoint kept the finished branches' weights all along");
  assert.equal((await readTrainingCheckpoint(notAsked)).keepBranches, true, 'and the choice is recorded');
  // a value that is not true or false is a damaged file
  const state = await readCheckpoint(started);
  const damaged = path.join(dir, 'damaged.ckpt');
  await writeCheckpoint(damaged, { ...state, extra: { ...state.extra, keepBranches: 'yes' } });
  await assert.rejects(readTrainingCheckpoint(damaged), /damaged\.ckpt is corrupt: its keepBranches is not true or false/);
});

test("a run that keeps its branches draws each later branch's own curve beside the mean's, on the same inputs", async () => {
  const quickEval = { every: 2, lengths: [3, 6], examples: 8 };
  const kept = await train({ recipe: branchedParity(3), cpuThreads: 1, keepBranches: true, quickEval });
  const points = kept.history.filter((h): h is QuickEvalPoint => h.kind === 'eval');
  assert.deepEqual(points.map((p) => [p.step, p.branch?.index]), [2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26, 28, 30].map((s) => [s, s <= 23 ? undefined : s <= 26 ? 2 : 3]), 'in branch 1 the mean is its own');
  const task = getTask('parity');
  const at = (step: number) => points.find((p) => p.step === step)!;
  assert.deepEqual(at(26).branch!.rows, (await quickEvaluate(task, kept.recipe, kept.branches![1]!, 26, quickEval, { cpuThreads: 1 })).rows, "branch 2's own weights at its end");
  assert.deepEqual(at(30).rows, (await quickEvaluate(task, kept.recipe, kept.params, 30, quickEval, { cpuThreads: 1 })).rows, 'the line: the mean the run saves');
  const plain = await train({ recipe: branchedParity(3), cpuThreads: 1, quickEval });
  assert.ok(plain.history.every((h) => h.kind !== 'eval' || h.branch === undefined), 'a run that does not keep them draws the mean only');
});

test('a job asked to keep the branches saves each as a model beside its own, evaluated, its record naming the branch', async () => {
  const dir = tmpDir();
  const modelPath = path.join(dir, 'parity-b.onnx');
  const finalEval = { lengths: [3, 6], examples: 16, batchSize: 16 };
  const r = await runTrainJob({ recipe: branchedParity(2), cpuThreads: 1, modelPath, keepBranches: true, finalEval });
  assert.equal(branchModelPath(modelPath, 2), path.join(dir, 'parity-b-branch2.onnx'));
  assert.deepEqual(r.branches?.map((b) => [b.index, b.of, b.modelPath]), [[1, 2, branchModelPath(modelPath, 1)], [2, 2, branchModelPath(modelPath, 2)]]);
  for (const [k, b] of r.branches!.entries()) {
    const m = await loadModel(b.modelPath!);
    sameParams(m.params, r.train.branches![k]!, `branch ${k + 1}'s file`);
    assert.deepEqual(m.metadata.training.branch, { index: k + 1, of: 2 });
    assert.deepEqual(m.metadata.training.evaluation?.rows.map((row) => row.length), [3, 6], `branch ${k + 1} evaluated`);
    assert.deepEqual(b.evaluation?.summary, m.metadata.training.evaluation);
    assert.equal(recordedBranchText(m.metadata.training), `branch ${k + 1} of the 2 its last stage ran as: that branch's own weights, where the run's model is their mean`);
  }
  const model = await loadModel(modelPath);
  assert.equal(model.metadata.training.branch, undefined, "the run's own model is the mean, no branch");
  near(model.params, meanOf([r.train.branches![0]!, r.train.branches![1]!]), 'the mean');
  // without the option, only the run's model
  const plain = path.join(dir, 'plain.onnx');
  const q = await runTrainJob({ recipe: branchedParity(2), cpuThreads: 1, modelPath: plain });
  assert.equal(q.branches, undefined);
  assert.equal(fs.existsSync(branchModelPath(plain, 1)), false);
});

test('a file whose branch record is damaged is refused on load, in words', async () => {
  const dir = tmpDir();
  const modelPath = path.join(dir, 'run.onnx');
  await runTrainJob({ recipe: microParity(4), cpuThreads: 1, modelPath });
  const m = await loadModel(modelPath);
  const withBranch = (branch: unknown) => modelFileBytes({ task: m.task, config: m.config, params: m.params, training: { ...m.metadata.training, branch } as TrainingRecord });
  assert.deepEqual(parseModel(withBranch({ index: 3, of: 3 }), 'ok.onnx').metadata.training.branch, { index: 3, of: 3 });
  for (const branch of [{ index: 4, of: 3 }, { index: 0, of: 3 }, { index: 1, of: 1 }, { index: 1 }, 2]) {
    assert.throws(() => parseModel(withBranch(branch), 'x.onnx'), (e: Error) => e instanceof LoopLensModelError && /branch/.test(e.message), JSON.stringify(branch));
  }
});
