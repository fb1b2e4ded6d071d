// How long an evaluation will take, before it starts and while it runs. A batch at length n costs
// about a + b * work(n), where work(n) = loop steps x row width x (row width + d): attention grows
// with the square of the width, the projections and the MLP with width x d, and every loop step
// repeats both. a and b are measured on this machine by timing one batch at the shortest and one
// at the longest length; while the evaluation runs, the rate observed so far replaces them.
// Pure except measureCost (which times real batches).
import type { LoopedSession } from '../infer/loopedSession';
import { makeEvalBatch } from '../tasks/batches';
import type { Task } from '../tasks/types';
import { Rng } from '../util/rng';
import { evalLengths } from './evalLimits';

export interface EvaluationPlanOptions {
  lengths: number[];
  examples: number;
  batchSize: number;
  /** The model's width d. */
  dModel: number;
  /** Random inputs of the length-calibrated step, once per length (0: none). */
  calibration?: number;
  /** Loop steps past T(n) (default: the task's). */
  extraSteps?: number;
}

export interface LengthPlan {
  length: number;
  batches: number;
  /** Work of one test batch (full size). */
  batchWork: number;
  /** Work of the calibration run at this length (counted with its first batch). */
  calibrationWork: number;
}

export interface EvaluationPlan {
  lengths: LengthPlan[];
  /** Test batches in all. */
  batches: number;
  /** Work of everything: batches and calibrations. */
  totalWork: number;
}

/** Work of one row at length n: steps x width x (width + d). */
export function rowWork(task: Task, n: number, dModel: number, extraSteps?: number): number {
  const lengths = evalLengths(task, n);
  const steps = task.steps(lengths) + (extraSteps ?? task.adaptiveExtraSteps);
  const width = task.widthFor(lengths);
  return steps * width * (width + dModel);
}

export function evaluationPlan(task: Task, o: EvaluationPlanOptions): EvaluationPlan {
  const batches = Math.ceil(o.examples / o.batchSize);
  const lengths = o.lengths.map((n) => {
    const row = rowWork(task, n, o.dModel, o.extraSteps);
    return { length: n, batches, batchWork: row * Math.min(o.batchSize, o.examples), calibrationWork: row * (o.calibration ?? 0) };
  });
  return { lengths, batches: batches * lengths.length, totalWork: lengths.reduce((s, l) => s + l.batches * l.batchWork + l.calibrationWork, 0) };
}

/** Work finished once `doneBatches` test batches are done (lengths run in order; a length's calibration counts with its first batch). */
export function workDone(plan: EvaluationPlan, doneBatches: number): number {
  let left = doneBatches;
  let work = 0;
  for (const l of plan.lengths) {
    if (left <= 0) break;
    const k = Math.min(left, l.batches);
    work += k * l.batchWork + l.calibrationWork;
    left -= k;
  }
  return work;
}

/** The cost model: seconds per batch (a) plus seconds per unit of work (b). */
export interface EvaluationCost {
  perBatch: number;
  perWork: number;
}

/** Fits a + b * work to timed samples (one sample: b alone; a negative slope: b alone from the largest). */
export function fitCost(samples: { work: number; seconds: number }[]): EvaluationCost {
  if (samples.length === 0) throw new Error('fitCost needs at least one timed batch');
  const s = [...samples].sort((x, y) => x.work - y.work);
  const lo = s[0]!;
  const hi = s[s.length - 1]!;
  if (hi.work > lo.work) {
    const b = (hi.seconds - lo.seconds) / (hi.work - lo.work);
    const a = lo.seconds - b * lo.work;
    if (b > 0 && a >= 0) return { perBatch: a, perWork: b };
  }
  return { perBatch: 0, perWork: hi.seconds / Math.max(1, hi.work) };
}

/** Seconds the whole plan should take under `cost`, plus a fixed start-up (loading the model, building the graph). */
export function estimateSeconds(plan: EvaluationPlan, cost: EvaluationCost, startupSeconds = 2): number {
  const calibrations = plan.lengths.filter((l) => l.calibrationWork > 0).length;
  return startupSeconds + cost.perBatch * (plan.batches + calibrations) + cost.perWork * plan.totalWork;
}

/**
 * Seconds left once `doneBatches` batches took `elapsedSeconds`: the rate observed so far applied to
 * the work left; null before the first batch (nothing observed yet).
 */
export function remainingSeconds(plan: EvaluationPlan, doneBatches: number, elapsedSeconds: number): number | null {
  const done = workDone(plan, doneBatches);
  if (doneBatches <= 0 || done <= 0 || !(elapsedSeconds > 0)) return null;
  return Math.max(0, (elapsedSeconds / done) * (plan.totalWork - done));
}

/** Seconds a piece of work took: by the wall clock (what a progress bar waits), or in CPU time (what a run's cost projection adds up). */
export type CostClock = 'wall' | 'cpu';

/** Runs `work` and gives the seconds it took on `clock`. */
async function timed(clock: CostClock, work: () => Promise<unknown>): Promise<number> {
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  await work();
  if (clock === 'wall') return (performance.now() - t0) / 1000;
  const c = process.cpuUsage(c0);
  return (c.user + c.system) / 1e6;
}

/**
 * Times one batch at the shortest and one at the longest length (after an untimed warm-up run)
 * and fits the cost model, on the wall clock unless told otherwise. The inputs are random and thrown away.
 */
export async function measureCost(task: Task, session: LoopedSession, o: EvaluationPlanOptions, clock: CostClock = 'wall'): Promise<EvaluationCost> {
  const rng = new Rng(97);
  const size = Math.min(o.batchSize, o.examples);
  const run = async (n: number) => {
    const lengths = evalLengths(task, n);
    const steps = task.steps(lengths) + (o.extraSteps ?? task.adaptiveExtraSteps);
    const batch = makeEvalBatch(task, rng, lengths, size, { horizon: steps });
    return timed(clock, () => session.run(batch.tokens, batch.batch, batch.width, steps));
  };
  const shortest = Math.min(...o.lengths);
  const longest = Math.max(...o.lengths);
  await run(shortest); // warm-up: the first run of a session pays for its initialisation
  const samples = [{ work: rowWork(task, shortest, o.dModel, o.extraSteps) * size, seconds: await run(shortest) }];
  if (longest !== shortest) samples.push({ work: rowWork(task, longest, o.dModel, o.extraSteps) * size, seconds: await run(longest) });
  return fitCost(samples);
}

/** "about 40 s", "about 3 min", "about 1 h 20 min": an estimate's precision, in words. */
export function formatEstimate(seconds: number): string {
  if (!Number.isFinite(seconds)) return 'unknown';
  if (seconds < 60) return `about ${Math.max(1, Math.round(seconds / 5) * 5)} s`;
  if (seconds < 3600) return `about ${Math.round(seconds / 60)} min`;
  const h = Math.floor(seconds / 3600);
  const m = Math.round((seconds % 3600) / 60);
  return `about ${h} h${m ? ` ${m} min` : ''}`;
}
