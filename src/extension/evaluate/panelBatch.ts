// The Evaluate command's workers and batch: one-thread workers sharing the batches unless the
// looplens.cpuThreads setting fixes the threads, and 64 examples, or fewer where a long length would
// not fit LoopLens's evaluation memory budget with every batch in flight (the inputs and results are
// the same; the paper's rule still chooses one step for all of a length's examples). No vscode import.
import { CALIBRATION_EXAMPLES } from '../../core/eval/calibration';
import { evaluationRunsAtOnce, fittingBatchSize } from '../../core/eval/evalLimits';
import { defaultEvalWorkers, type EvalRunnerSettings } from '../../core/infer/evalRunner';
import type { LoopLensSettings } from '../settings';
import type { LoopedConfig } from '../../core/model/config';
import type { Task } from '../../core/tasks/types';

export const PANEL_BATCH = 64;

/** The evaluation's workers: one per core (evalRunner.ts), or one session when the setting gives its threads. */
export function panelWorkers(cpuThreadsSetting: number): number {
  return cpuThreadsSetting > 0 ? 1 : defaultEvalWorkers();
}

/** The evaluation runner the settings ask for: their provider, the threads the setting fixes (0: ONNX Runtime's choice) and the workers. */
export function panelRunner(s: Pick<LoopLensSettings, 'executionProvider' | 'cpuThreads'>): EvalRunnerSettings & Required<Pick<EvalRunnerSettings, 'provider' | 'workers'>> {
  return { provider: s.executionProvider, cpuThreads: s.cpuThreads || undefined, workers: panelWorkers(s.cpuThreads) };
}

/** The batch for these lengths and up to `examples` per length on `workers`; 1 where not even one example fits, so that the worker's refusal names the length. */
export function panelBatchSize(task: Task, config: LoopedConfig, lengths: number[], examples: number, workers: number): number {
  return fittingBatchSize(task, config, { lengths, examples, batchSize: PANEL_BATCH, calibration: CALIBRATION_EXAMPLES, runsAtOnce: evaluationRunsAtOnce(workers) });
}
