// The Training panel's state machine, driven by worker messages as the real worker sends them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyWorkerExit, applyWorkerMessage, formatDuration, initialTrainingState, markCancelling, progressLine } from '../../../src/extension/train/trainingState';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import type { WorkerOutbound } from '../../../src/core/train/workerProtocol';
import { canExportCheckpoint, type TrainingSetup, type TrainingViewState } from '../../../src/protocol/training';

const setup: TrainingSetup = {
  task: 'parity', taskTitle: 'Parity', preset: 'cpu', model: { d: 64, layers: 1, heads: 4 }, steps: 100, batchSize: 64, lr: 1e-3,
  curriculum: { start: 2, interval: 100, end: 21 }, maxTrainLength: 20, seed: 0, modelPath: '/m/parity-cpu.onnx', checkpointPath: '/m/parity-cpu.ckpt',
  provider: 'cpu', finalEval: { lengths: [10, 20], examples: 64 }, quickEvalLengths: [20, 40],
};
const recipe = makeRecipe('parity', 'cpu', { steps: 100 });

const progress = (step: number, loss = 0.5): WorkerOutbound => ({ type: 'progress', step, totalSteps: 100, loss, gradNorm: 1.2, lr: 1e-3, nPoints: 3, msPerStep: 20, etaSeconds: 2, elapsedSeconds: 1 });
const history = (step: number): WorkerOutbound => ({ type: 'history', entry: { kind: 'train', step, loss: 1 / step, gradNorm: 0.5, lr: 1e-3, nPoints: 3, msPerStep: 20 } });

function run(messages: WorkerOutbound[], from: TrainingViewState = initialTrainingState(setup)): TrainingViewState {
  return messages.reduce(applyWorkerMessage, from);
}

test('a run that finishes: curves, quick evaluations, checkpoint, final evaluation, result', () => {
  const s = run([
    { type: 'ready', pid: 1 },
    { type: 'start', recipe, step: 0, resumed: false, checkpointPath: setup.checkpointPath },
    { type: 'phase', phase: 'compiling', step: 0 },
    { type: 'phase', phase: 'training', step: 0 },
    progress(10),
    history(10),
    { type: 'eval', entry: { kind: 'eval', step: 50, rows: [{ length: 20, examples: 64, oracle: 0.5, perBatch: 0.25, perBatchStep: 3 }] } },
    { type: 'eval', entry: { kind: 'eval', step: 60, rows: [{ length: 20, examples: 64, oracle: 0.75, perBatch: 0.25, perBatchStep: 3 }], branch: { index: 2, rows: [{ length: 20, examples: 64, oracle: 0.5, perBatch: 0.5, perBatchStep: 20 }] } } },
    history(20),
    { type: 'checkpoint', step: 100, path: setup.checkpointPath },
    { type: 'done', status: 'finished', step: 100, elapsedSeconds: 3, finalLoss: 0.05, checkpointPath: setup.checkpointPath },
  ]);
  assert.equal(s.status, 'running');
  assert.equal(s.phase, 'final-eval');
  assert.deepEqual(s.history.map((h) => h.step), [10, 20]);
  assert.equal(s.evals[0]!.rows[0]!.oracle, 0.5);
  assert.equal(s.evals[0]!.branch, undefined);
  assert.deepEqual(s.evals[1]!.branch, { index: 2, rows: [{ length: 20, examples: 64, oracle: 0.5, perBatch: 0.5, perBatchStep: 20 }] }, "a later branch's own beside the mean");
  assert.deepEqual(s.checkpoint, { step: 100, path: setup.checkpointPath });
  assert.match(progressLine(s), /final evaluation/);
  const withEval = applyWorkerMessage(s, { type: 'evalProgress', done: 1, total: 2, length: 10 });
  assert.match(progressLine(withEval), /length 10 \(1\/2 batches\)/);
  const done = applyWorkerMessage(withEval, {
    type: 'result', status: 'finished', step: 100, elapsedSeconds: 3, cpuSeconds: 5.5, finalLoss: 0.05, checkpointPath: setup.checkpointPath, modelPath: setup.modelPath, modelBytes: 1234,
    evaluation: { examplesPerLength: 64, seed: 1, perExampleRule: 'per example', rows: [{ length: 10, oracleStep: 10, examples: 64, oracle: 1, perBatch: 1, perBatchStep: 10, perExample: 0.5, perExampleStep: 3 }] },
  });
  assert.equal(done.status, 'finished');
  assert.equal(done.result?.modelBytes, 1234);
  assert.equal(done.result?.cpuSeconds, 5.5, "the run's CPU time beside its wall time");
  assert.equal(done.result?.evaluation?.rows[0]!.oracle, 1);
  assert.deepEqual(done.actions, { cancel: false, resume: false, openModel: true });
  // the exit that follows a result changes nothing
  assert.equal(applyWorkerExit(done, { code: 0, signal: null }), done);
});

test('the start event replaces the setup with the recipe actually running (a resume runs the checkpoint\'s)', () => {
  const other = { ...recipe, steps: 250, seed: 9, model: { ...recipe.model, d: 32 } };
  const s = run([{ type: 'start', recipe: other, step: 40, resumed: true }]);
  assert.equal(s.setup.steps, 250);
  assert.equal(s.setup.seed, 9);
  assert.equal(s.setup.model.d, 32);
  assert.equal(s.resumedFrom, 40);
  // a setup without the loop and schedule texts (a panel restored from an older record) gets the running recipe's
  assert.equal(setup.loopText, undefined);
  const ablated = { ...other, fixedSteps: 7, model: { ...other.model, inputInjection: false }, schedule: { ...other.schedule, minLrFraction: 0.1 } };
  const a = run([{ type: 'start', recipe: ablated, step: 40, resumed: true }]);
  assert.equal(a.setup.loopText, 'a fixed depth of 7 loop steps, without input injection');
  assert.match(a.setup.scheduleText!, /then cosine to 0\.1 x lr$/);
  assert.equal(a.setup.fixedSteps, 7, 'the accuracy legend names the fixed depth');
  // a setup that said fixed depth, replaced by a T(n) recipe, no longer says it
  const back = applyWorkerMessage(a, { type: 'start', recipe: other, step: 40, resumed: true });
  assert.equal(back.setup.fixedSteps, undefined);
});

test("a resume's start event brings the checkpoint's long share and weight decay into the setup, and a paper recipe clears them", () => {
  assert.deepEqual([setup.longShare, setup.weightDecay], [undefined, undefined], 'a setup from an older record has neither');
  const cliMade = { ...recipe, longShare: 0.5, optimizer: { ...recipe.optimizer, weightDecay: 0.1 } };
  const s = run([{ type: 'start', recipe: cliMade, step: 40, resumed: true }]);
  assert.deepEqual([s.setup.longShare, s.setup.weightDecay], [0.5, 0.1]);
  const back = applyWorkerMessage(s, { type: 'start', recipe, step: 40, resumed: true });
  assert.deepEqual([back.setup.longShare, back.setup.weightDecay], [undefined, undefined], "the paper's uniform lengths and weight decay 0.01 are not stated");
  // saved as JSON, the undefined keys leave nothing behind
  assert.equal('longShare' in JSON.parse(JSON.stringify(back.setup)) || 'weightDecay' in JSON.parse(JSON.stringify(back.setup)), false);
});

test("a resume's start event brings the checkpoint's hard share into the setup, and a recipe without one clears it", () => {
  assert.equal(setup.hardShare, undefined, 'a setup from an older record has none');
  const plain = makeRecipe('unique_set', 'cpu', { steps: 100 });
  const cliMade = makeRecipe('unique_set', 'cpu', { steps: 100, hardShare: 0.5 });
  const s = run([{ type: 'start', recipe: cliMade, step: 40, resumed: true }]);
  assert.equal(s.setup.hardShare, 0.5);
  assert.equal(s.setup.task, 'unique_set');
  const back = applyWorkerMessage(s, { type: 'start', recipe: plain, step: 40, resumed: true });
  assert.equal(back.setup.hardShare, undefined, "the paper's uniform inputs are not stated");
  // saved as JSON, the undefined key leaves nothing behind
  assert.equal('hardShare' in JSON.parse(JSON.stringify(back.setup)), false);
});

test("a resume's start event brings the checkpoint's distinct share into the setup, and a recipe without one clears it", () => {
  assert.equal(setup.distinctShare, undefined, 'a setup from an older record has none');
  const plain = makeRecipe('unique_set', 'cpu', { steps: 100 });
  const cliMade = makeRecipe('unique_set', 'cpu', { steps: 100, distinctShare: 0.5 });
  const s = run([{ type: 'start', recipe: cliMade, step: 40, resumed: true }]);
  assert.equal(s.setup.distinctShare, 0.5);
  assert.equal(s.setup.task, 'unique_set');
  const back = applyWorkerMessage(s, { type: 'start', recipe: plain, step: 40, resumed: true });
  assert.equal(back.setup.distinctShare, undefined, "the paper's uniform inputs are not stated");
  // saved as JSON, the undefined key leaves nothing behind
  assert.equal('distinctShare' in JSON.parse(JSON.stringify(back.setup)), false);
});

test("a resume's start event brings a fine-tuning checkpoint's starting weights into the setup, and a run from scratch clears them", () => {
  assert.equal(setup.startedFrom, undefined, 'a setup from an older record has none');
  const tuned = { ...makeRecipe('unique_set', 'cpu', { steps: 100 }), initFrom: { model: 'runs/base.onnx', weightsCrc32: 255, stepsBefore: 36000 } };
  const s = run([{ type: 'start', recipe: tuned, step: 40, resumed: true }]);
  assert.equal(s.setup.startedFrom, 'the weights of runs/base.onnx (36000 steps trained), CRC-32 000000ff');
  const back = applyWorkerMessage(s, { type: 'start', recipe: makeRecipe('unique_set', 'cpu', { steps: 100 }), step: 40, resumed: true });
  assert.equal(back.setup.startedFrom, undefined);
  assert.equal('startedFrom' in JSON.parse(JSON.stringify(back.setup)), false);
});

test("a resume's start event states the checkpoint's answer hold in the loop rule, and a recipe without one says T(n)", () => {
  const s = run([{ type: 'start', recipe: makeRecipe('parity', 'cpu', { steps: 100, answerHold: 4 }), step: 40, resumed: true }]);
  assert.equal(s.setup.loopText, 'each example read at a random step from T(n) to T(n) + 4, with input injection');
  const back = applyWorkerMessage(s, { type: 'start', recipe, step: 40, resumed: true });
  assert.equal(back.setup.loopText, 'each example read at its T(n), with input injection');
});

test('cancel: the state says stopping, then stopped with a checkpoint and Resume enabled', () => {
  let s = run([{ type: 'start', recipe, step: 0, resumed: false }, progress(30)]);
  s = markCancelling(s);
  assert.equal(s.status, 'cancelling');
  assert.equal(s.actions.cancel, false);
  assert.match(progressLine(s), /checkpoint/);
  s = run([{ type: 'checkpoint', step: 31, path: setup.checkpointPath }, { type: 'result', status: 'cancelled', step: 31, elapsedSeconds: 1, finalLoss: 0.4, checkpointPath: setup.checkpointPath }], s);
  assert.equal(s.status, 'cancelled');
  assert.equal(s.progress?.step, 31, 'the step reached, not the last (throttled) progress event');
  assert.equal(s.actions.resume, true);
  assert.match(s.hint ?? '', /Stopped at step 31 of 100\. Nothing is lost: the checkpoint \/m\/parity-cpu\.ckpt holds step 31/);
});

test('divergence is an error with advice, and not resumable', () => {
  const s = run([
    { type: 'start', recipe, step: 0, resumed: false },
    { type: 'checkpoint', step: 40, path: setup.checkpointPath },
    { type: 'error', kind: 'diverged', message: 'training diverged at step 41: loss NaN', step: 40, checkpointPath: setup.checkpointPath },
  ]);
  assert.equal(s.status, 'failed');
  assert.equal(s.error?.kind, 'diverged');
  assert.match(s.error!.title, /NaN or infinite/);
  assert.equal(s.actions.resume, false);
  assert.match(s.hint ?? '', /lower learning rate/);
});

test('a worker that exits without a result (killed) is reported, resumable from its last checkpoint', () => {
  const s = run([{ type: 'start', recipe, step: 0, resumed: false }, progress(60), { type: 'checkpoint', step: 50, path: setup.checkpointPath }]);
  const killed = applyWorkerExit(s, { code: null, signal: 'SIGKILL' });
  assert.equal(killed.status, 'failed');
  assert.equal(killed.error?.kind, 'killed');
  assert.match(killed.error!.message, /without a result \(killed by SIGKILL.*\) at step 60 of 100/);
  assert.equal(killed.actions.resume, true);
  assert.match(killed.hint ?? '', /holds step 50/);
  const noCheckpoint = applyWorkerExit(run([{ type: 'start', recipe, step: 0, resumed: false }]), { code: 3, signal: null });
  assert.equal(noCheckpoint.actions.resume, false);
  assert.match(noCheckpoint.error!.message, /exit code 3/);
});

test('a resume keeps the earlier curves up to the checkpoint and drops what came after it', () => {
  let first = run([history(10), history(20), history(30), { type: 'eval', entry: { kind: 'eval', step: 30, rows: [] } }, { type: 'checkpoint', step: 20, path: setup.checkpointPath }]);
  first = applyWorkerExit(first, { code: null, signal: 'SIGKILL' });
  const resumed = initialTrainingState(setup, first);
  assert.deepEqual(resumed.history.map((h) => h.step), [10, 20]);
  assert.equal(resumed.evals.length, 0);
  assert.equal(resumed.resumedFrom, 20);
  assert.equal(resumed.status, 'starting');
});

test('non-finite numbers from the worker become null, not NaN in the charts', () => {
  const s = run([{ type: 'progress', step: 1, totalSteps: 100, loss: Number.NaN, gradNorm: Infinity, lr: 1e-3, nPoints: 2, msPerStep: 5, etaSeconds: Number.NaN, elapsedSeconds: 0 }]);
  assert.equal(s.progress?.loss, null);
  assert.equal(s.progress?.gradNorm, null);
  assert.equal(s.progress?.etaSeconds, null);
  assert.equal(progressLine(s), 'step 1/100 · lengths ≤ 1');
});

test('formatDuration', () => {
  assert.equal(formatDuration(42), '42s');
  assert.equal(formatDuration(75), '1m 15s');
  assert.equal(formatDuration(4000), '1h 6m');
  assert.equal(formatDuration(3 * 86400), '3 days');
});

test('a cancel before training began (worker exits 0 without a result) is a stop, not a failure', () => {
  const previous = run([{ type: 'checkpoint', step: 20, path: setup.checkpointPath }, { type: 'result', status: 'cancelled', step: 20, elapsedSeconds: 1, finalLoss: 0.4, checkpointPath: setup.checkpointPath }]);
  const resumed = markCancelling(applyWorkerMessage(initialTrainingState(setup, previous), { type: 'ready', pid: 2 }));
  const s = applyWorkerExit(resumed, { code: 0, signal: null });
  assert.equal(s.status, 'cancelled');
  assert.equal(s.error, null);
  assert.equal(s.actions.resume, true);
  assert.match(s.hint ?? '', /^Stopped before training began\. Nothing is lost: the checkpoint \/m\/parity-cpu\.ckpt holds step 20/);
});

test('Save Checkpoint as Model: offered once a checkpoint exists and until the run has its own model', () => {
  const started = run([{ type: 'ready', pid: 1 }, { type: 'start', recipe, step: 0, resumed: false, checkpointPath: setup.checkpointPath }, progress(10)]);
  assert.equal(canExportCheckpoint(started), false, 'no checkpoint written yet');
  const saved = applyWorkerMessage(started, { type: 'checkpoint', step: 50, path: setup.checkpointPath });
  assert.equal(canExportCheckpoint(saved), true, 'a running run with a checkpoint');
  const stopping = markCancelling(saved);
  assert.equal(canExportCheckpoint(stopping), true);
  const stopped = applyWorkerMessage(stopping, { type: 'done', status: 'cancelled', step: 60, elapsedSeconds: 1, finalLoss: 0.4, checkpointPath: setup.checkpointPath });
  assert.equal(canExportCheckpoint(applyWorkerExit(stopped, { code: 0, signal: null })), true, 'a stopped run keeps its checkpoint');
  const killed = applyWorkerExit(saved, { code: null, signal: 'SIGKILL' });
  assert.equal(killed.status, 'failed');
  assert.equal(canExportCheckpoint(killed), true, 'a killed run keeps its checkpoint');
  const finished = run([
    { type: 'done', status: 'finished', step: 100, elapsedSeconds: 3, finalLoss: 0.05, checkpointPath: setup.checkpointPath },
    { type: 'result', status: 'finished', step: 100, elapsedSeconds: 3, finalLoss: 0.05, checkpointPath: setup.checkpointPath, modelPath: setup.modelPath, modelBytes: 1 },
  ], saved);
  assert.equal(finished.status, 'finished');
  assert.equal(finished.result?.cpuSeconds, null, 'a run whose CPU time was not counted says none');
  assert.equal(canExportCheckpoint(finished), false, 'a finished run has saved its model');
});
