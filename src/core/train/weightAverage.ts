// Weight averaging (TrainRecipe.averageFrom): a running mean of the weights after each update from
// a given step on, kept beside the optimizer state and saved in place of the last weights.
import { cloneParams, type Params } from '../model/params';
import type { TrainRecipe } from './recipe';
import { finiteAt } from '../util/jsonPath';

/** The mean of `count` sets of weights. */
export interface WeightAverage {
  params: Params;
  count: number;
}

/** Whether the weights after 0-based update `step` join the recipe's average. */
export function averagesAt(r: Pick<TrainRecipe, 'averageFrom'>, step: number): boolean {
  return r.averageFrom !== undefined && step >= r.averageFrom;
}

/** The average with `params` added (in place, and returned; a first set starts it). */
export function addToAverage(avg: WeightAverage | undefined, params: Params): WeightAverage {
  if (!avg) return { params: cloneParams(params), count: 1 };
  avg.count++;
  const k = 1 / avg.count;
  for (const [name, mean] of Object.entries(avg.params)) {
    const p = params[name];
    if (!p || p.length !== mean.length) throw new Error(`weight average: the weights have no "${name}" of ${mean.length} values`);
    for (let i = 0; i < mean.length; i++) mean[i]! += (p[i]! - mean[i]!) * k;
  }
  return avg;
}

/** The weights a run saves: its average once one has started, else its current weights. */
export function savedWeights(current: Params, avg: WeightAverage | undefined): Params {
  return avg?.params ?? current;
}

/**
 * "the weights averaged over steps 16,000 to 17,000" for a recipe that averages (", each branch's over
 * its own" where its last stage runs as branches, branches.ts); undefined for the paper's last weights.
 */
export function averageText(r: { averageFrom?: unknown; steps?: unknown; stages?: unknown }): string | undefined {
  const from = r.averageFrom;
  if (typeof from !== 'number' || !Number.isSafeInteger(from) || from < 0) return undefined;
  const n = (v: number) => v.toLocaleString('en-US');
  const to = typeof r.steps === 'number' && Number.isSafeInteger(r.steps) ? ` to ${n(r.steps)}` : ' to the end';
  const branches = Array.isArray(r.stages) ? finiteAt(r.stages.at(-1), 'branches') : undefined;
  const branched = branches !== undefined && branches >= 2;
  return `the weights averaged over steps ${n(from)}${to}${branched ? ", each branch's over its own" : ''}`;
}
