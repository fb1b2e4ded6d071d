// Evaluation in worker threads (evalShareWorker.ts, bundled to dist/eval-share-worker.js): a test
// length's batches are independent runs of one model, so workers on one thread each share them out,
// and a length's result is its batches' scores added up in batch order (LengthConfidence.addScored),
// as one process adds them.
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import type { TaskName } from '../tasks/types';
import type { ScoredBatch } from './lengthConfidence';

/** How a length is measured: what both sides must agree on to draw the same inputs. */
export interface LengthPlan {
  /** The test length (n; n_b for multiplication). */
  n: number;
  examples: number;
  batchSize: number;
  seed: number;
  /** Loop steps read: T(n) + the adaptive rules' extra steps. */
  maxSteps: number;
}

/** Main thread → worker. */
export type EvalShareRequest =
  | { type: 'init'; task: TaskName; config: LoopedConfig; params: Params }
  /** The `index`-th batch of the plan's length (its inputs are the same whichever worker draws them). */
  | { type: 'batch'; id: number; plan: LengthPlan; index: number }
  /** The length-calibrated rule's step on `examples` random inputs of the plan's length. */
  | { type: 'calibrate'; id: number; plan: LengthPlan; examples: number };

/** Worker → main thread. */
export type EvalShareReply = { id: number; scored: ScoredBatch } | { id: number; step: number } | { id: number; error: string };

/** The number of examples in batch `index` of a plan (the last may be short). */
export function batchSizeAt(plan: LengthPlan, index: number): number {
  return Math.min(plan.batchSize, plan.examples - index * plan.batchSize);
}

export function batchCount(plan: LengthPlan): number {
  return Math.ceil(plan.examples / plan.batchSize);
}
