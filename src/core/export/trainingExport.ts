// A training run's logged history and quick evaluations as DataTables: the Training panel's
// CSV/JSON export. The shapes are core's own (the protocol's types match them). Pure.
import type { DataTable } from './table';

export interface TrainingHistoryPoint {
  step: number;
  loss: number | null;
  gradNorm: number | null;
  lr: number;
  nPoints: number;
}

export interface TrainingQuickEval {
  step: number;
  rows: { length: number; examples: number; oracle: number; perBatch: number; perBatchStep: number }[];
}

/** One row per logged window of steps (means over the window). */
export function trainingHistoryTable(history: TrainingHistoryPoint[]): DataTable {
  return {
    columns: ['step', 'loss', 'grad_norm', 'lr', 'n_points', 'max_train_length'],
    rows: history.map((p) => [p.step, p.loss, p.gradNorm, p.lr, p.nPoints, p.nPoints - 1]),
  };
}

/** One row per (quick evaluation, length). */
export function trainingEvalsTable(evals: TrainingQuickEval[]): DataTable {
  return {
    columns: ['step', 'length', 'examples', 'oracle', 'paper_rule', 'paper_rule_step'],
    rows: evals.flatMap((e) => e.rows.map((r) => [e.step, r.length, r.examples, r.oracle, r.perBatch, r.perBatchStep])),
  };
}
