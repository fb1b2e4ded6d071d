// Oracle accuracy split by the task's case labels (Task.cases): which inputs a model fails on, which
// accuracy per length alone cannot show. Pure.
import type { TaskCases, TaskExample } from '../tasks/types';

/** Examples with one case label at one length, and how many of them are right. */
export interface CaseCount {
  label: string;
  examples: number;
  correct: number;
}

/** One count per label of the split, in its display order, all zero. */
export function emptyCaseTally(cases: TaskCases): CaseCount[] {
  return cases.labels.map((label) => ({ label, examples: 0, correct: 0 }));
}

/** Adds a batch's rows (`correct[i]` 0/1 for examples[i]) to `tally` and returns it. */
export function tallyCases(tally: CaseCount[], cases: TaskCases, examples: readonly TaskExample[], correct: ArrayLike<number>): CaseCount[] {
  if (correct.length !== examples.length) throw new Error(`expected ${examples.length} correct flags, got ${correct.length}`);
  examples.forEach((ex, i) => {
    const label = cases.of(ex);
    const count = tally.find((c) => c.label === label);
    if (!count) throw new Error(`case "${label}" is not a label of the ${cases.title} split (${cases.labels.join(', ')})`);
    count.examples++;
    if (correct[i]) count.correct++;
  });
  return tally;
}
