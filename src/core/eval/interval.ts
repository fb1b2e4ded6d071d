// Confidence intervals for accuracies: the Wilson score interval of a binomial proportion, which
// stays inside [0, 1] and is sensible at 0% and 100% (where the normal approximation collapses to
// a point). Used for the Evaluation panel's error bars and exports. Pure.

/** z for a two-sided 95% interval. */
export const Z95 = 1.959963984540054;

export interface Interval {
  low: number;
  high: number;
}

/** Wilson interval of `correct` successes out of `n` trials (null when n = 0). */
export function wilsonInterval(correct: number, n: number, z = Z95): Interval | null {
  if (!(n > 0)) return null;
  const k = Math.min(n, Math.max(0, correct));
  const p = k / n;
  const z2 = z * z;
  const denom = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denom;
  const half = (z / denom) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return { low: k === 0 ? 0 : Math.max(0, centre - half), high: k === n ? 1 : Math.min(1, centre + half) };
}

/** The interval of an accuracy measured on `n` examples (the count of right ones is accuracy * n, rounded). */
export function accuracyInterval(accuracy: number | null | undefined, n: number, z = Z95): Interval | null {
  if (accuracy === null || accuracy === undefined || !Number.isFinite(accuracy)) return null;
  return wilsonInterval(Math.round(accuracy * n), n, z);
}
