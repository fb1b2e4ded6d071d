// The paper's training algorithm (paper.md "Training") as a plain-Node loop, free of vscode so it
// runs in tests, the CLI and a worker process:
//   every step: n_points from the curriculum, a FRESH random mixed-length batch from a seeded Rng,
//   each example read at its own T(n_i), masked cross-entropy, AdamW with clipping at 1.0 (one
//   ONNX training-step graph, src/core/train/trainStep.ts), lr constant then cosine.
// It reports progress through events, writes atomic checkpoints every N steps and at the end,
// resumes exactly (parameters, AdamW moments, step, data Rng state, history), stops cleanly on an
// AbortSignal (checkpoint written, nothing lost) and refuses NaN/Inf losses with a clear error
// (the last good state is kept in the checkpoint).
import type { DataParallelOptions } from './dataParallel';
import * as fs from 'node:fs';
import { basename, isAbsolute, relative, resolve, sep } from 'node:path';
import type { ExecutionProviderSetting } from '../infer/executionProvider';
import { adamStepOf, startsStage } from './stages';
import { batchKindAt, kindShape, makeRecipeBatch } from './recipeBatch';
import { EtaEstimator } from './eta';
import { quickEvaluate, type QuickEvalSettings } from './quickEval';
import { lrAt, recipeTask, validateRecipe, RecipeError, type TrainRecipe } from './recipe';
import { cpuMsSoFar, emptyWindow, freshRunState, lastLoss, secondsOf, type RunState } from './runState';
import type { TrainEvent, TrainPoint, TrainResult } from './trainEvents';
import { DEFAULT_CHECKPOINT_EVERY, readRunState, writeRunState } from './trainingCheckpoint';
import { NonFiniteLossError, TrainStepRunner } from './trainStep';
import { checkTrainingResources } from './trainLimits';
import { atomicWriteFile, cleanStaleTempFiles } from '../util/atomicWrite';
import { exportPathFor, exportRun, forkPathFor } from './exportCheckpoint';
import { startWeightsCrc32s } from './fineTune';
import { checkParams, type Params } from '../model/params';
import { addToAverage, averagesAt, savedWeights } from './weightAverage';
import { branchAt, branchDataStream, copyAverage, eachBranchWeights, firstBranch, nextBranch, weightsToSave } from './branches';

export interface TrainerOptions {
  /** The recipe of a new run. When resuming it may be omitted; if given, it may differ from the checkpoint's only as recipeDiff.ts resumedRecipe allows (its steps, mostly). */
  recipe?: TrainRecipe;
  /** Checkpoint file (written atomically). Without it the run keeps no checkpoint and cannot be resumed. */
  checkpointPath?: string;
  /** Steps between checkpoints (default DEFAULT_CHECKPOINT_EVERY). A checkpoint is always written at the end and on cancel. */
  checkpointEvery?: number;
  /**
   * Steps (before the last) whose weights are also saved as model files beside the checkpoint
   * (exportCheckpoint.ts exportPathFor), with a copy of the checkpoint there (forkPathFor), so that a
   * probe can start from a stage boundary without stopping the run, and a run can go on from it with
   * other later stages (resumeFrom). Needs checkpointPath; steps a resumed run has passed are skipped.
   * Kept in the checkpoint: a run resumed without them still saves the steps ahead of it.
   */
  saveAt?: readonly number[];
  /** Continue from checkpointPath (it must exist), or from resumeFrom when given. */
  resume?: boolean;
  /** A resumed run's state is read from this checkpoint instead, which it leaves as it is: it writes its own to checkpointPath (a fork). */
  resumeFrom?: string;
  /** A new fine-tuning run's starting weights: required exactly when the recipe has initFrom, and must match its CRC-32. */
  initParams?: Params;
  /** Steps per history point (default 10). */
  historyEvery?: number;
  provider?: ExecutionProviderSetting;
  cpuThreads?: number;
  /** Cut each batch into shares trained on one-thread worker sessions at once (dataParallel.ts). */
  dataParallel?: DataParallelOptions;
  signal?: AbortSignal;
  onEvent?: (e: TrainEvent) => void;
  /** Optional periodic evaluation (oracle + per-batch rule) with the current parameters. */
  quickEval?: QuickEvalSettings;
  /** A run whose last stage runs as branches: its result gives each branch's own weights (to save as models, trainJob.ts). Recorded in the checkpoint, so a resumed run keeps it whether or not it is given again. */
  keepBranches?: boolean;
  log?: (message: string) => void;
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

/** Trains per `recipe` (or resumes); resolves when finished or cancelled. */
export async function train(options: TrainerOptions): Promise<TrainResult> {
  const emit = options.onEvent ?? (() => undefined);
  const st = await initialState(options);
  const { recipe } = st;
  const task = recipeTask(recipe); // read at a fixed depth when the recipe has one
  const ckptEvery = options.checkpointEvery ?? DEFAULT_CHECKPOINT_EVERY;
  const histEvery = options.historyEvery ?? 10;
  for (const [k, v] of Object.entries({ checkpointEvery: ckptEvery, historyEvery: histEvery })) {
    if (!Number.isInteger(v) || v < 1) throw new RecipeError(`${k} must be a positive integer, got ${v}`);
  }
  for (const s of options.saveAt ?? []) {
    if (!Number.isSafeInteger(s) || s < 1 || s >= recipe.steps) throw new RecipeError(`a step to save the weights at must be a whole number from 1 to ${recipe.steps - 1} (the last step saves the model), got ${s}`);
  }
  // given now, or kept by the checkpoint it resumes (a shortened run's last step saves the model anyway)
  const saveAt = new Set((st.saveAt ?? []).filter((s) => s < recipe.steps));
  if (saveAt.size > 0 && !options.checkpointPath) throw new RecipeError('saving the weights at a step needs a checkpoint file: they are saved beside it');
  const runner = TrainStepRunner.create(recipe.model, st.opt, { provider: options.provider ?? 'cpu', cpuThreads: options.cpuThreads, dataParallel: options.dataParallel, optimizer: recipe.optimizer, log: options.log });
  const sessionStart = Date.now();
  const sessionCpu = process.cpuUsage();
  const elapsedMs = () => st.elapsedMs + (Date.now() - sessionStart);
  const cpuMs = () => cpuMsSoFar(st.cpuMs, sessionCpu);
  let lastCheckpoint = st.opt.step;

  const checkpoint = async (rngState = st.rng.getState()): Promise<void> => {
    if (!options.checkpointPath) return;
    emit({ type: 'phase', phase: 'checkpointing', step: runner.stepCount });
    await writeRunState(options.checkpointPath, { ...st, opt: runner.getState(), rngState, elapsedMs: elapsedMs(), cpuMs: cpuMs() });
    lastCheckpoint = runner.stepCount;
    emit({ type: 'checkpoint', step: runner.stepCount, path: options.checkpointPath });
  };
  const result = (status: TrainResult['status']): TrainResult => ({
    status,
    step: runner.stepCount,
    recipe,
    params: weightsToSave(runner.params, st.average, st.branches),
    ...(status === 'finished' && st.keepBranches && st.branches ? { branches: eachBranchWeights(runner.params, st.average, st.branches) } : {}),
    history: st.history,
    elapsedSeconds: elapsedMs() / 1000,
    cpuSeconds: secondsOf(cpuMs()),
    finalLoss: lastLoss(st),
    provider: runner.provider ?? options.provider ?? 'cpu',
    checkpointPath: options.checkpointPath,
    ...(st.forks ? { forks: st.forks } : {}),
  });

  const forkedFrom = options.resume && options.resumeFrom !== undefined ? { forkedFrom: options.resumeFrom } : {};
  emit({ type: 'start', recipe, step: runner.stepCount, resumed: options.resume === true, checkpointPath: options.checkpointPath, ...forkedFrom });
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
      const branch = branchAt(recipe, step);
      if (branch !== undefined && st.branches?.branch !== branch) enterBranch(st, runner, branch);
      const kind = batchKindAt(recipe, step);
      const rngBefore = st.rng.getState();
      const shape = kindShape(recipe, kind);
      const shapeKey = `${shape.width}x${shape.horizon}`;
      if (shapeKey !== compiledShape) {
        // A new row width (widthMode 'curriculum'): compile outside the step timing.
        emit({ type: 'phase', phase: 'compiling', step });
        await runner.prepareFor(recipe.batchSize, shape.width, shape.horizon);
        compiledShape = shapeKey;
        emit({ type: 'phase', phase: 'training', step });
      }
      const batch = makeRecipeBatch(task, recipe, st.rng, kind);
      const lr = lrAt(recipe, step);
      if (startsStage(recipe, step)) runner.resetMoments(); // a stage starts as a fine-tuning run would
      const t0 = performance.now();
      let r;
      try {
        r = await runner.step(batch, lr, adamStepOf(recipe, step));
      } catch (err) {
        if (!(err instanceof NonFiniteLossError)) throw err;
        await checkpoint(rngBefore); // the state before the failing step, so nothing good is lost
        const where = options.checkpointPath ? ` The last good state (step ${runner.stepCount}) is in ${options.checkpointPath}.` : '';
        throw new TrainingDivergedError(
          `training diverged at step ${err.step}: loss ${err.loss}, gradient norm ${err.gradNorm} (lr ${lr.toExponential(2)}, n_points ${kind.nPoints}).${where} Try a lower learning rate (--lr) or another seed.`,
          err.step,
          options.checkpointPath,
        );
      }
      const ms = performance.now() - t0;
      if (averagesAt(recipe, step)) st.average = addToAverage(st.average, runner.params);
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
        nPoints: kind.nPoints,
        msPerStep: eta.msPerStep(step),
        etaSeconds: eta.remainingSeconds(r.step),
        elapsedSeconds: elapsedMs() / 1000,
      });
      if (r.step % histEvery === 0 || r.step === recipe.steps) {
        const entry: TrainPoint = { kind: 'train', step: r.step, loss: w.loss / w.n, gradNorm: w.gradNorm / w.n, lr, nPoints: kind.nPoints, msPerStep: w.ms / w.n };
        st.history.push(entry);
        st.window = emptyWindow();
        emit({ type: 'history', entry });
      }
      const qe = options.quickEval;
      if (qe && (r.step % qe.every === 0 || r.step === recipe.steps)) {
        emit({ type: 'phase', phase: 'evaluating', step: r.step });
        // once the weights are averaged, the curve follows the weights the run will save
        const entry = await quickEvaluate(task, recipe, weightsToSave(runner.params, st.average, st.branches), r.step, qe, options, ownBranchCurve(st, runner.params));
        st.history.push(entry);
        emit({ type: 'eval', entry });
        emit({ type: 'phase', phase: 'training', step: r.step });
      }
      if (r.step % ckptEvery === 0 && r.step < recipe.steps) await checkpoint();
      if (saveAt.has(r.step) && options.checkpointPath) {
        if (lastCheckpoint !== r.step) await checkpoint();
        const fork = forkPathFor(options.checkpointPath, r.step);
        await atomicWriteFile(fork, await fs.promises.readFile(options.checkpointPath));
        // the weights are in memory: the model is written from them, not decoded back from the checkpoint
        const saved = await exportRun(result('cancelled'), exportPathFor(options.checkpointPath, r.step));
        emit({ type: 'saved', step: r.step, path: saved.modelPath, checkpointPath: fork });
      }
    }
    if (lastCheckpoint !== runner.stepCount || (options.checkpointPath && !fs.existsSync(options.checkpointPath))) await checkpoint();
    emit({ type: 'done', status: 'finished', step: runner.stepCount, elapsedSeconds: elapsedMs() / 1000, finalLoss: lastLoss(st), checkpointPath: options.checkpointPath });
    return result('finished');
  } finally {
    await runner.release();
  }
}

/**
 * Starts branch `branch` of a last stage run as branches: the first keeps the run's weights, data and
 * average and remembers them; each later one starts again from those, on its own data, once the
 * branch before has joined the mean (branches.ts).
 */
function enterBranch(st: RunState, runner: TrainStepRunner, branch: number): void {
  if (branch === 0) {
    st.branches = firstBranch(runner.params, st.average);
    return;
  }
  if (!st.branches) throw new RecipeError(`branch ${branch + 1} of the last stage cannot start: the run holds no weights from the stage's first step (was the checkpoint written by an older LoopLens?)`);
  st.branches = nextBranch(st.branches, branch, savedWeights(runner.params, st.average));
  runner.setState({ ...runner.getState(), params: st.branches.start });
  st.average = copyAverage(st.branches.startAverage);
  st.rng = branchDataStream(st.recipe.seed, branch);
}

/** The current branch's own weights, for its own curve beside the mean's: in a second or later branch of a run that keeps its branches. */
function ownBranchCurve(st: RunState, params: Params): { index: number; params: Params } | undefined {
  if (!st.keepBranches || !st.branches || st.branches.branch === 0) return undefined; // in the first branch the mean is its own
  return { index: st.branches.branch + 1, params: savedWeights(params, st.average) };
}

/** A new run's step 0, or the checkpoint's state when resuming. */
async function initialState(o: TrainerOptions): Promise<RunState> {
  // A write killed mid-way (SIGKILL, power loss) leaves its temp file beside the checkpoint: remove those first.
  if (o.checkpointPath) cleanStaleTempFiles(o.checkpointPath);
  if (o.resume) {
    if (!o.checkpointPath) throw new RecipeError('resuming needs a checkpoint path');
    const st = await readRunState(o.resumeFrom ?? o.checkpointPath, o.recipe);
    checkTrainingResources(st.recipe, undefined, o.dataParallel);
    if (o.resumeFrom === undefined) return withRunChoices(st, o);
    // a fork is a run of its own: the steps it saves at and whether it keeps branches are its own choices, not those of the run it came from
    const { saveAt: _theirs, keepBranches: _kept, ...fork } = st;
    return withRunChoices({ ...fork, forks: [...(st.forks ?? []), { checkpoint: forkPathText(o.resumeFrom), step: st.opt.step }] }, o);
  }
  if (!o.recipe) throw new RecipeError('a new training run needs a recipe');
  const recipe = validateRecipe(o.recipe);
  checkTrainingResources(recipe, undefined, o.dataParallel); // memory against this machine's, before a parameter is allocated
  if (o.initParams) checkStartWeights(recipe, o.initParams);
  else if (recipe.initFrom) throw new RecipeError(`the recipe starts from the weights of ${recipe.initFrom.model}, and none were given`);
  return withRunChoices(freshRunState(recipe, o.initParams), o);
}

/** The state with the run's choices to keep its branches, draw a learning curve and save its weights at steps: given now, or recorded by the checkpoint it resumes. */
function withRunChoices(st: RunState, o: TrainerOptions): RunState {
  return { ...st, ...(o.keepBranches ? { keepBranches: true } : {}), ...(o.quickEval ? { quickEval: o.quickEval } : {}), ...(o.saveAt && o.saveAt.length > 0 ? { saveAt: [...o.saveAt].sort((a, b) => a - b) } : {}) };
}

/** A fork's checkpoint as its record names it: relative to the folder the run was started in when inside it (no home folders in a shared model file). */
function forkPathText(file: string): string {
  const rel = relative(process.cwd(), resolve(file));
  return rel === '' || rel.startsWith('..') || isAbsolute(rel) ? basename(file) : rel.split(sep).join('/');
}

/** A fine-tuning run's weights must be the ones its recipe records, shaped for its model. */
function checkStartWeights(recipe: TrainRecipe, params: Params): void {
  if (!recipe.initFrom) throw new RecipeError('starting weights were given, but the recipe does not record where they come from (initFrom)');
  try {
    checkParams(recipe.model, params, `the weights of ${recipe.initFrom.model}`);
  } catch (e) {
    throw new RecipeError((e as Error).message);
  }
  const crcs = startWeightsCrc32s(recipe.model, params);
  if (!crcs.includes(recipe.initFrom.weightsCrc32)) throw new RecipeError(`the weights given are not those of ${recipe.initFrom.model} that the recipe records (CRC-32 ${crcs[0]} against ${recipe.initFrom.weightsCrc32})`);
}
