// Accuracy split by the task's case labels (Task.cases): which inputs a model fails on, which
// accuracy per length alone cannot show. The oracle's count always; the adaptive rules' counts when
// they were scored, since a model can be right at a step other than T(n) (or wrong at the one a
// rule picks) on some cases only. Pure.
import type { TaskCases, TaskExample } from '../tasks/types';

/** Examples with one case label at one length, and how many of them are right under each rule scored. */
export interface CaseCount {
  label: string;
  examples: number;
  /** Right under the oracle (read at T(n)). */
  correct: number;
  /** Right under the paper's rule (one step for the whole length, by summed confidence); absent: not scored. */
  paperRule?: number;
  /** Right under the per-example rule (each input at its own most confident step); absent: not scored. */
  perExample?: number;
}

/** The adaptive rules a split can count, besides the oracle's `correct`. */
export type CaseRule = 'paperRule' | 'perExample';

/**
 * One count per label of the split, in its display order, all zero; `rules` get their counts
 * (from 0) so a rule that was scored but never right still reads 0, not "not scored".
 */
export function emptyCaseTally(cases: TaskCases, rules: readonly CaseRule[] = []): CaseCount[] {
  return cases.labels.map((label) => ({ label, examples: 0, correct: 0, ...Object.fromEntries(rules.map((r) => [r, 0])) }));
}

/** The case label of each example, in order. */
export function caseLabels(cases: TaskCases, examples: readonly TaskExample[]): string[] {
  return examples.map((ex) => cases.of(ex));
}

function countOf(tally: CaseCount[], cases: TaskCases, label: string): CaseCount {
  const count = tally.find((c) => c.label === label);
  if (!count) throw new Error(`case "${label}" is not a label of the ${cases.title} split (${cases.labels.join(', ')})`);
  return count;
}

/** Adds a batch's rows (`correct[i]` 0/1 for examples[i] under the oracle) to `tally` and returns it. */
export function tallyCases(tally: CaseCount[], cases: TaskCases, examples: readonly TaskExample[], correct: ArrayLike<number>): CaseCount[] {
  if (correct.length !== examples.length) throw new Error(`expected ${examples.length} correct flags, got ${correct.length}`);
  caseLabels(cases, examples).forEach((label, i) => {
    const count = countOf(tally, cases, label);
    count.examples++;
    if (correct[i]) count.correct++;
  });
  return tally;
}

/**
 * Adds a rule's right answers to `tally` (whose examples tallyCases already counted): `labels[i]` is
 * example i's case, `correct[i]` its 0/1 under `rule`. The paper's rule knows its answers only
 * after the whole length, so its labels are kept in add order and tallied then.
 */
export function tallyRule(tally: CaseCount[], cases: TaskCases, rule: CaseRule, labels: readonly string[], correct: ArrayLike<number>): CaseCount[] {
  if (correct.length !== labels.length) throw new Error(`expected ${labels.length} ${rule} flags, got ${correct.length}`);
  labels.forEach((label, i) => {
    const count = countOf(tally, cases, label);
    if (correct[i]) count[rule] = (count[rule] ?? 0) + 1;
    else count[rule] ??= 0;
  });
  for (const c of tally) {
    if ((c[rule] ?? 0) > c.examples) throw new Error(`case "${c.label}": ${c[rule]} right under ${rule} of ${c.examples} examples (were they tallied?)`);
  }
  return tally;
}
