// The Evaluation panel's export tables from the state it shows (pure: unit-tested without vscode):
// every model's results, or every model's case split (the first model's, then the overlay's).
import { evaluationCaseTables, evaluationTable } from '../../core/export/evaluationExport';
import type { DataTable } from '../../core/export/table';
import type { EvaluationViewState } from '../../protocol/evaluation';

export function evaluationExportTable(s: EvaluationViewState, table: string): DataTable {
  if (table === 'cases') {
    const models = [
      { modelName: s.setup.modelName, cases: s.cases },
      { modelName: s.overlay?.modelName ?? '', cases: s.overlay?.cases },
    ];
    const splits = models.flatMap((m) => (m.cases ? [{ modelName: m.modelName, title: m.cases.title, rows: m.cases.rows }] : []));
    if (splits.length === 0) throw new Error(`${s.setup.taskTitle} has no case split to export.`);
    return evaluationCaseTables(splits);
  }
  return evaluationTable([{ modelName: s.setup.modelName, rows: s.rows }, ...(s.overlay ? [{ modelName: s.overlay.modelName, rows: s.overlay.rows }] : [])]);
}
