// Small training recipes for tests (real training, seconds not minutes).
import { cpuRecipe } from '../../src/core/train/presets';
import type { TrainRecipe } from '../../src/core/train/recipe';

/** A very small parity model for plumbing tests (resume, worker, CLI): learns nothing useful. */
export function microParity(steps = 30, seed = 3): TrainRecipe {
  const r = cpuRecipe('parity');
  return {
    ...r,
    preset: 'test-micro',
    model: { ...r.model, d: 16, heads: 2 },
    batchSize: 8,
    steps,
    curriculum: { start: 2, interval: 5, end: 6 },
    schedule: { kind: 'cosine', lr: 3e-3, holdSteps: 15 },
    seed,
    width: 6,
    horizon: 8,
  };
}

/**
 * A small recipe that reliably learns parity on short inputs in a few hundred steps. Measured
 * (lengths 1..6, 400 steps, rows as wide as the curriculum needs): with 16 heads seeds 0-3 all
 * reached 100% at lengths 2 and 3 and 85-100% at length 5; with 8 heads (and 4) the outcome
 * depended on the seed (64-100% at length 3), so 16 heads it is.
 */
export function tinyParity(): TrainRecipe {
  const r = cpuRecipe('parity');
  return {
    ...r,
    preset: 'test-tiny',
    model: { ...r.model, d: 64, heads: 16 },
    steps: 400,
    curriculum: { start: 2, interval: 50, end: 7 },
    schedule: { kind: 'cosine', lr: 3e-3, holdSteps: 350 },
    seed: 0,
    width: 7,
    horizon: 9,
    widthMode: 'curriculum',
  };
}
