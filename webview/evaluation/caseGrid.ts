// The case split's layout (pure, unit-tested): one row per test length, one cell per case label of
// the task's split (Task.cases), each the exact match of that case's inputs at T(n) and, when it was
// counted, under the paper's rule ("oracle / paper rule"), and how many there were. Accuracy per
// length alone hides which inputs a model fails on; the oracle alone hides a case the model gets
// right at another step (or that the paper's rule stops badly on). One grid per model: the first
// model's, then an overlay's.
import type { CaseCount, EvaluationCases, EvaluationViewState } from '../../src/protocol/evaluation';
import { fmt } from '../shared/format';
import { overlayMaxTrainLength, trainedAt } from './trainedRange';

export interface CaseCell {
  label: string;
  examples: number;
  /** The oracle's accuracy (the cell's colour); null: no input of this length fell in this case. */
  accuracy: number | null;
  /** The paper rule's and the per-example rule's accuracies; null: not counted (an older state) or no inputs. */
  paperRule: number | null;
  perExample: number | null;
  /** "oracle / paper rule", or the oracle's alone when the paper rule was not counted. */
  text: string;
  /** The example count under the accuracy. */
  detail: string;
  title: string;
}

export interface CaseGridRow {
  length: number;
  trained: boolean;
  /** Set while the length has no counts yet: 'running…', 'waiting' or 'not run'. */
  pending: string | null;
  cells: CaseCell[];
}

export interface CaseGrid {
  /** The model the split is of. */
  modelName: string;
  heading: string;
  labels: string[];
  rows: CaseGridRow[];
}

const share = (right: number | undefined, examples: number) => (right === undefined ? null : Math.min(1, Math.max(0, right / examples)));

function cell(title: string, length: number, label: string, count: CaseCount | undefined): CaseCell {
  const examples = count?.examples ?? 0;
  if (!count || examples <= 0) return { label, examples: 0, accuracy: null, paperRule: null, perExample: null, text: '–', detail: 'none', title: `No input of length ${length} falls in the case ${title}: ${label}.` };
  const accuracy = share(count.correct, examples)!;
  const paperRule = share(count.paperRule, examples);
  const perExample = share(count.perExample, examples);
  const others = [
    ...(count.paperRule === undefined ? [] : [`${fmt.int(count.paperRule)} (${fmt.pct(paperRule)}) under the paper rule, at the one step it picks for the length`]),
    ...(count.perExample === undefined ? [] : [`${fmt.int(count.perExample)} (${fmt.pct(perExample)}) per example, each input at its own most confident step`]),
  ];
  return {
    label,
    examples,
    accuracy,
    paperRule,
    perExample,
    text: paperRule === null ? fmt.pct(accuracy) : `${fmt.pct(accuracy)} / ${fmt.pct(paperRule)}`,
    detail: `of ${fmt.int(examples)}`,
    title:
      others.length === 0
        ? `Length ${length}, ${title}: ${label}. ${fmt.int(count.correct)} of ${fmt.int(examples)} right at T(n).`
        : `Length ${length}, ${title}: ${label}. Of ${fmt.int(examples)}: ${fmt.int(count.correct)} (${fmt.pct(accuracy)}) right at T(n); ${others.join('; ')}.`,
  };
}

/**
 * A split's grid over the setup's lengths; `pending` says what a length without counts is doing,
 * `maxTrainLength` is the longest length its model trained on (null: unknown, no length tagged).
 */
function grid(s: EvaluationViewState, modelName: string, c: EvaluationCases | null | undefined, pending: (n: number) => string, maxTrainLength: number | null): CaseGrid | null {
  if (!c || c.labels.length === 0) return null;
  const done = new Map(c.rows.map((r) => [r.length, r]));
  const rows = s.setup.lengths.map((n): CaseGridRow => {
    const trained = trainedAt(maxTrainLength, n);
    const r = done.get(n);
    if (!r) return { length: n, trained, pending: pending(n), cells: [] };
    // by label, not position: a row is drawn right even if its counts came in another order
    return { length: n, trained, pending: null, cells: c.labels.map((label) => cell(c.title, n, label, r.counts.find((x) => x.label === label))) };
  });
  const paper = c.rows.some((r) => r.counts.some((x) => x.paperRule !== undefined));
  return { modelName, heading: paper ? `Exact match by ${c.title}: oracle / paper rule` : `Exact match at T(n) by ${c.title}`, labels: [...c.labels], rows };
}

const pendingOf = (status: EvaluationViewState['status'], progress: { length: number } | null) => (n: number) => (status === 'running' ? (progress?.length === n ? 'running…' : 'waiting') : 'not run');

/** The grid of the first model's case split; null when its task has none (or the state predates it). */
export function caseGrid(s: EvaluationViewState): CaseGrid | null {
  return grid(s, s.setup.modelName, s.cases, pendingOf(s.status, s.progress), s.setup.maxTrainLength);
}

/**
 * The grid of the overlaid model's case split, its lengths tagged "trained" by its own range (none
 * when that is unknown: trainedRange.ts); null without an overlay, or one without a split (or saved
 * before overlays had one).
 */
export function overlayCaseGrid(s: EvaluationViewState): CaseGrid | null {
  const o = s.overlay;
  return o ? grid(s, o.modelName, o.cases, pendingOf(o.status, o.progress), overlayMaxTrainLength(o)) : null;
}

/** Every model's grid, the first model's first. */
export function caseGrids(s: EvaluationViewState): CaseGrid[] {
  return [caseGrid(s), overlayCaseGrid(s)].filter((g): g is CaseGrid => g !== null);
}
