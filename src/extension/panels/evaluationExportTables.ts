// The Evaluation panel's export tables from the state it shows (pure: unit-tested without vscode):
// every model's results, case split, accuracy at every loop step or each answer position's at every
// step (the first model's, then the overlay's).
import { evaluationCaseTables, evaluationPositionTable, evaluationStepTable, evaluationTable } from '../../core/export/evaluationExport';
import type { DataTable } from '../../core/export/table';
import type { EvaluationViewState } from '../../protocol/evaluation';

/** The first model's parts, then the overlay's when there is one. */
function models(s: EvaluationViewState) {
  const first = { modelName: s.setup.modelName, rows: s.rows, cases: s.cases, stepCurves: s.stepCurves };
  return s.overlay ? [first, { modelName: s.overlay.modelName, rows: s.overlay.rows, cases: s.overlay.cases, stepCurves: s.overlay.stepCurves }] : [first];
}

export function evaluationExportTable(s: EvaluationViewState, table: string): DataTable {
  if (table === 'cases') {
    const splits = models(s).flatMap((m) => (m.cases ? [{ modelName: m.modelName, title: m.cases.title, rows: m.cases.rows }] : []));
    if (splits.length === 0) throw new Error(`${s.setup.taskTitle} has no case split to export.`);
    return evaluationCaseTables(splits);
  }
  if (table === 'steps') {
    const curves = models(s).flatMap((m) => (m.stepCurves && m.stepCurves.length > 0 ? [{ modelName: m.modelName, curves: m.stepCurves }] : []));
    if (curves.length === 0) throw new Error('No length has its accuracy at every loop step yet (an evaluation saved by an older LoopLens has none: evaluate again).');
    return evaluationStepTable(curves);
  }
  if (table === 'positions') {
    const curves = models(s).flatMap((m) => {
      const withPositions = (m.stepCurves ?? []).filter((c) => c.positions);
      return withPositions.length > 0 ? [{ modelName: m.modelName, curves: withPositions }] : [];
    });
    if (curves.length === 0) throw new Error('No length has the accuracy of each answer position at every loop step yet (an evaluation saved by an older LoopLens has none: evaluate again).');
    return evaluationPositionTable(curves);
  }
  return evaluationTable(models(s));
}
