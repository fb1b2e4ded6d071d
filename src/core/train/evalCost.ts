// What a run's evaluations cost, for `looplens train … --estimate`: its learning curve's points
// (quickEval.ts, every so many steps and at the end) and its final evaluation (trainJob.ts), from the
// evaluation cost model (core/eval/estimate.ts) timed on this machine with the recipe's network.
import { estimateSeconds, evaluationPlan, measureCost, type EvaluationCost } from '../eval/estimate';
import type { ExecutionProviderSetting } from '../infer/executionProvider';
import { LoopedSession } from '../infer/loopedSession';
import { initParams } from '../model/params';
import type { Task } from '../tasks/types';
import { Rng } from '../util/rng';
import { QUICK_EVAL_BATCH, type QuickEvalSettings } from './quickEval';
import { recipeTask, type TrainRecipe } from './recipe';
import { branchAt } from './branches';
import type { FinalEvalSettings } from './trainJob';

/** The evaluations a run will do: a learning curve, a final evaluation, either or neither. */
export interface RunEvaluations {
  curve?: QuickEvalSettings;
  final?: FinalEvalSettings;
  /** The models the final evaluation scores (default 1): the run's, and each branch it keeps (trainJob.ts keepBranches). */
  finalModels?: number;
  /** The curve's points that also evaluate the current branch's own weights (branchCurvePointCount). */
  branchCurvePoints?: number;
}

export interface ProjectedEvaluations {
  /** Learning-curve points: one every `every` steps and one at the end (each evaluates the weights the run would save, some a branch's own too). */
  curvePoints: number;
  curveSeconds: number;
  finalSeconds: number;
}

/** The learning curve's points over a run of `steps` steps: at every multiple of `every`, and at the last step. */
export function curvePointCount(steps: number, every: number): number {
  return Math.floor(steps / every) + (steps % every === 0 ? 0 : 1);
}

/** The curve's points in a later branch of a last stage run as branches, where a run that keeps its branches also evaluates the branch's own weights (trainer.ts). */
export function branchCurvePointCount(r: Pick<TrainRecipe, 'curriculum' | 'steps' | 'schedule' | 'stages'>, every: number): number {
  let n = 0;
  for (let step = every; step < r.steps + every; step += every) if ((branchAt(r, Math.min(step, r.steps) - 1) ?? 0) > 0) n++; // a point after `step` updates is the branch of update step - 1
  return n;
}

/** The seconds a run's evaluations take under `cost` (pure). */
export function projectEvaluations(task: Task, d: number, steps: number, evals: RunEvaluations, cost: EvaluationCost): ProjectedEvaluations {
  const curve = evals.curve;
  const curvePoints = curve ? curvePointCount(steps, curve.every) : 0;
  const onePoint = curve ? estimateSeconds(evaluationPlan(task, { lengths: curve.lengths, examples: curve.examples, batchSize: Math.min(curve.examples, QUICK_EVAL_BATCH), dModel: d }), cost) : 0;
  const final = evals.final;
  const finalSeconds = final ? (evals.finalModels ?? 1) * estimateSeconds(evaluationPlan(task, { lengths: final.lengths, examples: final.examples, batchSize: final.batchSize, dModel: d }), cost) : 0;
  return { curvePoints, curveSeconds: (curvePoints + (curve ? evals.branchCurvePoints ?? 0 : 0)) * onePoint, finalSeconds };
}

/** Times an evaluation batch of the recipe's network (random weights: the cost does not depend on them) at the shortest and the longest length the run evaluates, in CPU time. */
export async function timeEvaluations(recipe: TrainRecipe, evals: RunEvaluations, runtime: { provider?: ExecutionProviderSetting; cpuThreads?: number }): Promise<EvaluationCost | undefined> {
  const lengths = [...(evals.curve?.lengths ?? []), ...(evals.final?.lengths ?? [])];
  if (lengths.length === 0) return undefined;
  const task = recipeTask(recipe);
  const rng = new Rng(recipe.seed);
  const session = await LoopedSession.fromParams(recipe.model, initParams(recipe.model, () => rng.float()), 'eval', { provider: runtime.provider ?? 'cpu', cpuThreads: runtime.cpuThreads });
  try {
    const batchSize = Math.max(evals.final?.batchSize ?? 0, evals.curve ? Math.min(evals.curve.examples, QUICK_EVAL_BATCH) : 0);
    // in CPU time, as the training steps' projection (runCost.ts), so the two add up on a loaded machine too
    return await measureCost(task, session, { lengths, examples: batchSize, batchSize, dModel: recipe.model.d }, 'cpu');
  } finally {
    await session.release();
  }
}
