// Messages between the host and the Evaluation webview. Imported by both sides.
// The host sends the whole state (it is small); the webview keeps it in vscode.setState, so a
// finished evaluation redraws after a window reload without the host.
import type { CaseCount } from '../core/eval/caseTally';
import type { StepCurve } from '../core/eval/evaluate';
import type { EvalSummaryRow } from '../core/model/modelMetadata';
import type { ExportRequest, ExportResult } from './export';

export type { CaseCount, EvalSummaryRow, StepCurve };

/** A 95% confidence interval of an accuracy (Wilson score interval, computed by the host). */
export interface AccuracyInterval {
  low: number;
  high: number;
}

/** A row of results with the intervals of its accuracies (absent in states saved before they existed). */
export interface EvaluationRow extends EvalSummaryRow {
  ci?: { oracle: AccuracyInterval | null; perBatch: AccuracyInterval | null; perExample: AccuracyInterval | null; calibrated: AccuracyInterval | null };
}

/** An example the model gets wrong at one length, to open in the stepper. */
export interface FailureView {
  length: number;
  /** The input as typed in the stepper (the task's syntax). */
  input: string;
  expected: string;
  predicted: string;
  /** The rule it is wrong under, and the step it read. */
  rule: string;
  step: number;
}

/**
 * Exact match split by the task's case labels (Task.cases), e.g. inputs with and without repeats:
 * each count has the oracle's right answers (`correct`) and, in states saved since they existed,
 * the paper rule's and the per-example rule's (CaseCount).
 */
export interface EvaluationCases {
  /** What the labels count, e.g. 'repeated elements'. */
  title: string;
  /** The labels in display order; every row's counts follow it. */
  labels: string[];
  /** One per finished length, ascending. */
  rows: { length: number; counts: CaseCount[] }[];
}

/**
 * One length's exact match and the paper rule's confidence score at every loop step 1 .. T(n) +
 * extraSteps (core StepCurve): where the answer forms, and whether it holds past T(n); with
 * `positions` (absent in states saved before it existed), each answer position's accuracy at every
 * step: where in the answer it fails, and when each slot forms.
 */
export interface EvaluationStepCurve extends StepCurve {
  length: number;
}

/** A second model evaluated with the same lengths, examples and seed, drawn over the first. */
export interface EvaluationOverlay {
  modelPath: string;
  modelName: string;
  status: EvaluationStatus;
  rows: EvaluationRow[];
  progress: { done: number; total: number; length: number } | null;
  error: string | null;
  /** Its case split, as the first model's; null: the task has none; absent in states saved before overlays had one. */
  cases?: EvaluationCases | null;
  /**
   * Its own training lengths are 1..maxTrainLength, as its file records them (as setup.maxTrainLength
   * is the first model's; the two may differ); null: its file predates that record; absent in states
   * saved before overlays recorded it. Either way unknown: the first model's range is never assumed.
   */
  maxTrainLength?: number | null;
  /** Its accuracy at every loop step, as the first model's; absent in states saved before they existed. */
  stepCurves?: EvaluationStepCurve[];
}

/** Tables the Evaluation panel exports (core/export/evaluationExport.ts): every model's results, case split, accuracy at every loop step and each answer position's at every step. */
export const EVALUATION_EXPORT_TABLES = ['results', 'cases', 'steps', 'positions'] as const;

/** 2: setup.calibrationExamples (a state saved by version 1 lacks it). */
export const EVALUATION_PROTOCOL = 2;

export interface EvaluationSetup {
  modelPath: string;
  modelName: string;
  task: string;
  taskTitle: string;
  /** attention: a non-paper attention scale in words (e.g. "attention × ln keys"); absent for the paper's. */
  model: { d: number; layers: number; heads: number; attention?: string };
  /** e.g. "6000 steps, cpu preset". */
  trainedWith: string;
  /**
   * The model's training lengths are 1..maxTrainLength (n_b for multiplication, with n_a in {1, 2}),
   * as its file records them; null: the file predates that record ("trained lengths unknown").
   */
  maxTrainLength: number | null;
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
  progress: { done: number; total: number; length: number; etaSeconds?: number | null } | null;
  /** One row per finished length, in the order they finished (ascending length). */
  rows: EvaluationRow[];
  /** The time the host estimated before starting (seconds), when it measured one. */
  estimateSeconds?: number | null;
  /** The first failing example of each length that has one. */
  failures?: FailureView[];
  overlay?: EvaluationOverlay | null;
  /** The first model's case split; null: its task has none; absent in states saved before it existed. */
  cases?: EvaluationCases | null;
  /** The first model's accuracy at every loop step, one curve per finished length (ascending); absent in states saved before they existed. */
  stepCurves?: EvaluationStepCurve[];
  perExampleRule: string | null;
  seconds: number | null;
  error: string | null;
}

/** Whether a state the webview saved (maybe by an older version) is one this version can draw. */
export function isEvaluationViewState(saved: unknown): saved is EvaluationViewState {
  const s = saved as Partial<EvaluationViewState> | null | undefined;
  return !!s && s.protocol === EVALUATION_PROTOCOL && !!s.setup && Array.isArray(s.rows);
}

export type EvaluationToWebview = { type: 'state'; state: EvaluationViewState } | ExportResult;

export type EvaluationToHost =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'stepThrough' }
  | { type: 'rerun' }
  /** Open the failing example of this length (FailureView) in the stepper. */
  | { type: 'openExample'; length: number }
  /** Evaluate another model with the same setup and draw it over this one; clearOverlay removes it. */
  | { type: 'overlay' }
  | { type: 'clearOverlay' }
  | ExportRequest;
