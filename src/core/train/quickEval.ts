// The quick evaluation a run may do every so many steps: oracle and per-batch rule accuracy of the
// current parameters, so the learning curve shows generalization, not only loss.
import { evaluateParams, ORACLE, PER_BATCH } from '../eval/evaluate';
import type { ExecutionProviderSetting } from '../infer/executionProvider';
import type { Params } from '../model/params';
import type { Task } from '../tasks/types';
import type { TrainRecipe } from './recipe';
import type { QuickEvalPoint } from './trainEvents';

export interface QuickEvalSettings {
  /** Evaluate every this many steps (and at the end). */
  every: number;
  lengths: number[];
  examples: number;
}

export async function quickEvaluate(
  task: Task,
  recipe: TrainRecipe,
  params: Params,
  step: number,
  qe: QuickEvalSettings,
  runtime: { provider?: ExecutionProviderSetting; cpuThreads?: number },
): Promise<QuickEvalPoint> {
  const { report } = await evaluateParams(task, recipe.model, params, {
    lengths: qe.lengths,
    examples: qe.examples,
    batchSize: Math.min(qe.examples, 128),
    seed: 99,
    rules: [ORACLE, PER_BATCH],
    provider: runtime.provider ?? 'cpu',
    cpuThreads: runtime.cpuThreads,
  });
  return {
    kind: 'eval',
    step,
    rows: qe.lengths.map((n) => ({
      length: n,
      examples: qe.examples,
      oracle: report.accuracy(n, ORACLE) ?? 0,
      perBatch: report.accuracy(n, PER_BATCH) ?? 0,
      perBatchStep: report.meanStep(n, PER_BATCH) ?? 0,
    })),
  };
}
