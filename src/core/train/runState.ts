// Everything a run carries from step to step (and through a checkpoint): recipe, optimizer state,
// data stream, history, the steps not yet logged and the time spent so far.
import type { QuickEvalSettings } from './quickEval';
import type { RunFork } from '../model/modelMetadata';
import { cloneParams, initParams, type Params } from '../model/params';
import { Rng } from '../util/rng';
import type { TrainRecipe } from './recipe';
import type { HistoryEntry, TrainPoint } from './trainEvents';
import type { OptimizerState } from './trainStep';
import type { BranchState } from './branches';
import type { WeightAverage } from './weightAverage';

/** Sums over the steps since the last history point. */
export interface LossWindow {
  n: number;
  loss: number;
  gradNorm: number;
  ms: number;
}

export interface RunState {
  recipe: TrainRecipe;
  opt: OptimizerState;
  rng: Rng;
  history: HistoryEntry[];
  window: LossWindow;
  elapsedMs: number;
  /** CPU time of the process that trained (all its threads), summed over sittings; undefined for a run resumed from a checkpoint written before LoopLens counted it. */
  cpuMs?: number;
  /** The running weight average of a recipe with averageFrom, once its first step is done. */
  average?: WeightAverage;
  /** A last stage run as branches (branches.ts), once the stage has begun. */
  branches?: BranchState;
  /** The run saves each branch of its last stage as a model of its own when it finishes (trainJob.ts); kept in the checkpoint so a resumed run keeps the choice. */
  keepBranches?: boolean;
  /** The learning curve's settings the run was last given; kept in the checkpoint so a run resumed before its first curve point still draws it. */
  quickEval?: QuickEvalSettings;
  /** The steps the run was last told to save its weights at (trainer.ts saveAt); kept in the checkpoint so a resumed run still saves those ahead of it. */
  saveAt?: number[];
  /** The checkpoints the run went on from as a run of its own (trainer.ts resumeFrom), kept in its own checkpoint and its model's record. */
  forks?: RunFork[];
}

/** The run's CPU time so far: its earlier sittings' and this process's since `since` (process.cpuUsage, every thread); undefined when the earlier sittings were not counted. */
export function cpuMsSoFar(before: number | undefined, since: NodeJS.CpuUsage): number | undefined {
  if (before === undefined) return undefined;
  const used = process.cpuUsage(since);
  return before + (used.user + used.system) / 1000;
}

/** Milliseconds as seconds, keeping "not counted" (undefined). */
export const secondsOf = (ms: number | undefined): number | undefined => (ms === undefined ? undefined : ms / 1000);

export const emptyWindow = (): LossWindow => ({ n: 0, loss: 0, gradNorm: 0, ms: 0 });

/** Mean loss of the steps not yet logged, else of the last logged window (null before any step). */
export function lastLoss(st: Pick<RunState, 'window' | 'history'>): number | null {
  if (st.window.n > 0) return st.window.loss / st.window.n;
  const last = [...st.history].reverse().find((h): h is TrainPoint => h.kind === 'train');
  return last ? last.loss : null;
}

/** Seeds: one root Rng per recipe seed; the initialisation and the data stream get independent forks. */
export function seededStreams(seed: number): { init: Rng; data: Rng } {
  const root = new Rng(seed);
  return { init: root.fork(), data: root.fork() };
}

/** Step 0 of a validated recipe: initial parameters (seeded, or a fine-tuning run's given weights), zero AdamW moments. */
export function freshRunState(recipe: TrainRecipe, startParams?: Params): RunState {
  const { init, data } = seededStreams(recipe.seed);
  const params = startParams ? cloneParams(startParams) : initParams(recipe.model, () => init.float());
  return { recipe, opt: { step: 0, params, m: zeros(params), v: zeros(params) }, rng: data, history: [], window: emptyWindow(), elapsedMs: 0, cpuMs: 0 };
}

function zeros(p: Params): Params {
  return Object.fromEntries(Object.entries(p).map(([k, v]) => [k, new Float32Array(v.length)]));
}
