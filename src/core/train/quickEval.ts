// The quick evaluation a run may do every so many steps: oracle and per-batch rule accuracy of the
// current parameters, so the learning curve shows generalization, not only loss.
import { evaluateParams, ORACLE, PER_BATCH } from '../eval/evaluate';
import type { ExecutionProviderSetting } from '../infer/executionProvider';
import type { Params } from '../model/params';
import type { Task } from '../tasks/types';
import type { TrainRecipe } from './recipe';
import { DATA_PARALLEL_WORKERS, type DataParallelOptions } from './dataParallel';
import type { QuickEvalPoint, QuickEvalRow } from './trainEvents';

/** The most examples a learning-curve point runs in one batch. */
export const QUICK_EVAL_BATCH = 128;

export interface QuickEvalSettings {
  /** Evaluate every this many steps (and at the end). */
  every: number;
  lengths: number[];
  examples: number;
}

type QuickEvalRuntime = { provider?: ExecutionProviderSetting; cpuThreads?: number; dataParallel?: DataParallelOptions };

/** A run's evaluations on its cores: a data-parallel run's one-thread workers' count of evaluation workers, else one session on its threads. */
export function evalWorkersOf(runtime: { dataParallel?: DataParallelOptions }): number {
  return runtime.dataParallel ? (runtime.dataParallel.workers ?? DATA_PARALLEL_WORKERS) : 1;
}

/** A learning-curve point of `params`, and of `branch`'s own weights beside them when given (QuickEvalPoint.branch). */
export async function quickEvaluate(task: Task, recipe: TrainRecipe, params: Params, step: number, qe: QuickEvalSettings, runtime: QuickEvalRuntime, branch?: { index: number; params: Params }): Promise<QuickEvalPoint> {
  const rows = await quickEvalRows(task, recipe, params, qe, runtime);
  return { kind: 'eval', step, rows, ...(branch ? { branch: { index: branch.index, rows: await quickEvalRows(task, recipe, branch.params, qe, runtime) } } : {}) };
}

/** Oracle and per-batch rule accuracy at each length, on the curve's fixed inputs (seed 99). */
async function quickEvalRows(task: Task, recipe: TrainRecipe, params: Params, qe: QuickEvalSettings, runtime: QuickEvalRuntime): Promise<QuickEvalRow[]> {
  const { report } = await evaluateParams(task, recipe.model, params, {
    lengths: qe.lengths,
    examples: qe.examples,
    batchSize: Math.min(qe.examples, QUICK_EVAL_BATCH),
    seed: 99,
    rules: [ORACLE, PER_BATCH],
    provider: runtime.provider ?? 'cpu',
    cpuThreads: runtime.cpuThreads,
    workers: evalWorkersOf(runtime),
  });
  return qe.lengths.map((n) => ({
    length: n,
    examples: qe.examples,
    oracle: report.accuracy(n, ORACLE) ?? 0,
    perBatch: report.accuracy(n, PER_BATCH) ?? 0,
    perBatchStep: report.meanStep(n, PER_BATCH) ?? 0,
  }));
}

/**
 * The quick evaluation a run's curve was drawn with, read back from its history (a resumed run's
 * checkpoint), so that the curve goes on: the last point's lengths and examples, and the steps between
 * points (the first point's step when there is one; a point at the run's last step, `totalSteps`, is
 * the end's, not the rhythm's). undefined when the history has no evaluation point.
 */
export function quickEvalOfHistory(history: readonly unknown[], totalSteps: number): QuickEvalSettings | undefined {
  const points = history.filter(isEvalPoint);
  const last = points.at(-1);
  if (!last) return undefined;
  const steps = points.map((p) => p.step).filter((s) => s !== totalSteps);
  const gaps = steps.map((s, i) => s - (steps[i - 1] ?? 0)).filter((g) => g > 0);
  const every = gaps.length > 0 ? Math.min(...gaps) : last.step;
  return { every, lengths: last.rows.map((r) => r.length), examples: last.rows[0]!.examples };
}

function isEvalPoint(h: unknown): h is QuickEvalPoint {
  const p = h as Partial<QuickEvalPoint> | null;
  const rowOk = (r: unknown) => Number.isSafeInteger((r as { length?: unknown })?.length) && Number.isSafeInteger((r as { examples?: unknown })?.examples);
  return !!p && p.kind === 'eval' && Number.isSafeInteger(p.step) && p.step! > 0 && Array.isArray(p.rows) && p.rows.length > 0 && p.rows.every(rowOk);
}
