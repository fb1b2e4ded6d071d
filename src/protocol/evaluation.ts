// Messages between the host and the Evaluation webview. Imported by both sides.
// The host sends the whole state (it is small); the webview keeps it in vscode.setState, so a
// finished evaluation redraws after a window reload without the host.
import type { EvalSummaryRow } from '../core/model/modelMetadata';

export type { EvalSummaryRow };

/** 2: setup.calibrationExamples (a state saved by version 1 lacks it). */
export const EVALUATION_PROTOCOL = 2;

export interface EvaluationSetup {
  modelPath: string;
  modelName: string;
  task: string;
  taskTitle: string;
  model: { d: number; layers: number; heads: number };
  /** e.g. "6000 steps, cpu preset". */
  trainedWith: string;
  /** Training lengths are 1..maxTrainLength (n_b for multiplication, with n_a in {1, 2}). */
  maxTrainLength: number;
  /** "n" or "n_b (n_a = 2)": what the length axis counts. */
  lengthLabel: string;
  /** "T(n) = n" */
  oracleRule: string;
  lengths: number[];
  examples: number;
  batchSize: number;
  seed: number;
  /** The adaptive rules may run this many steps past T(n). */
  extraSteps: number;
  /** Random inputs behind the length-calibrated rule's one step per length. */
  calibrationExamples: number;
}

export type EvaluationStatus = 'running' | 'finished' | 'cancelled' | 'failed';

export interface EvaluationViewState {
  protocol: typeof EVALUATION_PROTOCOL;
  setup: EvaluationSetup;
  status: EvaluationStatus;
  progress: { done: number; total: number; length: number } | null;
  /** One row per finished length, in the order they finished (ascending length). */
  rows: EvalSummaryRow[];
  perExampleRule: string | null;
  seconds: number | null;
  error: string | null;
}

/** Whether a state the webview saved (maybe by an older version) is one this version can draw. */
export function isEvaluationViewState(saved: unknown): saved is EvaluationViewState {
  const s = saved as Partial<EvaluationViewState> | null | undefined;
  return !!s && s.protocol === EVALUATION_PROTOCOL && !!s.setup && Array.isArray(s.rows);
}

export type EvaluationToWebview = { type: 'state'; state: EvaluationViewState };

export type EvaluationToHost = { type: 'ready' } | { type: 'cancel' } | { type: 'stepThrough' } | { type: 'rerun' };
