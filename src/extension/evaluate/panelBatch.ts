// The Evaluate command's batch: 64 examples, or fewer where a long length would not fit LoopLens's
// evaluation memory budget (the inputs and results are the same; the paper's rule still chooses one
// step for all of a length's examples). No vscode import.
import { CALIBRATION_EXAMPLES } from '../../core/eval/calibration';
import { fittingBatchSize } from '../../core/eval/evalLimits';
import type { LoopedConfig } from '../../core/model/config';
import type { Task } from '../../core/tasks/types';

export const PANEL_BATCH = 64;

/** The batch for these lengths and up to `examples` per length; 1 where not even one example fits, so that the worker's refusal names the length. */
export function panelBatchSize(task: Task, config: LoopedConfig, lengths: number[], examples: number): number {
  return fittingBatchSize(task, config, { lengths, examples, batchSize: PANEL_BATCH, calibration: CALIBRATION_EXAMPLES });
}
