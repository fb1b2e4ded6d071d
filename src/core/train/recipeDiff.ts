// Comparing the recipe a checkpoint was trained with to the one asked for: a run may only be
// resumed with more or fewer steps, since anything else would not continue the same training.
import { RecipeError, validateRecipe, type RecipeStage, type TrainRecipe } from './recipe';
import { recordedAnswerHoldText } from './trainRecord';

/** Each top-level field as JSON. */
const fieldsOf = (r: TrainRecipe): Map<string, string | undefined> => new Map(Object.entries(r).map(([k, v]) => [k, JSON.stringify(v)]));

/** Top-level recipe fields whose JSON differs. */
export function recipeDifferences(a: TrainRecipe, b: TrainRecipe): string[] {
  const fa = fieldsOf(a);
  const fb = fieldsOf(b);
  return [...new Set([...fa.keys(), ...fb.keys()])].filter((k) => fa.get(k) !== fb.get(k));
}

/** Whether `requested` continues `saved` (the same recipe, except perhaps its steps). */
export function canResumeWith(saved: TrainRecipe, requested: TrainRecipe): boolean {
  return recipeDifferences(saved, requested).every((k) => k === 'steps');
}

/** How a recipe loops, in words: its depth rule and whether the input is injected (the paper's ablations). */
export function loopText(r: Pick<TrainRecipe, 'fixedSteps' | 'model' | 'answerHold' | 'stages'>): string {
  const depth = r.fixedSteps !== undefined ? `a fixed depth of ${r.fixedSteps} loop steps` : (recordedAnswerHoldText(r) ?? 'each example read at its T(n)');
  // a stage's own hold is said with its stage (recordedStagesText)
  const staged = r.stages?.some((s) => s.answerHold !== undefined) ? ' (in stages, as each says)' : '';
  return `${depth}${staged}, ${r.model.inputInjection ? 'with' : 'without'} input injection`;
}

/** Where `requested` changes the depth rule or the input injection `saved` was trained with, in words (empty: nowhere). */
export function ablationConflicts(saved: TrainRecipe, requested: TrainRecipe): string[] {
  const out: string[] = [];
  const depth = (n: number | undefined) => (n === undefined ? 'T(n) per example' : `a fixed depth of ${n} steps`);
  if (saved.fixedSteps !== requested.fixedSteps) out.push(`it was trained with ${depth(saved.fixedSteps)}, not ${depth(requested.fixedSteps)}`);
  if (saved.model.inputInjection !== requested.model.inputInjection) {
    out.push(`it was trained ${saved.model.inputInjection ? 'with' : 'without'} input injection, not ${requested.model.inputInjection ? 'with' : 'without'}`);
  }
  return out;
}

/** The message for a resume that would change the ablation settings (one run cannot switch between them). */
export function ablationConflictMessage(checkpointPath: string, conflicts: readonly string[]): string {
  return `cannot resume ${checkpointPath}: ${conflicts.join('; ')}. A resumed run keeps its depth rule and input injection: leave out --fixed-steps / --no-injection (the checkpoint knows them), or start a new run without --resume.`;
}

/**
 * The recipe a resumed run trains with: `saved` with `requested`'s steps, its weight average's first
 * step while neither average has begun by the checkpoint's `step`, and its stages from the first that
 * has not begun (with the rows and loop steps they need); a RecipeError if anything else differs. A
 * checkpoint saved at a stage's first step can so go on with another last stage: a fork of the run.
 */
export function resumedRecipe(saved: TrainRecipe, requested: TrainRecipe | undefined, checkpointPath: string, step = 0): TrainRecipe {
  if (!requested) return saved;
  const conflicts = ablationConflicts(saved, requested);
  if (conflicts.length > 0) throw new RecipeError(ablationConflictMessage(checkpointPath, conflicts));
  const notBegun = (from: number | undefined) => from === undefined || from >= step;
  const averageMayChange = notBegun(saved.averageFrom) && notBegun(requested.averageFrom);
  const stagesMayChange = sameBegunStages(saved.stages, requested.stages, step);
  // The rows and loop steps follow the stages: they may change with them.
  const followStages = new Set(stagesMayChange ? ['stages', 'width', 'horizon'] : []);
  const diff = recipeDifferences(saved, requested).filter((k) => k !== 'steps' && !(k === 'averageFrom' && averageMayChange) && !followStages.has(k));
  if (diff.length > 0) {
    const s = fieldsOf(saved);
    const r = fieldsOf(requested);
    const shown = diff.includes('stages') ? diff.filter((k) => k !== 'width' && k !== 'horizon') : diff; // those follow the stages
    const values = shown.map((k) => `${s.get(k)} vs ${r.get(k)}`).join('; ');
    throw new RecipeError(
      `cannot resume ${checkpointPath}: it was trained with a different ${shown.join(', ')} (${values}). Only --steps may change when resuming (and, while the run has not reached them, --average-from and the stages from step ${step} on).`,
    );
  }
  const { averageFrom: _dropped, stages: _stages, ...kept } = saved;
  const stages = stagesMayChange ? requested.stages : saved.stages;
  return validateRecipe({
    ...kept,
    steps: requested.steps,
    ...(requested.averageFrom !== undefined ? { averageFrom: requested.averageFrom } : {}),
    ...(stages !== undefined ? { stages } : {}),
    ...(stagesMayChange ? { width: requested.width, horizon: requested.horizon } : {}),
  });
}

/** Whether two lists of stages agree on every stage begun before 0-based step `step` (the steps a checkpoint at `step` has trained). */
export function sameBegunStages(a: readonly RecipeStage[] | undefined, b: readonly RecipeStage[] | undefined, step: number): boolean {
  const begun = (list: readonly RecipeStage[] | undefined) => (list ?? []).filter((s) => s.fromStep < step).map((s) => JSON.stringify(s));
  return JSON.stringify(begun(a)) === JSON.stringify(begun(b));
}
