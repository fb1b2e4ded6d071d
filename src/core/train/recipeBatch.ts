// The batch a recipe trains on: what decides it at a step (the lengths, the long share, the answer
// hold), its row width and loop horizon, and the batch itself. The trainer draws its batches here,
// and the run-cost projection times batches drawn here, so what is timed is what is trained.
import { makeTrainingBatch, type Batch } from '../tasks/batches';
import type { Task } from '../tasks/types';
import type { Rng } from '../util/rng';
import { answerHoldOf, longShareOf, nPointsOf } from './stages';
import { batchShape, type TrainRecipe } from './recipe';

/** What sets a batch's lengths and reads: n_points (lengths 1..n_points-1), the share at the longest length, the answer hold. */
export interface BatchKind {
  nPoints: number;
  longShare: number;
  answerHold: number;
}

/** The kind of batch 0-based step `step` trains on: its curriculum or stage's lengths, share and hold. */
export function batchKindAt(r: TrainRecipe, step: number): BatchKind {
  return { nPoints: nPointsOf(r, step), longShare: longShareOf(r, step), answerHold: answerHoldOf(r, step) };
}

/** Row width and loop horizon of a batch of this kind (recipe.ts batchShape). */
export function kindShape(r: TrainRecipe, kind: BatchKind): { width: number; horizon: number } {
  return batchShape(r, kind.nPoints, kind.answerHold);
}

/** A fresh random training batch of this kind, at its shape's horizon (any horizon >= max T(n_i) gives the same update). */
export function makeRecipeBatch(task: Task, r: TrainRecipe, rng: Rng, kind: BatchKind): Batch {
  const shape = kindShape(r, kind);
  const batch = makeTrainingBatch(task, rng, {
    batchSize: r.batchSize,
    nPoints: kind.nPoints,
    width: shape.width,
    longShare: kind.longShare,
    hardShare: r.hardShare,
    distinctShare: r.distinctShare,
    answerHold: kind.answerHold,
  });
  batch.horizon = shape.horizon;
  return batch;
}
