// Checks (core/util/validate.ts) of the evaluation results a worker process streams to its host: a
// summary row, a whole summary, a failing example and a case split's counts. The evaluation worker
// (extension/evaluate/evalWorkerMessages.ts) and the training worker's final evaluation
// (core/train/workerMessages.ts) send the same shapes. Worker rows always score every rule, so
// their accuracies are finite numbers in [0, 1] (a model file's record, which may hold null for an
// unscored rule, is checked by core/model/modelSchema.ts instead).
import { LIMITS } from '../util/limits';
import { array, int, num, object, optional, refine, str, type Check } from '../util/validate';
import type { EvalSummary, EvalSummaryRow } from '../model/modelMetadata';
import type { CaseCount } from './caseTally';
import type { FailureExample } from './failures';

const count = int({ min: 0 });
const fraction = num({ min: 0, max: 1 });
// a mean step of an adaptive rule, which may search past T(n)
const meanStep = num({ min: 0 });
const text = str({ maxLength: 100_000 });

/** Most lengths one evaluation may report. */
export const MAX_EVAL_ROWS = 1000;
/** Most case labels of one split. */
export const MAX_CASE_LABELS = 64;

export const evalLength = int({ min: 1, max: LIMITS.length });

/** An evaluation's progress: `done` of `total` batches, never past it, at a length. */
export const evalProgressCheck: Check<{ done: number; total: number; length: number }> = refine(object({ done: count, total: count, length: evalLength }), (p) =>
  p.done > p.total ? `has done ${p.done} of ${p.total}` : null,
);

export const evalSummaryRowCheck: Check<EvalSummaryRow> = object({
  length: evalLength,
  oracleStep: int({ min: 0, max: LIMITS.steps }),
  examples: count,
  oracle: fraction,
  perBatch: fraction,
  perBatchStep: meanStep,
  perExample: fraction,
  perExampleStep: meanStep,
  calibrated: optional(fraction),
  calibratedStep: optional(meanStep),
});

export const evalSummaryCheck: Check<EvalSummary> = object({
  examplesPerLength: count,
  seed: num(),
  perExampleRule: str({ maxLength: 10_000 }),
  rows: array(evalSummaryRowCheck, { maxLength: MAX_EVAL_ROWS }),
});

export const failureExampleCheck: Check<FailureExample> = object({
  input: str({ maxLength: LIMITS.inputChars }),
  expected: text,
  predicted: text,
  rule: str({ maxLength: 1000 }),
  step: int({ min: 0, max: LIMITS.steps }),
});

/** One label's counts: never more right than examples under any rule (absent rule counts: not scored). */
export const caseCountCheck: Check<CaseCount> = refine(object({ label: str({ maxLength: 200 }), examples: count, correct: count, paperRule: optional(count), perExample: optional(count) }), (c) => {
  for (const [rule, right] of [['oracle', c.correct], ['paper rule', c.paperRule], ['per example', c.perExample]] as const) {
    if (right !== undefined && right > c.examples) return `has ${right} right of ${c.examples} examples (${rule})`;
  }
  return null;
});

export const caseCountsCheck: Check<CaseCount[]> = array(caseCountCheck, { maxLength: MAX_CASE_LABELS });
