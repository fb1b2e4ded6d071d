// Checks (core/util/validate.ts) of the accuracy-at-every-loop-step curves (core StepCurve), with
// their accuracy of each answer position at every step when they carry it: the one in each "row"
// message of the evaluation worker (evalWorkerMessages.ts) and the list a saved Evaluation panel
// state holds (panels/panelRestore.ts). The other per-length results' checks are in
// core/eval/summaryChecks.ts.
import type { StepCurve } from '../../core/eval/evaluate';
import { evalLength, MAX_EVAL_ROWS } from '../../core/eval/summaryChecks';
import { LIMITS } from '../../core/util/limits';
import { array, describeValue, int, num, object, optional, refine, ValidationError, type Check } from '../../core/util/validate';
import type { EvaluationStepCurve } from '../../protocol/evaluation';

const step = int({ min: 1, max: LIMITS.steps });
const perStep = <T>(c: Check<T>) => array(c, { minLength: 1, maxLength: LIMITS.steps });
const fraction = num({ min: 0, max: 1 });

/**
 * The most cells (steps x answer positions) one length's positions may hold: a length-500 task's
 * answer over T(n) + extra steps stays well under it; a hostile message cannot fill the state.
 */
export const MAX_POSITION_CELLS = 1_000_000;

/** An array, its items unread. */
const anArray: Check<unknown[]> = (v, path) => {
  if (!Array.isArray(v)) throw new ValidationError(path, `must be an array, got ${describeValue(v)}`);
  return v;
};

/**
 * positions[t - 1][k]: a grid of fractions, every row as long as the first (>= 1). Its shape is
 * checked before its values, so an oversized grid is refused without reading it.
 */
const positionsCheck: Check<number[][]> = (v, path) => {
  const rows = array(anArray, { minLength: 1, maxLength: LIMITS.steps })(v, path);
  const width = rows[0]!.length;
  if (width < 1) throw new ValidationError(`${path}[0]`, 'has no positions; at least 1 is needed');
  if (width > LIMITS.rowWidth) throw new ValidationError(`${path}[0]`, `has ${width} positions; at most ${LIMITS.rowWidth} are allowed`);
  const uneven = rows.findIndex((r) => r.length !== width);
  if (uneven >= 0) throw new ValidationError(`${path}[${uneven}]`, `has ${rows[uneven]!.length} positions, not ${width} as the first step`);
  if (rows.length * width > MAX_POSITION_CELLS) throw new ValidationError(path, `has ${rows.length} x ${width} cells; at most ${MAX_POSITION_CELLS} are allowed`);
  return rows.map((r, t) => r.map((x, k) => fraction(x, `${path}[${t}][${k}]`)));
};

const curveFields = {
  oracleStep: step,
  paperStep: step,
  accuracy: perStep(fraction),
  // mean -log(max softmax probability): 0 when certain, never below
  score: perStep(num({ min: 0 })),
  // the accuracy of each answer position at every step; absent from workers and states older than it
  positions: optional(positionsCheck),
};

/** A score (and, when present, a row of positions) per accuracy, and both marked steps among them. */
function curveProblem(c: StepCurve): string | null {
  if (c.score.length !== c.accuracy.length) return `has ${c.accuracy.length} accuracies but ${c.score.length} scores`;
  if (c.positions && c.positions.length !== c.accuracy.length) return `has ${c.accuracy.length} accuracies but ${c.positions.length} steps of positions`;
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
