// The logit lens of a looped model: the read-out applied to the state after every loop iteration
// (the trace graph already reads out every step, so no extra projection is needed). Per step and
// position: the softmax probability of the target token and the k most probable tokens; per
// answer position, the step from which its decoded token is right and stays right until T(n).
// Pure: no vscode, no I/O.
import type { ModelTrace } from '../infer/modelTrace';
import type { TaskExample } from '../tasks/types';

export const LENS_TOP_K = 3;

export interface LensView {
  /** Tokens listed per cell in `topIds` / `topProbs`. */
  k: number;
  /** targetProb[t - 1][p]: softmax probability of the target token at position p after step t (4 decimals); null at unscored positions. */
  targetProb: (number | null)[][];
  /** topIds[t - 1][p]: the k most probable token ids after step t, most probable first. */
  topIds: number[][][];
  /** topProbs[t - 1][p]: their probabilities (4 decimals). */
  topProbs: number[][][];
  /**
   * settleStep[p]: the first step from which the decoded token at p equals the target at every step
   * up to T(n) (or the last traced step, if earlier); null where it is still wrong at T(n) or p is not scored.
   */
  settleStep: (number | null)[];
  /** The last step `settleStep` looks at: min(T(n), traced steps). */
  settleHorizon: number;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

/** Softmax of one row of logits (stable), into `out`. */
export function softmaxRow(z: ArrayLike<number>, offset: number, n: number, out: Float64Array): Float64Array {
  let max = -Infinity;
  for (let i = 0; i < n; i++) max = Math.max(max, z[offset + i]!);
  let sum = 0;
  for (let i = 0; i < n; i++) {
    const e = Math.exp(z[offset + i]! - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < n; i++) out[i]! /= sum;
  return out;
}

/** Indices of the k largest values, largest first (ties: the lower index first). */
export function topK(p: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: p.length }, (_, i) => i);
  idx.sort((a, b) => p[b]! - p[a]! || a - b);
  return idx.slice(0, Math.min(k, p.length));
}

export function logitLens(trace: ModelTrace, example: TaskExample, k = LENS_TOP_K): LensView {
  const { steps: T, width: W, vocab: V } = trace;
  if (example.input.length !== W) throw new Error(`logitLens: the example has ${example.input.length} positions, the trace ${W}`);
  const p = new Float64Array(V);
  const targetProb: (number | null)[][] = [];
  const topIds: number[][][] = [];
  const topProbs: number[][][] = [];
  const right: boolean[][] = [];
  for (let t = 0; t < T; t++) {
    const tp: (number | null)[] = [];
    const ids: number[][] = [];
    const ps: number[][] = [];
    const ok: boolean[] = [];
    for (let q = 0; q < W; q++) {
      softmaxRow(trace.logits, (t * W + q) * V, V, p);
      const top = topK(p, k);
      ids.push(top);
      ps.push(top.map((i) => round4(p[i]!)));
      const scored = example.mask[q] === 1;
      tp.push(scored ? round4(p[example.target[q]!]!) : null);
      ok.push(scored && top[0] === example.target[q]);
    }
    targetProb.push(tp);
    topIds.push(ids);
    topProbs.push(ps);
    right.push(ok);
  }
  const horizon = Math.max(1, Math.min(example.steps, T));
  const settleStep = example.mask.map((m, q) => {
    if (m !== 1 || !right[horizon - 1]![q]) return null;
    let s = horizon;
    while (s > 1 && right[s - 2]![q]) s--;
    return s;
  });
  return { k, targetProb, topIds, topProbs, settleStep, settleHorizon: horizon };
}
