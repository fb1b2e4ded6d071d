// The Evaluation panel's state as a pure function of the evaluation worker's messages (no vscode
// import; unit-tested).
import { CALIBRATION_EXAMPLES } from '../../core/eval/calibration';
import type { LoadedModel } from '../../core/model/modelFile';
import { EVALUATION_PROTOCOL, type EvaluationSetup, type EvaluationViewState } from '../../protocol/evaluation';
import { describeExit, type ChildExit } from '../workers/childWorker';
import { maxTrainLengthOf } from './evalDefaults';
import type { EvalWorkerOutbound } from './evalWorkerProtocol';
import * as path from 'node:path';

export function evaluationSetupOf(m: LoadedModel, o: { lengths: number[]; examples: number; batchSize: number; seed: number }): EvaluationSetup {
  const t = m.metadata.training;
  const recipe = t.recipe as { curriculum?: { end: number } };
  return {
    modelPath: m.source,
    modelName: path.basename(m.source),
    task: m.task.name,
    taskTitle: m.task.title,
    model: { d: m.config.d, layers: m.config.layers, heads: m.config.heads },
    trainedWith: `${t.stepsCompleted.toLocaleString('en-US')} steps, ${t.preset} preset`,
    maxTrainLength: maxTrainLengthOf(recipe.curriculum, m.task),
    lengthLabel: m.task.lengthNames.length === 2 ? `${m.task.lengthNames[1]} (${m.task.lengthNames[0]} = 2)` : m.task.lengthNames[0]!,
    oracleRule: m.metadata.stepsRule.oracle,
    lengths: [...o.lengths],
    examples: o.examples,
    batchSize: o.batchSize,
    seed: o.seed,
    extraSteps: m.task.adaptiveExtraSteps,
    // what evalWorker.ts calibrates with
    calibrationExamples: CALIBRATION_EXAMPLES,
  };
}

export function initialEvaluationState(setup: EvaluationSetup): EvaluationViewState {
  return { protocol: EVALUATION_PROTOCOL, setup, status: 'running', progress: null, rows: [], perExampleRule: null, seconds: null, error: null };
}

export function applyEvalMessage(s: EvaluationViewState, m: EvalWorkerOutbound): EvaluationViewState {
  switch (m.type) {
    case 'progress':
      return { ...s, progress: { done: m.done, total: m.total, length: m.length } };
    case 'row':
      return { ...s, rows: [...s.rows.filter((r) => r.length !== m.row.length), m.row].sort((a, b) => a.length - b.length) };
    case 'result':
      return { ...s, status: 'finished', rows: [...m.rows].sort((a, b) => a.length - b.length), perExampleRule: m.perExampleRule, seconds: m.seconds, progress: null };
    case 'cancelled':
      return { ...s, status: 'cancelled', progress: null };
    case 'error':
      return { ...s, status: 'failed', error: m.message, progress: null };
    default:
      return s;
  }
}

export function applyEvalExit(s: EvaluationViewState, exit: ChildExit): EvaluationViewState {
  if (s.status !== 'running') return s;
  return { ...s, status: 'failed', error: `The evaluation process ended without a result (${describeExit(exit)}).`, progress: null };
}
