// The runner of an evaluation: one session, or on the CPU with several workers asked for, a pool of
// one-thread sessions (sessionPool.ts) sharing the batches.
import { availableParallelism } from 'node:os';
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import { bundledWorker } from '../util/bundledWorker';
import { cpuFallbackMessage, cudaUnavailableReason } from './executionProvider';
import type { LoopRunner } from './loopRunner';
import { LoopedSession, type SessionSettings } from './loopedSession';
import { SessionPool } from './sessionPool';

export interface EvalRunnerSettings extends SessionSettings {
  /** One-thread worker sessions sharing the runs on the CPU (absent or 1: one session on cpuThreads). */
  workers?: number;
}

export type EvalRunner = LoopRunner & { release(): Promise<void> };

/** Workers an evaluation uses when not told: one per core, up to 4 (each holds the model and its batch). */
export function defaultEvalWorkers(): number {
  return Math.max(1, Math.min(4, availableParallelism()));
}

/** Opens the eval graph of a model: a pool of `workers` one-thread sessions where the CPU runs it, else one session. */
export async function openEvalRunner(config: LoopedConfig, params: Params, s: EvalRunnerSettings): Promise<EvalRunner> {
  const workers = s.workers ?? 1;
  if (!Number.isInteger(workers) || workers < 1) throw new Error(`evaluation workers must be a positive whole number, got ${workers}`);
  const provider = s.provider ?? 'cpu';
  // 'auto' runs on CUDA when its provider is installed: one session there, the GPU shares nothing with the cores
  const cpuReason = provider === 'auto' ? cudaUnavailableReason() : undefined;
  if (workers === 1 || provider === 'cuda' || (provider === 'auto' && cpuReason === undefined)) return LoopedSession.fromParams(config, params, 'eval', s);
  if (cpuReason) s.log?.(cpuFallbackMessage(cpuReason));
  return SessionPool.start(bundledWorker(__dirname, 'session-worker.js', 'evaluation on several workers'), config, params, workers);
}
