// The training worker as a real child process: JSON lines in and out, SIGKILL mid-run then resume,
// cancel over stdin, bad requests. Every stdout line must be protocol JSON that the host's parser
// (workerMessages.ts) passes unchanged.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import * as readline from 'node:readline';
import { readCheckpoint } from '../../../src/core/train/checkpoint';
import { loadModel, weightsCrc32 } from '../../../src/core/model/modelFile';
import type { WorkerOutbound, WorkerStartOptions } from '../../../src/core/train/workerProtocol';
import { parseWorkerOutbound } from '../../../src/core/train/workerMessages';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';

interface Worker {
  child: ChildProcess;
  messages: WorkerOutbound[];
  /** Resolves with the first message matching `pred` (already received ones included). */
  waitFor(pred: (m: WorkerOutbound) => boolean, what: string): Promise<WorkerOutbound>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  send(msg: unknown): void;
  stderr(): string;
}

function startWorker(): Worker {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/core/train/worker.ts'], { cwd: path.resolve(__dirname, '../../..'), stdio: ['pipe', 'pipe', 'pipe'] });
  const messages: WorkerOutbound[] = [];
  const waiters: { pred: (m: WorkerOutbound) => boolean; resolve: (m: WorkerOutbound) => void }[] = [];
  let err = '';
  child.stderr!.on('data', (d) => (err += String(d)));
  readline.createInterface({ input: child.stdout! }).on('line', (line) => {
    const value: unknown = JSON.parse(line); // every stdout line must be protocol JSON
    const m = parseWorkerOutbound(value); // that the host accepts (a throw here fails the test file)
    assert.deepEqual(JSON.parse(JSON.stringify(m)), value); // unchanged (a NaN it reads back from null is null again)
    messages.push(m);
    for (const w of [...waiters]) {
      if (w.pred(m)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.on('exit', (code, signal) => resolve({ code, signal })));
  return {
    child,
    messages,
    exited,
    stderr: () => err,
    send: (msg) => child.stdin!.write(`${typeof msg === 'string' ? msg : JSON.stringify(msg)}\n`),
    waitFor: (pred, what) => {
      const seen = messages.find(pred);
      if (seen) return Promise.resolve(seen);
      return new Promise((resolve, reject) => {
        waiters.push({ pred, resolve });
        void exited.then(() => setTimeout(() => reject(new Error(`worker exited before ${what}; stderr: ${err}; messages: ${JSON.stringify(messages.slice(-3))}`)), 50));
      });
    },
  };
}

test('SIGKILL mid-run, then resume: training continues from the checkpoint (step and history)', async () => {
  const dir = tmpDir();
  const checkpointPath = path.join(dir, 'run.ckpt');
  const modelPath = path.join(dir, 'model.onnx');
  const base: WorkerStartOptions = { checkpointPath, checkpointEvery: 10, historyEvery: 5, cpuThreads: 1, progressIntervalMs: 0, modelPath };

  const w1 = startWorker();
  await w1.waitFor((m) => m.type === 'ready', 'ready');
  w1.send({ type: 'start', options: { ...base, recipe: microParity(100_000) } });
  await w1.waitFor((m) => m.type === 'checkpoint' && m.step >= 20, 'a checkpoint at step >= 20');
  w1.child.kill('SIGKILL');
  const gone = await w1.exited;
  assert.equal(gone.signal, 'SIGKILL');

  const ck = await readCheckpoint(checkpointPath); // intact despite the kill (atomic writes)
  assert.ok(ck.step >= 20 && ck.step % 10 === 0, `checkpoint step ${ck.step}`);
  const before = ck.history as { step: number }[];
  assert.deepEqual(before.map((h) => h.step), Array.from({ length: ck.step / 5 }, (_, i) => 5 * (i + 1)));
  assert.equal(fs.existsSync(modelPath), false, 'no model file for an unfinished run');

  const target = ck.step + 20;
  const w2 = startWorker();
  w2.send({ type: 'start', options: { ...base, resume: true, recipe: microParity(target) } });
  const result = await w2.waitFor((m) => m.type === 'result' || m.type === 'error', 'the result');
  assert.equal(result.type, 'result', JSON.stringify(result));
  assert.equal((await w2.exited).code, 0);
  const start = w2.messages.find((m) => m.type === 'start') as Extract<WorkerOutbound, { type: 'start' }>;
  assert.equal(start.step, ck.step);
  assert.equal(start.resumed, true);
  const progress = w2.messages.filter((m) => m.type === 'progress') as Extract<WorkerOutbound, { type: 'progress' }>[];
  assert.deepEqual(progress.map((p) => p.step), Array.from({ length: 20 }, (_, i) => ck.step + 1 + i), 'every step after the checkpoint, once');
  if (result.type !== 'result') return;
  assert.equal(result.status, 'finished');
  assert.equal(result.step, target);
  const after = (await readCheckpoint(checkpointPath)).history as { step: number }[];
  assert.deepEqual(after.map((h) => h.step), Array.from({ length: target / 5 }, (_, i) => 5 * (i + 1)), 'history continues without gaps or repeats');
  assert.deepEqual(after.slice(0, before.length), before);
  const model = await loadModel(modelPath);
  assert.equal(model.metadata.training.stepsCompleted, target);
  assert.equal(result.modelPath, modelPath);
});

test('"cancel" on stdin stops after a checkpoint and reports status cancelled', async () => {
  const dir = tmpDir();
  const checkpointPath = path.join(dir, 'run.ckpt');
  const w = startWorker();
  w.send({ type: 'start', options: { recipe: microParity(100_000), checkpointPath, checkpointEvery: 100_000, cpuThreads: 1, progressIntervalMs: 0 } });
  await w.waitFor((m) => m.type === 'progress' && m.step >= 3, 'progress');
  w.send({ type: 'cancel' });
  const result = await w.waitFor((m) => m.type === 'result', 'the result');
  assert.equal((await w.exited).code, 0);
  if (result.type !== 'result') return;
  assert.equal(result.status, 'cancelled');
  assert.equal((await readCheckpoint(checkpointPath)).step, result.step);
  assert.ok(w.messages.some((m) => m.type === 'done' && m.status === 'cancelled'));
});

test('bad requests get an error line and exit code 1', async () => {
  const w = startWorker();
  w.send({ type: 'start', options: { task: 'sorting' } });
  const e = await w.waitFor((m) => m.type === 'error', 'an error');
  assert.equal((await w.exited).code, 1);
  assert.deepEqual(e.type === 'error' && [e.kind, /unknown task "sorting"/.test(e.message)], ['bad-request', true]);

  const w2 = startWorker();
  w2.send('this is not json');
  const e2 = await w2.waitFor((m) => m.type === 'error', 'an error');
  assert.equal((await w2.exited).code, 1);
  assert.match(e2.type === 'error' ? e2.message : '', /not a JSON line/);
});

test('a fine-tuning start (initFrom) trains from the model file\'s weights and records them; other weights or a resume are refused', async () => {
  const dir = tmpDir();
  const base = path.join(dir, 'base.onnx');
  const w0 = startWorker();
  w0.send({ type: 'start', options: { recipe: microParity(3), modelPath: base } satisfies WorkerStartOptions });
  await w0.waitFor((m) => m.type === 'result', 'the base model');
  assert.equal((await w0.exited).code, 0);
  const source = await loadModel(base);
  const init = { model: 'base.onnx', weightsCrc32: weightsCrc32(source.config, source.params), stepsBefore: 3 };

  const out = path.join(dir, 'tuned.onnx');
  const w = startWorker();
  w.send({ type: 'start', options: { recipe: { ...microParity(4, 9), initFrom: init }, initFrom: base, modelPath: out } satisfies WorkerStartOptions });
  const r = await w.waitFor((m) => m.type === 'result' || m.type === 'error', 'a result');
  assert.equal(r.type, 'result', JSON.stringify(r));
  assert.equal((await w.exited).code, 0);
  assert.deepEqual((await loadModel(out)).metadata.training.recipe.initFrom, init);

  const refused = async (options: WorkerStartOptions, kind: string, re: RegExp) => {
    const wb = startWorker();
    wb.send({ type: 'start', options });
    const e = await wb.waitFor((m) => m.type === 'error', 'an error');
    assert.equal((await wb.exited).code, 1);
    assert.deepEqual(e.type === 'error' && [e.kind, re.test(e.message)], [kind, true], JSON.stringify(e));
  };
  await refused({ recipe: { ...microParity(4), initFrom: { ...init, weightsCrc32: init.weightsCrc32 ^ 1 } }, initFrom: base }, 'bad-request', /not those of base\.onnx that the recipe records/);
  await refused({ recipe: { ...microParity(4), model: { ...microParity(4).model, heads: 4 }, initFrom: init }, initFrom: base }, 'bad-request', /this run cannot start from that model's weights: heads: the recipe has 4, the model 2/);
  await refused({ resume: true, checkpointPath: path.join(dir, 'tuned.ckpt'), initFrom: base }, 'bad-request', /"initFrom" starts a new run from a recipe; a resume continues its checkpoint/);
  await refused({ recipe: { ...microParity(4), initFrom: init }, initFrom: path.join(dir, 'none.onnx') }, 'model', /none\.onnx/);
});
