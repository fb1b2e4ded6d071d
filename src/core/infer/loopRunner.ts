// What an evaluation needs of a model: runs of the loop on token blocks. One session
// (loopedSession.ts) makes one run at a time; a pool of one-thread sessions in worker threads
// (sessionPool.ts) makes several, so an evaluation keeps that many batches in flight.
import type { LoopedConfig } from '../model/config';
import type { LoopedRun } from './loopedSession';

export interface LoopRunner {
  readonly config: LoopedConfig;
  /** Runs this runner makes at once (absent: 1). */
  readonly parallelism?: number;
  /** Runs `steps` loop iterations on a [batch, width] token block. */
  run(tokens: BigInt64Array, batch: number, width: number, steps: number): Promise<LoopedRun>;
}
