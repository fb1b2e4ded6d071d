// The lengths an evaluation tests by default, from how far a model was trained: shared by the
// CLI's train, start and eval and by the extension's Train and Evaluate commands.
import type { LoadedModel } from '../model/modelFile';
import type { TrainingRecord } from '../model/modelMetadata';
import type { Task } from '../tasks/types';
import { recordedLongestLength, recordedTrainedLengths } from './trainRecord';

/** Longest training length of a recipe, typed or as a model file stores it (its last stage's, n_b for multiplication), else the task's. */
export function longestTrainingLength(recipe: unknown, task: Task): number {
  return recordedLongestLength(recipe) ?? task.curriculum.end - 1;
}

/** How far a model file was trained: the lengths its record says it reached, else its recipe's longest, else the task's. */
export function modelTrainingLength(record: Pick<TrainingRecord, 'trainedLengths' | 'recipe'>, task: Task): number {
  return recordedTrainedLengths(record)?.max ?? longestTrainingLength(record.recipe, task);
}

/** Half the training range, its end, half-way to the test length, the test length (parity: 10, 20, 30, 40). */
export function defaultTestLengths(task: Task, maxTrainLength: number): number[] {
  const test = Math.max(task.testLength, maxTrainLength + 1);
  const picks = [Math.max(1, Math.round(maxTrainLength / 2)), maxTrainLength, Math.round((maxTrainLength + test) / 2), test];
  return [...new Set(picks)].sort((a, b) => a - b);
}

/** A model file's default test lengths (defaultTestLengths from how far it was trained): what `looplens eval` and `compare` test without --lengths. */
export function modelTestLengths(model: Pick<LoadedModel, 'task' | 'metadata'>): number[] {
  return defaultTestLengths(model.task, modelTrainingLength(model.metadata.training, model.task));
}
