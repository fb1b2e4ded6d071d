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

/** Examples [from, to) of `b` as a batch of their own (the rows are contiguous, so these are copies of slices). */
export function shareOf(b: TrainBatch, from: number, to: number): TrainBatch {
  const W = b.width;
  return {
    batch: to - from,
    width: W,
    horizon: b.horizon,
    tokens: b.tokens.slice(from * W, to * W),
    targets: b.targets.slice(from * W, to * W),
    mask: b.mask.slice(from * W, to * W),
    steps: b.steps.slice(from, to),
  };
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
