// A training recipe: everything that decides what a training run computes (task, model, data,
// optimizer, schedule, seed). It is JSON-safe; checkpoints and model files store it verbatim, so a
// resumed run and a saved model always know exactly how they were made.
import { validateConfig, type LoopedConfig } from '../model/config';
import type { AdamWOptions } from '../optim/adamw';
import { resolveTask, type TaskRef } from '../programs/tasks/resolve';
import { fixedDepthTask } from '../tasks/fixedDepth';
import { noDistinctInputsReason, noHardInputsReason } from '../tasks/index';
import type { CurriculumSpec, RaspSourceRef, Task } from '../tasks/types';
import { checkCurriculum } from './curriculum';
import { checkMinLrFraction } from './schedule';
import { finalEnd, isAnswerHold, isBatchShare, learningRateOf, MAX_ANSWER_HOLD, mostAnswerHold, stagesProblem } from './stages';
import { describeValue } from '../util/validate';

export interface RecipeSchedule {
  /** 'cosine': constant until holdSteps, then cosine to 0 (paper) or minLrFraction * lr at the last step. 'constant': never decays. */
  kind: 'cosine' | 'constant';
  /** Peak learning rate. */
  lr: number;
  /** Steps at the constant rate before the cosine starts (paper: curriculum end * interval). */
  holdSteps: number;
  /** Linear warm-up steps (not in the paper; 0 or absent = none). */
  warmupSteps?: number;
  /** The cosine's floor as a fraction of lr, in [0, 1) (not in the paper; absent = 0). Absent unless set, so older recipes stay byte-for-byte. */
  minLrFraction?: number;
}

export interface TrainRecipe {
  /** A built-in task name, or the name of the custom task in `taskFile`. */
  task: string;
  /** A custom RASP-L task's file (name and source), so the recipe rebuilds the task without the file. */
  taskFile?: RaspSourceRef;
  /** Where the recipe came from: 'paper', 'cpu', or a free label for hand-made recipes. */
  preset: string;
  model: LoopedConfig;
  batchSize: number;
  /** Number of training steps (AdamW updates). */
  steps: number;
  curriculum: CurriculumSpec;
  schedule: RecipeSchedule;
  optimizer: AdamWOptions;
  /** Seeds the parameter initialisation and the training data stream. */
  seed: number;
  /** Fixed row width of every training batch (paper: rowWidth(max training length + 1)). */
  width: number;
  /**
   * Loop iterations unrolled per batch. The paper runs n_points + 2 (task.horizon(n_points)) and
   * reads each example at its own T(n_i); the training graph only runs the iterations some example
   * still needs, so any horizon >= max T(n_i) computes exactly the same loss and gradients. We fix it
   * at task.horizon(curriculum.end) so one compiled graph serves the whole run.
   */
  horizon: number;
  /**
   * 'fixed' (paper): every batch uses `width` and `horizon`. 'curriculum' (cpu preset): a batch is
   * only as wide as the current n_points needs, task.rowWidth(n_points), with horizon
   * task.horizon(n_points). Causal attention makes every position's output independent of the
   * positions after it, so a narrower row only drops trailing pad positions from the loss. Those
   * are learned within a few dozen steps; afterwards they add nothing but dilution: early in the
   * curriculum the answer is 1 of ~20 masked positions, and AdamW's slowly decaying second moment
   * (beta2 0.999) keeps the answer's effective step small for hundreds of steps. Measured on parity
   * (d 64, 8 heads, lengths 1..6, 400 steps): width 7 reached 100% / 99% at lengths 3 / 6, width 21
   * 71% / 60%. It is also cheaper. Absent means 'fixed'.
   */
  widthMode?: 'fixed' | 'curriculum';
  /**
   * The fixed-depth baseline (the paper's NTP-Loop): every example is read at this loop step
   * instead of its T(n), and the horizon is this. Absent (the paper's looped model): T(n) per example.
   */
  fixedSteps?: number;
  /**
   * Share of each training batch drawn at the curriculum's current longest length, in [0, 1); the
   * rest is uniform over the lengths so far, as in the paper. Not in the paper: an answer slot that
   * only long inputs fill is seldom trained under uniform lengths. Absent means 0.
   */
  longShare?: number;
  /**
   * Share of each training batch drawn from the task's hard inputs (Task.hardInputs; unique set: a
   * random alphabet, so many repeats), in [0, 1). Not in the paper: uniform inputs can leave the hard
   * part of a task too rare to learn in a way that holds on longer inputs. Absent means 0.
   */
  hardShare?: number;
  /**
   * Share of each training batch drawn from the task's distinct inputs (Task.distinctInputs; unique
   * set: n different elements, no repeats), in [0, 1); with hardShare at most 1 together, the rest
   * uniform. Not in the paper: uniform inputs seldom fill the late answer slots (19 elements over 50
   * symbols fill about 16), so those slots are seldom trained. Absent means 0.
   */
  distinctShare?: number;
  /**
   * Each training example is read at a random loop step from T(n) to T(n) + answerHold (uniform)
   * instead of at T(n), so its answer must hold for that many steps past T(n): a step that reaches
   * a fixed point, as the paper's generalizing models do, rather than one timed to stop at T(n).
   * Not in the paper. Absent means 0 (every example read at T(n)).
   */
  answerHold?: number;
  /**
   * A fine-tuning run: its parameters start from this model file's weights instead of the seeded
   * initialisation (the seed still draws the data). Absent: a run from scratch, as in the paper.
   */
  initFrom?: RecipeInit;
  /**
   * Later stages (stages.ts): after the curriculum, each trains every length up to a longer one from
   * its first step, with fresh AdamW moments and its own warm-up and decay, as a fine-tuning run from
   * the model so far would. Not in the paper. Absent: one curriculum, as in the paper.
   */
  stages?: RecipeStage[];
  /**
   * Weight averaging (weightAverage.ts): the weights the run saves are the mean of the weights after
   * every update from this 0-based step to the end, not the last update's. Not in the paper: the
   * last weights of a decaying stage can sit where a late answer slot is right less often than on
   * the stage's way there. Absent: the last update's weights, as in the paper.
   */
  averageFrom?: number;
}

/** One later stage of a staged recipe (stages.ts). */
export interface RecipeStage {
  /** Its first 0-based training step; the stage before ends there (its cosine reaches its floor). */
  fromStep: number;
  /** Its longest training length (n_b for multiplication): every length 1..this from the stage's first step. */
  maxLength: number;
  /** Its peak learning rate. */
  lr: number;
  /** Its share of each batch at its longest length, in place of the recipe's longShare; absent: the recipe's. */
  longShare?: number;
  /** Its answer hold (loop steps past T(n)), in place of the recipe's answerHold; absent: the recipe's. */
  answerHold?: number;
  /**
   * The last stage only: its steps split into this many branches (branches.ts), each from the weights
   * the stage starts with, on its own data, the run saving the mean of their weights. Not in the
   * paper. Absent: one run of the stage.
   */
  branches?: number;
}

/** Which weights a fine-tuning run started from, recorded so its model file says exactly. */
export interface RecipeInit {
  /** The model file's name, as given. */
  model: string;
  /** CRC-32 of those weights (modelFile.ts weightsCrc32): the trainer refuses other weights. */
  weightsCrc32: number;
  /** Training steps that model's record counts (its stepsCompleted), when it records them. */
  stepsBefore?: number;
  /**
   * Wall time behind those weights from scratch: that model's training time plus its own starting
   * point's, so a fine-tune's cost reads whole. Absent where a link of the chain did not record it.
   */
  secondsBefore?: number;
  /** The same in CPU time (all threads); absent where a link did not count it. */
  cpuSecondsBefore?: number;
}

/** Loop iterations a batch may need at most: the horizon, plus the longest answer hold's late reads. */
export function recipeHorizon(r: Pick<TrainRecipe, 'horizon' | 'answerHold' | 'stages'>): number {
  return r.horizon + mostAnswerHold(r);
}

/** The task a recipe trains on, read at its fixed depth when it has one (tasks/fixedDepth.ts). */
export function recipeTask(r: TaskRef & { fixedSteps?: number }): Task {
  const task = resolveTask(r);
  return r.fixedSteps === undefined ? task : fixedDepthTask(task, r.fixedSteps);
}

/**
 * Row width and loop horizon of the batch at curriculum value `nPoints` whose examples may be read up
 * to `hold` steps past T(n) (stages.ts answerHoldOf; the recipe's hold by default). Fixed-width rows
 * keep one horizon, the run's longest, so one compiled graph serves every step.
 */
export function batchShape(r: TrainRecipe, nPoints: number, hold = r.answerHold ?? 0): { width: number; horizon: number } {
  if (r.widthMode !== 'curriculum') return { width: r.width, horizon: recipeHorizon(r) };
  const task = recipeTask(r);
  return { width: Math.min(r.width, task.rowWidth(nPoints)), horizon: Math.min(r.horizon, task.horizon(nPoints)) + hold };
}

/** Why a recipe may not have an answer hold: its fixed depth reads every example at one step. */
export const HOLD_WITH_FIXED_DEPTH = 'the fixed-depth baseline reads every example at one step (fixedSteps), not at T(n); train it without a hold';

/** The most training steps a run may ask for (the CLI's --steps, the extension's input boxes). */
export const MAX_TRAINING_STEPS = 10_000_000;

/** The longest model name a fine-tuning recipe records. */
export const MAX_INIT_NAME = 200;

export { MAX_ANSWER_HOLD };

export class RecipeError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RecipeError';
  }
}

/** Learning rate at 0-based step `step` (each stage of a staged recipe has its own schedule). */
export function lrAt(r: TrainRecipe, step: number): number {
  return learningRateOf(r, step);
}

/** Throws RecipeError naming the first thing wrong; returns the recipe otherwise. */
export function validateRecipe(r: TrainRecipe): TrainRecipe {
  const fail = (m: string): never => {
    throw new RecipeError(`training recipe: ${m}`);
  };
  if (!r || typeof r !== 'object') fail('not an object');
  let task;
  try {
    task = recipeTask(r); // a bad fixedSteps is named here too
  } catch (e) {
    return fail((e as Error).message);
  }
  try {
    validateConfig(r.model);
    checkCurriculum(r.curriculum);
  } catch (e) {
    fail((e as Error).message);
  }
  if (r.model.vocabSize !== task.vocabSize) fail(`model vocabSize ${r.model.vocabSize} does not match the ${task.name} task's ${task.vocabSize} symbols`);
  if (r.model.readIn !== task.readIn) fail(`the ${task.name} task uses a '${task.readIn}' read-in, the model has '${r.model.readIn}'`);
  const posInt = (k: string, v: number) => {
    if (!Number.isSafeInteger(v) || v < 1) fail(`${k} must be a positive integer, got ${v}`);
  };
  posInt('batchSize', r.batchSize);
  posInt('steps', r.steps);
  posInt('width', r.width);
  posInt('horizon', r.horizon);
  if (r.widthMode !== undefined && r.widthMode !== 'fixed' && r.widthMode !== 'curriculum') fail(`widthMode must be 'fixed' or 'curriculum', got ${String(r.widthMode)}`);
  if (!Number.isSafeInteger(r.seed)) fail(`seed must be an integer, got ${r.seed}`);
  const share = (key: 'longShare' | 'hardShare' | 'distinctShare', what: string) => {
    const v = r[key];
    if (v !== undefined && !isBatchShare(v)) fail(`${key} (${what}) must be a number in [0, 1), got ${describeValue(v)}`);
  };
  share('longShare', 'the share of each batch at the longest length');
  share('hardShare', "the share of each batch from the task's hard inputs");
  const noHard = noHardInputsReason(task);
  if (r.hardShare && noHard) fail(`hardShare: ${noHard}`);
  share('distinctShare', "the share of each batch from the task's distinct inputs");
  const noDistinct = noDistinctInputsReason(task);
  if (r.distinctShare && noDistinct) fail(`distinctShare: ${noDistinct}`);
  if (r.distinctShare) {
    // Both shares are rows of one batch; the tolerance keeps a float sum of two decimals that make 1 from landing a hair above it.
    const both = (r.hardShare ?? 0) + r.distinctShare;
    if (both > 1 + 1e-9) fail(`distinctShare: the hard share ${r.hardShare} and the distinct share ${r.distinctShare} take ${Number(both.toPrecision(12))} of each batch together; they may take at most 1`);
    const longest = finalEnd(r) - 1;
    const most = task.distinctInputs!.maxLength;
    if (longest > most) fail(`distinctShare: the ${task.name} task has distinct inputs only up to length ${most}, ${r.stages ? 'its last stage' : 'the curriculum'} reaches ${longest}`);
  }
  if (r.answerHold !== undefined) {
    if (!isAnswerHold(r.answerHold)) fail(`answerHold (the loop steps an answer must hold past T(n)) must be an integer in [0, ${MAX_ANSWER_HOLD}], got ${describeValue(r.answerHold)}`);
    if (r.answerHold > 0 && r.fixedSteps !== undefined) fail(`answerHold: ${HOLD_WITH_FIXED_DEPTH}`);
  }
  if (typeof r.preset !== 'string' || r.preset === '') fail('preset must be a non-empty string');
  if (r.initFrom !== undefined) {
    const i = r.initFrom;
    if (!i || typeof i !== 'object' || typeof i.model !== 'string' || i.model === '' || i.model.length > MAX_INIT_NAME) fail(`initFrom needs the model file's name (1 to ${MAX_INIT_NAME} characters), got ${describeValue(i)}`);
    if (!Number.isSafeInteger(i.weightsCrc32) || i.weightsCrc32 < 0 || i.weightsCrc32 >= 2 ** 32) fail(`initFrom.weightsCrc32 must be a CRC-32 (an integer in [0, 2^32)), got ${describeValue(i.weightsCrc32)}`);
    if (i.stepsBefore !== undefined && (!Number.isSafeInteger(i.stepsBefore) || i.stepsBefore < 0)) fail(`initFrom.stepsBefore must be a non-negative integer, got ${describeValue(i.stepsBefore)}`);
    for (const key of ['secondsBefore', 'cpuSecondsBefore'] as const) {
      const v = i[key];
      if (v !== undefined && !(typeof v === 'number' && Number.isFinite(v) && v >= 0)) fail(`initFrom.${key} must be a non-negative number of seconds, got ${describeValue(v)}`);
    }
  }
  const s = r.schedule;
  if (!s || (s.kind !== 'cosine' && s.kind !== 'constant')) fail(`schedule kind must be 'cosine' or 'constant'`);
  if (!(s.lr > 0) || !Number.isFinite(s.lr)) fail(`learning rate must be a positive number, got ${s.lr}`);
  if (!Number.isInteger(s.holdSteps) || s.holdSteps < 0) fail(`holdSteps must be a non-negative integer, got ${s.holdSteps}`);
  if (s.warmupSteps !== undefined && (!Number.isInteger(s.warmupSteps) || s.warmupSteps < 0)) fail(`warmupSteps must be a non-negative integer`);
  if (s.minLrFraction !== undefined) {
    try {
      checkMinLrFraction(s.minLrFraction);
    } catch (e) {
      fail(`schedule ${(e as Error).message}`);
    }
  }
  const o = r.optimizer;
  if (!o || ![o.beta1, o.beta2, o.eps, o.weightDecay].every((v) => typeof v === 'number' && Number.isFinite(v) && v >= 0)) fail('optimizer needs finite beta1, beta2, eps, weightDecay');
  if (o.maxGradNorm !== null && !(o.maxGradNorm > 0)) fail(`optimizer maxGradNorm must be > 0 or null, got ${o.maxGradNorm}`);
  if (r.averageFrom !== undefined && !(Number.isSafeInteger(r.averageFrom) && r.averageFrom >= 0 && r.averageFrom < r.steps)) {
    fail(`averageFrom: the weight average must start before the run's ${r.steps} steps end: a step from 0 to ${r.steps - 1}, got ${describeValue(r.averageFrom)}`);
  }
  const badStages = stagesProblem(r);
  if (badStages) fail(badStages);
  const heldStage = r.fixedSteps === undefined ? -1 : (r.stages ?? []).findIndex((s) => (s.answerHold ?? 0) > 0);
  if (heldStage >= 0) fail(`stages: stage ${heldStage + 1}'s answer hold: ${HOLD_WITH_FIXED_DEPTH}`);
  // Every example the curriculum (and the last stage) can produce must fit the row and the horizon.
  const longest = finalEnd(r) - 1;
  const widest = task.name === 'multiplication' ? [2, longest] : task.lengthNames.map(() => longest);
  const need = task.minWidth(widest);
  if (r.width < need) fail(`width ${r.width} is too narrow for the recipe's longest example (needs ${need})`);
  const maxT = task.steps(widest);
  if (r.horizon < maxT) fail(`horizon ${r.horizon} is shorter than the longest example's T(n) = ${maxT}`);
  return r;
}
