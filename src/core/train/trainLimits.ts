// What a training run will cost, checked before anything is allocated, and what in a recipe is
// legal but almost certainly not meant. The parameter count is capped by validateConfig (LIMITS);
// here the whole run's memory (weights, gradients, AdamW moments, and the activations of every
// unrolled loop step that the backward pass keeps) is estimated against this machine's memory.
import * as os from 'node:os';
import { formatCount, mlpWidth, parameterCount } from '../model/config';
import { formatBytes, LIMITS, ResourceLimitError } from '../util/limits';
import { DATA_PARALLEL_WORKERS, type DataParallelOptions } from './dataParallel';
import { pieceCount } from './gradientShares';
import { lrAt, recipeHorizon, type TrainRecipe } from './recipe';

/** How a data-parallel run shares its batches (undefined: one session). */
export type SharedRows = Pick<DataParallelOptions, 'workers' | 'maxWidth' | 'pieceBytes'>;

export interface TrainingEstimate {
  parameters: number;
  /** Weights, gradients, two AdamW moments and ONNX Runtime's copies of them. */
  parameterBytes: number;
  /** Activations of the widest batch over its whole horizon, kept for the backward pass (a data-parallel run: its workers' too). */
  activationBytes: number;
  /** A data-parallel run's gradient workers: each one's runtime and copies of the weights (0: one session). */
  workerBytes: number;
  totalBytes: number;
  width: number;
  horizon: number;
}

/** Node, ONNX Runtime and the compiled graphs before any batch. */
const RUNTIME_BASELINE_BYTES = 200 * 1024 * 1024;

/** The memory of the recipe's widest batch (pure arithmetic), with a data-parallel run's workers when `shared` is given. */
export function estimateTraining(r: TrainRecipe, shared?: SharedRows): TrainingEstimate {
  const c = r.model;
  const parameters = parameterCount(c);
  const parameterBytes = 4 * parameters * 8;
  const width = r.width;
  const horizon = recipeHorizon(r);
  // Per loop step, layer and example: the attention probabilities (heads × W²) and the MLP and
  // projections (W × (MLP width + 2d)), at half weight: ONNX Runtime reuses buffers. Calibrated on
  // this 2-core machine (peak RSS, fixed-width rows, cpu presets): parity 200 MB, copy 335 MB,
  // addition 515 MB measured against 225, 420 and 850 MB estimated (a runtime baseline included).
  const activationsAt = (w: number) => 2 * horizon * c.layers * r.batchSize * (c.heads * w * w + w * (mlpWidth(c) + 2 * c.d));
  let activationBytes = activationsAt(width);
  let workerBytes = 0;
  if (shared) {
    // Each worker keeps the activations of its largest piece of the widest rows shared, and the run's
    // own session those of rows wider than that: each holds its peak once it has trained it.
    const workers = shared.workers ?? DATA_PARALLEL_WORKERS;
    const sharedWidth = Math.min(width, shared.maxWidth ?? width);
    const shareRows = Math.ceil(r.batchSize / workers);
    const pieceRows = Math.ceil(shareRows / pieceCount(shareRows, sharedWidth, c.heads, shared.pieceBytes));
    activationBytes = (activationsAt(sharedWidth) * workers * pieceRows) / r.batchSize + (sharedWidth < width ? activationBytes : 0);
    workerBytes = workers * (RUNTIME_BASELINE_BYTES + parameterBytes);
  }
  return { parameters, parameterBytes, activationBytes, workerBytes, totalBytes: RUNTIME_BASELINE_BYTES + parameterBytes + activationBytes + workerBytes, width, horizon };
}

/**
 * Throws ResourceLimitError naming the estimate and the limit when the run would need more than
 * LIMITS.trainMemoryShare of this machine's memory (`totalBytes`, default os.totalmem()); `shared`
 * counts a data-parallel run's workers.
 */
export function checkTrainingResources(r: TrainRecipe, totalBytes = os.totalmem(), shared?: SharedRows): TrainingEstimate {
  const e = estimateTraining(r, shared);
  const limit = Math.floor(totalBytes * LIMITS.trainMemoryShare);
  if (e.totalBytes > limit) {
    throw new ResourceLimitError(
      `training this model would need about ${formatBytes(e.totalBytes)} (${formatCount(e.parameters)} parameters: ${formatBytes(e.parameterBytes)} with gradients and optimizer state; ` +
        `activations of ${r.batchSize} rows × ${e.width} positions × ${e.horizon} loop steps: ${formatBytes(e.activationBytes)}` +
        `${e.workerBytes > 0 ? `; data-parallel gradient workers: ${formatBytes(e.workerBytes)} more` : ''}), ` +
        `more than ${Math.round(LIMITS.trainMemoryShare * 100)}% of this machine's ${formatBytes(totalBytes)} (${formatBytes(limit)}); use a smaller batch, d, number of layers or heads, or shorter training lengths${e.workerBytes > 0 ? ', or train without --data-parallel' : ''}`,
    );
  }
  return e;
}

/** Things a recipe allows that are almost certainly mistakes, as warnings to print (empty: none). */
export function recipeWarnings(r: TrainRecipe): string[] {
  const out: string[] = [];
  const warm = r.schedule.warmupSteps ?? 0;
  if (warm > r.steps) {
    const last = lrAt(r, r.steps - 1);
    out.push(`the learning-rate warm-up (${warm} steps) is longer than the run (${r.steps} steps): the rate never reaches its peak ${r.schedule.lr} and ends at ${last.toPrecision(2)}; use a warm-up shorter than the steps`);
  }
  return out;
}
