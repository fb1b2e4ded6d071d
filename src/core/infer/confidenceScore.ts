// The paper's confidence score, defined once for every halting rule, trace and view: at one
// position, -log(max softmax probability) = logsumexp(z) - max(z) (lower = more confident); over an
// answer, its mean over the scored (masked) positions.

/** -log(max softmax probability) of the `vocab` logits starting at `offset`, in float64. */
export function uncertaintyAt(logits: ArrayLike<number>, offset: number, vocab: number): number {
  let max = -Infinity;
  for (let v = 0; v < vocab; v++) max = Math.max(max, logits[offset + v]!);
  let sum = 0;
  for (let v = 0; v < vocab; v++) sum += Math.exp(logits[offset + v]! - max);
  return Math.log(sum);
}

/** Mean of `values[i]` over the positions where `mask[maskOffset + i]` is set; NaN when none is. */
export function maskedMean(values: ArrayLike<number>, mask: ArrayLike<number | boolean>, maskOffset = 0): number {
  let sum = 0;
  let count = 0;
  for (let i = 0; i < values.length; i++) {
    if (!mask[maskOffset + i]) continue;
    sum += values[i]!;
    count++;
  }
  return count === 0 ? NaN : sum / count;
}
