// The Training panel's state as a pure function of the worker's messages (no vscode import, so
// unit tests drive it with recorded or real worker output). The host owns one state per run and
// sends it whole to the webview.
import * as path from 'node:path';
import { recipeSetup } from './trainPlan';
import type { WorkerOutbound } from '../../core/train/workerProtocol';
import { describeExit, type ChildExit } from '../workers/childWorker';
import { TRAINING_PROTOCOL, type SavedStepView, type TrainingErrorView, type TrainingSetup, type TrainingViewState } from '../../protocol/training';
import { exportPathFor, forkPathFor } from '../../core/train/exportCheckpoint';

/** A fresh run, or a resume of `previous` (whose curves stay, cut back to the checkpoint). */
export function initialTrainingState(setup: TrainingSetup, previous?: TrainingViewState): TrainingViewState {
  const resumeStep = previous?.checkpoint?.step ?? null;
  return {
    protocol: TRAINING_PROTOCOL,
    setup,
    status: 'starting',
    phase: 'starting',
    progress: previous?.progress && resumeStep !== null ? { ...previous.progress, step: resumeStep, etaSeconds: null } : null,
    history: previous && resumeStep !== null ? previous.history.filter((h) => h.step <= resumeStep) : [],
    evals: previous && resumeStep !== null ? previous.evals.filter((e) => e.step <= resumeStep) : [],
    checkpoint: previous?.checkpoint ?? null,
    // the steps kept before the checkpoint a resume continues from (later ones are kept again)
    ...(previous?.saved && resumeStep !== null ? { saved: previous.saved.filter((k) => k.step <= resumeStep) } : {}),
    finalEval: null,
    result: null,
    error: null,
    resumedFrom: resumeStep,
    hint: null,
    actions: { cancel: true, resume: false, openModel: false },
  };
}

/** The files the run keeps at `step` (trainer.ts saveAt), by name: the weights as a model and the checkpoint, beside the run's checkpoint. */
export function savedStepView(checkpointPath: string, step: number): SavedStepView {
  return { step, model: path.basename(exportPathFor(checkpointPath, step)), checkpoint: path.basename(forkPathFor(checkpointPath, step)) };
}

const finiteOrNull = (v: number | null | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function resumeHint(s: TrainingViewState): string {
  return s.checkpoint
    ? `Nothing is lost: the checkpoint ${s.checkpoint.path} holds step ${s.checkpoint.step}. Press Resume here, or run "LoopLens: Train Looped Model" again with the same output file and choose Resume.`
    : 'No checkpoint was written yet, so the run has to start again.';
}

function stopped(s: TrainingViewState, error: TrainingErrorView | null, status: 'cancelled' | 'failed', hint: string | null): TrainingViewState {
  const resumable = status === 'cancelled' || (error !== null && error.kind !== 'diverged' && error.kind !== 'bad-request');
  return { ...s, status, phase: 'done', error, hint, actions: { cancel: false, resume: resumable && s.checkpoint !== null, openModel: false } };
}

const ERROR_TITLES: Record<TrainingErrorView['kind'], string> = {
  diverged: 'Training diverged: the loss became NaN or infinite',
  killed: 'The training process stopped unexpectedly',
  'bad-request': 'The training request was refused',
  checkpoint: 'The checkpoint could not be read or written',
  model: 'The model file could not be written',
  internal: 'Training failed',
};

/** The state after one message from the training worker. */
export function applyWorkerMessage(s: TrainingViewState, m: WorkerOutbound): TrainingViewState {
  const running = s.status === 'cancelling' ? 'cancelling' : 'running';
  switch (m.type) {
    case 'start': {
      // A resumed run continues from its checkpoint: curves recorded after it are dropped.
      const cut = (step: number) => step <= m.step;
      const r = m.recipe;
      return {
        ...s,
        // The recipe actually running (a resume runs the checkpoint's).
        setup: { ...s.setup, ...recipeSetup(r) },
        status: running,
        phase: 'starting',
        resumedFrom: m.resumed ? m.step : s.resumedFrom,
        history: s.history.filter((h) => cut(h.step)),
        evals: s.evals.filter((e) => cut(e.step)),
      };
    }
    case 'phase':
      return { ...s, status: running, phase: m.phase };
    case 'progress':
      return {
        ...s,
        status: running,
        progress: {
          step: m.step,
          totalSteps: m.totalSteps,
          loss: finiteOrNull(m.loss),
          gradNorm: finiteOrNull(m.gradNorm),
          lr: m.lr,
          nPoints: m.nPoints,
          msPerStep: m.msPerStep,
          etaSeconds: finiteOrNull(m.etaSeconds),
          elapsedSeconds: m.elapsedSeconds,
        },
      };
    case 'history': {
      const e = m.entry;
      return { ...s, history: [...s.history, { step: e.step, loss: finiteOrNull(e.loss), gradNorm: finiteOrNull(e.gradNorm), lr: e.lr, nPoints: e.nPoints }] };
    }
    case 'eval':
      return { ...s, evals: [...s.evals, { step: m.entry.step, rows: m.entry.rows.map((r) => ({ ...r })), ...(m.entry.branch ? { branch: { index: m.entry.branch.index, rows: m.entry.branch.rows.map((r) => ({ ...r })) } } : {}) }] };
    case 'checkpoint':
      return { ...s, checkpoint: { step: m.step, path: m.path } };
    case 'saved':
      return { ...s, saved: [...(s.saved ?? []).filter((k) => k.step !== m.step), savedStepView(s.setup.checkpointPath, m.step)] };
    case 'done':
      if (m.status === 'cancelled') return s; // the 'result' that follows says so
      return { ...s, phase: s.setup.finalEval ? 'final-eval' : 'saving' };
    case 'evalProgress':
      return { ...s, phase: 'final-eval', finalEval: { done: m.done, total: m.total, length: m.length } };
    case 'result': {
      // progress events are throttled: the result has the step the run really reached
      const progress = s.progress ? { ...s.progress, step: m.step, etaSeconds: null } : s.progress;
      if (m.status === 'cancelled') {
        const c = { ...s, progress, checkpoint: m.checkpointPath ? { step: m.step, path: m.checkpointPath } : s.checkpoint };
        return stopped(c, null, 'cancelled', `Stopped at step ${m.step} of ${s.setup.steps}. ${resumeHint(c)}`);
      }
      return {
        ...s,
        progress,
        status: 'finished',
        phase: 'done',
        finalEval: null,
        result: {
          step: m.step,
          elapsedSeconds: m.elapsedSeconds,
          cpuSeconds: m.cpuSeconds ?? null,
          finalLoss: finiteOrNull(m.finalLoss),
          modelPath: m.modelPath ?? s.setup.modelPath,
          modelBytes: m.modelBytes ?? 0,
          evaluation: m.evaluation ? { examplesPerLength: m.evaluation.examplesPerLength, perExampleRule: m.evaluation.perExampleRule, rows: m.evaluation.rows } : null,
          ...(m.branches ? { branches: m.branches.map((b) => ({ index: b.index, of: b.of, file: b.modelPath === undefined ? null : path.basename(b.modelPath), rows: b.evaluation?.rows ?? null })) } : {}),
        },
        hint: null,
        actions: { cancel: false, resume: false, openModel: Boolean(m.modelPath) },
      };
    }
    case 'error': {
      const c = m.checkpointPath && m.step !== undefined && m.kind !== 'diverged' ? { ...s, checkpoint: { step: m.step, path: m.checkpointPath } } : s;
      const error: TrainingErrorView = { kind: m.kind, title: ERROR_TITLES[m.kind], message: m.message };
      const hint =
        m.kind === 'diverged'
          ? 'Resuming would repeat the same steps. Start a new run with a lower learning rate or another seed.'
          : m.kind === 'bad-request'
            ? null
            : resumeHint(c);
      return stopped(c, error, 'failed', hint);
    }
    default:
      return s;
  }
}

/**
 * The state once the worker process has exited: an exit without a result is an error (with the
 * worker's last output, if any). `protocolError` is the message the worker broke the protocol with
 * (ChildWorker.protocolError), which stopped the run: it is the error, named as such.
 */
export function applyWorkerExit(s: TrainingViewState, exit: ChildExit, lastOutput: readonly string[] = [], protocolError?: string): TrainingViewState {
  if (s.status === 'finished' || s.status === 'cancelled' || s.status === 'failed') return s;
  const at = s.progress ? ` at step ${s.progress.step} of ${s.setup.steps}` : '';
  if (protocolError !== undefined) {
    const error: TrainingErrorView = { kind: 'internal', title: ERROR_TITLES.internal, message: `${protocolError}. The training worker was stopped without a result (${describeExit(exit)})${at}.` };
    return stopped(s, error, 'failed', resumeHint(s));
  }
  // Cancelled before training began: the worker stops at once (exit 0) and the checkpoint is as it was.
  if (s.status === 'cancelling' && exit.code === 0) return stopped(s, null, 'cancelled', `Stopped before training began. ${resumeHint(s)}`);
  const said = lastOutput.length > 0 ? ` Its last output: ${lastOutput.join(' ⏎ ').slice(-600)}` : '';
  const error: TrainingErrorView = { kind: 'killed', title: ERROR_TITLES.killed, message: `The training worker ended without a result (${describeExit(exit)})${at}.${said}` };
  return stopped(s, error, 'failed', resumeHint(s));
}

/** The user pressed Cancel: the worker checkpoints, then reports 'cancelled'. */
export function markCancelling(s: TrainingViewState): TrainingViewState {
  if (s.status !== 'running' && s.status !== 'starting') return s;
  return { ...s, status: 'cancelling', actions: { ...s.actions, cancel: false } };
}

/** One line for a progress notification, e.g. "step 120/6000 · loss 0.431 · n ≤ 3 · 2m 10s left". */
export function progressLine(s: TrainingViewState): string {
  if (s.status === 'cancelling') return 'stopping: writing the checkpoint…';
  if (s.phase === 'compiling') return 'compiling the training graph…';
  if (s.phase === 'saving') return 'saving the model file…';
  if (s.phase === 'final-eval') return s.finalEval ? `final evaluation: length ${s.finalEval.length} (${s.finalEval.done}/${s.finalEval.total} batches)` : 'final evaluation…';
  const p = s.progress;
  if (!p) return 'starting…';
  const parts = [`step ${p.step}/${p.totalSteps}`];
  if (p.loss !== null) parts.push(`loss ${p.loss.toPrecision(3)}`);
  parts.push(`lengths ≤ ${p.nPoints - 1}`);
  if (p.etaSeconds !== null) parts.push(`${formatDuration(p.etaSeconds)} left`);
  if (s.phase === 'evaluating') parts.push('quick evaluation…');
  return parts.join(' · ');
}

/** 75 → "1m 15s", 4000 → "1h 6m". */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m ${s % 60}s`;
  const h = Math.floor(s / 3600);
  if (h < 48) return `${h}h ${Math.floor((s % 3600) / 60)}m`;
  return `${Math.round(h / 24)} days`;
}
