// A preset with a user's changes: the overrides applied (applyOverrides), the curriculum and the lr
// hold rescaled to a changed step count or longest length so the curriculum keeps its share of the
// steps before any stage (planRecipe), and warnings for a recipe that still cannot reach its lengths
// or never decays its rate (recipeFitWarnings).
import type { AttentionScale } from '../model/config';
import { getTask, type Task } from '../tasks';
import { curriculumLrHoldSteps, curriculumReachesEndAt, nPointsAt } from './curriculum';
import { fromCurriculum, isPresetName, presetNames, presetRecipe } from './presets';
import { RecipeError, validateRecipe, type TrainRecipe } from './recipe';
import { curriculumSteps, finalEnd, rescaledStages, rescaledStep, stagesOf, type StageSpec } from './stages';
import { recordedStagesText } from './trainRecord';
import { resolveTask } from '../programs/tasks/resolve';

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
  /** The 0-based step the saved weights' average starts at (TrainRecipe.averageFrom); null: the last weights, the paper's. */
  averageFrom?: number | null;
  /** Later stages in place of the preset's (empty: none); maxLength is then the curriculum's own longest length. Kept as given when the steps change. */
  stages?: StageSpec[];
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
  // So does the preset's weight average (over its last stage, which moves the same way).
  if (overrides.averageFrom === undefined && r.averageFrom !== undefined && r.steps !== original.steps && Number.isSafeInteger(r.steps) && r.steps >= 1) {
    r = { ...r, averageFrom: Math.min(r.steps - 1, rescaledStep(r.averageFrom, original.steps, r.steps)) };
  }
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
  if (o.averageFrom === null) delete out.averageFrom;
  else if (o.averageFrom !== undefined) out.averageFrom = o.averageFrom;
  // Given stages replace the preset's, and maxLength is the curriculum's own. Otherwise another longest
  // length than a staged recipe's last makes one curriculum to it (as does singleStage, to the same length).
  const unstage = o.stages === undefined && out.stages !== undefined && (o.singleStage === true || (o.maxLength !== undefined && o.maxLength !== finalEnd(out) - 1));
  const maxLength = o.maxLength ?? (unstage ? finalEnd(out) - 1 : undefined);
  if (unstage || o.stages?.length === 0) delete out.stages;
  else if (o.stages !== undefined) out.stages = stagesOf(o.stages, out.schedule.lr);
  // A preset's weight average is over its last stage: without its stages, none unless one is given.
  if ((unstage || o.stages !== undefined) && o.averageFrom === undefined) delete out.averageFrom;
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
