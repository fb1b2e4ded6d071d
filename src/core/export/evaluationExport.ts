// An evaluation's results as a DataTable: one row per (model, length) with every rule's accuracy,
// its 95% Wilson interval and the mean chosen step; its case split, one row per (model, length,
// case) with the right answers under each rule counted; its accuracy at every loop step, one row
// per (model, length, step); and each answer position's accuracy at every step, one row per
// (model, length, step, position).
// The Evaluation panel's CSV/JSON exports. Pure.
import type { CaseCount } from '../eval/caseTally';
import type { StepCurve } from '../eval/evaluate';
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

/** A case's count of right answers per rule, and its export columns' prefix (absent counts: not scored). */
const CASE_RULES = [
  { key: 'paper_rule', right: (c: CaseCount) => c.paperRule },
  { key: 'per_example', right: (c: CaseCount) => c.perExample },
] as const;

/** The oracle's columns first (as before the adaptive rules were counted), then each rule's right answers, accuracy and interval. */
export const EVALUATION_CASE_COLUMNS = [
  'model', 'length', 'split', 'case', 'examples', 'correct', 'oracle', 'oracle_ci_low', 'oracle_ci_high',
  ...CASE_RULES.flatMap((r) => [`${r.key}_correct`, r.key, `${r.key}_ci_low`, `${r.key}_ci_high`]),
];

/** Right answers of `examples`, their accuracy and its 95% Wilson interval; nulls when not scored, no accuracy without examples. */
function rightCells(right: number | undefined, examples: number): Cell[] {
  if (right === undefined) return [null, null, null, null];
  const ci = wilsonInterval(right, examples);
  return [right, examples > 0 ? right / examples : null, ci?.low ?? null, ci?.high ?? null];
}

/** Right answers per case label (Task.cases) under each rule counted, sorted by length, labels in their given order. */
export function evaluationCaseTable(modelName: string, title: string, rows: { length: number; counts: CaseCount[] }[]): DataTable {
  const out: Cell[][] = [];
  for (const r of [...rows].sort((a, b) => a.length - b.length)) {
    for (const c of r.counts) {
      out.push([modelName, r.length, title, c.label, c.examples, ...rightCells(c.correct, c.examples), ...CASE_RULES.flatMap((rule) => rightCells(rule.right(c), c.examples))]);
    }
  }
  return { columns: [...EVALUATION_CASE_COLUMNS], rows: out };
}

/** Every model's case split (the first model's, then an overlay's), in the order given. */
export function evaluationCaseTables(models: { modelName: string; title: string; rows: { length: number; counts: CaseCount[] }[] }[]): DataTable {
  return { columns: [...EVALUATION_CASE_COLUMNS], rows: models.flatMap((m) => evaluationCaseTable(m.modelName, m.title, m.rows).rows) };
}

export const EVALUATION_STEP_COLUMNS = ['model', 'length', 'step', 'accuracy', 'score', 'is_oracle_step', 'is_paper_rule_step'];

/**
 * Every model's curves (the first model's, then an overlay's), each sorted by length, one row per
 * loop step: exact match, the paper rule's confidence score (lower = surer), and whether the step is
 * T(n) or the one the paper's rule picks for the length.
 */
export function evaluationStepTable(models: { modelName: string; curves: (StepCurve & { length: number })[] }[]): DataTable {
  const rows: Cell[][] = [];
  for (const m of models) {
    for (const c of [...m.curves].sort((a, b) => a.length - b.length)) {
      c.accuracy.forEach((acc, i) => rows.push([m.modelName, c.length, i + 1, acc, c.score[i] ?? null, i + 1 === c.oracleStep, i + 1 === c.paperStep]));
    }
  }
  return { columns: [...EVALUATION_STEP_COLUMNS], rows };
}

export const EVALUATION_POSITION_COLUMNS = ['model', 'length', 'step', 'position', 'accuracy'];

/**
 * Every model's curves that carry positions (the first model's, then an overlay's), each sorted by
 * length, one row per loop step and answer position: position k is +k from the '=' (0), as the
 * panel's map labels it.
 */
export function evaluationPositionTable(models: { modelName: string; curves: (StepCurve & { length: number })[] }[]): DataTable {
  const rows: Cell[][] = [];
  for (const m of models) {
    for (const c of [...m.curves].sort((a, b) => a.length - b.length)) {
      c.positions?.forEach((row, i) => row.forEach((acc, k) => rows.push([m.modelName, c.length, i + 1, k, acc])));
    }
  }
  return { columns: [...EVALUATION_POSITION_COLUMNS], rows };
}
