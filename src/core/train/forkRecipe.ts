// The recipe of a run that goes on from another run's checkpoint as a run of its own (the CLI's
// --resume-from, the extension's Go On From Checkpoint): the checkpoint's recipe for the steps it has
// trained, and from its step on other steps, other stages not yet begun, another weight average not
// yet begun. What the run has already trained cannot change: that would not continue it.
import * as path from 'node:path';
import { RecipeError, type TrainRecipe } from './recipe';
import { sameBegunStages, resumedRecipe } from './recipeDiff';
import { applyOverrides } from './recipePlan';
import { stagesOf, type StageSpec } from './stages';

/** A checkpoint to go on from. */
export interface ForkPoint {
  /** The checkpoint file (absolute). */
  checkpointPath: string;
  /** The steps it has trained: stages and an average that begin before it are the run's past. */
  step: number;
  /** The recipe it was trained with. */
  recipe: TrainRecipe;
}

/** What a fork may change; absent: the checkpoint's. */
export interface ForkChanges {
  steps?: number;
  /** Every stage, those begun before the fork's step as they were. */
  stages?: StageSpec[];
  /** The step the saved weights' average starts at; null: the last weights. */
  averageFrom?: number | null;
}

/**
 * The recipe a fork of `fork` trains with `changes`. Throws a RecipeError naming the field
 * ("stages: …", "steps: …", "averageFrom: …") when a change would rewrite what the run has trained.
 */
export function forkRecipe(fork: ForkPoint, changes: ForkChanges): TrainRecipe {
  const saved = fork.recipe;
  const step = fork.step;
  const steps = changes.steps ?? saved.steps;
  if (steps <= step) throw new RecipeError(`steps: the checkpoint has trained ${step} steps: give more than that, or the fork has nothing to train`);
  const stages = changes.stages === undefined ? saved.stages : stagesOf(changes.stages, saved.schedule.lr);
  const stagesChanged = JSON.stringify(stages ?? []) !== JSON.stringify(saved.stages ?? []);
  if (stagesChanged && !sameBegunStages(saved.stages, stages, step)) {
    throw new RecipeError(`stages: the stages begun before step ${step} are the run's past and stay as they were; change those from step ${step} on, or add new ones`);
  }
  const averageFrom = changes.averageFrom === undefined ? saved.averageFrom : (changes.averageFrom ?? undefined);
  const begun = (from: number | undefined) => from !== undefined && from < step;
  if (averageFrom !== saved.averageFrom && (begun(saved.averageFrom) || begun(averageFrom))) {
    throw new RecipeError(`averageFrom: the weight average ${begun(saved.averageFrom) ? `began at step ${saved.averageFrom}` : `would begin at step ${averageFrom}`}, before the checkpoint's step ${step}; an average not yet begun may change`);
  }
  // New stages move the rows and the loop horizon with them, never the curriculum or the schedule already trained.
  const asked = stagesChanged ? applyOverrides(saved, { stages: changes.stages ?? [] }) : saved;
  const requested: TrainRecipe = { ...asked, curriculum: saved.curriculum, schedule: saved.schedule, steps };
  delete requested.averageFrom;
  if (averageFrom !== undefined) requested.averageFrom = averageFrom;
  return resumedRecipe(saved, requested, path.basename(fork.checkpointPath), step);
}
