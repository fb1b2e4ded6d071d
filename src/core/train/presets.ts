// Named training recipes.
//   paper: the published recipe for each task (paper.md "Training"): d = 256, the task's block,
//          AdamW lr 1e-4, batch 64, 100,001 steps, the task's curriculum, constant-then-cosine lr.
//   cpu:   a small recipe that trains on a 2-core CPU in minutes: d = 64, lr 1e-3 (a small model
//          needs a larger rate to learn in a few thousand steps), a dense curriculum, and rows only
//          as wide as the curriculum needs (full-width rows dilute the answer among pad positions).
//   tiny:  the cpu recipe on short lengths for a fraction of the steps: a model in under a minute,
//          for trying the flow (train, open, step through), not for length generalization.
// The runs behind each cpu and tiny recipe: models/README.md, "Measurements behind the cpu presets"
// and "The tiny preset".
//
// Changing the step count (or the longest length) of a preset rescales its curriculum, and with it
// the learning-rate hold, so the curriculum keeps its share of the run (planRecipe); a recipe that
// still cannot reach its lengths, or never decays its rate, gets a warning (recipeFitWarnings).
import { PAPER_ADAMW } from '../optim/adamw';
import type { AttentionScale, LoopedConfig } from '../model/config';
import { getTask, isTaskName, type Task, type TaskName } from '../tasks';
import type { CurriculumSpec } from '../tasks/types';
import { curriculumLrHoldSteps, curriculumReachesEndAt, nPointsAt } from './curriculum';
import { RecipeError, validateRecipe, type RecipeStage, type TrainRecipe } from './recipe';
import { finalEnd, rescaledStages, stagesOf, type StageSpec } from './stages';
import { recordedStagesText } from './trainRecord';
import { resolveTask } from '../programs/tasks/resolve';

export const presetNames = ['paper', 'cpu', 'tiny'] as const;
export type PresetName = (typeof presetNames)[number];

export function isPresetName(s: string): s is PresetName {
  return (presetNames as readonly string[]).includes(s);
}

/** Settings a user may change on top of a preset. */
export interface RecipeOverrides {
  steps?: number;
  seed?: number;
  lr?: number;
  batchSize?: number;
  /** Model shape: width, layers in the looped block, attention heads. */
  d?: number;
  layers?: number;
  heads?: number;
  /** Attention scores' growth with the number of keys (LoopedConfig.attentionScale); 'none' is the paper's. */
  attentionScale?: AttentionScale;
  /** Longest training length (the curriculum's end is this + 1) and steps between length increases. */
  maxLength?: number;
  interval?: number;
  widthMode?: 'fixed' | 'curriculum';
  warmupSteps?: number;
  /** The cosine's floor as a fraction of lr, in [0, 1); 0 is the paper's (no key in the recipe). */
  minLrFraction?: number;
  /** The paper's ablations: false trains without input injection; fixedSteps reads every example at that step (the fixed-depth baseline). */
  inputInjection?: boolean;
  fixedSteps?: number;
  /** Share of each batch at the curriculum's longest length (TrainRecipe.longShare); 0 is the paper's uniform lengths. */
  longShare?: number;
  /** Share of each batch from the task's hard inputs (TrainRecipe.hardShare); 0 is the paper's uniform inputs. */
  hardShare?: number;
  /** Share of each batch from the task's distinct inputs (TrainRecipe.distinctShare); 0 is the paper's uniform inputs. */
  distinctShare?: number;
  /** AdamW's decoupled weight decay (the paper's: 0.01). */
  weightDecay?: number;
  /** Loop steps each answer must hold past T(n) (TrainRecipe.answerHold); 0 is the paper's read at T(n). */
  answerHold?: number;
  /** One curriculum, no later stages (a fine-tuning run's recipe, whatever the preset's), to the preset's longest length unless maxLength says otherwise. */
  singleStage?: boolean;
  /** Later stages in place of the preset's (empty: none); maxLength is then the curriculum's own longest length. Kept as given when the steps change. */
  stages?: StageSpec[];
}

interface SmallShape {
  seed?: number;
  d: number;
  layers: number;
  heads: number;
  curriculum: CurriculumSpec;
  steps: number;
  lr: number;
  /** Later stages (TrainRecipe.stages); their longest lengths set the rows and the loop horizon. */
  stages?: RecipeStage[];
}

/** The cpu preset per task; one line each on why (the measurements: models/README.md). */
const CPU: Record<TaskName, SmallShape> = {
  // Seed 1: seed 0's model is as confident past T(n) as at it, so the per-batch rule fails at 30-40.
  parity: { seed: 1, d: 64, layers: 1, heads: 4, curriculum: { start: 2, interval: 100, end: 21 }, steps: 6000, lr: 1e-3 },
  // 16 heads and 16000 steps, seed 1: fewer heads or steps fall short at n = 30, and seed 0 at 30 and 38.
  copy: { seed: 1, d: 64, layers: 2, heads: 16, curriculum: { start: 2, interval: 100, end: 20 }, steps: 16000, lr: 1e-3 },
  // 32 heads fit lengths 1..8 in 20000 steps (one curriculum to 1..19 fits only n <= 5); each stage
  // then fits the longer lengths in a few thousand steps from the model so far.
  addition: {
    seed: 1,
    d: 64,
    layers: 3,
    heads: 32,
    curriculum: { start: 2, interval: 500, end: 9 },
    steps: 27000,
    lr: 1e-3,
    stages: [
      { fromStep: 20000, maxLength: 12, lr: 1e-3 },
      { fromStep: 23500, maxLength: 16, lr: 1e-3 },
      { fromStep: 25000, maxLength: 19, lr: 1e-3 },
    ],
  },
  // 16 heads and 12000 steps reach n = 24 (8 heads and 8000 steps: 60% there).
  binary_sum: { d: 64, layers: 2, heads: 16, curriculum: { start: 2, interval: 200, end: 20 }, steps: 12000, lr: 1e-3 },
  // The paper's block (4 layers, 8 heads): 2 layers of 16 heads fit n_b <= 11 but reach only part way to 15.
  multiplication: { d: 64, layers: 4, heads: 8, curriculum: { start: 2, interval: 400, end: 12 }, steps: 10000, lr: 1e-3 },
  // 16 heads learn the deduplication (2 to 8 heads stall at the no-repeat share); 36000 steps fit n = 19
  // (12000 leave it at 78-92%) and carry furthest past it, still short of n = 30.
  unique_set: { d: 64, layers: 3, heads: 16, curriculum: { start: 2, interval: 300, end: 20 }, steps: 36000, lr: 1e-3 },
};

/** The tiny preset per task: one layer, short lengths, 1000-1500 steps; one line each on what it learns (models/README.md). */
const TINY: Record<TaskName, SmallShape> = {
  // Lengths 1..10: 100% at n = 10 and 88% at 15 (oracle) in about 30 s.
  parity: { seed: 1, d: 64, layers: 1, heads: 4, curriculum: { start: 2, interval: 100, end: 11 }, steps: 1500, lr: 1e-3 },
  // 8 heads, lengths 1..6: 100 / 95% at n = 3 / 6.
  copy: { d: 64, layers: 1, heads: 8, curriculum: { start: 2, interval: 100, end: 7 }, steps: 1000, lr: 1e-3 },
  // 16 heads and lengths 1..3 only (fewer heads or longer lengths learn nothing this fast): 100 / 86% at n = 2 / 3.
  addition: { d: 64, layers: 1, heads: 16, curriculum: { start: 2, interval: 200, end: 4 }, steps: 1500, lr: 1e-3 },
  // 8 heads, lengths 1..6: 100% at n = 6.
  binary_sum: { d: 64, layers: 1, heads: 8, curriculum: { start: 2, interval: 100, end: 7 }, steps: 1000, lr: 1e-3 },
  // n_b 1..3 (n_a 1..2): 93 / 67% at n_b = 2 / 3.
  multiplication: { d: 64, layers: 1, heads: 4, curriculum: { start: 2, interval: 200, end: 4 }, steps: 1000, lr: 1e-3 },
  // 8 heads and lr 3e-3 (4 heads, or lr 1e-3, stay near chance in this time): 97 / 74% at n = 3 / 6.
  unique_set: { d: 64, layers: 1, heads: 8, curriculum: { start: 2, interval: 100, end: 7 }, steps: 1500, lr: 3e-3 },
};

/** The tiny preset for a custom RASP-L task: parity's tiny shape over the first TINY_CUSTOM_LENGTHS lengths of its curriculum. */
const CUSTOM_TINY = { d: 64, layers: 1, heads: 4, steps: 1000, lr: 1e-3, interval: 100 };
const TINY_CUSTOM_LENGTHS = 8;

function modelFor(task: Task, d: number, layers: number, heads: number): LoopedConfig {
  return { vocabSize: task.vocabSize, d, layers, heads, readIn: task.readIn, inputInjection: true };
}

/**
 * The cpu preset for a custom RASP-L task: parity's measured shape (d 64, 1 layer, 4 heads, lr 1e-3,
 * rows as wide as the curriculum needs) over the task's own curriculum (its @lengths range). An
 * untested starting point: raise --steps for harder programs.
 */
const CUSTOM_CPU = { d: 64, layers: 1, heads: 4, steps: 3000, lr: 1e-3 };

/** What a curriculum decides in a recipe: the lr hold (paper: end * interval), the fixed row width and the loop horizon. */
function fromCurriculum(task: Task, curriculum: CurriculumSpec): { holdSteps: number; width: number; horizon: number } {
  return { holdSteps: curriculumLrHoldSteps(curriculum), width: task.rowWidth(curriculum.end), horizon: task.horizon(curriculum.end) };
}

function base(task: Task, preset: string, model: LoopedConfig, curriculum: CurriculumSpec, steps: number, lr: number): TrainRecipe {
  const derived = fromCurriculum(task, curriculum);
  return {
    task: task.name,
    ...(task.raspl === undefined ? {} : { taskFile: { file: task.raspl.file, source: task.raspl.source } }),
    preset,
    model,
    batchSize: 64,
    steps,
    curriculum,
    schedule: { kind: 'cosine', lr, holdSteps: derived.holdSteps },
    optimizer: { ...PAPER_ADAMW },
    seed: 0,
    width: derived.width,
    horizon: derived.horizon,
  };
}

export function paperRecipe(taskName: TaskName | Task): TrainRecipe {
  const task = typeof taskName === 'string' ? getTask(taskName) : taskName;
  const b = task.paperBlock;
  // Rows grow with the curriculum (max_len = the current longest length + 1), as the released code builds them.
  return { ...base(task, 'paper', modelFor(task, b.dModel, b.layers, b.heads), { ...task.curriculum }, 100_001, 1e-4), widthMode: 'curriculum' };
}

function smallRecipe(task: Task, preset: 'cpu' | 'tiny', s: SmallShape): TrainRecipe {
  const r: TrainRecipe = { ...base(task, preset, modelFor(task, s.d, s.layers, s.heads), { ...s.curriculum }, s.steps, s.lr), seed: s.seed ?? 0, widthMode: 'curriculum' };
  return s.stages ? withStages(task, r, s.stages) : r;
}

/** `r` with later stages: rows and the loop horizon as wide as the last stage needs. */
function withStages(task: Task, r: TrainRecipe, stages: readonly RecipeStage[]): TrainRecipe {
  const out: TrainRecipe = { ...r, stages: stages.map((s) => ({ ...s })) };
  const { width, horizon } = fromCurriculum(task, { ...r.curriculum, end: finalEnd(out) });
  return { ...out, width, horizon };
}

export function cpuRecipe(taskName: TaskName | Task): TrainRecipe {
  const task = typeof taskName === 'string' ? getTask(taskName) : taskName;
  const s = isTaskName(task.name) && task.raspl === undefined ? CPU[task.name] : { ...CUSTOM_CPU, curriculum: { ...task.curriculum } };
  return smallRecipe(task, 'cpu', s);
}

export function tinyRecipe(taskName: TaskName | Task): TrainRecipe {
  const task = typeof taskName === 'string' ? getTask(taskName) : taskName;
  if (isTaskName(task.name) && task.raspl === undefined) return smallRecipe(task, 'tiny', TINY[task.name]);
  // A custom task: its own curriculum, cut to TINY_CUSTOM_LENGTHS lengths past its shortest.
  const c = task.curriculum;
  return smallRecipe(task, 'tiny', { ...CUSTOM_TINY, curriculum: { ...c, interval: CUSTOM_TINY.interval, end: Math.min(c.end, c.start + TINY_CUSTOM_LENGTHS) } });
}

/** A preset's recipe for a task, exactly as the preset defines it. */
export function presetRecipe(taskName: TaskName | Task, preset: PresetName): TrainRecipe {
  return preset === 'paper' ? paperRecipe(taskName) : preset === 'tiny' ? tinyRecipe(taskName) : cpuRecipe(taskName);
}

/** How planRecipe moved a preset's curriculum and lr hold to fit a changed step count or longest length. */
export interface RecipeScaling {
  /** The preset's curriculum steps (curriculumSteps), curriculum interval and lr hold. */
  from: ScaledSpan;
  /** The recipe's. */
  to: ScaledSpan;
}

export interface ScaledSpan {
  steps: number;
  interval: number;
  holdSteps: number;
  /** Set when `steps` are those before the first stage, not the whole run's. */
  staged?: true;
}

/** The steps a recipe's curriculum has: those before its first stage, or the whole run. */
export function curriculumSteps(r: TrainRecipe): number {
  return r.stages?.[0]?.fromStep ?? r.steps;
}

/** "6,000 steps", or "20,000 steps before the first stage" for a staged recipe's curriculum. */
export function curriculumStepsText(s: ScaledSpan): string {
  return `${s.steps.toLocaleString('en-US')} steps${s.staged ? ' before the first stage' : ''}`;
}

function spanOf(r: TrainRecipe): ScaledSpan {
  return { steps: curriculumSteps(r), interval: r.curriculum.interval, holdSteps: r.schedule.holdSteps, ...(r.stages ? { staged: true as const } : {}) };
}

export interface RecipePlan {
  recipe: TrainRecipe;
  /** Set when the curriculum and the lr hold were rescaled to the recipe's steps (or longest length). */
  scaling?: RecipeScaling;
  /** What would make the run train on fewer lengths, or at another rate, than its recipe suggests (recipeFitWarnings). */
  warnings: string[];
}

/**
 * A preset for a task with the user's overrides applied, rescaled and validated. When the steps or
 * the longest length change and no interval is given, the curriculum's interval is chosen so that
 * the curriculum takes the same share of the run as in the preset, and the lr hold (curriculum end
 * x interval, the paper's rule) moves with it. An explicit interval is kept as given.
 */
export function planRecipe(taskName: string | Task, preset: string, overrides: RecipeOverrides = {}): RecipePlan {
  const task = typeof taskName === 'string' ? getTask(taskName) : taskName;
  if (!isPresetName(preset)) throw new RecipeError(`unknown preset "${preset}"; valid presets: ${presetNames.join(', ')}`);
  const original = presetRecipe(task, preset);
  let r = applyOverrides(original, overrides);
  let scaling: RecipeScaling | undefined;
  // The stages keep their share of the run (the curriculum's interval below keeps its own).
  if (overrides.stages === undefined && r.stages && original.stages && r.steps !== original.steps && Number.isSafeInteger(r.steps) && r.steps >= 1) r = { ...r, stages: rescaledStages(original.stages, original.steps, r.steps) };
  // The curriculum has the steps before the first stage: given stages, not the total, set its pace.
  const span = curriculumSteps(r);
  const resized = span !== curriculumSteps(original) || r.curriculum.end !== original.curriculum.end;
  if (overrides.interval === undefined && resized && Number.isSafeInteger(span) && span >= 1) {
    const interval = scaledInterval(original, span, r.curriculum.end);
    if (interval !== r.curriculum.interval) {
      r = applyOverrides(r, { interval });
      scaling = { from: spanOf(original), to: spanOf(r) };
    }
  }
  validateRecipe(r);
  const warnings = recipeFitWarnings(r);
  if (original.stages && !r.stages && !overrides.singleStage && overrides.stages === undefined) {
    warnings.unshift(`The ${preset} preset trains ${task.name} in stages (lengths 1..${original.curriculum.end - 1}, ${recordedStagesText(original)}); with the longest length ${r.curriculum.end - 1} this run has one curriculum instead.`);
  }
  return { recipe: r, ...(scaling ? { scaling } : {}), warnings };
}

/** A preset for a task with the user's overrides applied, rescaled (planRecipe) and validated. */
export function makeRecipe(taskName: string | Task, preset: string, overrides: RecipeOverrides = {}): TrainRecipe {
  return planRecipe(taskName, preset, overrides).recipe;
}

/**
 * The interval that gives a curriculum ending at `end` the same share of its `steps` (curriculumSteps)
 * as `original`'s curriculum has of its own (at least 1 step per length).
 */
export function scaledInterval(original: TrainRecipe, steps: number, end: number): number {
  const c = original.curriculum;
  const span = end - c.start;
  if (span <= 0) return c.interval; // one length only: the interval never matters
  const share = curriculumReachesEndAt(c) / curriculumSteps(original);
  return Math.max(1, Math.round((share * steps) / span));
}

/** Longest length the curriculum trains on by step `steps` (lengths are 1..this, n_b for multiplication). */
function longestBy(r: TrainRecipe, steps: number): number {
  return nPointsAt(r.curriculum, Math.max(0, steps - 1)) - 1;
}

/**
 * What a user should know before spending the time: the curriculum does not reach its longest
 * lengths within the run (or only at its very end), or the learning rate never decays.
 */
export function recipeFitWarnings(r: TrainRecipe): string[] {
  const out: string[] = [];
  const c = r.curriculum;
  // A staged recipe's curriculum has the steps before its first stage.
  const first = r.stages?.[0]?.fromStep;
  const span = curriculumSteps(r);
  const n = (v: number) => v.toLocaleString('en-US');
  const steps = first === undefined ? `${n(r.steps)} steps` : `the ${n(first)} steps before the first stage`;
  const reach = curriculumReachesEndAt(c);
  if (reach >= span) {
    out.push(
      `The curriculum would reach lengths up to ${c.end - 1} at step ${n(reach)}, after ${first === undefined ? "the run's " : ''}${steps}: ` +
        `${first === undefined ? 'this run' : 'the curriculum'} trains on lengths up to ${longestBy(r, span)} only. Give more steps or a shorter interval.`,
    );
  } else if (c.end > c.start && reach > 0.8 * span) {
    out.push(`The curriculum reaches lengths up to ${c.end - 1} only at step ${n(reach)} of ${first === undefined ? n(r.steps) : steps}: few steps are left to learn the longest lengths.`);
  }
  if (r.schedule.kind === 'cosine' && r.schedule.holdSteps >= span) {
    // A floor does not change this: the rate is held at its peak either way.
    const to = r.schedule.minLrFraction ? ` (to ${r.schedule.minLrFraction} x lr)` : '';
    out.push(`The learning rate stays at ${r.schedule.lr} for all ${steps}: its cosine decay${to} would start at step ${n(r.schedule.holdSteps)}.`);
  }
  return out;
}

/** "scaled to 300 steps: the curriculum adds a length every 5 steps (the preset: every 100 of 6,000 steps), the learning rate decays from step 105 (the preset: 2,100)" */
export function describeScaling(s: RecipeScaling): string {
  const n = (v: number) => v.toLocaleString('en-US');
  return (
    `scaled to ${curriculumStepsText(s.to)}: the curriculum adds a length every ${s.to.interval === 1 ? 'step' : `${n(s.to.interval)} steps`} (the preset: every ${n(s.from.interval)} of ${curriculumStepsText(s.from)}), ` +
    `the learning rate decays from step ${n(s.to.holdSteps)} (the preset: ${n(s.from.holdSteps)})`
  );
}

export function applyOverrides(r: TrainRecipe, o: RecipeOverrides): TrainRecipe {
  const out: TrainRecipe = { ...r, schedule: { ...r.schedule }, model: { ...r.model }, curriculum: { ...r.curriculum }, optimizer: { ...r.optimizer } };
  if (o.steps !== undefined) out.steps = o.steps;
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.lr !== undefined) out.schedule.lr = o.lr;
  if (o.batchSize !== undefined) out.batchSize = o.batchSize;
  if (o.weightDecay !== undefined) out.optimizer.weightDecay = o.weightDecay;
  if (o.d !== undefined) out.model.d = o.d;
  if (o.layers !== undefined) out.model.layers = o.layers;
  if (o.heads !== undefined) out.model.heads = o.heads;
  // As with the shares below, the paper's setting leaves no key, so the recipe matches one without.
  if (o.attentionScale === 'none') delete out.model.attentionScale;
  else if (o.attentionScale !== undefined) out.model.attentionScale = o.attentionScale;
  if (o.widthMode !== undefined) out.widthMode = o.widthMode;
  if (o.warmupSteps !== undefined) out.schedule.warmupSteps = o.warmupSteps;
  // 0 is the same schedule as no floor: leave no key, so such a recipe (and a resume check) matches one without.
  if (o.minLrFraction === 0) delete out.schedule.minLrFraction;
  else if (o.minLrFraction !== undefined) out.schedule.minLrFraction = o.minLrFraction;
  if (o.inputInjection !== undefined) out.model.inputInjection = o.inputInjection;
  if (o.fixedSteps !== undefined) out.fixedSteps = o.fixedSteps;
  // As with the lr floor, 0 leaves no key: the paper's uniform lengths.
  if (o.longShare === 0) delete out.longShare;
  else if (o.longShare !== undefined) out.longShare = o.longShare;
  if (o.hardShare === 0) delete out.hardShare;
  else if (o.hardShare !== undefined) out.hardShare = o.hardShare;
  if (o.distinctShare === 0) delete out.distinctShare;
  else if (o.distinctShare !== undefined) out.distinctShare = o.distinctShare;
  if (o.answerHold === 0) delete out.answerHold;
  else if (o.answerHold !== undefined) out.answerHold = o.answerHold;
  // Given stages replace the preset's, and maxLength is the curriculum's own. Otherwise another longest
  // length than a staged recipe's last makes one curriculum to it (as does singleStage, to the same length).
  const unstage = o.stages === undefined && out.stages !== undefined && (o.singleStage === true || (o.maxLength !== undefined && o.maxLength !== finalEnd(out) - 1));
  const maxLength = o.maxLength ?? (unstage ? finalEnd(out) - 1 : undefined);
  if (unstage || o.stages?.length === 0) delete out.stages;
  else if (o.stages !== undefined) out.stages = stagesOf(o.stages, out.schedule.lr);
  if (o.interval !== undefined || maxLength !== undefined || o.stages !== undefined) {
    // A new curriculum moves everything derived from it: the lr hold, the row width, the horizon.
    if (o.interval !== undefined) out.curriculum.interval = o.interval;
    if (maxLength !== undefined && (out.stages === undefined || o.stages !== undefined)) out.curriculum.end = maxLength + 1;
    const task = resolveTask(out);
    out.schedule.holdSteps = curriculumLrHoldSteps(out.curriculum);
    const { width, horizon } = fromCurriculum(task, { ...out.curriculum, end: finalEnd(out) });
    out.width = width;
    out.horizon = horizon;
  }
  // A fixed depth is the loop horizon of every batch (no example is read later).
  if (out.fixedSteps !== undefined) out.horizon = out.fixedSteps;
  return out;
}
