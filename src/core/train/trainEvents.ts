// What a training run reports: its history points, the events it streams while it runs, and its
// result. Shared by the trainer, its checkpoints, the worker protocol, the CLI and the extension.
import type { Params } from '../model/params';
import type { RunFork } from '../model/modelMetadata';
import type { TrainRecipe } from './recipe';

/** One logged window of training steps (means over the window). */
export interface TrainPoint {
  kind: 'train';
  /** Steps completed at the end of the window. */
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
  nPoints: number;
  msPerStep: number;
}

/** One test length of a quick evaluation (accuracies in [0, 1]). */
export interface QuickEvalRow {
  length: number;
  examples: number;
  oracle: number;
  perBatch: number;
  perBatchStep: number;
}

/** A quick evaluation during training, of the weights the run would save now. */
export interface QuickEvalPoint {
  kind: 'eval';
  step: number;
  rows: QuickEvalRow[];
  /**
   * In the second or a later branch of a last stage run as branches, by a run that keeps them
   * (trainer.ts keepBranches): the current branch's own weights (1-based index) on the same inputs,
   * where `rows` are the mean with the finished branches'.
   */
  branch?: { index: number; rows: QuickEvalRow[] };
}

export type HistoryEntry = TrainPoint | QuickEvalPoint;

export type TrainEvent =
  /** `forkedFrom`: the checkpoint a resumed run read its state from, when it is not its own (TrainerOptions.resumeFrom). */
  | { type: 'start'; recipe: TrainRecipe; step: number; resumed: boolean; checkpointPath?: string; forkedFrom?: string }
  | { type: 'phase'; phase: 'compiling' | 'training' | 'evaluating' | 'checkpointing'; step: number }
  | { type: 'progress'; step: number; totalSteps: number; loss: number; gradNorm: number; lr: number; nPoints: number; msPerStep: number; etaSeconds: number; elapsedSeconds: number }
  | { type: 'history'; entry: TrainPoint }
  | { type: 'eval'; entry: QuickEvalPoint }
  | { type: 'checkpoint'; step: number; path: string }
  /** The weights at a step asked for (TrainerOptions.saveAt), saved as a model file, and the run's checkpoint at that step copied beside it. */
  | { type: 'saved'; step: number; path: string; checkpointPath: string }
  | { type: 'done'; status: 'finished' | 'cancelled'; step: number; elapsedSeconds: number; finalLoss: number | null; checkpointPath?: string };

export interface TrainResult {
  status: 'finished' | 'cancelled';
  /** Steps completed. */
  step: number;
  recipe: TrainRecipe;
  params: Params;
  /** A finished run that keeps its branches (trainer.ts keepBranches) and whose last stage ran as branches: each branch's own saved weights (params is their mean); null for one a resumed-from checkpoint did not keep. */
  branches?: (Params | null)[];
  history: HistoryEntry[];
  /** Training wall time summed over resumed sessions. */
  elapsedSeconds: number;
  /** CPU time of the process that trained, summed over resumed sessions; absent when an earlier session did not count it. */
  cpuSeconds?: number;
  /** Mean loss of the last logged window (null before any step). */
  finalLoss: number | null;
  provider: string;
  checkpointPath?: string;
  /** The checkpoints the run went on from as a run of its own (runState.ts forks). */
  forks?: RunFork[];
}
