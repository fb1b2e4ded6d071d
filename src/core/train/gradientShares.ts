// What a data-parallel training step sends to its gradient workers and gets back (dataParallel.ts,
// gradientWorker.ts), and how it cuts a batch into the workers' shares.
import type { LoopedConfig } from '../model/config';
import type { TrainBatch } from './trainStep';

/** Main thread → worker. */
export type ShareRequest =
  | { type: 'init'; config: LoopedConfig; pieceBytes?: number }
  | { type: 'share'; id: number; share: TrainBatch; params: Float32Array; denominator: number };

/** Worker → main thread: a share's part of the loss and its gradient, or why it failed. */
export type ShareReply = { id: number; loss: number; grad: Float32Array } | { id: number; error: string };

/** The examples `rows` of `b` (indices, in the order given) as a batch of their own. */
export function rowsOf(b: TrainBatch, rows: readonly number[]): TrainBatch {
  const W = b.width;
  const out: TrainBatch = {
    batch: rows.length,
    width: W,
    horizon: b.horizon,
    tokens: new BigInt64Array(rows.length * W),
    targets: new BigInt64Array(rows.length * W),
    mask: new Float32Array(rows.length * W),
    steps: new BigInt64Array(rows.length),
  };
  rows.forEach((row, k) => {
    out.tokens.set(b.tokens.subarray(row * W, (row + 1) * W), k * W);
    out.targets.set(b.targets.subarray(row * W, (row + 1) * W), k * W);
    out.mask.set(b.mask.subarray(row * W, (row + 1) * W), k * W);
    out.steps[k] = b.steps[row]!;
  });
  return out;
}

/**
 * The examples of each of `count` shares of a batch whose examples run `steps` loop iterations each
 * (T(n_i): the training graph runs an example no further than its read-out step, so its cost is about
 * proportional to it): by T(n_i), longest first, dealt back and forth (share 0, 1, …, count-1, then
 * count-1, …, 0, …), so that the shares' work differs by about one example's and their sizes by at
 * most one example. Cutting the batch into contiguous runs would give the first share every
 * example at the longest length of a recipe's long share (its first rows) and leave the others waiting.
 * Each share's examples are in batch order.
 */
export function balancedShares(steps: ArrayLike<bigint>, count: number): number[][] {
  const order = Array.from({ length: steps.length }, (_, i) => i).sort((a, b) => Number(steps[b]!) - Number(steps[a]!) || a - b);
  const shares: number[][] = Array.from({ length: count }, () => []);
  order.forEach((row, k) => {
    const lap = Math.floor(k / count);
    const at = k % count;
    shares[lap % 2 === 0 ? at : count - 1 - at]!.push(row);
  });
  return shares.map((s) => s.sort((a, b) => a - b));
}

/** Examples [from, to) of `b` as a batch of their own: a worker's pieces of its share. */
export function shareOf(b: TrainBatch, from: number, to: number): TrainBatch {
  return rowsOf(b, Array.from({ length: to - from }, (_, i) => from + i));
}

/** The first example of each of `count` shares of `batch` examples, and the end: as even as whole examples allow. */
export function shareBounds(batch: number, count: number): number[] {
  return Array.from({ length: count + 1 }, (_, k) => Math.floor((k * batch) / count));
}

/**
 * How many pieces a worker trains a share of `rows` examples `width` wide in, one after another, so
 * that a piece's attention scores (rows × heads × width² floats per loop step and layer) stay within
 * `pieceBytes`: those tensors are read and written several times per step, and a step whose copies of
 * them fit the processor's cache runs faster per example than one whose do not (README, Performance).
 * undefined or Infinity: the share in one piece.
 */
export function pieceCount(rows: number, width: number, heads: number, pieceBytes: number | undefined): number {
  if (pieceBytes === undefined || !Number.isFinite(pieceBytes)) return 1;
  const rowsPerPiece = Math.max(1, Math.floor(pieceBytes / (4 * heads * width * width)));
  return Math.ceil(rows / rowsPerPiece);
}
