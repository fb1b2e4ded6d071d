// Learning-rate schedules. The paper: constant lr until the curriculum ends, then cosine decay
// to 0 at the last step. A constant schedule and an optional linear warm-up are for CPU recipes;
// an optional floor (cosine to a fraction of the peak instead of 0) is for research.

export interface LrSchedule {
  /** 'cosine': constant until `holdSteps`, then cosine to minLrFraction * lr at `totalSteps`. 'constant': never decays. */
  kind: 'cosine' | 'constant';
  /** Peak learning rate. */
  lr: number;
  /** Number of training steps (0-based steps 0 .. totalSteps-1). */
  totalSteps: number;
  /** Steps at the constant rate before the cosine starts (paper: end * interval). */
  holdSteps: number;
  /** Linear warm-up from lr/warmupSteps to lr over the first steps (0 = none; not in the paper). */
  warmupSteps?: number;
  /** Where the cosine ends, as a fraction of `lr` in [0, 1) (0 or absent = 0, the paper's). */
  minLrFraction?: number;
}

/** Throws unless `f` is a valid minLrFraction: a number in [0, 1). */
export function checkMinLrFraction(f: unknown): void {
  if (typeof f !== 'number' || !(f >= 0 && f < 1)) throw new Error(`minLrFraction (the lr floor) must be a number in [0, 1), got ${typeof f === 'number' ? String(f) : (JSON.stringify(f) ?? String(f))}`);
}

export function checkSchedule(s: LrSchedule): void {
  if (s.kind !== 'cosine' && s.kind !== 'constant') throw new Error(`lr schedule kind must be 'cosine' or 'constant', got '${String(s.kind)}'`);
  if (!(s.lr > 0) || !Number.isFinite(s.lr)) throw new Error(`learning rate must be a positive number, got ${s.lr}`);
  if (!Number.isInteger(s.totalSteps) || s.totalSteps < 1) throw new Error(`total steps must be a positive integer, got ${s.totalSteps}`);
  if (!Number.isInteger(s.holdSteps) || s.holdSteps < 0) throw new Error(`hold steps must be a non-negative integer, got ${s.holdSteps}`);
  const w = s.warmupSteps ?? 0;
  if (!Number.isInteger(w) || w < 0) throw new Error(`warm-up steps must be a non-negative integer, got ${w}`);
  checkMinLrFraction(s.minLrFraction ?? 0);
}

/**
 * Learning rate used at 0-based step `step`. The last step (totalSteps-1) of a cosine schedule gets a
 * rate just above its floor (f * lr, f = minLrFraction, 0 by default); step totalSteps gets the floor.
 */
export function learningRateAt(s: LrSchedule, step: number): number {
  checkSchedule(s);
  if (!Number.isInteger(step) || step < 0) throw new Error(`step must be a non-negative integer, got ${step}`);
  const warm = s.warmupSteps ?? 0;
  const warmFactor = step < warm ? (step + 1) / warm : 1;
  if (s.kind === 'constant' || step < s.holdSteps) return s.lr * warmFactor;
  const span = s.totalSteps - s.holdSteps;
  if (span <= 0) return s.lr * warmFactor; // the run ends before the decay would start
  const progress = Math.min(1, (step - s.holdSteps) / span);
  const cosine = 0.5 * (1 + Math.cos(Math.PI * progress));
  const f = s.minLrFraction ?? 0; // f = 0: exactly the paper's rate (0 + 1 * x is x in floating point)
  return s.lr * warmFactor * (f + (1 - f) * cosine);
}

/** Where a cosine ends, in words: "cosine to 0" (the paper's) or "cosine to 0.1 x lr" (a floor). */
export function cosineEndText(minLrFraction: number | undefined): string {
  return `cosine to ${minLrFraction ? `${minLrFraction} x lr` : '0'}`;
}

/** The paper's schedule: constant until `holdSteps` (end * interval), cosine to 0 at `totalSteps`. */
export function paperSchedule(lr: number, totalSteps: number, holdSteps: number): LrSchedule {
  return { kind: 'cosine', lr, totalSteps, holdSteps };
}
