// Named training recipes.
//   paper: the published recipe for each task (paper.md "Training"): d = 256, the task's block,
//          AdamW lr 1e-4, batch 64, 100,001 steps, the task's curriculum, constant-then-cosine lr.
//   cpu:   a small recipe that trains on a 2-core CPU in minutes: d = 64, lr 1e-3 (a small model
//          needs a larger rate to learn in a few thousand steps), a dense curriculum, and rows only
//          as wide as the curriculum needs (full-width rows dilute the answer among pad positions).
//   tiny:  the cpu recipe on short lengths for a fraction of the steps: a model in under a minute,
//          for trying the flow (train, open, step through), not for length generalization.
// The runs behind each cpu and tiny recipe: models/README.md, "Measurements behind the cpu presets"
// and "The tiny preset". A preset with a user's changes is planned in recipePlan.ts.
import { PAPER_ADAMW } from '../optim/adamw';
import type { LoopedConfig } from '../model/config';
import { getTask, isTaskName, type Task, type TaskName } from '../tasks';
import type { CurriculumSpec } from '../tasks/types';
import { curriculumLrHoldSteps } from './curriculum';
import type { RecipeStage, TrainRecipe } from './recipe';
import { finalEnd } from './stages';

export const presetNames = ['paper', 'cpu', 'tiny'] as const;
export type PresetName = (typeof presetNames)[number];

export function isPresetName(s: string): s is PresetName {
  return (presetNames as readonly string[]).includes(s);
}

/** Settings a user may change on top of a preset. */
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
  /** The step the saved weights' average starts at (TrainRecipe.averageFrom). */
  averageFrom?: number;
}

/** The cpu preset per task; one line each on why (the measurements: models/README.md). */
const CPU: Record<TaskName, SmallShape> = {
  // Seed 1: seed 0's model is as confident past T(n) as at it, so the per-batch rule fails at 30-40.
  parity: { seed: 1, d: 64, layers: 1, heads: 4, curriculum: { start: 2, interval: 100, end: 21 }, steps: 6000, lr: 1e-3 },
  // 16 heads and 16000 steps, seed 1: fewer heads or steps fall short at n = 30, and seed 0 at 30 and 38.
  // A last stage with half of each batch at 19, its weights averaged, carries it further past 19; run
  // as three branches and their mean, it keeps about what the best of them reaches.
  copy: {
    seed: 1,
    d: 64,
    layers: 2,
    heads: 16,
    curriculum: { start: 2, interval: 100, end: 20 },
    steps: 19000,
    lr: 1e-3,
    stages: [{ fromStep: 16000, maxLength: 19, lr: 1e-4, longShare: 0.5, branches: 3 }],
    averageFrom: 16000,
  },
  // 32 heads fit lengths 1..8 in 20000 steps (one curriculum to 1..19 fits only n <= 5); each stage
  // then fits the longer lengths in a few thousand steps from the model so far. A step trained to 19
  // carries to about 24, so a last stage trains past the paper's lengths, to 24 with half of each batch
  // there, to reach the test length 30. Seed 0 carries further than seed 1.
  addition: {
    seed: 0,
    d: 64,
    layers: 3,
    heads: 32,
    curriculum: { start: 2, interval: 500, end: 9 },
    steps: 28600,
    lr: 1e-3,
    stages: [
      { fromStep: 20000, maxLength: 12, lr: 1e-3 },
      { fromStep: 23500, maxLength: 16, lr: 1e-3 },
      { fromStep: 25000, maxLength: 19, lr: 1e-3 },
      { fromStep: 27000, maxLength: 24, lr: 3e-4, longShare: 0.5 },
    ],
  },
  // 16 heads and 12000 steps reach n = 24 (8 heads and 8000 steps: 60% there).
  binary_sum: { d: 64, layers: 2, heads: 16, curriculum: { start: 2, interval: 200, end: 20 }, steps: 12000, lr: 1e-3 },
  // The paper's block (4 layers, 8 heads): 2 layers of 16 heads fit n_b <= 11 but reach only part way to 15.
  multiplication: { d: 64, layers: 4, heads: 8, curriculum: { start: 2, interval: 400, end: 12 }, steps: 10000, lr: 1e-3 },
  // 2 heads of width 32: 16 heads 4 wide were not seen to read the values of earlier elements (they
  // judge "new?" against an average of them) and stall short of n = 30; 32-wide heads compare values.
  // Staged as addition is: one curriculum to 1..10, then each stage fits longer lengths from the model
  // so far, the last past the paper's 1..19 to 24 with half of each batch there, to reach 30. Seed 0
  // carries further than seed 1.
  unique_set: {
    seed: 0,
    d: 64,
    layers: 3,
    heads: 2,
    curriculum: { start: 2, interval: 500, end: 11 },
    steps: 24000,
    lr: 1e-3,
    stages: [
      { fromStep: 14000, maxLength: 14, lr: 1e-3 },
      { fromStep: 17000, maxLength: 19, lr: 1e-3, longShare: 0.5 },
      { fromStep: 20000, maxLength: 24, lr: 3e-4, longShare: 0.5 },
    ],
  },
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
export function fromCurriculum(task: Task, curriculum: CurriculumSpec): { holdSteps: number; width: number; horizon: number } {
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
  const staged = s.stages ? withStages(task, r, s.stages) : r;
  return s.averageFrom === undefined ? staged : { ...staged, averageFrom: s.averageFrom };
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
