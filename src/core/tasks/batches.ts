// Batch assembly: task rows → flat typed arrays ready to be ONNX inputs (int64 = BigInt64Array in
// onnxruntime-node). Row-major [batch, width]. Targets outside the mask keep the task's ignored
// label, a valid class id, so a gather/one-hot on them never goes out of range; the mask zeroes
// their loss.
import type { Rng } from '../util/rng';
import { noDistinctInputsReason, noHardInputsReason } from './index';
import { TaskInputError, type Task, type TaskExample } from './types';

export interface Batch {
  batch: number;
  width: number;
  /** [batch, width] input token ids. */
  tokens: BigInt64Array;
  /** [batch, width] target class ids (valid ids everywhere). */
  targets: BigInt64Array;
  /** [batch, width] 1 on '=' .. end of row, 0 elsewhere. */
  mask: Float32Array;
  /** [batch] T(n_i): the 1-based loop step at which example i is read. */
  steps: BigInt64Array;
  /** Loop iterations to run for this batch; every steps[i] <= horizon. */
  horizon: number;
  /** Per-example lengths ([n] or [n_a, n_b]). */
  lengths: number[][];
  /** The rows the batch was built from (for rendering and debugging). */
  examples: TaskExample[];
}

/** Packs rows of equal width. `horizon` defaults to the largest T(n_i). */
export function packBatch(examples: readonly TaskExample[], horizon?: number): Batch {
  if (examples.length === 0) throw new Error('a batch needs at least one example');
  const width = examples[0]!.input.length;
  const B = examples.length;
  const tokens = new BigInt64Array(B * width);
  const targets = new BigInt64Array(B * width);
  const mask = new Float32Array(B * width);
  const steps = new BigInt64Array(B);
  let maxSteps = 0;
  examples.forEach((ex, b) => {
    if (ex.input.length !== width || ex.target.length !== width || ex.mask.length !== width) {
      throw new Error(`batch rows must share one width: row ${b} has ${ex.input.length}, row 0 has ${width}`);
    }
    for (let i = 0; i < width; i++) {
      tokens[b * width + i] = BigInt(ex.input[i]!);
      targets[b * width + i] = BigInt(ex.target[i]!);
      mask[b * width + i] = ex.mask[i]!;
    }
    steps[b] = BigInt(ex.steps);
    maxSteps = Math.max(maxSteps, ex.steps);
  });
  const h = horizon ?? maxSteps;
  if (!Number.isInteger(h) || h < maxSteps) throw new Error(`horizon ${h} is shorter than the largest T(n) in the batch (${maxSteps})`);
  return { batch: B, width, tokens, targets, mask, steps, horizon: h, lengths: examples.map((e) => e.lengths), examples: [...examples] };
}

export interface TrainingBatchOptions {
  batchSize: number;
  /** Current curriculum value; lengths are uniform in [1, nPoints-1]. */
  nPoints: number;
  /** Row width; default task.trainingWidth() (max_len = final training length + 1, fixed for the run). */
  width?: number;
  /** Share of the batch, its first rows, at the longest length nPoints-1 instead of uniform (TrainRecipe.longShare; default 0). */
  longShare?: number;
  /** Share of the batch, its last rows, drawn from task.hardInputs instead of uniform inputs (TrainRecipe.hardShare; default 0). */
  hardShare?: number;
  /** Share of the batch, the rows just before the hard ones, drawn from task.distinctInputs instead of uniform inputs (TrainRecipe.distinctShare; default 0). */
  distinctShare?: number;
  /** Read each example at a random step from T(n) to T(n) + answerHold (TrainRecipe.answerHold; default 0: at T(n)). */
  answerHold?: number;
}

/** A fresh random mixed-length training batch; horizon = task.horizon(nPoints) as in the paper (+ the answer hold). */
export function makeTrainingBatch(task: Task, rng: Rng, opts: TrainingBatchOptions): Batch {
  checkBatchSize(opts.batchSize);
  const width = opts.width ?? task.trainingWidth();
  const rows: TaskExample[] = [];
  // A row count, not a random draw per row: a share of 0 leaves the data stream the paper's.
  const longest = Math.round((opts.longShare ?? 0) * opts.batchSize);
  const hardFrom = opts.batchSize - Math.round((opts.hardShare ?? 0) * opts.batchSize);
  // Rounded on their own, two shares that sum to 1 may ask for one row more than the batch has.
  const distinctFrom = Math.max(0, hardFrom - Math.round((opts.distinctShare ?? 0) * opts.batchSize));
  const hard = task.hardInputs;
  const distinct = task.distinctInputs;
  const noHard = noHardInputsReason(task);
  if (hardFrom < opts.batchSize && noHard) throw new TaskInputError(noHard);
  const noDistinct = noDistinctInputsReason(task);
  if (distinctFrom < hardFrom && noDistinct) throw new TaskInputError(noDistinct);
  for (let i = 0; i < opts.batchSize; i++) {
    const atLongest = i < longest;
    const inputs = i >= hardFrom ? hard! : i >= distinctFrom ? distinct! : undefined;
    rows.push(inputs ? inputs.sampleAt(rng, task.sampleLengths(rng, opts.nPoints, atLongest), width) : task.sampleTraining(rng, opts.nPoints, width, atLongest));
  }
  const hold = opts.answerHold ?? 0;
  const batch = packBatch(rows, task.horizon(opts.nPoints) + hold);
  // drawn after the rows (and only with a hold), so the rows are the stream they are without one
  if (hold > 0) for (let b = 0; b < batch.batch; b++) batch.steps[b]! += BigInt(rng.int(0, hold));
  return batch;
}

/**
 * A random evaluation batch where every example has the same lengths. Width defaults to the test
 * width (max_len = n + 2); horizon defaults to the adaptive rule's budget task.maxSteps(lengths).
 */
export function makeEvalBatch(task: Task, rng: Rng, lengths: readonly number[], batchSize: number, opts: { width?: number; horizon?: number } = {}): Batch {
  checkBatchSize(batchSize);
  const width = opts.width ?? task.widthFor(lengths);
  const rows: TaskExample[] = [];
  for (let i = 0; i < batchSize; i++) rows.push(task.sampleAt(rng, lengths, width));
  return packBatch(rows, opts.horizon ?? task.maxSteps(lengths));
}

/** One-hot [batch, width, vocab] float32 of the tokens (for a linear read-in fed from outside the graph). */
export function oneHotTokens(batch: Batch, vocab: number): Float32Array {
  const out = new Float32Array(batch.batch * batch.width * vocab);
  for (let i = 0; i < batch.tokens.length; i++) {
    const t = Number(batch.tokens[i]);
    if (t < 0 || t >= vocab) throw new Error(`token ${t} at ${i} is outside the vocabulary of ${vocab}`);
    out[i * vocab + t] = 1;
  }
  return out;
}

/** [horizon, batch] float32 selector: 1 where loop step t+1 == T(n_i), so sum_t sel[t,i] * loss_t[i] reads each example at its own step. */
export function stepSelector(batch: Batch): Float32Array {
  const sel = new Float32Array(batch.horizon * batch.batch);
  for (let b = 0; b < batch.batch; b++) sel[(Number(batch.steps[b]) - 1) * batch.batch + b] = 1;
  return sel;
}

function checkBatchSize(n: number): void {
  if (!Number.isInteger(n) || n < 1) throw new Error(`batch size must be a positive integer, got ${n}`);
}
