// A failing example of an evaluation, kept so a user can open it in the stepper: the input in the
// task's own syntax (what Step Through takes), the expected answer and what the model answered.
// Pure.
import type { Batch } from '../tasks/batches';
import type { Task } from '../tasks/types';

export interface FailureExample {
  /** The input as typed (task.fromText syntax, e.g. `1011=`). */
  input: string;
  expected: string;
  predicted: string;
  /** The rule under which it is wrong (e.g. 'oracle T(n)'). */
  rule: string;
  /** The step the rule read it at. */
  step: number;
}

/** The first example of `batch` whose `correct` entry is 0, rendered with its prediction; null when all are right. */
export function firstFailure(task: Task, batch: Batch, outcome: { correct: ArrayLike<number>; predictions: ArrayLike<number>; steps: ArrayLike<number> }, rule: string): FailureExample | null {
  for (let b = 0; b < batch.batch; b++) {
    if (outcome.correct[b]) continue;
    const ex = batch.examples[b]!;
    const W = batch.width;
    const predicted = Array.from({ length: W }, (_, i) => outcome.predictions[b * W + i]!);
    const r = task.render(ex, predicted);
    return { input: r.input, expected: r.answer, predicted: r.predicted ?? '', rule, step: outcome.steps[b]! };
  }
  return null;
}
