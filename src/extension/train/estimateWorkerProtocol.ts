// The estimate worker's protocol (dist/estimate-worker.js): newline-delimited JSON, one message per line.
//   parent → worker (stdin):  {"type":"start","options":{...}}, then optionally {"type":"cancel"}
//   worker → parent (stdout): ready, one "point" per timed kind of batch, then exactly one of
//                             result (exit 0), cancelled (exit 0) or error (exit 1).
// Closing stdin counts as cancel: nothing is saved, so the worker just stops. The host checks every
// line the worker writes with estimateWorkerMessages.ts (parseEstimateOutbound).
import type { ExecutionProviderSetting } from '../../core/infer/executionProvider';
import type { TrainRecipe } from '../../core/train/recipe';

export interface EstimateWorkerOptions {
  /** The run to time, as it would start (random weights stand in for a fine-tune's: a step costs the same). */
  recipe: TrainRecipe;
  provider: ExecutionProviderSetting;
  cpuThreads?: number;
}

export type EstimateWorkerInbound = { type: 'start'; options: EstimateWorkerOptions } | { type: 'cancel' };

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
export function parseEstimateInbound(value: unknown): EstimateWorkerInbound {
  const m = (value ?? {}) as { type?: unknown; options?: unknown };
  if (m.type === 'cancel') return { type: 'cancel' };
  if (m.type === 'start') return { type: 'start', options: m.options as EstimateWorkerOptions };
  throw new Error(`unknown message type ${JSON.stringify(m.type)}`);
}
