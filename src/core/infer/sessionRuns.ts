// The messages between a SessionPool (sessionPool.ts) and its worker threads (sessionWorker.ts,
// bundled to dist/session-worker.js).
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';

/** Main thread → worker. */
export type SessionRunRequest =
  /** Open the model's session; answered once it is open (or with the error met). */
  | { type: 'init'; id: number; config: LoopedConfig; params: Params }
  | { type: 'run'; id: number; tokens: BigInt64Array; batch: number; width: number; steps: number };

/** Worker → main thread: the session open, the read-out of every loop step (LoopedRun.data), or the error met. */
export type SessionRunReply = { id: number; opened: true } | { id: number; data: Float32Array } | { id: number; error: string };
