// Training in a child process (bundled to dist/train-worker.js): reads the start options from stdin,
// streams progress as JSON lines on stdout, stops cleanly on "cancel" or when stdin closes.
// Protocol: workerProtocol.ts. Only protocol lines go to stdout; console output is sent to stderr.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultDataParallel } from './dataParallel';
import { loadModel, LoopLensModelError } from '../model/modelFile';
import type { Params } from '../model/params';
import { startingWeights } from './fineTune';
import { TaskInputError } from '../tasks/types';
import { readJsonLines } from '../util/jsonLines';
import { workerStdout } from '../util/workerStdout';
import { CheckpointError } from './checkpoint';
import { makeRecipe } from './recipePlan';
import { RecipeError, validateRecipe, type TrainRecipe } from './recipe';
import { runTrainJob } from './trainJob';
import type { TrainEvent } from './trainEvents';
import { TrainingDivergedError } from './trainer';
import { parseInbound, type WorkerErrorKind, type WorkerOutbound, type WorkerStartOptions } from './workerProtocol';

const { send, exitAfterFlush } = workerStdout<WorkerOutbound>();

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
    const recipe = recipeFor(o);
    const r = await runTrainJob({
      recipe,
      initParams: await startingParams(o, recipe),
      checkpointPath: o.checkpointPath,
      checkpointEvery: o.checkpointEvery,
      resume: o.resume,
      ...(o.resumeFrom !== undefined ? { resumeFrom: forkSource(o) } : {}),
      historyEvery: o.historyEvery,
      provider: o.provider,
      cpuThreads: o.cpuThreads,
      dataParallel: o.dataParallel === true ? defaultDataParallel(__dirname) : undefined,
      quickEval: o.quickEval,
      modelPath: o.modelPath,
      keepBranches: o.keepBranches === true,
      ...(o.saveAt && o.saveAt.length > 0 ? { saveAt: o.saveAt } : {}),
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
      cpuSeconds: r.train.cpuSeconds,
      finalLoss: r.train.finalLoss,
      checkpointPath: r.train.checkpointPath,
      modelPath: r.modelPath,
      modelBytes: r.modelBytes,
      evaluation: r.evaluation?.summary,
      ...(r.branches ? { branches: r.branches.map((b) => ({ index: b.index, of: b.of, modelPath: b.modelPath, evaluation: b.evaluation?.summary })) } : {}),
    });
    return 0;
  } catch (err) {
    const e = err as Error;
    send({ type: 'error', kind: errorKind(err), message: e.message ?? String(err), ...(err instanceof TrainingDivergedError ? { step: err.step, checkpointPath: err.checkpointPath } : {}) });
    if (errorKind(err) === 'internal' && e.stack) process.stderr.write(`${e.stack}\n`);
    return 1;
  }
}

/** The checkpoint a fork goes on from: never the one it writes, nor over another run's. */
function forkSource(o: WorkerStartOptions): string {
  const from = o.resumeFrom!;
  if (!o.resume || o.checkpointPath === undefined) throw new RecipeError('"resumeFrom" goes on from a checkpoint as a new run: give it with "resume" and the new run\'s "checkpointPath"');
  if (path.resolve(from) === path.resolve(o.checkpointPath)) throw new RecipeError(`"resumeFrom" is the run's own checkpoint (${o.checkpointPath}): a run goes on from its own with "resume" alone`);
  if (fs.existsSync(o.checkpointPath)) throw new RecipeError(`${o.checkpointPath} already holds a run's checkpoint: a fork writes a new one, so give it another name`);
  return from;
}

/** A fine-tuning run's starting weights, read from the model file it names (the trainer checks them against the recipe's CRC-32). */
async function startingParams(o: WorkerStartOptions, recipe: TrainRecipe | undefined): Promise<Params | undefined> {
  if (o.initFrom === undefined) return undefined;
  if (!recipe || o.resume) throw new RecipeError('"initFrom" starts a new run from a recipe; a resume continues its checkpoint');
  return startingWeights(recipe, await loadModel(o.initFrom), o.initFrom);
}

function main(): void {
  const abort = new AbortController();
  let job: Promise<number> | undefined;
  const stopReading = readJsonLines(process.stdin, parseInbound, {
    onBadLine: (err) => {
      send({ type: 'error', kind: 'bad-request', message: `worker: ${err.message}` });
      if (!job) exitAfterFlush(1);
    },
    onMessage: (msg) => {
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
        stopReading();
        exitAfterFlush(code);
      });
    },
    // The parent closed our stdin (or died): stop like a cancel so the checkpoint is written.
    onEnd: () => {
      if (!job) exitAfterFlush(0);
      abort.abort();
    },
  });
  send({ type: 'ready', pid: process.pid });
}

main();
