// A whole training job, shared by `looplens train`, the main job and the worker process: train (or
// resume), optionally evaluate at test lengths, and save the model file with its training record
// (and, when asked, each branch of a last stage run as branches as a model of its own).
import { evaluateParams, EvaluationCancelled, ORACLE, PER_BATCH, PER_EXAMPLE, type EvaluateResult } from '../eval/evaluate';
import { saveModel } from '../model/modelFile';
import type { BranchOfRun } from '../model/modelMetadata';
import type { Params } from '../model/params';
import { cleanStaleTempFiles } from '../util/atomicWrite';
import { recipeTask } from './recipe';
import { trainingRecordOf } from './trainRecord';
import type { TrainResult } from './trainEvents';
import { train, type TrainerOptions } from './trainer';
import { evalWorkersOf } from './quickEval';
import { branchModelPath } from './branches';

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

/** A branch of the run's last stage, kept as its own model (keepBranches). */
export interface KeptBranch extends BranchOfRun {
  /** Where it was saved; undefined when its weights are lost (it finished before a resume from a checkpoint that did not keep them). */
  modelPath?: string;
  evaluation?: EvaluateResult;
}

export interface TrainJobResult {
  train: TrainResult;
  evaluation?: EvaluateResult;
  modelPath?: string;
  modelBytes?: number;
  branches?: KeptBranch[];
}

export async function runTrainJob(o: TrainJobOptions): Promise<TrainJobResult> {
  if (o.modelPath) cleanStaleTempFiles(o.modelPath); // left by a save that was killed mid-write
  const result = await train(o);
  if (result.status !== 'finished') return { train: result };
  const task = recipeTask(result.recipe); // a fixed-depth run is evaluated at its depth
  const evaluate = async (params: Params): Promise<EvaluateResult | undefined> => {
    if (!o.finalEval || o.signal?.aborted) return undefined;
    try {
      return await evaluateParams(task, result.recipe.model, params, {
        ...o.finalEval,
        rules: [ORACLE, PER_BATCH, PER_EXAMPLE],
        provider: o.provider ?? 'cpu',
        cpuThreads: o.cpuThreads,
        workers: evalWorkersOf(o),
        signal: o.signal,
        onProgress: o.onEvalProgress,
      });
    } catch (err) {
      // Cancelled during the evaluation: the training is complete, so the model is still saved.
      if (!(err instanceof EvaluationCancelled)) throw err;
      return undefined;
    }
  };
  const save = (file: string, params: Params, evaluation: EvaluateResult | undefined, branch?: BranchOfRun) =>
    saveModel(file, { task, config: result.recipe.model, params, training: { ...trainingRecordOf({ ...result, params }, evaluation?.summary), ...(branch ? { branch } : {}) } });

  const evaluation = await evaluate(result.params);
  const out: TrainJobResult = { train: result, evaluation };
  if (o.modelPath) {
    out.modelBytes = await save(o.modelPath, result.params, evaluation);
    out.modelPath = o.modelPath;
  }
  // a run that keeps its branches (trainer.ts keepBranches, given now or when it started) saves each beside modelPath, evaluated as the model is
  if (o.modelPath && result.branches) {
    const of = result.branches.length;
    out.branches = [];
    for (const [k, params] of result.branches.entries()) {
      const kept: KeptBranch = { index: k + 1, of };
      if (params) {
        kept.evaluation = await evaluate(params);
        kept.modelPath = branchModelPath(o.modelPath, k + 1);
        cleanStaleTempFiles(kept.modelPath);
        await save(kept.modelPath, params, kept.evaluation, { index: k + 1, of });
      }
      out.branches.push(kept);
    }
  }
  return out;
}
