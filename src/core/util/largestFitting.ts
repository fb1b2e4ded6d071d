// The largest size a budget allows, found by bisection: the evaluation's and the calibration's
// batch sizes, whose memory grows with the batch.

/** The largest n in 0..most with fits(n), for a `fits` that holds up to some n and fails above it; 0 when fits(1) fails. */
export function largestFitting(most: number, fits: (n: number) => boolean): number {
  let [lo, hi] = [0, Math.max(0, Math.floor(most))];
  while (lo < hi) {
    const mid = Math.ceil((lo + hi) / 2);
    if (fits(mid)) lo = mid;
    else hi = mid - 1;
  }
  return lo;
}
