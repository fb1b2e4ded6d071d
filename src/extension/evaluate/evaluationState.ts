// The Evaluation panel's state as a pure function of the evaluation worker's messages (no vscode
// import; unit-tested).
import { CALIBRATION_EXAMPLES } from '../../core/eval/calibration';
import { remainingSeconds, type EvaluationPlan } from '../../core/eval/estimate';
import { accuracyInterval } from '../../core/eval/interval';
import { attentionOf, type EvalSummaryRow } from '../../core/model/modelMetadata';
import type { LoadedModel } from '../../core/model/modelFile';
import type { Task } from '../../core/tasks/types';
import { EVALUATION_PROTOCOL, type CaseCount, type EvaluationCases, type EvaluationOverlay, type EvaluationRow, type EvaluationSetup, type EvaluationStepCurve, type EvaluationViewState, type StepCurve } from '../../protocol/evaluation';
import { describeExit, type ChildExit } from '../workers/childWorker';
import { recordedTrainedLengths } from '../../core/train/trainRecord';
import { trainedText } from '../models/modelInfo';
import type { EvalWorkerOutbound } from './evalWorkerProtocol';
import * as path from 'node:path';

/** The longest length a model trained on: the lengths its run reached, as its file records them; null: an older file says nothing, and nothing is guessed. */
export function recordedMaxTrainLength(m: Pick<LoadedModel, 'metadata'>): number | null {
  return recordedTrainedLengths(m.metadata.training)?.max ?? null;
}

export function evaluationSetupOf(m: LoadedModel, o: { lengths: number[]; examples: number; batchSize: number; seed: number }): EvaluationSetup {
  const t = m.metadata.training;
  return {
    modelPath: m.source,
    modelName: path.basename(m.source),
    task: m.task.name,
    taskTitle: m.task.title,
    model: { d: m.config.d, layers: m.config.layers, heads: m.config.heads, ...attentionOf(m.config) },
    trainedWith: `${t.stepsCompleted.toLocaleString('en-US')} steps, ${t.preset} preset, ${trainedText(recordedTrainedLengths(t))}`,
    maxTrainLength: recordedMaxTrainLength(m),
    lengthLabel: m.task.lengthNames.length === 2 ? `${m.task.lengthNames[1]} (${m.task.lengthNames[0]} = 2)` : m.task.lengthNames[0]!,
    oracleRule: m.metadata.stepsRule.oracle,
    lengths: [...o.lengths],
    examples: o.examples,
    batchSize: o.batchSize,
    seed: o.seed,
    extraSteps: m.task.adaptiveExtraSteps,
    // what evalWorker.ts calibrates with
    calibrationExamples: CALIBRATION_EXAMPLES,
  };
}

/** The task's case split with no length done yet; null for a task without one (the panel then shows none). */
export function evaluationCasesOf(task: Task): EvaluationCases | null {
  return task.cases ? { title: task.cases.title, labels: [...task.cases.labels], rows: [] } : null;
}

/**
 * A second model's overlay before its first message: its own trained range (recorded as the first
 * model's is, not borrowed from it) and its case split, empty.
 */
export function initialOverlay(m: Pick<LoadedModel, 'metadata' | 'task'>, file: string): EvaluationOverlay {
  return { modelPath: file, modelName: path.basename(file), status: 'running', rows: [], progress: null, error: null, cases: evaluationCasesOf(m.task), maxTrainLength: recordedMaxTrainLength(m), stepCurves: [] };
}

export function initialEvaluationState(setup: EvaluationSetup, estimateSeconds: number | null = null, cases: EvaluationCases | null = null): EvaluationViewState {
  return { protocol: EVALUATION_PROTOCOL, setup, status: 'running', progress: null, rows: [], perExampleRule: null, seconds: null, error: null, estimateSeconds, failures: [], overlay: null, cases, stepCurves: [] };
}

/** A row with the 95% Wilson intervals of its accuracies. */
export function withIntervals(r: EvalSummaryRow): EvaluationRow {
  const ci = (v: number | undefined) => accuracyInterval(v, r.examples);
  return { ...r, ci: { oracle: ci(r.oracle), perBatch: ci(r.perBatch), perExample: ci(r.perExample), calibrated: ci(r.calibrated) } };
}

const byLength = (a: { length: number }, b: { length: number }) => a.length - b.length;

/** A per-length list without `length`'s entry (a length run again), ascending. */
function withoutLength<T extends { length: number }>(items: readonly T[] | undefined, length: number): T[] {
  return (items ?? []).filter((x) => x.length !== length).sort(byLength);
}

/** A per-length list with `item` in its place (replacing a length run again), ascending. */
function withLength<T extends { length: number }>(items: readonly T[] | undefined, item: T): T[] {
  return [...withoutLength(items, item.length), item].sort(byLength);
}

/** The split with one length's counts added. */
function withCaseRow(cases: EvaluationCases, length: number, counts: CaseCount[]): EvaluationCases {
  return { ...cases, rows: withLength(cases.rows, { length, counts }) };
}

/**
 * The curves with one length's added (its answer positions' accuracy with it, when the worker sent
 * them), to spread into a state or overlay; a row without one (a worker older than the curve) leaves
 * them as they are (absent in a state saved before they existed).
 */
function withStepCurve(curves: EvaluationStepCurve[] | undefined, length: number, curve: StepCurve | undefined): { stepCurves?: EvaluationStepCurve[] } {
  return curve ? { stepCurves: withLength(curves, { length, ...curve }) } : {};
}

export function applyEvalMessage(s: EvaluationViewState, m: EvalWorkerOutbound): EvaluationViewState {
  switch (m.type) {
    case 'progress':
      return { ...s, progress: { done: m.done, total: m.total, length: m.length, etaSeconds: s.progress?.etaSeconds ?? null } };
    case 'row': {
      // a length run again replaces its failure, or drops it when the model no longer fails there
      const failures = m.failure ? withLength(s.failures, { length: m.row.length, ...m.failure }) : withoutLength(s.failures, m.row.length);
      const cases = s.cases && m.cases ? withCaseRow(s.cases, m.row.length, m.cases) : s.cases;
      return { ...s, rows: withLength(s.rows, withIntervals(m.row)), failures, cases, ...withStepCurve(s.stepCurves, m.row.length, m.byStep) };
    }
    case 'result':
      return { ...s, status: 'finished', rows: m.rows.map(withIntervals).sort(byLength), perExampleRule: m.perExampleRule, seconds: m.seconds, progress: null };
    case 'cancelled':
      return { ...s, status: 'cancelled', progress: null };
    case 'error':
      return { ...s, status: 'failed', error: m.message, progress: null };
    default:
      return s;
  }
}

/** The progress with the time left: the rate so far applied to the work left (core/eval/estimate.ts). */
export function withEta(s: EvaluationViewState, plan: EvaluationPlan, elapsedSeconds: number): EvaluationViewState {
  if (!s.progress) return s;
  return { ...s, progress: { ...s.progress, etaSeconds: remainingSeconds(plan, s.progress.done, elapsedSeconds) } };
}

/** An overlay model's evaluation follows its own worker's messages. */
export function applyOverlayMessage(o: EvaluationOverlay, m: EvalWorkerOutbound): EvaluationOverlay {
  switch (m.type) {
    case 'progress':
      return { ...o, progress: { done: m.done, total: m.total, length: m.length } };
    case 'row': {
      const next = { ...o, rows: withLength(o.rows, withIntervals(m.row)), ...withStepCurve(o.stepCurves, m.row.length, m.byStep) };
      // counts only for an overlay started with a split (evaluationCasesOf), as the first model's
      return o.cases && m.cases ? { ...next, cases: withCaseRow(o.cases, m.row.length, m.cases) } : next;
    }
    case 'result':
      return { ...o, status: 'finished', rows: m.rows.map(withIntervals).sort(byLength), progress: null };
    case 'cancelled':
      return { ...o, status: 'cancelled', progress: null };
    case 'error':
      return { ...o, status: 'failed', error: m.message, progress: null };
    default:
      return o;
  }
}

/**
 * Why an evaluation that was still running when its process exited failed: the message its worker
 * broke the protocol with (ChildWorker.protocolError), when it did, then how the process ended.
 */
function exitError(exit: ChildExit, protocolError: string | undefined): string {
  const ended = `The evaluation process ended without a result (${describeExit(exit)}).`;
  return protocolError === undefined ? ended : `${protocolError}. ${ended}`;
}

export function applyOverlayExit(o: EvaluationOverlay, exit: ChildExit, protocolError?: string): EvaluationOverlay {
  if (o.status !== 'running') return o;
  return { ...o, status: 'failed', error: exitError(exit, protocolError), progress: null };
}

/** The state once the worker has exited: still running means no result came (a refused message is named). */
export function applyEvalExit(s: EvaluationViewState, exit: ChildExit, protocolError?: string): EvaluationViewState {
  if (s.status !== 'running') return s;
  return { ...s, status: 'failed', error: exitError(exit, protocolError), progress: null };
}
