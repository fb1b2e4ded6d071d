// An evaluation's results as a DataTable: one row per (model, length) with every rule's accuracy,
// its 95% Wilson interval and the mean chosen step; and its case split, one row per (length, case).
// The Evaluation panel's CSV/JSON exports. Pure.
import type { CaseCount } from '../eval/caseTally';
import { accuracyInterval, wilsonInterval } from '../eval/interval';
import type { EvalSummaryRow } from '../model/modelMetadata';
import type { Cell, DataTable } from './table';

export interface EvaluationExportModel {
  modelName: string;
  rows: EvalSummaryRow[];
}

const RULES = [
  { key: 'oracle', value: (r: EvalSummaryRow) => r.oracle, step: (r: EvalSummaryRow) => r.oracleStep },
  { key: 'paper_rule', value: (r: EvalSummaryRow) => r.perBatch, step: (r: EvalSummaryRow) => r.perBatchStep },
  { key: 'per_example', value: (r: EvalSummaryRow) => r.perExample, step: (r: EvalSummaryRow) => r.perExampleStep },
  { key: 'calibrated', value: (r: EvalSummaryRow) => r.calibrated, step: (r: EvalSummaryRow) => r.calibratedStep },
] as const;

export const EVALUATION_COLUMNS = ['model', 'length', 'oracle_step', 'examples', ...RULES.flatMap((r) => [r.key, `${r.key}_ci_low`, `${r.key}_ci_high`, `${r.key}_step`])];

/** Rows of every model, in the order given, each sorted by length. */
export function evaluationTable(models: EvaluationExportModel[]): DataTable {
  const rows: Cell[][] = [];
  for (const m of models) {
    for (const r of [...m.rows].sort((a, b) => a.length - b.length)) {
      rows.push([
        m.modelName,
        r.length,
        r.oracleStep,
        r.examples,
        ...RULES.flatMap((rule) => {
          const v = rule.value(r);
          const ci = accuracyInterval(v, r.examples);
          return [v ?? null, ci?.low ?? null, ci?.high ?? null, rule.step(r) ?? null];
        }),
      ]);
    }
  }
  return { columns: [...EVALUATION_COLUMNS], rows };
}

export const EVALUATION_CASE_COLUMNS = ['model', 'length', 'split', 'case', 'examples', 'correct', 'oracle', 'oracle_ci_low', 'oracle_ci_high'];

/** Exact match at T(n) per case label (Task.cases), sorted by length, labels in their given order; a case with no examples has no accuracy. */
export function evaluationCaseTable(modelName: string, title: string, rows: { length: number; counts: CaseCount[] }[]): DataTable {
  const out: Cell[][] = [];
  for (const r of [...rows].sort((a, b) => a.length - b.length)) {
    for (const c of r.counts) {
      const acc = c.examples > 0 ? c.correct / c.examples : undefined;
      const ci = wilsonInterval(c.correct, c.examples);
      out.push([modelName, r.length, title, c.label, c.examples, c.correct, acc ?? null, ci?.low ?? null, ci?.high ?? null]);
    }
  }
  return { columns: [...EVALUATION_CASE_COLUMNS], rows: out };
}
