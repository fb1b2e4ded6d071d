// How much one attention head at one step looks like one RASP-L selector.
//
// Definition (also shown in the UI): for every query row i whose selector row selects at least
// one key, turn the selector row into a distribution (uniform over the keys the aggregate reads:
// every selected key for a mean, the selected keys holding the max/min for a max/min aggregate,
// see raspProgramSteps) and take the total-variation distance to the head's attention row,
// TV_i = ½ Σ_j |A_ij − S_ij / Σ_k S_ik| ∈ [0, 1]. The similarity is 1 − mean_i TV_i: 1 when the
// head attends exactly where the selector selects, 0 when the two never overlap. Rows that select
// nothing are skipped: RASP-L returns the default value there, so there is nothing to match.

export const SIMILARITY_DEFINITION =
  'similarity = 1 − mean over query rows of the total-variation distance between the head\'s attention row and the selector row made uniform over the keys it reads (all selected keys for a mean; those holding the max/min for a max/min aggregate; rows selecting nothing are skipped); 1 = same pattern, 0 = disjoint.';

export interface SimilarityResult {
  /** In [0, 1]; null when no row could be compared. */
  similarity: number | null;
  rowsCompared: number;
}

/** Compares a [W, W] attention matrix (row = query) with a [W, W] 0/1 selector matrix of the same width. */
export function selectorSimilarity(attention: ArrayLike<number>, selector: ArrayLike<number>, width: number): SimilarityResult {
  const W = width;
  if (attention.length !== W * W || selector.length !== W * W) {
    throw new Error(`selectorSimilarity: expected ${W}x${W} matrices, got ${attention.length} and ${selector.length} values`);
  }
  let tvSum = 0;
  let rows = 0;
  for (let i = 0; i < W; i++) {
    let count = 0;
    for (let j = 0; j < W; j++) if (selector[i * W + j]) count++;
    if (count === 0) continue;
    let tv = 0;
    for (let j = 0; j < W; j++) tv += Math.abs(attention[i * W + j]! - (selector[i * W + j] ? 1 / count : 0));
    tvSum += tv / 2;
    rows++;
  }
  return { similarity: rows === 0 ? null : 1 - tvSum / rows, rowsCompared: rows };
}

/** Causal uniform attention (each query spreads evenly over keys 0..i): the no-information reference. */
export function uniformCausalAttention(width: number): Float32Array {
  const a = new Float32Array(width * width);
  for (let i = 0; i < width; i++) for (let j = 0; j <= i; j++) a[i * width + j] = 1 / (i + 1);
  return a;
}
