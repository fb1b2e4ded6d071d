// Messages between the host and the Training webview. Imported by both sides.
// The host owns the run's state and sends it whole (throttled); the webview only draws it and
// keeps the last copy in vscode.setState so a hidden-then-shown panel redraws at once.
import type { EvalSummaryRow } from '../core/model/modelMetadata';
import type { ExportRequest, ExportResult } from './export';

export const TRAINING_PROTOCOL = 1;

/** What was asked for: fixed for the life of a run (a resume keeps it). */
export interface TrainingSetup {
  task: string;
  /** A custom task's RASP-L file (name and source); absent for the built-in tasks. */
  taskFile?: { file: string; source: string };
  taskTitle: string;
  preset: string;
  /** attention: a non-paper attention scale in words (e.g. "attention × ln keys"); absent for the paper's. */
  model: { d: number; layers: number; heads: number; attention?: string };
  steps: number;
  batchSize: number;
  lr: number;
  curriculum: { start: number; interval: number; end: number };
  /** Longest length the run trains on by its last step (n_b for multiplication): what "trained" tags mean. */
  maxTrainLength: number;
  seed: number;
  /**
   * How the run loops, in words (core/train/recipeDiff.ts loopText): its depth rule (T(n) per example,
   * or the fixed-depth ablation) and whether the input is injected. Absent from states saved before it.
   */
  loopText?: string;
  /**
   * The fixed-depth ablation's depth N: every example, the quick evaluations' included, is read at
   * loop step N instead of its T(n). Absent for a T(n) run (and from states saved before it).
   */
  fixedSteps?: number;
  /**
   * Its learning-rate schedule, in words (core/train/trainRecord.ts recordedScheduleText): "0.001,
   * constant to step 2,100, then cosine to 0.1 x lr". Absent from states saved before it.
   */
  scheduleText?: string;
  /**
   * Share of each batch drawn at the curriculum's longest length so far, in (0, 1) (the CLI's
   * --long-share). Absent for the paper's uniform lengths (and from states saved before it).
   */
  longShare?: number;
  /**
   * The longest length of each later stage, in order (a staged recipe, core/train/stages.ts: after the
   * curriculum, each trains every length up to it). Absent for one curriculum (and from states saved before it).
   */
  stageLengths?: number[];
  /**
   * The long share of each later stage, parallel to `stageLengths`, where a stage sets its own
   * (core/train/stages.ts longShareOf): in [0, 1), 0 for uniform lengths. Absent when none does (every
   * stage then draws with `longShare`), and from states saved before it.
   */
  stageLongShares?: number[];
  /**
   * The branches the last stage runs as (core/train/branches.ts: each from the stage's first weights,
   * on its own data, the model their weights' mean), 2 or more. Absent for one run of it (and from
   * states saved before it).
   */
  lastStageBranches?: number;
  /** Each branch of the last stage is also saved and evaluated as a model of its own (core/train/trainJob.ts keepBranches). Absent: only their mean. */
  keepBranches?: boolean;
  /** Steps the run also saves its weights and checkpoint at (core/train/trainer.ts saveAt). Absent: none. */
  saveAt?: number[];
  /**
   * Share of each batch drawn from the task's hard inputs, in (0, 1) (the CLI's --hard-share).
   * Absent for the paper's uniform inputs (and from states saved before it).
   */
  hardShare?: number;
  /**
   * Share of each batch drawn from the task's distinct inputs, in (0, 1) (the CLI's --distinct-share).
   * Absent for the paper's uniform inputs (and from states saved before it).
   */
  distinctShare?: number;
  /**
   * Where a fine-tuning run's weights started, in the words of `looplens info` ("the weights of
   * m.onnx (36000 steps trained), CRC-32 …"; the CLI's --init-from). Absent for a run from scratch.
   */
  startedFrom?: string;
  /**
   * The checkpoint a run went on from as a run of its own, and its step ("unique_set.ckpt at step
   * 20,000"; the CLI's --resume-from, the extension's Go On From Checkpoint). Absent for any other run.
   */
  forkedFrom?: string;
  /**
   * AdamW's weight decay when it is not the paper's 0.01 (the CLI's --weight-decay). Absent for the
   * paper's (and from states saved before it).
   */
  weightDecay?: number;
  /**
   * The weights the run saves when they are an average (the CLI's --average-from), in the words of
   * `looplens info` (core/train/weightAverage.ts averageText): "the weights averaged over steps 16,000
   * to 17,000". Absent for the paper's last weights (and from states saved before it).
   */
  averageText?: string;
  modelPath: string;
  checkpointPath: string;
  /** The looplens.executionProvider setting used (auto | cuda | cpu). */
  provider: string;
  /** Evaluation of the finished model (saved in its training record); null: none. */
  finalEval: { lengths: number[]; examples: number } | null;
  /** Lengths of the quick evaluations during training. */
  quickEvalLengths: number[];
}

export type TrainingStatus = 'starting' | 'running' | 'cancelling' | 'cancelled' | 'finished' | 'failed';
export type TrainingPhase = 'starting' | 'compiling' | 'training' | 'evaluating' | 'checkpointing' | 'final-eval' | 'saving' | 'done';

export interface TrainingProgress {
  step: number;
  totalSteps: number;
  loss: number | null;
  gradNorm: number | null;
  lr: number;
  nPoints: number;
  msPerStep: number;
  /** null while unknown. */
  etaSeconds: number | null;
  elapsedSeconds: number;
}

/** One logged window of training steps (means over the window). */
export interface TrainingPoint {
  step: number;
  loss: number | null;
  gradNorm: number | null;
  lr: number;
  nPoints: number;
}

/** A quick evaluation during training (accuracies in [0, 1]). */
export interface QuickEvalView {
  step: number;
  rows: { length: number; examples: number; oracle: number; perBatch: number; perBatchStep: number }[];
  /** In a later branch of a run that keeps its branches: the current branch's own accuracies (1-based index) beside the mean's in rows. */
  branch?: { index: number; rows: QuickEvalView['rows'] };
}

export interface TrainingResultView {
  step: number;
  elapsedSeconds: number;
  /** The run's CPU time, all threads; null when it was not counted (a run resumed from an older checkpoint). */
  cpuSeconds?: number | null;
  finalLoss: number | null;
  modelPath: string;
  modelBytes: number;
  /** The final evaluation (oracle, per batch, per example) when it ran. */
  evaluation: { examplesPerLength: number; perExampleRule: string; rows: EvalSummaryRow[] } | null;
  /** The last stage's branches, each kept as a model of its own (setup.keepBranches); absent when none were kept. */
  branches?: KeptBranchView[];
}

/** A branch of the last stage kept as its own model: its file's name (null: lost, it finished before a resume from a checkpoint that did not keep it) and its evaluation. */
export interface KeptBranchView {
  index: number;
  of: number;
  file: string | null;
  rows: EvalSummaryRow[] | null;
}

export interface TrainingErrorView {
  kind: 'diverged' | 'killed' | 'bad-request' | 'checkpoint' | 'model' | 'internal';
  title: string;
  message: string;
}

/** Weights and a checkpoint kept at a step of the run (core/train/trainer.ts saveAt): their file names beside the run's. */
export interface SavedStepView {
  step: number;
  model: string;
  checkpoint: string;
}

export interface TrainingViewState {
  protocol: typeof TRAINING_PROTOCOL;
  setup: TrainingSetup;
  status: TrainingStatus;
  phase: TrainingPhase;
  progress: TrainingProgress | null;
  history: TrainingPoint[];
  evals: QuickEvalView[];
  /** The last checkpoint written (what Resume continues from). */
  checkpoint: { step: number; path: string } | null;
  /** The steps kept so far (setup.saveAt): the weights as a model and the run's checkpoint, by file name. Absent: none yet (and in states saved before it). */
  saved?: SavedStepView[];
  /** Progress of the final evaluation after training. */
  finalEval: { done: number; total: number; length: number } | null;
  result: TrainingResultView | null;
  error: TrainingErrorView | null;
  /** Step a resumed run continued from (null for a fresh run). */
  resumedFrom: number | null;
  /** What the stopped run says to do next (shown under the status). */
  hint: string | null;
  /** Buttons the host will honour now. */
  actions: { cancel: boolean; resume: boolean; openModel: boolean };
}

/** Whether a state the webview saved (maybe by an older version) is one this version can draw. */
export function isTrainingViewState(saved: unknown): saved is TrainingViewState {
  const s = saved as Partial<TrainingViewState> | null | undefined;
  return !!s && s.protocol === TRAINING_PROTOCOL && !!s.setup && Array.isArray(s.history);
}

/**
 * Whether the run's last checkpoint can be saved as a model now: one was written and the run has
 * not finished (a finished run has its model already). One rule for the button and the host.
 */
export function canExportCheckpoint(s: TrainingViewState): boolean {
  return s.checkpoint !== null && s.status !== 'finished' && s.status !== 'starting';
}

export type TrainingToWebview = { type: 'state'; state: TrainingViewState } | ExportResult;

/** Tables the Training panel exports: the logged history, the quick evaluations, the final evaluation. */
export const TRAINING_EXPORT_TABLES = ['history', 'evals', 'final'] as const;

export type TrainingToHost =
  | { type: 'ready' }
  | { type: 'cancel' }
  | { type: 'resume' }
  | { type: 'openModel' }
  | { type: 'stepThrough' }
  | { type: 'evaluate' }
  | { type: 'exportCheckpoint' }
  /** Save a table (TRAINING_EXPORT_TABLES) or a chart. */
  | ExportRequest;
