// "Go On From Checkpoint…" as plain data: a new run that goes on from another run's checkpoint with
// other later stages, more or fewer steps, another weight average (the CLI's --resume-from), saved
// under a new name so the checkpoint stays as it is. The recipe page shows the checkpoint's recipe,
// only those fields editable. No vscode import (unit-tested).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { RecipeField } from '../../protocol/recipe';
import { resolveTask } from '../../core/programs/tasks/resolve';
import type { ForkPoint } from '../../core/train/forkRecipe';
import { checkpointPathFor } from '../../core/train/trainingCheckpoint';
import { defaultFinalEval, recipeOf, type TrainPlan } from './trainPlan';

/** The recipe page's fields a fork may change; the others are its checkpoint's, shown greyed. */
export const FORK_FIELDS: readonly RecipeField[] = ['steps', 'stages', 'averageFrom', 'output', 'finalEval', 'keepBranches', 'saveAt'];

/** Steps a fork of a finished run trains unless told otherwise (a finished run's own steps leave none). */
export const FORK_STEPS_PAST_FINISHED = 1000;

/**
 * `<dir>/<run>-from<step>.onnx` beside the checkpoint (`unique_set-step14000.ckpt` → `unique_set-from14000.onnx`),
 * or the first `-2`, `-3`, … whose model and checkpoint are both free.
 */
export function forkModelPath(fork: Pick<ForkPoint, 'checkpointPath' | 'step'>): string {
  const run = path.basename(fork.checkpointPath).replace(/\.ckpt$/i, '').replace(/-step\d+$/, '');
  for (let i = 1; ; i++) {
    const p = path.join(path.dirname(fork.checkpointPath), `${run}-from${fork.step}${i === 1 ? '' : `-${i}`}.onnx`);
    if (!fs.existsSync(p) && !fs.existsSync(checkpointPathFor(p))) return p;
  }
}

/** The plan of a fork of `fork`, as the recipe page opens it: the checkpoint's recipe (more steps for a finished run), a new model beside it, the default final evaluation. */
export function forkPlanOf(fork: ForkPoint): TrainPlan {
  const r = fork.recipe;
  const plan: TrainPlan = {
    task: r.task,
    ...(r.taskFile === undefined ? {} : { taskFile: { ...r.taskFile } }),
    preset: 'cpu', // not read: a fork's recipe is its checkpoint's
    steps: r.steps > fork.step ? r.steps : fork.step + FORK_STEPS_PAST_FINISHED,
    modelPath: forkModelPath(fork),
    finalEval: null,
    fork,
  };
  return { ...plan, finalEval: defaultFinalEval(resolveTask(r), recipeOf(plan)) };
}

/** What is wrong with a fork's output and steps to save at, by field: the checkpoint it goes on from is never written, nor another run's. */
export function forkFieldErrors(fork: ForkPoint, modelPath: string | undefined, saveAt: readonly number[] | undefined): Partial<Record<RecipeField, string>> {
  const errors: Partial<Record<RecipeField, string>> = {};
  if (modelPath !== undefined) {
    const ckpt = checkpointPathFor(modelPath);
    if (path.resolve(ckpt) === path.resolve(fork.checkpointPath)) errors.output = `that is the run it goes on from (${path.basename(ckpt)}): give the new run another name, or resume that run instead`;
    else if (fs.existsSync(ckpt)) errors.output = `${path.basename(ckpt)} beside it already holds a run's checkpoint: give the new run another name`;
  }
  const early = saveAt?.find((s) => s <= fork.step);
  if (early !== undefined) errors.saveAt = `step ${early} is not after the checkpoint's (${fork.step}): the new run starts there`;
  return errors;
}
