// What "Train Looped Model" is about to do, as plain data: the user's choices, the recipe they
// make, the worker's start options and the panel's setup. No vscode import (unit-tested).
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { ExecutionProviderSetting } from '../../core/infer/executionProvider';
import { attentionOf } from '../../core/model/modelMetadata';
import { PAPER_ADAMW } from '../../core/optim/adamw';
import { resolveTask } from '../../core/programs/tasks/resolve';
import type { RaspSourceRef, Task } from '../../core/tasks/types';
import { type PresetName } from '../../core/train/presets';
import { describeScaling, makeRecipe, planRecipe, recipeFitWarnings, type RecipeOverrides, type RecipePlan } from '../../core/train/recipePlan';
import { forkRecipe, type ForkPoint } from '../../core/train/forkRecipe';
import type { StartingPoint } from '../../core/train/fineTune';
import type { RecipeInit, TrainRecipe } from '../../core/train/recipe';
import { loopText } from '../../core/train/recipeDiff';
import { recordedInitText, recordedScheduleText, recordedStagesText, trainedLengthsAt } from '../../core/train/trainRecord';
import { finalEnd, longShareOf } from '../../core/train/stages';
import { averageText } from '../../core/train/weightAverage';
import { checkpointPathFor, DEFAULT_CHECKPOINT_EVERY, modelPathForCheckpoint, type TrainingCheckpointInfo } from '../../core/train/trainingCheckpoint';
import type { WorkerStartOptions } from '../../core/train/workerProtocol';
import type { TrainingSetup } from '../../protocol/training';
import { parseLengths } from '../evaluate/evalDefaults';
import { defaultTestLengths } from '../../core/train/testLengths';

export interface FinalEvalChoice {
  lengths: number[];
  examples: number;
}

/** What the custom recipe page changes on top of a preset (RecipeOverrides' model, optimizer, lr floor, weight decay, curriculum, long share, hard and distinct shares, answer hold and weight average fields, and the paper's ablations). */
export type RecipeFields = Pick<RecipeOverrides, 'd' | 'layers' | 'heads' | 'attentionScale' | 'lr' | 'minLrFraction' | 'weightDecay' | 'batchSize' | 'maxLength' | 'interval' | 'stages' | 'longShare' | 'hardShare' | 'distinctShare' | 'answerHold' | 'averageFrom' | 'inputInjection' | 'fixedSteps'>;

/** The preset label of a recipe made on the custom recipe page. */
export const CUSTOM_PRESET_LABEL = 'custom';

/** The preset label of a fine-tuning recipe (its model page and Training panel also say where it started). */
export const FINE_TUNE_PRESET_LABEL = 'fine-tune';

export interface TrainPlan {
  /** A built-in task name, or the name of the custom task in `taskFile`. */
  task: string;
  /** A custom RASP-L task file (name and source): trained like a built-in, the source travels with the recipe. */
  taskFile?: RaspSourceRef;
  /** The preset the recipe starts from. */
  preset: PresetName;
  /** Changes made on the custom recipe page; the recipe is then labelled "custom". */
  custom?: RecipeFields;
  /** undefined: the preset's. */
  steps?: number;
  seed?: number;
  modelPath: string;
  /** null: skip the final evaluation. */
  finalEval: FinalEvalChoice | null;
  /** A last stage run as branches: also save and evaluate each branch as its own model (core/train/trainJob.ts keepBranches). */
  keepBranches?: boolean;
  /** Also save the weights and the run's checkpoint at these steps, each before the last (core/train/trainer.ts saveAt). */
  saveAt?: number[];
  /** A fine-tuning run (fineTunePlan.ts): the model file whose weights it starts from, how its recipe records them, and the network it keeps. */
  start?: { modelPath: string; init: RecipeInit; shape: StartingPoint['shape'] };
  /**
   * A run that goes on from another run's checkpoint (forkPlan.ts, the CLI's --resume-from): its
   * recipe is the checkpoint's with the plan's steps and `custom`'s stages and weight average
   * (forkRecipe.ts); `preset` and the other custom fields are not read.
   */
  fork?: ForkPoint;
}

export interface RuntimeChoice {
  provider: ExecutionProviderSetting;
  cpuThreads: number;
  /** The looplens.dataParallel setting (CPU only). */
  dataParallel?: boolean;
}

/** Examples per length of the final evaluation (the CLI's default too); the paper reports 6400. */
export const FINAL_EVAL_EXAMPLES = 640;
const QUICK_EVAL_EXAMPLES = 64;

/** The plan's recipe with how it was rescaled and what to warn about (core's planRecipe). Throws RecipeError on bad custom values. */
export function recipePlanOf(plan: Pick<TrainPlan, 'task' | 'taskFile' | 'preset' | 'custom' | 'steps' | 'seed' | 'start' | 'fork'>): RecipePlan {
  if (plan.fork) {
    const recipe = forkRecipe(plan.fork, { steps: plan.steps, stages: plan.custom?.stages, averageFrom: plan.custom?.averageFrom });
    return { recipe, warnings: recipeFitWarnings(recipe) };
  }
  const p = planRecipe(resolveTask(plan), plan.preset, { ...plan.custom, steps: plan.steps, seed: plan.seed });
  if (plan.start) return { ...p, recipe: { ...p.recipe, preset: FINE_TUNE_PRESET_LABEL, initFrom: plan.start.init } };
  return plan.custom ? { ...p, recipe: { ...p.recipe, preset: CUSTOM_PRESET_LABEL } } : p;
}

export function recipeOf(plan: Pick<TrainPlan, 'task' | 'taskFile' | 'preset' | 'custom' | 'steps' | 'seed' | 'start' | 'fork'>): TrainRecipe {
  return recipePlanOf(plan).recipe;
}

/** What the review list says about a plan's recipe: how it was rescaled to its steps, and its warnings. */
export function recipeNotes(p: RecipePlan): { scaling: string | undefined; warnings: string[] } {
  return { scaling: p.scaling ? `Curriculum and learning rate ${describeScaling(p.scaling)}.` : undefined, warnings: p.warnings };
}

/**
 * `<folder>/<task>-<preset>.onnx`, or the first `-2`, `-3`, … name not taken by a finished model.
 * A name whose checkpoint exists without its model is an unfinished run: it is kept, so the
 * command can offer to resume it.
 */
export function defaultModelPath(folder: string, task: string, preset: string): string {
  for (let i = 1; ; i++) {
    const p = path.join(folder, `${task}-${preset}${i === 1 ? '' : `-${i}`}.onnx`);
    if (!fs.existsSync(p)) return p;
  }
}

export function defaultFinalEval(task: Task, recipe: TrainRecipe): FinalEvalChoice {
  return { lengths: defaultTestLengths(task, finalEnd(recipe) - 1), examples: FINAL_EVAL_EXAMPLES };
}

/** "10,20,30,40 × 640 examples" */
export function describeFinalEval(e: FinalEvalChoice | null): string {
  return e ? `lengths ${e.lengths.join(', ')} × ${e.examples} examples` : 'none';
}

/** "10,20,30,40 x 640", "5 10 x 64", or "none". Throws an Error with a message for the input box. */
export function parseFinalEval(text: string): FinalEvalChoice | null {
  const t = text.trim();
  if (/^(none|no|off|skip)$/i.test(t)) return null;
  const m = /^(.*?)\s*(?:[x×*]\s*(\d+)\s*(?:examples)?)?$/i.exec(t);
  const lengths = parseLengths(m?.[1] ?? '');
  const examples = m?.[2] === undefined ? FINAL_EVAL_EXAMPLES : Number(m[2]);
  if (!Number.isInteger(examples) || examples < 1 || examples > 100_000) throw new Error('examples per length must be a whole number from 1 to 100000');
  return { lengths, examples };
}

/** The quick evaluation's lengths: the end of the training range and the task's test length. */
function quickEvalLengths(task: Task, recipe: TrainRecipe): number[] {
  const maxTrain = finalEnd(recipe) - 1;
  return [...new Set([maxTrain, Math.max(task.testLength, maxTrain + 1)])];
}

/** About a dozen quick evaluations over a run, never more often than every 10 steps. */
export function quickEvalEvery(steps: number): number {
  return Math.max(10, Math.round(steps / 12 / 10) * 10);
}

/** At most ~600 history points whatever the run's length. */
export function historyEveryFor(steps: number): number {
  return Math.max(5, Math.ceil(steps / 600));
}

/**
 * The worker's start options for a run described by `setup` (a fresh run of `recipe`, or a resume of
 * its checkpoint). Without `recipe` a fresh run uses setup's preset with its steps and seed. A
 * fine-tuning run names the model file its weights start from (`startModel`); a resume never does.
 */
export function workerStartOptions(setup: TrainingSetup, runtime: RuntimeChoice, resume: boolean, recipe?: TrainRecipe, startModel?: string): WorkerStartOptions {
  return {
    // A resume continues the checkpoint's own recipe (whatever made it: this command or the CLI).
    recipe: resume ? undefined : (recipe ?? makeRecipe(resolveTask(setup), setup.preset, { steps: setup.steps, seed: setup.seed })),
    ...(resume || startModel === undefined ? {} : { initFrom: startModel }),
    checkpointPath: setup.checkpointPath,
    checkpointEvery: DEFAULT_CHECKPOINT_EVERY,
    resume,
    modelPath: setup.modelPath,
    ...(setup.keepBranches ? { keepBranches: true } : {}),
    ...(setup.saveAt ? { saveAt: setup.saveAt } : {}),
    finalEval: setup.finalEval ? { lengths: setup.finalEval.lengths, examples: setup.finalEval.examples, batchSize: 64 } : undefined,
    quickEval: { every: quickEvalEvery(setup.steps), lengths: setup.quickEvalLengths, examples: QUICK_EVAL_EXAMPLES },
    historyEvery: historyEveryFor(setup.steps),
    provider: runtime.provider,
    cpuThreads: runtime.cpuThreads > 0 ? runtime.cpuThreads : undefined,
    ...(runtime.dataParallel ? { dataParallel: true } : {}),
    progressIntervalMs: 250,
  };
}

/** The worker's start options for a fork (TrainPlan.fork): a resume of `from` with the plan's recipe, writing the setup's own checkpoint. */
export function forkStartOptions(setup: TrainingSetup, runtime: RuntimeChoice, recipe: TrainRecipe, from: string): WorkerStartOptions {
  return { ...workerStartOptions(setup, runtime, false, recipe), resume: true, resumeFrom: from };
}

/** "unique_set.ckpt at step 20,000": where a fork went on from, as the Training panel says it. */
export const forkedFromText = (fork: Pick<ForkPoint, 'checkpointPath' | 'step'>): string => `${path.basename(fork.checkpointPath)} at step ${fork.step.toLocaleString('en-US')}`;

/** What the Training panel shows of a recipe: the one planned, or the one a resumed run actually runs. */
export function recipeSetup(r: TrainRecipe): Pick<TrainingSetup, 'task' | 'taskTitle' | 'preset' | 'model' | 'steps' | 'batchSize' | 'lr' | 'curriculum' | 'maxTrainLength' | 'seed' | 'loopText' | 'scheduleText' | 'fixedSteps' | 'longShare' | 'stageLengths' | 'stageLongShares' | 'lastStageBranches' | 'hardShare' | 'distinctShare' | 'startedFrom' | 'weightDecay' | 'averageText'> {
  return {
    task: r.task,
    taskTitle: resolveTask(r).title,
    preset: r.preset,
    model: { d: r.model.d, layers: r.model.layers, heads: r.model.heads, ...attentionOf(r.model) },
    steps: r.steps,
    batchSize: r.batchSize,
    lr: r.schedule.lr,
    curriculum: { ...r.curriculum },
    // the lengths the run reaches by its last step (its "trained" tags), not merely the curriculum's end
    maxTrainLength: trainedLengthsAt(r, r.steps)?.max ?? finalEnd(r) - 1,
    seed: r.seed,
    // the ablations and the lr floor, in the words the CLI and the model page use
    loopText: loopText(r),
    // a staged recipe's stages each have their own rate and decay, so they are said with the schedule
    scheduleText: [recordedScheduleText(r), recordedStagesText(r)].filter((t) => t !== undefined).join('; '),
    // undefined, not absent, for a T(n) run: a resume's setup replaces the one it started from (trainingState.ts)
    fixedSteps: r.fixedSteps,
    // likewise undefined for the paper's: uniform lengths and inputs (no share, or 0), AdamW's weight decay 0.01
    longShare: r.longShare || undefined,
    stageLengths: r.stages?.map((s) => s.maxLength),
    // each stage's draws, said only where one of them sets its own
    stageLongShares: r.stages?.some((s) => s.longShare !== undefined) ? r.stages.map((s) => longShareOf(r, s.fromStep)) : undefined,
    lastStageBranches: r.stages?.at(-1)?.branches,
    hardShare: r.hardShare || undefined,
    distinctShare: r.distinctShare || undefined,
    // a fine-tuning run (a CLI --init-from checkpoint resumed here): where its weights started
    startedFrom: recordedInitText(r),
    weightDecay: r.optimizer.weightDecay === PAPER_ADAMW.weightDecay ? undefined : r.optimizer.weightDecay,
    // undefined for the paper's last weights
    averageText: averageText(r),
  };
}

export function trainingSetupOf(plan: TrainPlan, runtime: Pick<RuntimeChoice, 'provider'>): TrainingSetup {
  const r = recipeOf(plan);
  return {
    ...recipeSetup(r),
    ...(plan.taskFile === undefined ? {} : { taskFile: { ...plan.taskFile } }),
    modelPath: plan.modelPath,
    checkpointPath: checkpointPathFor(plan.modelPath),
    ...(plan.keepBranches ? { keepBranches: true } : {}),
    ...(plan.saveAt && plan.saveAt.length > 0 ? { saveAt: plan.saveAt } : {}),
    ...(plan.fork ? { forkedFrom: forkedFromText(plan.fork) } : {}),
    provider: runtime.provider,
    finalEval: plan.finalEval,
    quickEvalLengths: quickEvalLengths(resolveTask(plan), r),
  };
}

/** What a checkpoint keeps of its run's choices (TrainingCheckpointInfo): its branches, the steps it saves at, the checkpoints it went on from. */
export type KeptRunChoices = Partial<Pick<TrainingCheckpointInfo, 'keepBranches' | 'saveAt' | 'forks'>>;

/** The setup of a run resumed from its checkpoint alone (Models view, "Resume Training"): its own recipe, its model beside it, the choices its checkpoint keeps. */
export function resumeSetupOf(recipe: TrainRecipe, checkpointPath: string, runtime: Pick<RuntimeChoice, 'provider'>, kept: KeptRunChoices = {}): TrainingSetup {
  const task = resolveTask(recipe);
  const lastFork = kept.forks?.at(-1);
  return {
    ...recipeSetup(recipe),
    ...(kept.keepBranches ? { keepBranches: true } : {}),
    ...(kept.saveAt && kept.saveAt.length > 0 ? { saveAt: kept.saveAt } : {}),
    ...(lastFork ? { forkedFrom: forkedFromText({ checkpointPath: lastFork.checkpoint, step: lastFork.step }) } : {}),
    ...(recipe.taskFile === undefined ? {} : { taskFile: { ...recipe.taskFile } }),
    modelPath: modelPathForCheckpoint(checkpointPath),
    checkpointPath,
    provider: runtime.provider,
    finalEval: defaultFinalEval(task, recipe),
    quickEvalLengths: quickEvalLengths(task, recipe),
  };
}

/** "d = 64, 1 layer, 4 heads · 6,000 steps · lr 0.001 · lengths 1..20, +1 every 100 steps" */
export function describeRecipe(r: TrainRecipe): string {
  const m = r.model;
  return `d = ${m.d}, ${m.layers} layer${m.layers === 1 ? '' : 's'}, ${m.heads} heads · ${r.steps.toLocaleString('en-US')} steps · lr ${r.schedule.lr} · lengths 1..${r.curriculum.end - 1}, +1 every ${r.curriculum.interval} steps${r.stages ? `, then ${r.stages.map((s) => `1..${s.maxLength}`).join(', ')} in stages` : ''}`;
}

/** The presets as the QuickPick shows them for one task, with what they cost. */
export function presetChoices(taskName: string | Task): { preset: PresetName; label: string; description: string; detail: string }[] {
  const describe = (preset: PresetName) => describeRecipe(makeRecipe(taskName, preset));
  return [
    {
      preset: 'tiny',
      label: 'tiny',
      description: 'under a minute: to try the flow',
      detail: `${describe('tiny')}. Short inputs only: enough to open, step through and evaluate a model, not to generalize far.`,
    },
    {
      preset: 'cpu',
      label: 'cpu',
      description: 'minutes to hours on a laptop CPU, by task',
      detail: `${describe('cpu')}. A small block and a fast curriculum, measured to generalize on 2 CPU cores.`,
    },
    {
      preset: 'paper',
      label: 'paper',
      description: "the published recipe: days on a CPU, hours on a GPU",
      detail: `${describe('paper')}. Fan et al. 2024 exactly; set looplens.executionProvider to cuda on a GPU machine.`,
    },
  ];
}
