// The estimate worker's protocol (dist/estimate-worker.js): newline-delimited JSON, one message per line.
//   parent → worker (stdin):  {"type":"start","options":{...}}, then optionally {"type":"cancel"}
//   worker → parent (stdout): ready, one "point" per timed kind of batch, then exactly one of
//                             result (exit 0), cancelled (exit 0) or error (exit 1).
// Closing stdin counts as cancel: nothing is saved, so the worker just stops. The host checks every
// line the worker writes with estimateWorkerMessages.ts (parseEstimateOutbound).
import type { ExecutionProviderSetting } from '../../core/infer/executionProvider';
import { parseStartOrCancel, type StartOrCancel } from '../../core/util/workerInbound';
import type { TrainRecipe } from '../../core/train/recipe';

export interface EstimateWorkerOptions {
  /** The run to time, as it would start (random weights stand in for a fine-tune's: a step costs the same). */
  recipe: TrainRecipe;
  provider: ExecutionProviderSetting;
  cpuThreads?: number;
  /** Time the run data-parallel (the looplens.dataParallel setting). */
  dataParallel?: boolean;
}

export type EstimateWorkerInbound = StartOrCancel<EstimateWorkerOptions>;

export type EstimateWorkerOutbound =
  | { type: 'ready'; pid: number }
  /** Point `done` of `total` timed (core/train/runCost.ts timedPointText). */
  | { type: 'point'; done: number; total: number; text: string }
  /** The projection (runCost.ts projectionText) and its two totals, with the load average while timing. */
  | { type: 'result'; text: string; cpuSeconds: number; wallSeconds: number; threads: string; loadAverage: number }
  | { type: 'cancelled' }
  | { type: 'log'; message: string }
  | { type: 'error'; message: string };

/** Checks a decoded inbound line (core/util/jsonLines.ts); the worker checks the recipe itself when it starts. */
export const parseEstimateInbound = (value: unknown): EstimateWorkerInbound => parseStartOrCancel<EstimateWorkerOptions>(value);
