// An evaluation's working memory, estimated and checked against LIMITS before its first batch:
// test lengths, row widths and loop steps within bounds, and per length the read-out of one batch
// at every step, the largest activations of one step, the calibration batch (each times the batches
// in flight at once) and the per-example bookkeeping of the paper's rule (one 0/1 per example and
// step). Refused with the estimate.
import type { LoopedConfig } from '../model/config';
import { checkBytes, checkRunShape, evalRunBytes } from '../infer/memoryEstimate';
import type { Task } from '../tasks/types';
import { largestFitting } from '../util/largestFitting';
import { LIMITS, ResourceLimitError } from '../util/limits';

export interface EvaluationShape {
  lengths: number[];
  examples: number;
  batchSize: number;
  extraSteps?: number;
  calibration?: number;
  /** Batches run or held at once (evaluationRunsAtOnce; absent: 1). */
  runsAtOnce?: number;
}

/** Batches an evaluation keeps in flight on a runner of `parallelism` runs at once: one more than it runs, so that no worker waits while one is added up. */
export function evaluationRunsAtOnce(parallelism: number): number {
  return parallelism > 1 ? parallelism + 1 : 1;
}

/** Lengths of an evaluation example at main length n. */
export function evalLengths(task: Task, n: number): number[] {
  // Multiplication tests n_b with n_a = 2; a custom task with several lengths sets them all to n.
  if (task.raspl !== undefined) return task.lengthNames.map(() => n);
  return task.lengthNames.length === 2 ? [2, n] : [n];
}

/** Estimated peak bytes of evaluating one length (see the header). */
export function evaluationBytes(task: Task, config: LoopedConfig, o: EvaluationShape, n: number): { bytes: number; width: number; steps: number } {
  const lengths = evalLengths(task, n);
  const steps = task.steps(lengths) + (o.extraSteps ?? task.adaptiveExtraSteps);
  const width = task.widthFor(lengths);
  checkRunShape({ batch: 1, width, steps }, `evaluating length ${n}`);
  const batch = evalRunBytes(config, { batch: Math.min(o.batchSize, o.examples), width, steps });
  // the calibration inputs run in batches of the evaluation's size too (calibratedStep)
  const calibration = o.calibration ? evalRunBytes(config, { batch: Math.min(o.calibration, o.batchSize), width, steps }) : 0;
  const bookkeeping = o.examples * (steps * 8 + 64);
  return { bytes: (batch + calibration) * (o.runsAtOnce ?? 1) + bookkeeping, width, steps };
}

/**
 * The largest batch size, at most the asked one, whose evaluation fits LoopLens's memory budget at
 * every length. 1 when not even one example fits, so that the evaluation's own check
 * (checkEvaluationBudget) refuses it with the length and the estimate.
 */
export function fittingBatchSize(task: Task, config: LoopedConfig, o: EvaluationShape): number {
  const fits = (batchSize: number) => o.lengths.every((n) => evaluationBytes(task, config, { ...o, batchSize }, n).bytes <= LIMITS.evalBatchBytes);
  return Math.max(1, largestFitting(Math.min(o.batchSize, o.examples), fits));
}

/** The most workers, up to `workers`, whose batches all fit the memory budget in flight at once (1 when none do: one session, checked by checkEvaluationBudget). */
export function workersWithinBudget(task: Task, config: LoopedConfig, o: EvaluationShape, workers: number): number {
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`evaluation workers must be a positive whole number, got ${workers}`);
  const fits = (w: number) => o.lengths.every((n) => evaluationBytes(task, config, { ...o, runsAtOnce: evaluationRunsAtOnce(w) }, n).bytes <= LIMITS.evalBatchBytes);
  return Math.max(1, largestFitting(workers, fits));
}

/** Throws ResourceLimitError (with the estimate and the limit) for an evaluation LoopLens will not start. */
export function checkEvaluationBudget(task: Task, config: LoopedConfig, o: EvaluationShape): void {
  for (const n of o.lengths) {
    if (!Number.isSafeInteger(n) || n < 1 || n > LIMITS.length) throw new ResourceLimitError(`test length ${n} is outside 1..${LIMITS.length}`);
  }
  let widest = { n: 0, bytes: 0 };
  for (const n of o.lengths) {
    const e = evaluationBytes(task, config, o, n);
    if (e.bytes > widest.bytes) widest = { n, bytes: e.bytes };
  }
  checkBytes(widest.bytes, LIMITS.evalBatchBytes, `evaluating length ${widest.n} (${o.examples} examples in batches of ${Math.min(o.batchSize, o.examples)})`, 'use a smaller batch, fewer examples or shorter lengths');
}
