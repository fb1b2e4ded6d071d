// What a whole training run will cost on this machine, before spending it: real training steps are
// timed on each kind of batch the run trains on (recipeBatch.ts: its lengths, long share and answer
// hold), at values spread over the curriculum and at each stage, and added up over the run's steps.
// Between two timed curriculum values a step's cost is interpolated linearly in n_points; a stage's
// step costs what its own batch cost. The times are CPU time, which other processes on the machine
// disturb far less than wall time.
import type { ExecutionProviderSetting } from '../infer/executionProvider';
import { mean } from '../eval/metrics';
import { initParams } from '../model/params';
import { Rng } from '../util/rng';
import { nPointsAt } from './curriculum';
import { batchKindAt, kindShape, makeRecipeBatch, type BatchKind } from './recipeBatch';
import { recipeTask, type TrainRecipe } from './recipe';
import { curriculumSteps, stageAt } from './stages';
import { TrainStepRunner } from './trainStep';
import { DATA_PARALLEL_WORKERS, type DataParallelOptions } from './dataParallel';

/** A kind of batch to time: on the curriculum (stage -1) or a stage's (its index), with its row width and loop horizon. */
export interface CostPoint {
  stage: number;
  kind: BatchKind;
  width: number;
  horizon: number;
}

export interface TimedPoint extends CostPoint {
  /** CPU time of one training step on this kind of batch, drawing the batch included (the mean of the timed steps). */
  cpuMs: number;
  wallMs: number;
}

export interface ProjectedRun {
  steps: number;
  /** CPU time of every step. */
  totalMs: number;
  /** Wall time of every step at the timed steps' pace: the run's own length on a machine as loaded as it was while timing. */
  wallMs: number;
  /** Steps while the curriculum still grows. */
  growingMs: number;
  /** Steps at the curriculum's full length, before any stage. */
  fullLengthMs: number;
  stagesMs: number;
}

/** `spread` curriculum values from its start to the longest it reaches before the first stage (both included), then one point per stage. */
export function costPoints(r: TrainRecipe, spread: number): CostPoint[] {
  if (!Number.isInteger(spread) || spread < 1) throw new Error(`curriculum points to time must be a positive integer, got ${spread}`);
  const { start } = r.curriculum;
  const reached = nPointsAt(r.curriculum, curriculumSteps(r) - 1);
  const values = [...new Set(Array.from({ length: spread }, (_, i) => Math.round(start + ((reached - start) * i) / Math.max(1, spread - 1))))];
  const onCurriculum = batchKindAt(r, 0);
  const point = (stage: number, kind: BatchKind): CostPoint => ({ stage, kind, ...kindShape(r, kind) });
  return [...values.map((nPoints) => point(-1, { ...onCurriculum, nPoints })), ...(r.stages ?? []).map((s, i) => point(i, batchKindAt(r, s.fromStep)))];
}

/** The whole run's cost from its timed points: every step's, in CPU time by phase and in wall time. */
export function projectRun(r: TrainRecipe, timed: readonly TimedPoint[]): ProjectedRun {
  const cpu = projectBy(r, timed, 'cpuMs');
  return { steps: r.steps, totalMs: cpu.growingMs + cpu.fullLengthMs + cpu.stagesMs, wallMs: total(projectBy(r, timed, 'wallMs')), ...cpu };
}

type Phases = Pick<ProjectedRun, 'growingMs' | 'fullLengthMs' | 'stagesMs'>;
const total = (p: Phases): number => p.growingMs + p.fullLengthMs + p.stagesMs;

/** Every step's `cost` (a timed point's CPU or wall time), summed by phase. */
function projectBy(r: TrainRecipe, timed: readonly TimedPoint[], cost: 'cpuMs' | 'wallMs'): Phases {
  const curriculum = timed.filter((p) => p.stage < 0).sort((a, b) => a.kind.nPoints - b.kind.nPoints);
  if (curriculum.length === 0) throw new Error('projecting a run needs at least one timed curriculum point');
  const byStage = new Map(timed.filter((p) => p.stage >= 0).map((p) => [p.stage, p[cost]]));
  const interpolate = (n: number): number => {
    const hi = curriculum.find((p) => p.kind.nPoints >= n) ?? curriculum[curriculum.length - 1]!;
    const lo = [...curriculum].reverse().find((p) => p.kind.nPoints <= n) ?? curriculum[0]!;
    if (hi.kind.nPoints === lo.kind.nPoints) return hi[cost];
    return lo[cost] + ((hi[cost] - lo[cost]) * (n - lo.kind.nPoints)) / (hi.kind.nPoints - lo.kind.nPoints);
  };
  // once per curriculum value, not per step: a run has up to millions of steps and a few dozen values
  const perValue = new Map<number, number>();
  const onCurriculum = (n: number): number => {
    let ms = perValue.get(n);
    if (ms === undefined) perValue.set(n, (ms = interpolate(n)));
    return ms;
  };
  const out: Phases = { growingMs: 0, fullLengthMs: 0, stagesMs: 0 };
  for (let step = 0; step < r.steps; step++) {
    const { index } = stageAt(r, step);
    if (index >= 0) {
      const ms = byStage.get(index);
      if (ms === undefined) throw new Error(`projecting a run: stage ${index + 1} was not timed`);
      out.stagesMs += ms;
      continue;
    }
    const n = nPointsAt(r.curriculum, step);
    const ms = onCurriculum(n);
    if (n < r.curriculum.end) out.growingMs += ms;
    else out.fullLengthMs += ms;
  }
  return out;
}

/** What an estimate times by default: curriculum values, and timed steps per value (after a warm-up step). */
export const ESTIMATE_SPREAD = 5;
export const ESTIMATE_TIMED_STEPS = 3;

export interface MeasureOptions {
  /** Curriculum values to time (costPoints). Default ESTIMATE_SPREAD. */
  spread?: number;
  /** Timed steps per point, after one untimed warm-up step. Default ESTIMATE_TIMED_STEPS. */
  timedSteps?: number;
  provider?: ExecutionProviderSetting;
  cpuThreads?: number;
  dataParallel?: DataParallelOptions;
  /** Called as each point is timed. */
  onPoint?: (p: TimedPoint) => void;
}

/** Times real training steps (learning rate 0, random weights) on each of the run's cost points; a kind met twice is timed once. */
export async function timeCostPoints(r: TrainRecipe, opts: MeasureOptions = {}): Promise<TimedPoint[]> {
  const timedSteps = opts.timedSteps ?? ESTIMATE_TIMED_STEPS;
  if (!Number.isInteger(timedSteps) || timedSteps < 1) throw new Error(`timed steps per point must be a positive integer, got ${timedSteps}`);
  const task = recipeTask(r);
  const rng = new Rng(r.seed);
  const runner = TrainStepRunner.create(r.model, initParams(r.model, () => rng.float()), { provider: opts.provider ?? 'cpu', cpuThreads: opts.cpuThreads, dataParallel: opts.dataParallel, optimizer: r.optimizer });
  const done = new Map<string, { cpuMs: number; wallMs: number }>();
  const out: TimedPoint[] = [];
  try {
    for (const p of costPoints(r, opts.spread ?? ESTIMATE_SPREAD)) {
      const key = JSON.stringify(p.kind);
      let t = done.get(key);
      if (!t) {
        await runner.prepareFor(r.batchSize, p.width, p.horizon);
        await runner.step(makeRecipeBatch(task, r, rng, p.kind), 0); // warm-up: the first run of a shape allocates
        const cpu: number[] = [];
        const wall: number[] = [];
        // The mean, not the least: a step's cost varies with its batch's lengths, and a run pays for every
        // batch; drawing the batch is timed too, since the trainer draws every one.
        for (let i = 0; i < timedSteps; i++) {
          const c0 = process.cpuUsage();
          const t0 = performance.now();
          await runner.step(makeRecipeBatch(task, r, rng, p.kind), 0);
          wall.push(performance.now() - t0);
          const c = process.cpuUsage(c0);
          cpu.push((c.user + c.system) / 1000);
        }
        t = { cpuMs: mean(cpu), wallMs: mean(wall) };
        done.set(key, t);
      }
      const timed = { ...p, ...t };
      out.push(timed);
      opts.onPoint?.(timed);
    }
  } finally {
    await runner.release();
  }
  return out;
}

/** "4.5 h", "37 min" or "12 s". */
export function hoursText(ms: number): string {
  if (ms < 60_000) return `${(ms / 1000).toFixed(0)} s`;
  const h = ms / 3_600_000;
  return h >= 1 ? `${h.toFixed(1)} h` : `${(h * 60).toFixed(0)} min`;
}

/** One timed point, e.g. "stage 1: lengths 1..19 (0.5 of each batch at 19, read up to 4 steps past T(n)), width 60, horizon 25: cpu 2712 ms/step, wall 2790 ms/step". */
export function timedPointText(p: TimedPoint): string {
  const { nPoints, longShare, answerHold } = p.kind;
  const extras = [longShare > 0 ? `${longShare} of each batch at ${nPoints - 1}` : '', answerHold > 0 ? `read up to ${answerHold} steps past T(n)` : ''].filter((s) => s !== '');
  const where = p.stage < 0 ? 'curriculum' : `stage ${p.stage + 1}`;
  return `${where}: lengths 1..${nPoints - 1}${extras.length ? ` (${extras.join(', ')})` : ''}, width ${p.width}, horizon ${p.horizon}: cpu ${p.cpuMs.toFixed(0)} ms/step, wall ${p.wallMs.toFixed(0)} ms/step`;
}

/** The threads timed steps run on, in words: a count, or ONNX Runtime's own choice. */
export const threadsText = (cpuThreads: number | undefined): string => (cpuThreads === undefined ? "ONNX Runtime's threads" : `${cpuThreads} thread(s)`);

/** A data-parallel run's threads, in words. */
export function dataParallelText(dp: DataParallelOptions, cpuThreads: number | undefined): string {
  const shared = `${dp.workers ?? DATA_PARALLEL_WORKERS} one-thread workers`;
  return dp.maxWidth === undefined ? shared : `${shared} for rows up to ${dp.maxWidth} wide, ${threadsText(cpuThreads)} for wider`;
}

/** The projection in one line. */
export function projectionText(p: ProjectedRun, threads: string): string {
  const parts = [`${hoursText(p.growingMs)} while the curriculum grows`, `${hoursText(p.fullLengthMs)} at its full length`];
  if (p.stagesMs > 0) parts.push(`${hoursText(p.stagesMs)} in its stages`);
  return `projected run: ${hoursText(p.totalMs)} of CPU time for ${p.steps} steps on ${threads} (${parts.join(', ')}), ${hoursText(p.wallMs)} of wall time at the timed steps' pace; checkpoints and evaluations not counted`;
}
