// A training run's logged history and quick evaluations as DataTables: the Training panel's
// CSV/JSON export. The shapes are core's own (the protocol's types match them). Pure.
import type { DataTable } from './table';
import type { QuickEvalRow } from '../train/trainEvents';

export interface TrainingHistoryPoint {
  step: number;
  loss: number | null;
  gradNorm: number | null;
  lr: number;
  nPoints: number;
}

export interface TrainingQuickEval {
  step: number;
  rows: QuickEvalRow[];
  /** The current branch's own weights beside the mean (core/train/trainEvents.ts QuickEvalPoint.branch). */
  branch?: { index: number; rows: QuickEvalRow[] };
}

/** One row per logged window of steps (means over the window). */
export function trainingHistoryTable(history: TrainingHistoryPoint[]): DataTable {
  return {
    columns: ['step', 'loss', 'grad_norm', 'lr', 'n_points', 'max_train_length'],
    rows: history.map((p) => [p.step, p.loss, p.gradNorm, p.lr, p.nPoints, p.nPoints - 1]),
  };
}

/** One row per (quick evaluation, length); in a branched stage that keeps its branches, the current branch's own accuracies beside (empty elsewhere). */
export function trainingEvalsTable(evals: TrainingQuickEval[]): DataTable {
  return {
    columns: ['step', 'length', 'examples', 'oracle', 'paper_rule', 'paper_rule_step', 'branch', 'branch_oracle', 'branch_paper_rule'],
    rows: evals.flatMap((e) =>
      e.rows.map((r) => {
        const own = e.branch?.rows.find((b) => b.length === r.length);
        return [e.step, r.length, r.examples, r.oracle, r.perBatch, r.perBatchStep, own ? e.branch!.index : null, own?.oracle ?? null, own?.perBatch ?? null];
      }),
    ),
  };
}
