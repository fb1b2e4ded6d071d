// Named training recipes.
//   paper: the published recipe for each task (paper.md "Training"): d = 256, the task's block,
//          AdamW lr 1e-4, batch 64, 100,001 steps, the task's curriculum, constant-then-cosine lr.
//   cpu:   a small recipe that trains on a 2-core CPU in minutes: d = 64, lr 1e-3 (a small model
//          needs a larger rate to learn in a few thousand steps), a dense curriculum, and rows only
//          as wide as the curriculum needs (full-width rows dilute the answer among pad positions).
// The runs behind each cpu recipe: models/README.md, "Measurements behind the cpu presets".
import { PAPER_ADAMW } from '../optim/adamw';
import type { LoopedConfig } from '../model/config';
import { getTask, isTaskName, type Task, type TaskName } from '../tasks';
import type { CurriculumSpec } from '../tasks/types';
import { curriculumLrHoldSteps } from './curriculum';
import { RecipeError, validateRecipe, type TrainRecipe } from './recipe';
import { resolveTask } from '../programs/tasks/resolve';

export const presetNames = ['paper', 'cpu'] as const;
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
  /** Longest training length (the curriculum's end is this + 1) and steps between length increases. */
  maxLength?: number;
  interval?: number;
  widthMode?: 'fixed' | 'curriculum';
  warmupSteps?: number;
}

interface CpuShape {
  seed?: number;
  d: number;
  layers: number;
  heads: number;
  curriculum: CurriculumSpec;
  steps: number;
  lr: number;
}

/** The cpu preset per task; one line each on why (the measurements: models/README.md). */
const CPU: Record<TaskName, CpuShape> = {
  // Seed 1: seed 0's model is as confident past T(n) as at it, so the per-batch rule fails at 30-40.
  parity: { seed: 1, d: 64, layers: 1, heads: 4, curriculum: { start: 2, interval: 100, end: 21 }, steps: 6000, lr: 1e-3 },
  // 16 heads and 12000 steps: fewer heads or steps fall short at n = 30.
  copy: { d: 64, layers: 2, heads: 16, curriculum: { start: 2, interval: 100, end: 20 }, steps: 12000, lr: 1e-3 },
  // 16 heads and a slow curriculum learn the most; still short of its bar (it needs the paper's width and steps).
  addition: { d: 64, layers: 3, heads: 16, curriculum: { start: 2, interval: 500, end: 20 }, steps: 14000, lr: 1e-3 },
  // Right to n = 19, short of the paper at 24.
  binary_sum: { d: 64, layers: 2, heads: 8, curriculum: { start: 2, interval: 200, end: 20 }, steps: 8000, lr: 1e-3 },
  // Starting points, not measured.
  multiplication: { d: 64, layers: 4, heads: 4, curriculum: { start: 2, interval: 300, end: 12 }, steps: 8000, lr: 1e-3 },
  unique_set: { d: 64, layers: 3, heads: 4, curriculum: { start: 2, interval: 200, end: 20 }, steps: 8000, lr: 1e-3 },
};

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
  return base(task, 'paper', modelFor(task, b.dModel, b.layers, b.heads), { ...task.curriculum }, 100_001, 1e-4);
}

export function cpuRecipe(taskName: TaskName | Task): TrainRecipe {
  const task = typeof taskName === 'string' ? getTask(taskName) : taskName;
  const s = isTaskName(task.name) && task.raspl === undefined ? CPU[task.name] : { ...CUSTOM_CPU, curriculum: { ...task.curriculum } };
  return { ...base(task, 'cpu', modelFor(task, s.d, s.layers, s.heads), { ...s.curriculum }, s.steps, s.lr), seed: s.seed ?? 0, widthMode: 'curriculum' };
}

/** A preset for a task with the user's overrides applied and validated. */
export function makeRecipe(taskName: string | Task, preset: string, overrides: RecipeOverrides = {}): TrainRecipe {
  const task = typeof taskName === 'string' ? getTask(taskName) : taskName;
  if (!isPresetName(preset)) throw new RecipeError(`unknown preset "${preset}"; valid presets: ${presetNames.join(', ')}`);
  const r = preset === 'paper' ? paperRecipe(task) : cpuRecipe(task);
  return validateRecipe(applyOverrides(r, overrides));
}

export function applyOverrides(r: TrainRecipe, o: RecipeOverrides): TrainRecipe {
  const out: TrainRecipe = { ...r, schedule: { ...r.schedule }, model: { ...r.model }, curriculum: { ...r.curriculum }, optimizer: { ...r.optimizer } };
  if (o.steps !== undefined) out.steps = o.steps;
  if (o.seed !== undefined) out.seed = o.seed;
  if (o.lr !== undefined) out.schedule.lr = o.lr;
  if (o.batchSize !== undefined) out.batchSize = o.batchSize;
  if (o.d !== undefined) out.model.d = o.d;
  if (o.layers !== undefined) out.model.layers = o.layers;
  if (o.heads !== undefined) out.model.heads = o.heads;
  if (o.widthMode !== undefined) out.widthMode = o.widthMode;
  if (o.warmupSteps !== undefined) out.schedule.warmupSteps = o.warmupSteps;
  if (o.interval !== undefined || o.maxLength !== undefined) {
    // A new curriculum moves everything derived from it: the lr hold, the row width, the horizon.
    if (o.interval !== undefined) out.curriculum.interval = o.interval;
    if (o.maxLength !== undefined) out.curriculum.end = o.maxLength + 1;
    const { holdSteps, width, horizon } = fromCurriculum(resolveTask(out), out.curriculum);
    out.width = width;
    out.horizon = horizon;
    out.schedule.holdSteps = holdSteps;
  }
  return out;
}
