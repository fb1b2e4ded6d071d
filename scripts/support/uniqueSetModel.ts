// What the unique set diagnoses share: the model named first on the command line, refused unless it
// is a unique set model (their reading of repeated elements means nothing for another task).
import * as path from 'node:path';
import { loadModel, type LoadedModel } from '../../src/core/model/modelFile';

/** The model file given as the first argument (else `usage` as the error); `doing` says why another task's is refused. */
export async function uniqueSetModelArg(usage: string, doing: string): Promise<{ modelPath: string; model: LoadedModel }> {
  const modelPath = process.argv[2];
  if (!modelPath || modelPath.startsWith('--')) throw new Error(usage);
  const model = await loadModel(path.resolve(modelPath));
  if (model.task.name !== 'unique_set') throw new Error(`this diagnosis ${doing}; ${path.basename(modelPath)} is a ${model.task.title} model`);
  return { modelPath, model };
}

export const mean = (values: readonly number[]): number => (values.length === 0 ? NaN : values.reduce((s, v) => s + v, 0) / values.length);
