// A fine-tuning run: a new recipe (curriculum, learning rate, inputs) whose parameters start from a
// saved model's weights. The model decides the task and the network's shape; the recipe records
// which weights it started from (TrainRecipe.initFrom), so the new file says how it was made.
import { configDifferences, learnsKeyScale, type AttentionScale, type LoopedConfig } from '../model/config';
import { weightsCrc32, type LoadedModel } from '../model/modelFile';
import { keyScaleNames, type Params } from '../model/params';
import { finiteAt } from '../util/jsonPath';
import type { RecipeOverrides } from './recipePlan';
import { RecipeError, type RecipeInit, type TrainRecipe } from './recipe';
import { timeFromScratch } from './trainRecord';

/** What a new run takes from a model to start from its weights. */
export interface StartingPoint {
  init: RecipeInit;
  /** The model's shape as recipe overrides, so a preset builds the same network, in one stage (a fine-tune is one). */
  shape: Pick<RecipeOverrides, 'd' | 'layers' | 'heads' | 'attentionScale' | 'inputInjection' | 'fixedSteps' | 'singleStage'>;
}

/** The starting point of a run fine-tuning `model`, recorded under the name `name` (the path as the user gave it). */
export function startingPointOf(model: LoadedModel, name: string): StartingPoint {
  const c = model.config;
  const stepsBefore = finiteAt(model.metadata.training, 'stepsCompleted');
  const init: RecipeInit = { model: name, weightsCrc32: weightsCrc32(c, model.params) };
  if (stepsBefore !== undefined && Number.isSafeInteger(stepsBefore) && stepsBefore >= 0) init.stepsBefore = stepsBefore;
  const { seconds, cpuSeconds } = timeFromScratch(model.metadata.training);
  if (seconds !== undefined) init.secondsBefore = seconds;
  if (cpuSeconds !== undefined) init.cpuSecondsBefore = cpuSeconds;
  const shape: StartingPoint['shape'] = { d: c.d, layers: c.layers, heads: c.heads, attentionScale: c.attentionScale ?? 'none', inputInjection: c.inputInjection, singleStage: true };
  const fixed = model.metadata.stepsRule.fixedSteps;
  if (fixed !== undefined) shape.fixedSteps = fixed;
  return { init, shape };
}

/** How a recipe's task and network differ from the model it would start from, in words; empty when it can start there. */
export function startingPointConflicts(recipe: TrainRecipe, model: LoadedModel): string[] {
  const out: string[] = [];
  if (recipe.task !== model.task.name) out.push(`task: the recipe trains ${recipe.task}, the model does ${model.task.name}`);
  const fixed = model.metadata.stepsRule.fixedSteps;
  if (recipe.fixedSteps !== fixed) out.push(`loop steps: the recipe reads ${depthText(recipe.fixedSteps)}, the model ${depthText(fixed)}`);
  for (const d of configDifferences(recipe.model, model.config)) {
    if (d.key === 'attentionScale' && attentionMayBecome(model.config.attentionScale, recipe.model.attentionScale)) continue;
    out.push(`${d.key}: the recipe has ${d.a}, the model ${d.b}`);
  }
  return out;
}

/** Whether a model with attention `model` may fine-tune into learned key scales: the paper's attention, which they equal while every scale is 0. */
export const mayLearnKeyScalesFrom = (model: AttentionScale | undefined): boolean => (model ?? 'none') === 'none';

/** A learned-log-keys network starting from the paper's attention: the same function with every key scale at 0. */
const learnsKeyScaleFrom = (run: LoopedConfig, model: LoopedConfig): boolean => learnsKeyScale(run) && mayLearnKeyScalesFrom(model.attentionScale);

/** Whether a fine-tune of a model with attention `model` may train with attention `run`: the same, or learned key scales from the paper's. */
export const attentionMayBecome = (model: AttentionScale | undefined, run: AttentionScale | undefined): boolean =>
  (model ?? 'none') === (run ?? 'none') || (learnsKeyScale({ attentionScale: run }) && mayLearnKeyScalesFrom(model));

/** The config without learned key scales: the network a learned-log-keys one equals while every key scale is 0. */
const paperAttention = (c: LoopedConfig): LoopedConfig => ({ ...c, attentionScale: 'none' });

/**
 * The CRC-32s by which a run's starting weights may be recorded: their own, and, for learned key
 * scales all at 0, that of the paper-attention model they were taken from.
 */
export function startWeightsCrc32s(config: LoopedConfig, params: Params): number[] {
  const crcs = [weightsCrc32(config, params)];
  const keyScales = keyScaleNames(config);
  if (keyScales.length > 0 && keyScales.every((name) => params[name]?.every((v) => v === 0))) crcs.push(weightsCrc32(paperAttention(config), params));
  return crcs;
}

/** The weights `model` gives a run of `recipe` (which records them in initFrom); RecipeError when the recipe cannot start there. */
export function startingWeights(recipe: TrainRecipe, model: LoadedModel, shown: string): Params {
  const conflicts = startingPointConflicts(recipe, model);
  if (conflicts.length > 0) throw new RecipeError(`${shown}: this run cannot start from that model's weights: ${conflicts.join('; ')}`);
  if (!learnsKeyScaleFrom(recipe.model, model.config)) return model.params;
  return { ...model.params, ...Object.fromEntries(keyScaleNames(recipe.model).map((name) => [name, new Float32Array(recipe.model.heads)])) };
}

/** How a run or a model reads its examples: at T(n), or at a fixed depth. */
export const depthText = (fixed: number | undefined) => (fixed === undefined ? 'each example at its T(n)' : `every example at step ${fixed}`);
