// A staged recipe: the recipe's own curriculum first, then stages that each train every length up to
// a longer one from their first step, as a fine-tuning run from the model so far would (LoopLens's
// `--init-from --max-length`): fresh AdamW moments, and a learning rate that warms up (the recipe's
// warm-up) and decays over the stage alone. It makes a chain of runs one recipe, so one command
// trains it and one file records it. Not in the paper. Like the curriculum, everything here is a
// pure function of the step, so a resumed run needs no extra state (but a last stage run as
// branches, whose weights branches.ts carries).
import { nPointsAt } from './curriculum';
import type { RecipeStage, TrainRecipe } from './recipe';
import { learningRateAt, type LrSchedule } from './schedule';
import { parseDecimal } from '../util/decimalText';

type Staged = Pick<TrainRecipe, 'curriculum' | 'steps' | 'schedule' | 'stages' | 'longShare' | 'answerHold'>;

/** The most stages a recipe may have. */
export const MAX_STAGES = 100;

/**
 * The stage in force at 0-based step `step`: its index in `stages` (-1: the recipe's own curriculum)
 * and its steps [from, to); in a last stage run as branches, the branch's steps and its index.
 */
export function stageAt(r: Staged, step: number): { index: number; from: number; to: number; branch?: number } {
  const stages = r.stages ?? [];
  let index = -1;
  for (let i = 0; i < stages.length && stages[i]!.fromStep <= step; i++) index = i;
  const from = index < 0 ? 0 : stages[index]!.fromStep;
  const to = index + 1 < stages.length ? stages[index + 1]!.fromStep : r.steps;
  const count = index < 0 ? undefined : stages[index]!.branches;
  if (count === undefined || count < 2) return { index, from, to };
  let branch = 0;
  while (branch + 1 < count && branchStart(from, to, count, branch + 1) <= step) branch++;
  return { index, from: branchStart(from, to, count, branch), to: branchStart(from, to, count, branch + 1), branch };
}

/** The first step of branch `k` of a stage's steps [from, to) split into `count` branches as evenly as whole steps allow. */
function branchStart(from: number, to: number, count: number, k: number): number {
  return from + Math.floor((k * (to - from)) / count);
}

/** The most branches a last stage may run as. */
export const MAX_BRANCHES = 16;

/** The steps a recipe's curriculum has: those before its first stage, or the whole run. */
export function curriculumSteps(r: Pick<TrainRecipe, 'steps' | 'stages'>): number {
  return r.stages?.[0]?.fromStep ?? r.steps;
}

/** n_points at step `step`: the curriculum's, or the stage's longest length + 1 (every length from its first step). */
export function nPointsOf(r: Staged, step: number): number {
  const { index } = stageAt(r, step);
  return index < 0 ? nPointsAt(r.curriculum, step) : r.stages![index]!.maxLength + 1;
}

/** The share of the batch at step `step` drawn at the longest length: its stage's own, else the recipe's (0: uniform lengths). */
export function longShareOf(r: Staged, step: number): number {
  const { index } = stageAt(r, step);
  return (index < 0 ? undefined : r.stages![index]!.longShare) ?? r.longShare ?? 0;
}

/** The loop steps past T(n) an example of the batch at step `step` may be read at: its stage's own hold, else the recipe's (0: at T(n)). */
export function answerHoldOf(r: Staged, step: number): number {
  const { index } = stageAt(r, step);
  return (index < 0 ? undefined : r.stages![index]!.answerHold) ?? r.answerHold ?? 0;
}

/** The longest answer hold of any step of the run: the loop steps past the horizon a batch may need. */
export function mostAnswerHold(r: { answerHold?: number; stages?: readonly { answerHold?: number }[] }): number {
  return Math.max(r.answerHold ?? 0, ...(r.stages ?? []).map((s) => s.answerHold ?? 0));
}

/** The longest answer hold a recipe or a stage may ask for (late reads lengthen every batch by this many steps). */
export const MAX_ANSWER_HOLD = 100;

/** An answer hold: an integer number of loop steps in [0, MAX_ANSWER_HOLD]. */
export function isAnswerHold(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 0 && (v as number) <= MAX_ANSWER_HOLD;
}

/** The learning-rate schedule of the stage holding `step`, in steps counted from that stage's first. */
export function stageSchedule(r: Staged, step: number): { schedule: LrSchedule; from: number } {
  const { index, from, to } = stageAt(r, step);
  const s = r.schedule;
  const common = { kind: s.kind, warmupSteps: s.warmupSteps ?? 0, minLrFraction: s.minLrFraction ?? 0 };
  if (index < 0) return { schedule: { ...common, lr: s.lr, totalSteps: to, holdSteps: s.holdSteps }, from };
  // The decay starts once the warm-up has reached the peak.
  return { schedule: { ...common, lr: r.stages![index]!.lr, totalSteps: to - from, holdSteps: common.warmupSteps }, from };
}

/** Learning rate at 0-based step `step`. */
export function learningRateOf(r: Staged, step: number): number {
  const { schedule, from } = stageSchedule(r, step);
  return learningRateAt(schedule, step - from);
}

/** The update count AdamW's bias correction uses at step `step` (1-based): it starts again with each stage's fresh moments. */
export function adamStepOf(r: Staged, step: number): number {
  return step - stageAt(r, step).from + 1;
}

/** True when `step` is a stage's (or a branch's) first: the moments start from zero there. */
export function startsStage(r: Staged, step: number): boolean {
  const { index, from } = stageAt(r, step);
  return index >= 0 && from === step;
}

/** The curriculum end (longest training length + 1) the whole recipe reaches: its last stage's, or its curriculum's. */
export function finalEnd(r: Pick<TrainRecipe, 'curriculum' | 'stages'>): number {
  const last = r.stages?.[r.stages.length - 1];
  return last === undefined ? r.curriculum.end : last.maxLength + 1;
}

/** What is wrong with a recipe's stages, in words; undefined when they are fine (or absent). */
export function stagesProblem(r: Pick<TrainRecipe, 'curriculum' | 'steps' | 'stages'>): string | undefined {
  if (r.stages === undefined) return undefined;
  if (!Array.isArray(r.stages) || r.stages.length === 0) return 'stages: a staged recipe needs at least one stage (none: leave them out)';
  if (r.stages.length > MAX_STAGES) return `stages: at most ${MAX_STAGES} stages, got ${r.stages.length}`;
  let from = 0;
  let longest = r.curriculum.end - 1;
  for (const [i, s] of r.stages.entries()) {
    const name = `stages: stage ${i + 1}`;
    if (!s || typeof s !== 'object') return `${name} is not an object`;
    if (!Number.isSafeInteger(s.fromStep) || s.fromStep <= from || s.fromStep >= r.steps) return `${name} must start at a step after ${from} and before the run's ${r.steps} steps end, got ${String(s.fromStep)}`;
    if (!Number.isSafeInteger(s.maxLength) || s.maxLength < longest) return `${name}'s longest length must be an integer of at least ${longest} (${i === 0 ? "the curriculum's" : `stage ${i}'s`}), got ${String(s.maxLength)}`;
    if (typeof s.lr !== 'number' || !(s.lr > 0) || !Number.isFinite(s.lr)) return `${name}'s learning rate must be a positive number, got ${String(s.lr)}`;
    if (s.longShare !== undefined && !isBatchShare(s.longShare)) return `${name}'s long share (of each batch at its longest length) must be a number in [0, 1), got ${String(s.longShare)}`;
    if (s.answerHold !== undefined && !isAnswerHold(s.answerHold)) return `${name}'s answer hold (the loop steps an answer must hold past T(n)) must be an integer in [0, ${MAX_ANSWER_HOLD}], got ${String(s.answerHold)}`;
    if (s.branches !== undefined) {
      if (i + 1 < r.stages.length) return `${name} runs as branches, but only the last stage may (the branches' mean ends the run)`;
      if (!isBranchCount(s.branches)) return `${name}'s branches must be an integer from 2 to ${MAX_BRANCHES}, got ${String(s.branches)}`;
      if (r.steps - s.fromStep < s.branches) return `${name} has ${r.steps - s.fromStep} steps, too few for ${s.branches} branches of at least one step each`;
    }
    from = s.fromStep;
    longest = s.maxLength;
  }
  return undefined;
}

/** A number of branches a last stage may run as: an integer in [2, MAX_BRANCHES]. */
export function isBranchCount(v: unknown): v is number {
  return Number.isSafeInteger(v) && (v as number) >= 2 && (v as number) <= MAX_BRANCHES;
}

/** A share of each training batch (the recipe's long, hard or distinct share, or a stage's long share): a number in [0, 1). */
export function isBatchShare(v: unknown): v is number {
  return typeof v === 'number' && v >= 0 && v < 1;
}

/** A step of a run whose steps changed from `from` to `to`, at the same share of the run. */
export function rescaledStep(step: number, from: number, to: number): number {
  return Math.round((step * to) / from);
}

/** The stages of a recipe whose steps changed from `from` to `to`: every stage starts at the same share of the run. */
export function rescaledStages(stages: readonly RecipeStage[], from: number, to: number): RecipeStage[] {
  let last = 0;
  return stages.map((s) => {
    const fromStep = Math.min(to - 1, Math.max(last + 1, rescaledStep(s.fromStep, from, to)));
    last = fromStep;
    return { ...s, fromStep };
  });
}

/** A stage as a person gives it: its rate may be left to the recipe's. */
export type StageSpec = Omit<RecipeStage, 'lr'> & { lr?: number };

/** The syntax of a list of stages, for errors and hints. */
export const STAGES_SYNTAX = 'FROM:LONGEST[:LR][:long=SHARE][:hold=K][:branches=B] per stage, comma-separated (e.g. 20000:12,23500:16:3e-4:long=0.5:hold=4), or none';

/**
 * Stages as typed ("20000:12, 23500:16:3e-4:long=0.5:hold=4:branches=3": from step 20,000 every
 * length up to 12, from step 23,500 up to 16 at lr 3e-4 with half of each batch at 16, each example
 * read at a random step up to 4 past its T(n), its steps split into 3 branches); "none" or nothing is
 * none. Only the syntax is checked here; the recipe checks the order, the lengths and which stage may
 * branch. Throws an Error naming the part that does not read.
 */
export function parseStages(text: string): StageSpec[] {
  const t = text.trim();
  if (t === '' || t.toLowerCase() === 'none') return [];
  const whole = (v: string | undefined) => (v === undefined ? undefined : /^\d+$/.test(v) ? Number(v) : null);
  return t.split(',').map((part, i) => {
    const m = /^\s*(\d[\d_]*)\s*:\s*(\d+)\s*(?::\s*(?!(?:long|hold|branches)\s*=)([^:\s]+)\s*)?(?::\s*long\s*=\s*([^:\s]+)\s*)?(?::\s*hold\s*=\s*([^:\s]+)\s*)?(?::\s*branches\s*=\s*([^:\s]+)\s*)?$/.exec(part);
    const lr = m?.[3] === undefined ? undefined : parseDecimal(m[3]);
    const share = m?.[4] === undefined ? undefined : parseDecimal(m[4]);
    const hold = whole(m?.[5]);
    const branches = whole(m?.[6]);
    if (!m || lr === null || (lr !== undefined && !(lr > 0 && lr <= 1)) || share === null || (share !== undefined && !isBatchShare(share)) || hold === null || (hold !== undefined && !isAnswerHold(hold)) || branches === null || (branches !== undefined && !isBranchCount(branches)))
      throw new Error(
        `stage ${i + 1} ("${part.trim()}") does not read as ${STAGES_SYNTAX.replace(' per stage', '')}; a rate is above 0 and at most 1, a share at least 0 and below 1, a hold a whole number of loop steps up to ${MAX_ANSWER_HOLD}, branches a whole number from 2 to ${MAX_BRANCHES}`,
      );
    const spec: StageSpec = { fromStep: Number(m[1]!.replace(/_/g, '')), maxLength: Number(m[2]) };
    if (lr !== undefined) spec.lr = lr;
    if (share !== undefined) spec.longShare = share;
    if (hold !== undefined) spec.answerHold = hold;
    if (branches !== undefined) spec.branches = branches;
    return spec;
  });
}

/** A recipe's stages as parseStages reads them ("none" without stages); a rate is written only where it is not the recipe's. */
export function stagesSpecText(r: Pick<TrainRecipe, 'stages' | 'schedule'>): string {
  if (!r.stages?.length) return 'none';
  return r.stages
    .map((s) => `${s.fromStep}:${s.maxLength}${s.lr === r.schedule.lr ? '' : `:${s.lr}`}${s.longShare === undefined ? '' : `:long=${s.longShare}`}${s.answerHold === undefined ? '' : `:hold=${s.answerHold}`}${s.branches === undefined ? '' : `:branches=${s.branches}`}`)
    .join(', ');
}

/** Specs as stages: a stage without a rate takes `lr`, the recipe's; a long share, an answer hold and branches are kept only where given. */
export function stagesOf(specs: readonly StageSpec[], lr: number): RecipeStage[] {
  return specs.map((s) => ({
    fromStep: s.fromStep,
    maxLength: s.maxLength,
    lr: s.lr ?? lr,
    ...(s.longShare === undefined ? {} : { longShare: s.longShare }),
    ...(s.answerHold === undefined ? {} : { answerHold: s.answerHold }),
    ...(s.branches === undefined ? {} : { branches: s.branches }),
  }));
}
