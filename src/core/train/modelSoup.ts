// A model soup (Wortsman et al., 2022; not in the paper): the tensor-by-tensor mean of the weights
// of models of one network, such as fine-tunes of one model on different data. Their errors at
// long lengths need not be the same ones, so their mean can carry further than each. The soup's
// training record is its first ingredient's with the ingredients listed, so that `looplens info`
// and the model page say what it is; the first's evaluation is dropped, since it is not the soup's.
import { configDifferences, type LoopedConfig } from '../model/config';
import { MAX_SOUP_MODELS, type SoupIngredient, type TrainingRecord } from '../model/modelMetadata';
import { weightsCrc32, type LoadedModel, type ModelContents } from '../model/modelFile';
import type { Params } from '../model/params';
import { crc32Text } from '../util/crc32';
import { depthText } from './fineTune';
import { printableText } from '../util/plainText';

/** A model to average and the name the soup records for it (the file name as the user gave it). */
export interface NamedModel {
  name: string;
  model: LoadedModel;
}

/** Why models cannot be averaged: too few or too many, or networks that differ. */
export class SoupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SoupError';
  }
}

/** What every model of a soup must share: the task (and its RASP-L source), the loop rule and the network. */
export interface SoupNetwork {
  task: string;
  rasplSource: string | undefined;
  fixedSteps: number | undefined;
  config: LoopedConfig;
}

export function soupNetwork(m: Pick<LoadedModel, 'task' | 'config' | 'metadata'>): SoupNetwork {
  return { task: m.task.name, rasplSource: m.task.raspl?.source, fixedSteps: m.metadata.stepsRule.fixedSteps, config: m.config };
}

/** How `other` differs from `first` where a soup needs them the same, in words; empty when it does not. */
export function soupConflicts(first: SoupNetwork, other: SoupNetwork): string[] {
  const out: string[] = [];
  if (first.task !== other.task) out.push(`task ${other.task}, not ${first.task}`);
  else if (first.rasplSource !== other.rasplSource) out.push(`another RASP-L source for the task ${first.task}`);
  if (first.fixedSteps !== other.fixedSteps) out.push(`${depthText(other.fixedSteps)}, not ${depthText(first.fixedSteps)}`);
  for (const d of configDifferences(first.config, other.config)) out.push(`${d.key} ${d.b}, not ${d.a}`);
  return out;
}

/** The mean of each weight tensor over `params` (summed in double precision, in the order given). */
export function meanWeights(params: readonly Params[]): Params {
  const out: Params = {};
  for (const key of Object.keys(params[0]!)) {
    const sum = new Float64Array(params[0]![key]!.length);
    for (const p of params) p[key]!.forEach((v, i) => (sum[i]! += v));
    out[key] = Float32Array.from(sum, (v) => v / params.length);
  }
  return out;
}

/** The soup of `models` (2 to MAX_SOUP_MODELS of one network): what saveModel writes. SoupError when they cannot be averaged. */
export function modelSoup(models: readonly NamedModel[]): ModelContents {
  if (models.length < 2 || models.length > MAX_SOUP_MODELS) throw new SoupError(`a soup averages 2 to ${MAX_SOUP_MODELS} models, got ${models.length}`);
  const first = models[0]!;
  const network = soupNetwork(first.model);
  for (const m of models.slice(1)) {
    const conflicts = soupConflicts(network, soupNetwork(m.model));
    if (conflicts.length > 0) throw new SoupError(`${m.name} cannot be averaged with ${first.name}: it has ${conflicts.join('; ')}`);
  }
  const soup: SoupIngredient[] = models.map((m) => ({ model: m.name, weightsCrc32: weightsCrc32(m.model.config, m.model.params) }));
  const { evaluation: _theFirsts, ...record } = first.model.metadata.training;
  const training: TrainingRecord = { ...record, soup };
  return { task: first.model.task, config: first.model.config, params: meanWeights(models.map((m) => m.model.params)), training };
}

/** A record's soup in words ("the mean of the weights of 3 models (a model soup): a.onnx (CRC-32 1a2b3c4d), …"); undefined for a model trained as one. */
export function recordedSoupText({ soup }: Pick<TrainingRecord, 'soup'>): string | undefined {
  if (soup === undefined) return undefined;
  return `the mean of the weights of ${soup.length} models (a model soup): ${soup.map((s) => `${printableText(s.model)} (CRC-32 ${crc32Text(s.weightsCrc32)})`).join(', ')}`;
}
