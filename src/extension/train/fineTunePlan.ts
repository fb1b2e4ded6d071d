// "Fine-Tune Model…" as plain data: a new run that starts from a model's weights, on its task and
// network, at every length it was trained on or up to a longer one (a curriculum already at its
// end), with a lower learning rate than a run from scratch. No vscode import (unit-tested).
import * as path from 'node:path';
import type { LoadedModel } from '../../core/model/modelFile';
import { startingPointOf } from '../../core/train/fineTune';
import { makeRecipe } from '../../core/train/recipePlan';
import { finalEnd } from '../../core/train/stages';
import { recordedTrainedLengths } from '../../core/train/trainRecord';
import { MAX_TRAINING_STEPS } from '../../core/train/recipe';
import { LIMITS } from '../../core/util/limits';
import { defaultFinalEval, defaultModelPath, FINE_TUNE_PRESET_LABEL, recipeOf, type TrainPlan } from './trainPlan';
import { wholeNumber } from './wholeNumberField';

/** What the command asks, with its defaults: a short run at a tenth of the cpu preset's rate. */
export interface FineTuneChoice {
  steps: number;
  lr: number;
  /** The longest training length; absent: the longest the model was trained on (fineTuneMaxLength). */
  maxLength?: number;
}

export const FINE_TUNE_DEFAULTS: FineTuneChoice = { steps: 2000, lr: 1e-4 };

/** The steps as typed: a whole number from 1 to MAX_TRAINING_STEPS. Throws an Error with a message for the input box. */
export const fineTuneSteps = (text: string): number => wholeNumber(text, 'steps', 1, MAX_TRAINING_STEPS, 2000);

/** The longest length the model was trained on (its record), else its task's cpu preset's: a fine-tune's default. */
export function fineTuneMaxLength(model: LoadedModel): number {
  return recordedTrainedLengths(model.metadata.training)?.max ?? finalEnd(makeRecipe(model.task, 'cpu')) - 1;
}

/** The longest length as typed: a whole number from 1 to the evaluation's limit. Throws an Error with a message for the input box. */
export const fineTuneLength = (text: string): number => wholeNumber(text, 'the longest length', 1, LIMITS.length, 12);

/**
 * The plan of a run fine-tuning the model read from `file`: the cpu preset's optimizer and batch on
 * the model's network, lengths 1..(the choice's longest, else the longest it was trained on) from the
 * first step, the choice's steps and rate; saved as `<folder>/<task>-fine-tune[-k].onnx`.
 */
export function fineTunePlan(model: LoadedModel, file: string, choice: FineTuneChoice, folder: string): TrainPlan {
  const task = model.task;
  const point = startingPointOf(model, path.basename(file));
  const maxLength = choice.maxLength ?? fineTuneMaxLength(model);
  const plan: TrainPlan = {
    task: task.name,
    ...(task.raspl === undefined ? {} : { taskFile: { ...task.raspl } }),
    preset: 'cpu',
    custom: { ...point.shape, maxLength, interval: 1, lr: choice.lr },
    steps: choice.steps,
    modelPath: defaultModelPath(folder, task.name, FINE_TUNE_PRESET_LABEL),
    finalEval: null,
    start: { modelPath: file, init: point.init, shape: point.shape },
  };
  return { ...plan, finalEval: defaultFinalEval(task, recipeOf(plan)) };
}
