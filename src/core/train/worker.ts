// Training in a child process (bundled to dist/train-worker.js): reads the start options from stdin,
// streams progress as JSON lines on stdout, stops cleanly on "cancel" or when stdin closes.
// Protocol: workerProtocol.ts. Only protocol lines go to stdout; console output is sent to stderr.
import * as readline from 'node:readline';
import { LoopLensModelError } from '../model/modelFile';
import { TaskInputError } from '../tasks/types';
import { CheckpointError } from './checkpoint';
import { makeRecipe } from './presets';
import { RecipeError, validateRecipe } from './recipe';
import { runTrainJob } from './trainJob';
import { TrainingDivergedError, type TrainEvent } from './trainer';
import { parseInbound, type WorkerErrorKind, type WorkerOutbound, type WorkerStartOptions } from './workerProtocol';

const stdoutWrite = process.stdout.write.bind(process.stdout);
// Libraries that print must not corrupt the protocol stream.
console.log = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);
console.info = console.log;

function send(msg: WorkerOutbound): void {
  stdoutWrite(`${JSON.stringify(msg, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
}

function errorKind(err: unknown): WorkerErrorKind {
  if (err instanceof TrainingDivergedError) return 'diverged';
  if (err instanceof CheckpointError) return 'checkpoint';
  if (err instanceof LoopLensModelError) return 'model';
  if (err instanceof RecipeError || err instanceof TaskInputError) return 'bad-request';
  return 'internal';
}

function recipeFor(o: WorkerStartOptions) {
  if (o.recipe) return validateRecipe(o.recipe);
  if (o.task) return makeRecipe(o.task, o.preset ?? 'cpu', o.overrides ?? {});
  if (o.resume) return undefined;
  throw new RecipeError('start options need a "recipe", or a "task" (with "preset"), or "resume"');
}

async function start(o: WorkerStartOptions, abort: AbortController): Promise<number> {
  const minGap = o.progressIntervalMs ?? 250;
  let lastProgress = 0;
  const onEvent = (e: TrainEvent) => {
    if (e.type === 'progress') {
      const now = Date.now();
      if (now - lastProgress < minGap && e.step !== e.totalSteps) return;
      lastProgress = now;
    }
    send(e);
  };
  try {
    const r = await runTrainJob({
      recipe: recipeFor(o),
      checkpointPath: o.checkpointPath,
      checkpointEvery: o.checkpointEvery,
      resume: o.resume,
      historyEvery: o.historyEvery,
      provider: o.provider,
      cpuThreads: o.cpuThreads,
      quickEval: o.quickEval,
      modelPath: o.modelPath,
      finalEval: o.finalEval,
      signal: abort.signal,
      onEvent,
      onEvalProgress: (p) => send({ type: 'evalProgress', ...p }),
      log: (message) => send({ type: 'log', message }),
    });
    send({
      type: 'result',
      status: r.train.status,
      step: r.train.step,
      elapsedSeconds: r.train.elapsedSeconds,
      finalLoss: r.train.finalLoss,
      checkpointPath: r.train.checkpointPath,
      modelPath: r.modelPath,
      modelBytes: r.modelBytes,
      evaluation: r.evaluation?.summary,
    });
    return 0;
  } catch (err) {
    const e = err as Error;
    send({ type: 'error', kind: errorKind(err), message: e.message ?? String(err), ...(err instanceof TrainingDivergedError ? { step: err.step, checkpointPath: err.checkpointPath } : {}) });
    if (errorKind(err) === 'internal' && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

/** Exits once everything written to stdout has been handed to the OS (pipes can be asynchronous). */
function exitAfterFlush(code: number): void {
  stdoutWrite('', () => process.exit(code));
}

function main(): void {
  const abort = new AbortController();
  let job: Promise<number> | undefined;
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    let msg;
    try {
      msg = parseInbound(line);
    } catch (err) {
      send({ type: 'error', kind: 'bad-request', message: (err as Error).message });
      if (!job) exitAfterFlush(1);
      return;
    }
    if (msg.type === 'cancel') {
      abort.abort();
      if (!job) exitAfterFlush(0);
      return;
    }
    if (job) {
      send({ type: 'error', kind: 'bad-request', message: 'worker: training already started; one job per worker' });
      return;
    }
    job = start(msg.options, abort);
    void job.then((code) => {
      rl.close();
      exitAfterFlush(code);
    });
  });
  // The parent closed our stdin (or died): stop like a cancel so the checkpoint is written.
  rl.on('close', () => {
    if (!job) exitAfterFlush(0);
    abort.abort();
  });
  send({ type: 'ready', pid: process.pid });
}

main();
