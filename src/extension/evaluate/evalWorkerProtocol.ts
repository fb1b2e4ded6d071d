// The evaluation worker's protocol (dist/eval-worker.js): newline-delimited JSON, one message per line.
//   parent → worker (stdin):  {"type":"start","options":{...}}, then optionally {"type":"cancel"}
//   worker → parent (stdout): ready, progress, one "row" per finished length, then exactly one of
//                             result (exit 0), cancelled (exit 0) or error (exit 1).
// Closing stdin counts as cancel. The host checks every line the worker writes with
// evalWorkerMessages.ts (parseEvalOutbound) before acting on it.
import type { ExecutionProviderSetting } from '../../core/infer/executionProvider';
import { parseStartOrCancel, type StartOrCancel } from '../../core/util/workerInbound';
import type { EvalSummaryRow } from '../../core/model/modelMetadata';
import type { FailureExample } from '../../core/eval/failures';
import type { CaseCount } from '../../core/eval/caseTally';
import type { StepCurve } from '../../core/eval/evaluate';

export interface EvalWorkerOptions {
  modelPath: string;
  lengths: number[];
  examples: number;
  /** Examples per inference batch (the paper's adaptive rule picks one step for all of a length's examples). */
  batchSize: number;
  seed: number;
  provider: ExecutionProviderSetting;
  cpuThreads?: number;
  /** One-thread worker sessions sharing the batches on the CPU (absent: 1, one session on cpuThreads). */
  workers?: number;
}

export type EvalWorkerInbound = StartOrCancel<EvalWorkerOptions>;

export type EvalWorkerOutbound =
  | { type: 'ready'; pid: number }
  | { type: 'progress'; done: number; total: number; length: number }
  /**
   * A finished length, with the first example it got wrong (under the oracle when there is one),
   * when the task has Task.cases its right answers per case label under each rule, and its accuracy
   * and the paper rule's confidence at every loop step (absent from workers older than the curve),
   * with each answer position's accuracy at every step to 4 decimals (StepCurve.positions; absent
   * from workers older than it).
   */
  | { type: 'row'; row: EvalSummaryRow; failure?: FailureExample; cases?: CaseCount[]; byStep?: StepCurve }
  | { type: 'result'; rows: EvalSummaryRow[]; perExampleRule: string; seconds: number }
  | { type: 'cancelled' }
  | { type: 'log'; message: string }
  | { type: 'error'; message: string };

/** Checks a decoded inbound line (core/util/jsonLines.ts); the worker checks the options themselves when it starts. */
export const parseEvalInbound = (value: unknown): EvalWorkerInbound => parseStartOrCancel<EvalWorkerOptions>(value);
