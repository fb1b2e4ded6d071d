// Data-parallel gradients on a multi-core CPU: one ONNX Runtime session runs one graph at a time in
// a process, and a session on two threads gains little on the narrow rows of a curriculum's short
// lengths, so a batch is cut into shares of even work (gradientShares.ts balancedShares), one per
// worker thread (gradientWorker.ts), each run on one thread at once. The shares' losses and gradients
// add up to the whole batch's (each divides by the whole batch's masked-token count); the update
// (clipping, AdamW) then runs once on their sum.
import { Worker } from 'node:worker_threads';
import type { LoopedConfig } from '../model/config';
import { balancedShares, rowsOf, type ShareReply, type ShareRequest } from './gradientShares';
import type { TrainBatch } from './trainStep';
import { bundledWorker } from '../util/bundledWorker';
import { WorkerRequests } from '../util/workerRequests';

/** Worker threads of a data-parallel run: one per core of the 2-core machines LoopLens is tuned on. */
export const DATA_PARALLEL_WORKERS = 2;
/**
 * The attention bytes a worker's piece of its share may take (gradientShares.ts pieceCount): on wide
 * rows, whole shares side by side measured no faster than one session on two threads, pieces of this
 * size faster (README, Performance).
 */
export const DATA_PARALLEL_PIECE_BYTES = 3_000_000;

/** A data-parallel run as LoopLens starts one: its workers, from `dir`'s bundle, in pieces of DATA_PARALLEL_PIECE_BYTES, sharing rows up to `maxWidth` (undefined: every batch). */
export function defaultDataParallel(dir: string, maxWidth?: number): DataParallelOptions {
  const script = bundledWorker(dir, 'gradient-worker.js', 'data-parallel training');
  return { script, workers: DATA_PARALLEL_WORKERS, pieceBytes: DATA_PARALLEL_PIECE_BYTES, ...(maxWidth === undefined ? {} : { maxWidth }) };
}

export interface DataParallelOptions {
  /** The bundled worker script (dist/gradient-worker.js). */
  script: string;
  /** Worker threads, one share of each batch each (default 2). */
  workers?: number;
  /** Batches with wider rows run as one session instead (undefined: every batch is shared). */
  maxWidth?: number;
  /** A worker trains its share in pieces whose attention scores fit in this many bytes (gradientShares.ts pieceCount; undefined: in one piece). */
  pieceBytes?: number;
}

export class GradientPool {
  private constructor(private readonly requests: WorkerRequests<ShareReply>) {}

  static start(config: LoopedConfig, options: DataParallelOptions): GradientPool {
    const count = options.workers ?? DATA_PARALLEL_WORKERS;
    if (!Number.isInteger(count) || count < 1) throw new Error(`data-parallel training needs a positive whole number of workers, got ${count}`);
    const workers = Array.from({ length: count }, () => new Worker(options.script));
    for (const w of workers) w.postMessage({ type: 'init', config, ...(options.pieceBytes === undefined ? {} : { pieceBytes: options.pieceBytes }) } satisfies ShareRequest);
    return new GradientPool(new WorkerRequests(workers, 'gradient worker'));
  }

  get size(): number {
    return this.requests.workers.length;
  }

  /** The whole batch's loss and flat gradient (unclipped), as the one-session step would compute them. */
  async gradient(params: Float32Array, batch: TrainBatch): Promise<{ loss: number; grad: Float32Array }> {
    const workers = this.requests.workers;
    if (batch.batch < workers.length) throw new Error(`a batch of ${batch.batch} cannot be cut into ${workers.length} shares`);
    let denominator = 0;
    for (let i = 0; i < batch.mask.length; i++) denominator += batch.mask[i]!;
    const shares = balancedShares(batch.steps, workers.length);
    const asks = workers.map((w, k) => this.requests.ask(w, (id) => ({ type: 'share', id, share: rowsOf(batch, shares[k]!), params, denominator }) satisfies ShareRequest));
    // every share settles before a failure is thrown: the pool is released then, and a worker stopped inside ONNX Runtime takes the process down
    await Promise.allSettled(asks);
    const replies = await Promise.all(asks);
    const grad = replies[0]!.grad;
    let loss = replies[0]!.loss;
    for (const r of replies.slice(1)) {
      loss += r.loss;
      for (let i = 0; i < grad.length; i++) grad[i]! += r.grad[i]!;
    }
    return { loss, grad };
  }

  release(): Promise<void> {
    return this.requests.release();
  }
}
