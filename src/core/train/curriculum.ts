// The paper's length curriculum: n_points starts at `start` and grows by 1 every `interval`
// training steps until it reaches `end`; each example's length is uniform in [1, n_points-1].
// It is a pure function of the step, so a resumed run needs no extra state to get it right.
import type { CurriculumSpec } from '../tasks/types';

export type { CurriculumSpec };

export function checkCurriculum(spec: CurriculumSpec): void {
  const { start, interval, end } = spec;
  if (!Number.isInteger(start) || start < 2) throw new Error(`curriculum start must be an integer >= 2, got ${start}`);
  if (!Number.isInteger(end) || end < start) throw new Error(`curriculum end must be an integer >= start (${start}), got ${end}`);
  if (!Number.isInteger(interval) || interval < 1) throw new Error(`curriculum interval must be a positive integer, got ${interval}`);
}

/** n_points in force at 0-based training step `step`. */
export function nPointsAt(spec: CurriculumSpec, step: number): number {
  checkCurriculum(spec);
  if (!Number.isInteger(step) || step < 0) throw new Error(`step must be a non-negative integer, got ${step}`);
  return Math.min(spec.end, spec.start + Math.floor(step / spec.interval));
}

/** First step at which n_points == end. */
export function curriculumReachesEndAt(spec: CurriculumSpec): number {
  checkCurriculum(spec);
  return (spec.end - spec.start) * spec.interval;
}

/**
 * The step where the paper's learning rate stops being constant: end * interval (paper.md:
 * "constant lr until the curriculum ends (end*interval steps)"). This is a little after the
 * curriculum actually reaches `end` ((end - start) * interval); we keep the paper's number.
 */
export function curriculumLrHoldSteps(spec: CurriculumSpec): number {
  checkCurriculum(spec);
  return spec.end * spec.interval;
}

/** A curriculum with every interval multiplied by `factor` (used by shorter CPU recipes). */
export function scaleCurriculum(spec: CurriculumSpec, factor: number): CurriculumSpec {
  if (!(factor > 0)) throw new Error(`curriculum scale factor must be > 0, got ${factor}`);
  return { ...spec, interval: Math.max(1, Math.round(spec.interval * factor)) };
}
