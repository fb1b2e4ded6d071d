// Bringing a panel back after a window reload without trusting the page: the state a webview saved
// (vscode.setState) is checked for shape, types and ranges, and every file path in it is replaced
// by the host's own record of what the panel showed (the extension's workspaceState, written by the
// panel whenever the host gives it a state). Without a record there is nothing to restore: a path
// the page names is never read from, written to or opened. Pure (no vscode import): unit-tested.
import * as path from 'node:path';
import { anything, array, bool, int, isPlainObject, nullable, num, object, oneOf, optional, refine, str, ValidationError, type Check } from '../../core/util/validate';
import { LIMITS } from '../../core/util/limits';
import { MAX_BRANCHES, MAX_STAGES } from '../../core/train/stages';
import { MAX_TRAINING_STEPS } from '../../core/train/recipe';
import { branchModelPath } from '../../core/train/branches';
import { savedStepView } from '../train/trainingState';
import { caseCountsCheck, MAX_CASE_LABELS } from '../../core/eval/summaryChecks';
import { repeatedLength, stepCurvesCheck } from '../evaluate/stepCurveChecks';
import { EVALUATION_PROTOCOL, type EvaluationSetup, type EvaluationViewState } from '../../protocol/evaluation';
import type { StepperUiState } from '../../protocol/stepper';
import { TRAINING_PROTOCOL, type TrainingSetup, type TrainingViewState } from '../../protocol/training';

/** workspaceState keys of the panels' records (one panel of each kind). */
export const PANEL_RECORD_KEYS = {
  training: 'looplens.panels.training',
  evaluation: 'looplens.panels.evaluation',
  stepper: 'looplens.panels.stepper',
} as const;

/** What the host remembers of the Training panel: the setup of the run it showed (host-made). */
export interface TrainingRecord {
  setup: TrainingSetup;
}

/** What the host remembers of the Evaluation panel: its setup and the overlaid model's path. */
export interface EvaluationRecord {
  setup: EvaluationSetup;
  overlayModelPath: string | null;
}

/** What the host remembers of the stepper: the model its view came from. */
export interface StepperRecord {
  modelPath: string | null;
}

// Display-only numbers may have been NaN (saved as null); they are drawn, never computed with.
const shown = nullable(num());
const text = str({ maxLength: 100_000 });
const count = int({ min: 0 });
const plainObjects: Check<Record<string, unknown>[]> = (v, path) => {
  const out = array(anything, { maxLength: 100_000 })(v, path);
  out.forEach((x, i) => {
    if (!isPlainObject(x)) throw new ValidationError(`${path}[${i}]`, 'must be an object');
  });
  return out as Record<string, unknown>[];
};

/** The saved state, checked, paired with the host's record; null without a record (nothing to restore) or when the check fails. */
function withRecord<T, R extends { setup: unknown }>(saved: unknown, record: R | undefined, check: Check<T>, what: string): { s: T; record: R } | null {
  if (!record || !isPlainObject(record.setup)) return null;
  try {
    return { s: check(saved, what), record };
  } catch {
    return null;
  }
}

const trainingState = object({
  protocol: oneOf(TRAINING_PROTOCOL),
  status: oneOf('starting', 'running', 'cancelling', 'cancelled', 'finished', 'failed'),
  phase: oneOf('starting', 'compiling', 'training', 'evaluating', 'checkpointing', 'final-eval', 'saving', 'done'),
  progress: nullable(object({ step: count, totalSteps: count, loss: shown, gradNorm: shown, lr: shown, nPoints: shown, msPerStep: shown, etaSeconds: shown, elapsedSeconds: shown })),
  history: plainObjects,
  evals: plainObjects,
  checkpoint: nullable(object({ step: count, path: anything })),
  // a kept step's files are named again from the host's checkpoint path (restoreTrainingState)
  saved: optional(array(object({ step: count, model: anything, checkpoint: anything }), { maxLength: 10_000 })),
  finalEval: nullable(object({ done: count, total: count, length: count })),
  result: nullable(
    object({
      step: count,
      elapsedSeconds: shown,
      cpuSeconds: optional(shown),
      finalLoss: shown,
      modelPath: anything,
      modelBytes: count,
      evaluation: nullable(object({ examplesPerLength: count, perExampleRule: text, rows: plainObjects })),
      // a kept branch's file is named again from the host's model path (restoreTrainingState)
      branches: optional(array(object({ index: int({ min: 1, max: MAX_BRANCHES }), of: int({ min: 2, max: MAX_BRANCHES }), file: nullable(anything), rows: nullable(plainObjects) }), { maxLength: MAX_BRANCHES })),
    }),
  ),
  error: nullable(object({ kind: oneOf('diverged', 'killed', 'bad-request', 'checkpoint', 'model', 'internal'), title: text, message: text })),
  resumedFrom: nullable(count),
  hint: nullable(text),
  actions: object({ cancel: bool, resume: bool, openModel: bool }),
});

/**
 * The setup's texts the page draws as they are, the fixed depth its accuracy legend names, and the
 * long, hard and distinct shares and weight decay its header states, in the ranges a recipe allows (core/train/recipe.ts
 * validateRecipe) (added later: records written before them lack them, and the page then shows its
 * older wording); anything else there is refused.
 */
const trainingSetupTexts = object({
  loopText: optional(str({ maxLength: 1000 })),
  scheduleText: optional(str({ maxLength: 1000 })),
  fixedSteps: optional(int({ min: 1, max: LIMITS.steps })),
  longShare: optional(num({ min: 0, max: 1, exclusiveMax: true })),
  stageLengths: optional(array(int({ min: 1, max: LIMITS.length }), { maxLength: MAX_STAGES })),
  stageLongShares: optional(array(num({ min: 0, max: 1, exclusiveMax: true }), { maxLength: MAX_STAGES })),
  lastStageBranches: optional(int({ min: 2, max: MAX_BRANCHES })),
  keepBranches: optional(bool),
  saveAt: optional(array(int({ min: 1, max: MAX_TRAINING_STEPS }), { maxLength: 10_000 })),
  hardShare: optional(num({ min: 0, max: 1, exclusiveMax: true })),
  distinctShare: optional(num({ min: 0, max: 1, exclusiveMax: true })),
  startedFrom: optional(str({ maxLength: 1000 })),
  forkedFrom: optional(str({ maxLength: 1000 })),
  weightDecay: optional(num({ min: 0 })),
  averageText: optional(str({ maxLength: 1000 })),
});

/**
 * The Training panel's saved state with the host's setup (so its model and checkpoint paths are the
 * host's); a run that was going when the window reloaded is shown stopped. null: nothing to restore.
 */
export function restoreTrainingState(saved: unknown, record: TrainingRecord | undefined): TrainingViewState | null {
  const checked = withRecord(saved, record, trainingState, 'saved training state');
  if (!checked) return null;
  const { s, record: { setup } } = checked;
  try {
    trainingSetupTexts(setup, 'recorded training setup');
  } catch {
    return null;
  }
  const state = {
    ...(s as unknown as TrainingViewState),
    setup,
    checkpoint: s.checkpoint ? { step: s.checkpoint.step, path: setup.checkpointPath } : null,
    ...(s.saved ? { saved: s.saved.map(({ step }) => savedStepView(setup.checkpointPath, step)) } : {}),
    result: s.result ? restoredResult(s.result as unknown as NonNullable<TrainingViewState['result']>, setup.modelPath) : null,
  } satisfies TrainingViewState;
  if (state.status === 'finished' || state.status === 'failed' || state.status === 'cancelled') return state;
  return {
    ...state,
    status: 'cancelled',
    phase: 'done',
    hint: `The window was reloaded during training, which stopped the worker after it saved a checkpoint. Resume continues from the last checkpoint (${setup.checkpointPath}).`,
    actions: { cancel: false, resume: true, openModel: false },
  };
}

/** A saved run's result with the host's paths: its model's, and each kept branch's file named from it. */
function restoredResult(r: NonNullable<TrainingViewState['result']>, modelPath: string): NonNullable<TrainingViewState['result']> {
  const branches = r.branches?.map((b) => ({ ...b, file: b.file === null ? null : path.basename(branchModelPath(modelPath, b.index)) }));
  return { ...r, modelPath, ...(branches ? { branches } : {}) };
}

/**
 * A case split (Task.cases) as the host tallied it: each row's counts follow the labels, never more
 * right than examples under any rule (the adaptive rules' counts are absent in older states), checked
 * as the evaluation worker's rows are (core/eval/summaryChecks.ts).
 */
const caseText = str({ maxLength: 200 });
const evaluationCases = refine(
  object({ title: caseText, labels: array(caseText, { minLength: 1, maxLength: MAX_CASE_LABELS }), rows: array(object({ length: int({ min: 1, max: LIMITS.length }), counts: caseCountsCheck }), { maxLength: 1000 }) }),
  (c) => {
    for (const r of c.rows) {
      if (r.counts.length !== c.labels.length || r.counts.some((x, i) => x.label !== c.labels[i])) return `row of length ${r.length} does not follow the labels`;
    }
    return repeatedLength(c.rows);
  },
);

const evaluationState = object({
  protocol: oneOf(EVALUATION_PROTOCOL),
  status: oneOf('running', 'finished', 'cancelled', 'failed'),
  progress: nullable(object({ done: count, total: count, length: count, etaSeconds: optional(shown) })),
  rows: plainObjects,
  estimateSeconds: optional(shown),
  failures: optional(array(object({ length: int({ min: 1, max: LIMITS.length }), input: str({ maxLength: LIMITS.inputChars }), expected: text, predicted: text, rule: text, step: count }), { maxLength: 1000 })),
  overlay: optional(
    nullable(
      object({
        modelPath: anything,
        modelName: text,
        status: oneOf('running', 'finished', 'cancelled', 'failed'),
        rows: plainObjects,
        progress: nullable(object({ done: count, total: count, length: count })),
        error: nullable(text),
        cases: optional(nullable(evaluationCases)),
        // the overlaid model's own longest training length, a length as any other (null: unknown);
        // absent in states saved before overlays recorded it
        maxTrainLength: optional(nullable(int({ min: 1, max: LIMITS.length }))),
        stepCurves: optional(stepCurvesCheck),
      }),
    ),
  ),
  // absent in states saved before the case split existed
  cases: optional(nullable(evaluationCases)),
  // accuracy at every loop step; absent in states saved before it existed
  stepCurves: optional(stepCurvesCheck),
  perExampleRule: nullable(text),
  seconds: shown,
  error: nullable(text),
});

/** The Evaluation panel's saved state with the host's setup and overlay path; a running evaluation is shown stopped. */
export function restoreEvaluationState(saved: unknown, record: EvaluationRecord | undefined): EvaluationViewState | null {
  const checked = withRecord(saved, record, evaluationState, 'saved evaluation state');
  if (!checked) return null;
  const { s, record: { setup, overlayModelPath } } = checked;
  const overlay = s.overlay && overlayModelPath !== null ? { ...(s.overlay as unknown as NonNullable<EvaluationViewState['overlay']>), modelPath: overlayModelPath } : null;
  const state = { ...(s as unknown as EvaluationViewState), setup, overlay } satisfies EvaluationViewState;
  if (overlay && overlay.status === 'running') state.overlay = { ...overlay, status: 'cancelled', progress: null };
  return state.status === 'running' ? { ...state, status: 'cancelled', progress: null } : state;
}

const stepperUiState = object({
  step: int({ min: 0, max: LIMITS.steps }),
  layer: int({ min: 0, max: LIMITS.layers - 1 }),
  focusHead: nullable(int({ min: 0, max: LIMITS.heads - 1 })),
  origin: nullable(object({ modelPath: anything, inputText: str({ maxLength: LIMITS.inputChars }) })),
});

/** The stepper's saved UI state with the model path from the host's record (null origin without one). */
export function restoreStepperState(saved: unknown, record: StepperRecord | undefined): StepperUiState | undefined {
  if (saved === undefined || saved === null) return undefined;
  let s;
  try {
    s = stepperUiState(saved, 'saved stepper state');
  } catch {
    return undefined;
  }
  const origin = s.origin && record?.modelPath ? { modelPath: record.modelPath, inputText: s.origin.inputText } : null;
  return { ...(s as unknown as StepperUiState), origin };
}
