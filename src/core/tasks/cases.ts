// Helpers for the tasks' case splits (Task.cases): a count bucketed into a few display labels.

export interface CountBuckets {
  /** One label per bucket, in order, e.g. '0', '1-2', '3-5', '6+'. */
  labels: readonly string[];
  /** The label of the bucket holding `count`. */
  label(count: number): string;
}

/** Buckets from their lower edges: [0, 1, 3, 6] → '0', '1-2', '3-5', '6+' (the last is open-ended). */
export function countBuckets(lows: readonly number[]): CountBuckets {
  if (lows.length === 0 || lows[0] !== 0 || lows.some((v, i) => !Number.isInteger(v) || (i > 0 && v <= lows[i - 1]!))) {
    throw new Error(`bucket edges must be increasing integers from 0, got [${lows.join(', ')}]`);
  }
  const labels = lows.map((lo, i) => {
    const next = lows[i + 1];
    if (next === undefined) return `${lo}+`;
    return next - 1 === lo ? `${lo}` : `${lo}-${next - 1}`;
  });
  return {
    labels,
    label: (count) => {
      let i = lows.length - 1;
      while (i > 0 && count < lows[i]!) i--;
      return labels[i]!;
    },
  };
}
