// The case split's layout (pure, unit-tested): one row per test length, one cell per case label of
// the task's split (Task.cases), each the exact match at T(n) of that case's inputs and how many
// there were. Accuracy per length alone hides which inputs a model fails on.
import type { EvaluationViewState } from '../../src/protocol/evaluation';
import { fmt } from '../charts/format';

export interface CaseCell {
  label: string;
  examples: number;
  /** null: no input of this length fell in this case. */
  accuracy: number | null;
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
  heading: string;
  labels: string[];
  rows: CaseGridRow[];
}

function cell(title: string, length: number, label: string, count: { examples: number; correct: number } | undefined): CaseCell {
  const examples = count?.examples ?? 0;
  if (!count || examples <= 0) return { label, examples: 0, accuracy: null, text: '–', detail: 'none', title: `No input of length ${length} falls in the case ${title}: ${label}.` };
  const accuracy = Math.min(1, Math.max(0, count.correct / examples));
  return {
    label,
    examples,
    accuracy,
    text: fmt.pct(accuracy),
    detail: `of ${fmt.int(examples)}`,
    title: `Length ${length}, ${title}: ${label}. ${fmt.int(count.correct)} of ${fmt.int(examples)} right at T(n).`,
  };
}

/** The grid of the first model's case split; null when its task has none (or the state predates it). */
export function caseGrid(s: EvaluationViewState): CaseGrid | null {
  const c = s.cases;
  if (!c || c.labels.length === 0) return null;
  const done = new Map(c.rows.map((r) => [r.length, r]));
  const rows = s.setup.lengths.map((n): CaseGridRow => {
    const trained = s.setup.maxTrainLength !== null && n <= s.setup.maxTrainLength;
    const r = done.get(n);
    if (!r) return { length: n, trained, pending: s.status === 'running' ? (s.progress?.length === n ? 'running…' : 'waiting') : 'not run', cells: [] };
    // by label, not position: a row is drawn right even if its counts came in another order
    return { length: n, trained, pending: null, cells: c.labels.map((label) => cell(c.title, n, label, r.counts.find((x) => x.label === label))) };
  });
  return { heading: `Exact match at T(n) by ${c.title}`, labels: [...c.labels], rows };
}
