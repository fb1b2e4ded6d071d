// Checks (core/util/validate.ts) of the accuracy-at-every-loop-step curves (core StepCurve): the one
// in each "row" message of the evaluation worker (evalWorkerMessages.ts) and the list a saved
// Evaluation panel state holds (panels/panelRestore.ts). The other per-length results' checks are in
// core/eval/summaryChecks.ts.
import type { StepCurve } from '../../core/eval/evaluate';
import { evalLength, MAX_EVAL_ROWS } from '../../core/eval/summaryChecks';
import { LIMITS } from '../../core/util/limits';
import { array, int, num, object, refine, type Check } from '../../core/util/validate';
import type { EvaluationStepCurve } from '../../protocol/evaluation';

const step = int({ min: 1, max: LIMITS.steps });
const perStep = <T>(c: Check<T>) => array(c, { minLength: 1, maxLength: LIMITS.steps });
const curveFields = {
  oracleStep: step,
  paperStep: step,
  accuracy: perStep(num({ min: 0, max: 1 })),
  // mean -log(max softmax probability): 0 when certain, never below
  score: perStep(num({ min: 0 })),
};

/** A score per accuracy, and both marked steps among them. */
function curveProblem(c: StepCurve): string | null {
  if (c.score.length !== c.accuracy.length) return `has ${c.accuracy.length} accuracies but ${c.score.length} scores`;
  for (const [name, t] of [['oracleStep', c.oracleStep], ['paperStep', c.paperStep]] as const) {
    if (t > c.accuracy.length) return `has ${name} ${t} past its last step (${c.accuracy.length})`;
  }
  return null;
}

export const stepCurveCheck: Check<StepCurve> = refine(object(curveFields), curveProblem);

/** Why a state's per-length list is not one item per length (a length twice), or null. */
export function repeatedLength(items: { length: number }[]): string | null {
  const seen = new Set<number>();
  for (const { length } of items) {
    if (seen.has(length)) return `has length ${length} twice`;
    seen.add(length);
  }
  return null;
}

/** A state's curves: each with its length, a length at most once. */
export const stepCurvesCheck: Check<EvaluationStepCurve[]> = refine(array(refine(object({ length: evalLength, ...curveFields }), curveProblem), { maxLength: MAX_EVAL_ROWS }), repeatedLength);
