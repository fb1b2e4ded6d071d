// Training in a real child process (src/core/train/worker.ts through tsx), as the extension runs
// it: a run to the end, Cancel then Resume, and a worker killed mid-run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { TrainingRun } from '../../../src/extension/train/trainingRun';
import { workerStartOptions } from '../../../src/extension/train/trainPlan';
import type { TrainingSetup, TrainingViewState } from '../../../src/protocol/training';
import { microParity } from '../../support/tinyRecipes';
import { sourceTrainingWorker, tmpDir } from './helpers';
import { gradientWorkerScript } from '../../support/workerBundles';

const root = path.resolve(__dirname, '../../..');
const worker = sourceTrainingWorker;

function setupFor(dir: string, steps: number): TrainingSetup {
  return {
    task: 'parity', taskTitle: 'Parity', preset: 'test-micro', model: { d: 16, layers: 1, heads: 2 }, steps, batchSize: 8, lr: 3e-3,
    curriculum: { start: 2, interval: 5, end: 6 }, maxTrainLength: 5, seed: 3, modelPath: path.join(dir, 'm.onnx'), checkpointPath: path.join(dir, 'm.ckpt'),
    provider: 'cpu', finalEval: { lengths: [3, 6], examples: 8 }, quickEvalLengths: [5],
  };
}

/** Start options for the micro recipe (workerStartOptions builds presets only, so the recipe is swapped in). */
function startFor(setup: TrainingSetup, resume: boolean) {
  const o = workerStartOptions({ ...setup, preset: 'cpu' }, { provider: 'cpu', cpuThreads: 1 }, resume);
  return { ...o, recipe: resume ? undefined : microParity(setup.steps), historyEvery: 2, checkpointEvery: 5, progressIntervalMs: 0 };
}

function until(run: TrainingRun, pred: (s: TrainingViewState) => boolean): Promise<TrainingViewState> {
  return new Promise((resolve) => {
    if (pred(run.state)) return resolve(run.state);
    const sub = run.onChange((s) => {
      if (pred(s)) {
        sub.dispose();
        resolve(s);
      }
    });
  });
}

test('a run to the end: curves arrive, the model file is written and evaluated', async () => {
  const dir = tmpDir();
  const setup = setupFor(dir, 20);
  const seen: string[] = [];
  const logs: string[] = [];
  const run = new TrainingRun({ worker, start: startFor(setup, false), setup, log: (l) => logs.push(l) });
  run.onChange((s) => seen.push(s.phase));
  const s = await run.finished;
  assert.equal(s.status, 'finished', JSON.stringify(s.error));
  assert.deepEqual(logs.filter((l) => /training worker sent/.test(l)), [], 'the host accepts every line the real worker writes (workerMessages.ts)');
  assert.equal(s.result?.step, 20);
  assert.ok(s.history.length >= 9, `history points: ${s.history.length}`);
  assert.ok(s.evals.length >= 1, 'quick evaluations');
  assert.deepEqual(s.result?.evaluation?.rows.map((r) => r.length), [3, 6]);
  assert.ok(seen.includes('compiling') && seen.includes('training') && seen.includes('final-eval'), seen.join(','));
  const m = await loadModel(setup.modelPath);
  assert.equal(m.metadata.training.stepsCompleted, 20);
  assert.equal(run.isActive, false);
});

test('with looplens.dataParallel the worker trains in shares on worker threads of its own, to the end', async () => {
  gradientWorkerScript(); // the bundle the worker finds beside the sources' dist, as `npm run build` makes it
  const dir = tmpDir();
  const setup = setupFor(dir, 12);
  const logs: string[] = [];
  const start = { ...workerStartOptions({ ...setup, preset: 'cpu' }, { provider: 'cpu', cpuThreads: 1, dataParallel: true }, false), recipe: microParity(12), progressIntervalMs: 0 };
  assert.equal(start.dataParallel, true);
  const run = new TrainingRun({ worker, start, setup, log: (l) => logs.push(l) });
  const s = await run.finished;
  assert.equal(s.status, 'finished', JSON.stringify(s.error));
  assert.ok(logs.some((l) => /^training data-parallel: each batch in 2 shares, one thread each, in pieces of up to 2\.9 MiB of attention scores$/.test(l)), logs.join('\n'));
  assert.equal((await loadModel(setup.modelPath)).metadata.training.stepsCompleted, 12);
});

test('Cancel checkpoints and stops; Resume continues from that step to the end', async () => {
  const dir = tmpDir();
  const setup = setupFor(dir, 150);
  const first = new TrainingRun({ worker, start: startFor(setup, false), setup });
  await until(first, (s) => (s.progress?.step ?? 0) >= 3);
  first.cancel();
  assert.equal(first.state.status, 'cancelling');
  const stopped = await first.finished;
  assert.equal(stopped.status, 'cancelled');
  assert.ok(stopped.checkpoint && stopped.checkpoint.step >= 3 && stopped.checkpoint.step < 150, JSON.stringify(stopped.checkpoint));
  assert.ok(fs.existsSync(setup.checkpointPath));
  assert.equal(fs.existsSync(setup.modelPath), false, 'no model file for a cancelled run');
  assert.equal(stopped.actions.resume, true);

  const second = new TrainingRun({ worker, start: { ...startFor(stopped.setup, true), finalEval: undefined }, setup: { ...stopped.setup, finalEval: null }, previous: stopped });
  const done = await second.finished;
  assert.equal(done.status, 'finished', JSON.stringify(done.error));
  assert.equal(done.resumedFrom, stopped.checkpoint!.step);
  assert.equal(done.result?.step, 150);
  const steps = done.history.map((h) => h.step);
  assert.deepEqual(steps, [...steps].sort((a, b) => a - b), 'one continuous curve');
  assert.equal(new Set(steps).size, steps.length, 'no step logged twice');
});

test('a worker killed mid-run is reported as stopped unexpectedly, with its last checkpoint', async () => {
  const dir = tmpDir();
  const setup = setupFor(dir, 5000);
  const run = new TrainingRun({ worker, start: startFor(setup, false), setup });
  await until(run, (s) => s.checkpoint !== null);
  process.kill(run.pid!, 'SIGKILL');
  const s = await run.finished;
  assert.equal(s.status, 'failed');
  assert.equal(s.error?.kind, 'killed');
  assert.match(s.error!.message, /killed by SIGKILL/);
  assert.equal(s.actions.resume, true);
});

test('a worker that cannot start says why (its own output), instead of hanging', async () => {
  const dir = tmpDir();
  const setup = setupFor(dir, 10);
  const run = new TrainingRun({ worker: { script: path.join(dir, 'no-such-worker.js'), cwd: root }, start: startFor(setup, false), setup });
  const s = await run.finished;
  assert.equal(s.status, 'failed');
  assert.equal(s.error?.kind, 'killed');
  assert.match(s.error!.message, /exit code 1\)\. Its last output: .*Cannot find module/);
  assert.equal(s.actions.resume, false, 'nothing to resume from');
});
