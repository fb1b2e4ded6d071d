// The training worker's protocol: newline-delimited JSON, one message per line.
//   parent → worker (stdin):  {"type":"start","options":{...}}  then optionally  {"type":"cancel"}
//   worker → parent (stdout): {"type":"ready"}, the trainer's events (start, phase, progress,
//                             history, eval, checkpoint, done), evalProgress, then exactly one of
//                             {"type":"result",...} (exit code 0) or {"type":"error",...} (exit code 1).
// Closing the worker's stdin counts as "cancel" (the parent went away): it checkpoints and exits.
// The host checks every line the worker writes with workerMessages.ts (parseWorkerOutbound).
import type { ExecutionProviderSetting } from '../infer/executionProvider';
import { parseStartOrCancel, type StartOrCancel } from '../util/workerInbound';
import type { EvalSummary } from '../model/modelMetadata';
import type { RecipeOverrides } from './recipePlan';
import type { TrainRecipe } from './recipe';
import type { FinalEvalSettings } from './trainJob';
import type { QuickEvalSettings } from './quickEval';
import type { TrainEvent } from './trainEvents';

export interface WorkerStartOptions {
  /** A full recipe, or `task` + `preset` (+ `overrides`) to build one. Optional when resuming. */
  recipe?: TrainRecipe;
  task?: string;
  preset?: string;
  overrides?: RecipeOverrides;
  checkpointPath?: string;
  checkpointEvery?: number;
  resume?: boolean;
  /** With `resume`: go on from this other run's checkpoint as a run of its own, writing `checkpointPath` (trainer.ts resumeFrom); `recipe` may change what the checkpoint has not trained (forkRecipe.ts). */
  resumeFrom?: string;
  /** A fine-tuning run (its recipe records initFrom): the model file whose weights it starts from. */
  initFrom?: string;
  /** Saved when training finishes. */
  modelPath?: string;
  /** A run whose last stage runs as branches: also save and evaluate each branch as its own model (trainJob.ts keepBranches). */
  keepBranches?: boolean;
  /** Also save the weights and the run's checkpoint at these steps (trainer.ts saveAt). */
  saveAt?: number[];
  finalEval?: FinalEvalSettings;
  quickEval?: QuickEvalSettings;
  historyEvery?: number;
  provider?: ExecutionProviderSetting;
  cpuThreads?: number;
  /** Train data-parallel with the gradient workers beside this worker's bundle (dataParallel.ts). */
  dataParallel?: boolean;
  /** Minimum milliseconds between forwarded `progress` events (default 250; the last step is always sent). */
  progressIntervalMs?: number;
}

/** A kept branch as the worker reports it (trainJob.ts KeptBranch, its evaluation's summary). */
export interface WorkerKeptBranch {
  index: number;
  of: number;
  modelPath?: string;
  evaluation?: EvalSummary;
}

export type WorkerInbound = StartOrCancel<WorkerStartOptions>;

export type WorkerErrorKind = 'bad-request' | 'diverged' | 'checkpoint' | 'model' | 'internal';

export type WorkerOutbound =
  | { type: 'ready'; pid: number }
  | TrainEvent
  | { type: 'evalProgress'; done: number; total: number; length: number }
  | { type: 'log'; message: string }
  | {
      type: 'result';
      status: 'finished' | 'cancelled';
      step: number;
      elapsedSeconds: number;
      /** The run's CPU time (TrainResult.cpuSeconds); absent when a resumed-from checkpoint did not count it. */
      cpuSeconds?: number;
      finalLoss: number | null;
      checkpointPath?: string;
      modelPath?: string;
      modelBytes?: number;
      evaluation?: EvalSummary;
      /** The branches kept (keepBranches): where each was saved (absent: lost to a resume from an older checkpoint) and its evaluation. */
      branches?: WorkerKeptBranch[];
    }
  | { type: 'error'; kind: WorkerErrorKind; message: string; step?: number; checkpointPath?: string };

/** Checks a decoded inbound line (util/jsonLines.ts); throws an Error with a clear message on anything else. */
export const parseInbound = (value: unknown): WorkerInbound => parseStartOrCancel<WorkerStartOptions>(value);
