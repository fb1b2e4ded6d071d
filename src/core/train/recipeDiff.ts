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
 * step while neither average has begun by the checkpoint's `step`, and its last stage's branches while
 * that stage has not begun; a RecipeError if anything else differs.
 */
export function resumedRecipe(saved: TrainRecipe, requested: TrainRecipe | undefined, checkpointPath: string, step = 0): TrainRecipe {
  if (!requested) return saved;
  const conflicts = ablationConflicts(saved, requested);
  if (conflicts.length > 0) throw new RecipeError(ablationConflictMessage(checkpointPath, conflicts));
  const notBegun = (from: number | undefined) => from === undefined || from >= step;
  const averageMayChange = notBegun(saved.averageFrom) && notBegun(requested.averageFrom);
  const branchesMayChange = onlyLastBranchesDiffer(saved.stages, requested.stages) && notBegun(saved.stages?.at(-1)?.fromStep);
  const diff = recipeDifferences(saved, requested).filter((k) => k !== 'steps' && !(k === 'averageFrom' && averageMayChange) && !(k === 'stages' && branchesMayChange));
  if (diff.length > 0) {
    const s = fieldsOf(saved);
    const r = fieldsOf(requested);
    const values = diff.map((k) => `${s.get(k)} vs ${r.get(k)}`).join('; ');
    throw new RecipeError(
      `cannot resume ${checkpointPath}: it was trained with a different ${diff.join(', ')} (${values}). Only --steps may change when resuming (and --average-from, or the last stage's branches, while the run has not reached them).`,
    );
  }
  const { averageFrom: _dropped, ...kept } = saved;
  return validateRecipe({ ...kept, steps: requested.steps, ...(requested.averageFrom !== undefined ? { averageFrom: requested.averageFrom } : {}), ...(branchesMayChange ? { stages: requested.stages } : {}) });
}

/** Whether two lists of stages are the same but for their last stage's branches. */
function onlyLastBranchesDiffer(a: readonly RecipeStage[] | undefined, b: readonly RecipeStage[] | undefined): boolean {
  if (!a || !b || a.length !== b.length) return false;
  const plain = ({ branches: _b, ...rest }: RecipeStage) => JSON.stringify(rest);
  return a.every((s, i) => JSON.stringify(s) === JSON.stringify(b[i]) || (i === a.length - 1 && plain(s) === plain(b[i]!)));
}
