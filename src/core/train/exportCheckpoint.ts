// A training checkpoint saved as a model file, so a run can be evaluated, traced or opened before
// it ends (or after it was stopped) without resuming it. Used by `looplens export` and by the
// Training panel's "Save Checkpoint as Model". The model's training record says how many of the
// recipe's steps were done.
import * as path from 'node:path';
import { saveModel } from '../model/modelFile';
import { recipeTask } from './recipe';
import { checkpointResult } from './trainingCheckpoint';
import { trainingRecordOf } from './trainRecord';
import type { TrainResult } from './trainEvents';

export interface ExportedCheckpoint {
  modelPath: string;
  bytes: number;
  step: number;
  totalSteps: number;
  preset: string;
  taskTitle: string;
}

/** The checkpoint's path with `-stepN` before the extension `ext`. */
function steppedPath(checkpointPath: string, step: number, ext: string): string {
  const own = path.extname(checkpointPath);
  const stem = own === '' ? checkpointPath : checkpointPath.slice(0, -own.length);
  return `${stem}-step${step}${ext}`;
}

/** runs/copy-cpu.ckpt at step 4000 → runs/copy-cpu-step4000.onnx */
export function exportPathFor(checkpointPath: string, step: number): string {
  return steppedPath(checkpointPath, step, '.onnx');
}

/** runs/copy-cpu.ckpt at step 4000 → runs/copy-cpu-step4000.ckpt: the run's state at that step, to go on from with other later stages. */
export function forkPathFor(checkpointPath: string, step: number): string {
  return steppedPath(checkpointPath, step, path.extname(checkpointPath) || '.ckpt');
}

/** Writes the checkpoint's weights as a model to `modelPath` (default: exportPathFor). */
export async function exportCheckpoint(checkpointPath: string, modelPath?: string): Promise<ExportedCheckpoint> {
  const run = await checkpointResult(checkpointPath);
  return exportRun(run, modelPath ?? exportPathFor(checkpointPath, run.step));
}

/** Writes a run's weights, as they stand at its step, as a model to `out` (a trainer saving a step it holds in memory). */
export async function exportRun(run: TrainResult, out: string): Promise<ExportedCheckpoint> {
  const task = recipeTask(run.recipe);
  const bytes = await saveModel(out, { task, config: run.recipe.model, params: run.params, training: trainingRecordOf(run) });
  return { modelPath: out, bytes, step: run.step, totalSteps: run.recipe.steps, preset: run.recipe.preset, taskTitle: task.title };
}
