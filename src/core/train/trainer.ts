// The paper's training algorithm (paper.md "Training") as a plain-Node loop, free of vscode so it
// runs in tests, the CLI and a worker process:
//   every step: n_points from the curriculum, a FRESH random mixed-length batch from a seeded Rng,
//   each example read at its own T(n_i), masked cross-entropy, AdamW with clipping at 1.0 (one
//   ONNX training-step graph, src/core/train/trainStep.ts), lr constant then cosine.
// It reports progress through events, writes atomic checkpoints every N steps and at the end,
// resumes exactly (parameters, AdamW moments, step, data Rng state, history), stops cleanly on an
// AbortSignal (checkpoint written, nothing lost) and refuses NaN/Inf losses with a clear error
// (the last good state is kept in the checkpoint).
import * as fs from 'node:fs';
import { evaluateParams, ORACLE, PER_BATCH } from '../infer/evaluate';
import type { ExecutionProviderSetting } from '../infer/executionProvider';
import { initParams, paramSpecs, type Params } from '../model/params';
import { resolveTask } from '../tasks/resolve';
import type { Task } from '../tasks/types';
import { Rng } from '../util/rng';
import { makeTrainingBatch } from './batches';
import { readCheckpoint, writeCheckpoint, CheckpointError, type CheckpointState, type TensorData } from './checkpoint';
import { nPointsAt } from './curriculum';
import { batchShape, lrAt, validateRecipe, RecipeError, type TrainRecipe } from './recipe';
import { NonFiniteLossError, TrainStepRunner, type OptimizerState } from './trainStep';

export const CHECKPOINT_KIND = 'looplens-train';

/** One logged window of training steps (means over the window). */
export interface TrainPoint {
  kind: 'train';
  /** Steps completed at the end of the window. */
  step: number;
  loss: number;
  gradNorm: number;
  lr: number;
  nPoints: number;
  msPerStep: number;
}

/** A quick evaluation during training (accuracies in [0, 1]). */
export interface QuickEvalPoint {
  kind: 'eval';
  step: number;
  rows: { length: number; examples: number; oracle: number; perBatch: number; perBatchStep: number }[];
}

export type HistoryEntry = TrainPoint | QuickEvalPoint;

export type TrainEvent =
  | { type: 'start'; recipe: TrainRecipe; step: number; resumed: boolean; checkpointPath?: string }
  | { type: 'phase'; phase: 'compiling' | 'training' | 'evaluating' | 'checkpointing'; step: number }
  | { type: 'progress'; step: number; totalSteps: number; loss: number; gradNorm: number; lr: number; nPoints: number; msPerStep: number; etaSeconds: number; elapsedSeconds: number }
  | { type: 'history'; entry: TrainPoint }
  | { type: 'eval'; entry: QuickEvalPoint }
  | { type: 'checkpoint'; step: number; path: string }
  | { type: 'done'; status: 'finished' | 'cancelled'; step: number; elapsedSeconds: number; finalLoss: number | null; checkpointPath?: string };

export interface QuickEvalSettings {
  /** Evaluate every this many steps (and at the end). */
  every: number;
  lengths: number[];
  examples: number;
}

export interface TrainerOptions {
  /** The recipe of a new run. When resuming it may be omitted; if given, only its `steps` may differ from the checkpoint's. */
  recipe?: TrainRecipe;
  /** Checkpoint file (written atomically). Without it the run keeps no checkpoint and cannot be resumed. */
  checkpointPath?: string;
  /** Steps between checkpoints (default 500). A checkpoint is always written at the end and on cancel. */
  checkpointEvery?: number;
  /** Continue from checkpointPath (it must exist). */
  resume?: boolean;
  /** Steps per history point (default 10). */
  historyEvery?: number;
  provider?: ExecutionProviderSetting;
  cpuThreads?: number;
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  /** Optional periodic evaluation (oracle + per-batch rule) with the current parameters. */
  quickEval?: QuickEvalSettings;
  log?: (message: string) => void;
}

export interface TrainResult {
  status: 'finished' | 'cancelled';
  /** Steps completed. */
  step: number;
  recipe: TrainRecipe;
  params: Params;
  history: HistoryEntry[];
  /** Training wall time summed over resumed sessions. */
  elapsedSeconds: number;
  /** Mean loss of the last logged window (null before any step). */
  finalLoss: number | null;
  provider: string;
  checkpointPath?: string;
}

/** The loss went NaN/Inf. The checkpoint (if any) holds the last good state, just before the failing step. */
export class TrainingDivergedError extends Error {
  constructor(
    message: string,
    readonly step: number,
    readonly checkpointPath?: string,
  ) {
    super(message);
    this.name = 'TrainingDivergedError';
  }
}

interface Window {
  n: number;
  loss: number;
  gradNorm: number;
  ms: number;
}

interface RunState {
  recipe: TrainRecipe;
  opt: OptimizerState;
  rng: Rng;
  history: HistoryEntry[];
  window: Window;
  elapsedMs: number;
}

const emptyWindow = (): Window => ({ n: 0, loss: 0, gradNorm: 0, ms: 0 });

/** Mean loss of the steps not yet logged, else of the last logged window (null before any step). */
function lastLoss(st: Pick<RunState, 'window' | 'history'>): number | null {
  if (st.window.n > 0) return st.window.loss / st.window.n;
  const last = [...st.history].reverse().find((h): h is TrainPoint => h.kind === 'train');
  return last ? last.loss : null;
}

/** Trains per `recipe` (or resumes); resolves when finished or cancelled. */
export async function train(options: TrainerOptions): Promise<TrainResult> {
  const emit = options.onEvent ?? (() => undefined);
  const st = options.resume ? await resumeState(options) : freshState(options);
  const { recipe } = st;
  const task = resolveTask(recipe);
  const ckptEvery = options.checkpointEvery ?? 500;
  const histEvery = options.historyEvery ?? 10;
  for (const [k, v] of Object.entries({ checkpointEvery: ckptEvery, historyEvery: histEvery })) {
    if (!Number.isInteger(v) || v < 1) throw new RecipeError(`${k} must be a positive integer, got ${v}`);
  }
  const runner = TrainStepRunner.create(recipe.model, st.opt, { provider: options.provider ?? 'cpu', cpuThreads: options.cpuThreads, optimizer: recipe.optimizer, log: options.log });
  const sessionStart = Date.now();
  const elapsedMs = () => st.elapsedMs + (Date.now() - sessionStart);
  let lastCheckpoint = st.opt.step;

  const checkpoint = async (rngState = st.rng.getState()): Promise<void> => {
    if (!options.checkpointPath) return;
    emit({ type: 'phase', phase: 'checkpointing', step: runner.stepCount });
    await writeCheckpoint(options.checkpointPath, toCheckpoint(recipe, runner.getState(), rngState, st.history, st.window, elapsedMs()));
    lastCheckpoint = runner.stepCount;
    emit({ type: 'checkpoint', step: runner.stepCount, path: options.checkpointPath });
  };
  const result = (status: TrainResult['status']): TrainResult => ({
    status,
    step: runner.stepCount,
    recipe,
    params: runner.params,
    history: st.history,
    elapsedSeconds: elapsedMs() / 1000,
    finalLoss: lastLoss(st),
    provider: runner.provider ?? options.provider ?? 'cpu',
    checkpointPath: options.checkpointPath,
  });

  emit({ type: 'start', recipe, step: runner.stepCount, resumed: options.resume === true, checkpointPath: options.checkpointPath });
  try {
    let compiledShape = '';
    const eta = new EtaEstimator(task, recipe);
    while (runner.stepCount < recipe.steps) {
      if (options.signal?.aborted) {
        await checkpoint();
        emit({ type: 'done', status: 'cancelled', step: runner.stepCount, elapsedSeconds: elapsedMs() / 1000, finalLoss: lastLoss(st), checkpointPath: options.checkpointPath });
        return result('cancelled');
      }
      const step = runner.stepCount; // 0-based index of this update
      const nPoints = nPointsAt(recipe.curriculum, step);
      const rngBefore = st.rng.getState();
      const shape = batchShape(recipe, nPoints);
      const shapeKey = `${shape.width}x${shape.horizon}`;
      if (shapeKey !== compiledShape) {
        // A new row width (widthMode 'curriculum'): compile outside the step timing.
        emit({ type: 'phase', phase: 'compiling', step });
        await runner.prepare(recipe.batchSize, shape.width, shape.horizon);
        compiledShape = shapeKey;
        emit({ type: 'phase', phase: 'training', step });
      }
      const batch = makeTrainingBatch(task, st.rng, { batchSize: recipe.batchSize, nPoints, width: shape.width });
      batch.horizon = shape.horizon; // any horizon >= max T(n_i) gives the same update (recipe.ts)
      const lr = lrAt(recipe, step);
      const t0 = performance.now();
      let r;
      try {
        r = await runner.step(batch, lr);
      } catch (err) {
        if (!(err instanceof NonFiniteLossError)) throw err;
        await checkpoint(rngBefore); // the state before the failing step, so nothing good is lost
        const where = options.checkpointPath ? ` The last good state (step ${runner.stepCount}) is in ${options.checkpointPath}.` : '';
        throw new TrainingDivergedError(
          `training diverged at step ${err.step}: loss ${err.loss}, gradient norm ${err.gradNorm} (lr ${lr.toExponential(2)}, n_points ${nPoints}).${where} Try a lower learning rate (--lr) or another seed.`,
          err.step,
          options.checkpointPath,
        );
      }
      const ms = performance.now() - t0;
      eta.observe(step, ms);
      const w = st.window;
      w.n++;
      w.loss += r.loss;
      w.gradNorm += r.gradNorm;
      w.ms += ms;
      emit({
        type: 'progress',
        step: r.step,
        totalSteps: recipe.steps,
        loss: r.loss,
        gradNorm: r.gradNorm,
        lr,
        nPoints,
        msPerStep: eta.msPerStep(nPoints),
        etaSeconds: eta.remainingSeconds(r.step),
        elapsedSeconds: elapsedMs() / 1000,
      });
      if (r.step % histEvery === 0 || r.step === recipe.steps) {
        const entry: TrainPoint = { kind: 'train', step: r.step, loss: w.loss / w.n, gradNorm: w.gradNorm / w.n, lr, nPoints, msPerStep: w.ms / w.n };
        st.history.push(entry);
        st.window = emptyWindow();
        emit({ type: 'history', entry });
      }
      const qe = options.quickEval;
      if (qe && (r.step % qe.every === 0 || r.step === recipe.steps)) {
        emit({ type: 'phase', phase: 'evaluating', step: r.step });
        const entry = await quickEvaluate(task, recipe, runner.params, r.step, qe, options);
        st.history.push(entry);
        emit({ type: 'eval', entry });
        emit({ type: 'phase', phase: 'training', step: r.step });
      }
      if (r.step % ckptEvery === 0 && r.step < recipe.steps) await checkpoint();
    }
    if (lastCheckpoint !== runner.stepCount || (options.checkpointPath && !fs.existsSync(options.checkpointPath))) await checkpoint();
    emit({ type: 'done', status: 'finished', step: runner.stepCount, elapsedSeconds: elapsedMs() / 1000, finalLoss: lastLoss(st), checkpointPath: options.checkpointPath });
    return result('finished');
  } finally {
    await runner.release();
  }
}

async function quickEvaluate(task: Task, recipe: TrainRecipe, params: Params, step: number, qe: QuickEvalSettings, o: TrainerOptions): Promise<QuickEvalPoint> {
  const { report } = await evaluateParams(task, recipe.model, params, {
    lengths: qe.lengths,
    examples: qe.examples,
    batchSize: Math.min(qe.examples, 128),
    seed: 99,
    rules: [ORACLE, PER_BATCH],
    provider: o.provider ?? 'cpu',
    cpuThreads: o.cpuThreads,
  });
  return {
    kind: 'eval',
    step,
    rows: qe.lengths.map((n) => ({
      length: n,
      examples: qe.examples,
      oracle: report.accuracy(n, ORACLE) ?? 0,
      perBatch: report.accuracy(n, PER_BATCH) ?? 0,
      perBatchStep: report.meanStep(n, PER_BATCH) ?? 0,
    })),
  };
}

/** Seeds: one root Rng per recipe seed; the initialisation and the data stream get independent forks. */
export function seededStreams(seed: number): { init: Rng; data: Rng } {
  const root = new Rng(seed);
  return { init: root.fork(), data: root.fork() };
}

function freshState(o: TrainerOptions): RunState {
  if (!o.recipe) throw new RecipeError('a new training run needs a recipe');
  const recipe = validateRecipe(o.recipe);
  const { init, data } = seededStreams(recipe.seed);
  const params = initParams(recipe.model, () => init.float());
  return { recipe, opt: { step: 0, params, m: zeros(params), v: zeros(params) }, rng: data, history: [], window: emptyWindow(), elapsedMs: 0 };
}

function zeros(p: Params): Params {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, new Float32Array(v.length)]));
}

async function resumeState(o: TrainerOptions): Promise<RunState> {
  if (!o.checkpointPath) throw new RecipeError('resuming needs a checkpoint path');
  const ck = await readCheckpoint(o.checkpointPath);
  const cfg = ck.config as { kind?: string; recipe?: TrainRecipe };
  if (cfg?.kind !== CHECKPOINT_KIND || !cfg.recipe) throw new CheckpointError(`${o.checkpointPath} is not a LoopLens training checkpoint`);
  let recipe = validateRecipe(cfg.recipe);
  if (o.recipe) {
    const diff = recipeDifferences(recipe, o.recipe).filter((k) => k !== 'steps');
    if (diff.length > 0) {
      throw new RecipeError(`cannot resume ${o.checkpointPath}: it was trained with a different ${diff.join(', ')} (${diff.map((k) => `${JSON.stringify((recipe as unknown as Record<string, unknown>)[k])} vs ${JSON.stringify((o.recipe as unknown as Record<string, unknown>)[k])}`).join('; ')}). Only --steps may change when resuming.`);
    }
    recipe = validateRecipe({ ...recipe, steps: o.recipe.steps });
  }
  const extra = ck.extra ?? {};
  const optimizerStep = typeof extra.optimizerStep === 'number' ? extra.optimizerStep : ck.step;
  const plain = (group: Record<string, TensorData> | undefined, what: string): Params => {
    if (!group) throw new CheckpointError(`${o.checkpointPath} is missing the ${what}`);
    return Object.fromEntries(Object.entries(group).map(([k, t]) => [k, t.data]));
  };
  return {
    recipe,
    opt: { step: optimizerStep, params: plain(ck.params, 'parameters'), m: plain(ck.moments.m, 'AdamW first moments'), v: plain(ck.moments.v, 'AdamW second moments') },
    rng: Rng.fromState(ck.rngState),
    history: ck.history as HistoryEntry[],
    window: (extra.window as Window | undefined) ?? emptyWindow(),
    elapsedMs: typeof extra.elapsedMs === 'number' ? extra.elapsedMs : 0,
  };
}

/**
 * What a checkpoint holds, as the result of a run stopped there: a run still going (its checkpoint
 * is replaced atomically, so it is whole whenever it is read) or one that was stopped can be saved
 * as a model and evaluated or opened without resuming it.
 */
export async function checkpointResult(checkpointPath: string): Promise<TrainResult> {
  const st = await resumeState({ checkpointPath });
  return {
    status: 'cancelled',
    step: st.opt.step,
    recipe: st.recipe,
    params: st.opt.params,
    history: st.history,
    elapsedSeconds: st.elapsedMs / 1000,
    finalLoss: lastLoss(st),
    provider: 'unrecorded', // a checkpoint does not say where its steps ran
    checkpointPath,
  };
}

/** Top-level recipe fields whose JSON differs. */
export function recipeDifferences(a: TrainRecipe, b: TrainRecipe): string[] {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].filter((k) => JSON.stringify((a as unknown as Record<string, unknown>)[k]) !== JSON.stringify((b as unknown as Record<string, unknown>)[k]));
}

function toCheckpoint(recipe: TrainRecipe, s: OptimizerState, rngState: CheckpointState['rngState'], history: HistoryEntry[], window: Window, elapsedMs: number): CheckpointState {
  const shapes = new Map(paramSpecs(recipe.model).map((p) => [p.name, p.shape]));
  const tensors = (p: Params): Record<string, TensorData> => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { shape: shapes.get(k)!, data: v }]));
  return {
    config: { kind: CHECKPOINT_KIND, recipe },
    step: s.step,
    rngState,
    curriculum: { nPoints: nPointsAt(recipe.curriculum, s.step) },
    history,
    params: tensors(s.params),
    moments: { m: tensors(s.m), v: tensors(s.v) },
    extra: { optimizerStep: s.step, window, elapsedMs, savedAt: new Date().toISOString() },
  };
}

/**
 * Remaining-time estimate. The work of a step grows with the curriculum: the graph runs each
 * example for T(n_i) iterations (~n_points/2 on average) over rows of the batch's width (which
 * grows too with widthMode 'curriculum'). Time is modelled as ms = a * width * (overhead + mean T),
 * `a` is tracked from the observed steps, and the remaining work is summed over the remaining curriculum.
 */
export class EtaEstimator {
  private msPerWork: number | undefined;
  private observed = 0;
  private readonly overhead = 2;

  constructor(
    private readonly task: Task,
    private readonly recipe: TrainRecipe,
  ) {}

  private work(nPoints: number): number {
    const meanT = (nPoints / 2) * (this.task.name === 'multiplication' ? 1.5 : 1);
    return batchShape(this.recipe, nPoints).width * (this.overhead + meanT);
  }

  observe(step: number, ms: number): void {
    this.observed++;
    // A session's first step includes ONNX Runtime's warm-up (many times a normal step at a resumed
    // run's full length), so it is left out; then a plain mean, so the estimate settles in a few
    // steps, that becomes a moving average.
    if (this.observed === 1) return;
    const rate = ms / this.work(nPointsAt(this.recipe.curriculum, step));
    const weight = Math.max(0.05, 1 / (this.observed - 1));
    this.msPerWork = this.msPerWork === undefined ? rate : (1 - weight) * this.msPerWork + weight * rate;
  }

  msPerStep(nPoints: number): number {
    return (this.msPerWork ?? 0) * this.work(nPoints);
  }

  /** Seconds for steps `done` .. recipe.steps-1. */
  remainingSeconds(done: number): number {
    if (this.msPerWork === undefined) return NaN;
    const c = this.recipe.curriculum;
    let work = 0;
    let s = done;
    while (s < this.recipe.steps) {
      const np = nPointsAt(c, s);
      const segEnd = np >= c.end ? this.recipe.steps : Math.min(this.recipe.steps, (np - c.start + 1) * c.interval);
      work += (segEnd - s) * this.work(np);
      s = segEnd;
    }
    return (work * this.msPerWork) / 1000;
  }
}
