// Comparing the recipe a checkpoint was trained with to the one asked for: a run may only be
// resumed with more or fewer steps, since anything else would not continue the same training.
import { RecipeError, validateRecipe, type TrainRecipe } from './recipe';

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

/** The recipe a resumed run trains with: `saved` with `requested`'s steps; a RecipeError if anything else differs. */
export function resumedRecipe(saved: TrainRecipe, requested: TrainRecipe | undefined, checkpointPath: string): TrainRecipe {
  if (!requested) return saved;
  const diff = recipeDifferences(saved, requested).filter((k) => k !== 'steps');
  if (diff.length > 0) {
    const s = fieldsOf(saved);
    const r = fieldsOf(requested);
    const values = diff.map((k) => `${s.get(k)} vs ${r.get(k)}`).join('; ');
    throw new RecipeError(`cannot resume ${checkpointPath}: it was trained with a different ${diff.join(', ')} (${values}). Only --steps may change when resuming.`);
  }
  return validateRecipe({ ...saved, steps: requested.steps });
}
