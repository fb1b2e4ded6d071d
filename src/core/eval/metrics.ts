// Accuracy measures. Exact match = every masked position right (answer AND trailing pads), the
// paper's measure. Predictions, targets and mask are row-major [batch, width].

function checkSizes(n: number, ...arrays: ArrayLike<unknown>[]): void {
  for (const a of arrays) if (a.length !== n) throw new Error(`expected ${n} values (batch*width), got ${a.length}`);
}

/** Per-example exact match over the masked positions: Uint8Array [batch] of 0/1. */
export function exactMatch(predictions: ArrayLike<number>, targets: ArrayLike<number | bigint>, mask: ArrayLike<number>, batch: number, width: number): Uint8Array {
  checkSizes(batch * width, predictions, targets, mask);
  const out = new Uint8Array(batch);
  for (let b = 0; b < batch; b++) {
    let ok = 1;
    for (let w = 0; w < width && ok; w++) {
      const i = b * width + w;
      if (mask[i] && Number(targets[i]) !== predictions[i]) ok = 0;
    }
    out[b] = ok;
  }
  return out;
}

/** Fraction of masked positions predicted right (a softer signal for training curves). */
export function tokenAccuracy(predictions: ArrayLike<number>, targets: ArrayLike<number | bigint>, mask: ArrayLike<number>): number {
  checkSizes(predictions.length, targets, mask);
  let right = 0;
  let total = 0;
  for (let i = 0; i < predictions.length; i++) {
    if (!mask[i]) continue;
    total++;
    if (Number(targets[i]) === predictions[i]) right++;
  }
  return total === 0 ? 0 : right / total;
}

export function mean(values: ArrayLike<number>): number {
  if (values.length === 0) return 0;
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  return s / values.length;
}

/** Right / seen per masked position, counted from each row's first masked position ('='). */
export interface PositionTally {
  examples: number;
  /** correct[k]: rows whose k-th masked position was predicted right. */
  correct: number[];
  /** seen[k]: rows that have a k-th masked position. */
  seen: number[];
}

/**
 * Adds a batch to a per-position tally: where in the answer a model goes wrong (for addition, say,
 * the carry-out slot against the slots that only need the operands aligned).
 */
export function tallyPositions(tally: PositionTally, predictions: ArrayLike<number>, targets: ArrayLike<number | bigint>, mask: ArrayLike<number>, batch: number, width: number): PositionTally {
  checkSizes(batch * width, predictions, targets, mask);
  for (let b = 0; b < batch; b++) {
    let k = 0;
    for (let w = 0; w < width; w++) {
      const i = b * width + w;
      if (!mask[i]) continue;
      tally.seen[k] = (tally.seen[k] ?? 0) + 1;
      tally.correct[k] = (tally.correct[k] ?? 0) + (Number(targets[i]) === predictions[i] ? 1 : 0);
      k++;
    }
  }
  tally.examples += batch;
  return tally;
}

/** A tally's accuracy per masked position (every position counted has been seen at least once). */
export function positionAccuracy(t: PositionTally): number[] {
  return t.seen.map((seen, k) => t.correct[k]! / seen);
}
