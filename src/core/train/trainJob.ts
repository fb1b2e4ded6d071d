// A whole training job, shared by `looplens train`, the main job and the worker process: train (or
// resume), optionally evaluate at test lengths, and save the model file with its training record.
import { evaluateParams, EvaluationCancelled, ORACLE, PER_BATCH, PER_EXAMPLE, type EvaluateResult } from '../eval/evaluate';
import { saveModel } from '../model/modelFile';
import { cleanStaleTempFiles } from '../util/atomicWrite';
import { recipeTask } from './recipe';
import { trainingRecordOf } from './trainRecord';
import type { TrainResult } from './trainEvents';
import { train, type TrainerOptions } from './trainer';

export interface FinalEvalSettings {
  lengths: number[];
  examples: number;
  batchSize: number;
  seed?: number;
}

export interface TrainJobOptions extends TrainerOptions {
  /** Where to save the model file when training finishes (not on cancel). */
  modelPath?: string;
  /** Evaluate the finished model; the summary goes into the model file's training record. */
  finalEval?: FinalEvalSettings;
  onEvalProgress?: (p: { done: number; total: number; length: number }) => void;
}

export interface TrainJobResult {
  train: TrainResult;
  evaluation?: EvaluateResult;
  modelPath?: string;
  modelBytes?: number;
}

export async function runTrainJob(o: TrainJobOptions): Promise<TrainJobResult> {
  if (o.modelPath) cleanStaleTempFiles(o.modelPath); // left by a save that was killed mid-write
  const result = await train(o);
  if (result.status !== 'finished') return { train: result };
  const task = recipeTask(result.recipe); // a fixed-depth run is evaluated at its depth
  let evaluation: EvaluateResult | undefined;
  if (o.finalEval) {
    try {
      evaluation = await evaluateParams(task, result.recipe.model, result.params, {
        ...o.finalEval,
        rules: [ORACLE, PER_BATCH, PER_EXAMPLE],
        provider: o.provider ?? 'cpu',
        cpuThreads: o.cpuThreads,
        signal: o.signal,
        onProgress: o.onEvalProgress,
      });
    } catch (err) {
      // Cancelled during the evaluation: the training is complete, so the model is still saved.
      if (!(err instanceof EvaluationCancelled)) throw err;
    }
  }
  const out: TrainJobResult = { train: result, evaluation };
  if (o.modelPath) {
    out.modelBytes = await saveModel(o.modelPath, { task, config: result.recipe.model, params: result.params, training: trainingRecordOf(result, evaluation?.summary) });
    out.modelPath = o.modelPath;
  }
  return out;
}
