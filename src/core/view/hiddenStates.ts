// The hidden state of a looped model across iterations: per step and position its norm and how
// much it moved since the previous step (1 - cosine similarity, and the relative change of the
// vector), whether and where it reaches a fixed point, and a 2-D projection (PCA over every step
// and position) to draw trajectories. The trace records h_t after the final layer norm (ln_f),
// the state the read-out sees. Pure: no vscode, no I/O.
import type { ModelTrace } from '../infer/modelTrace';
import { pca } from './pca';

/** A position has settled once 1 - cos(h_t, h_{t-1}) stays below this for the rest of the trace. */
export const FIXED_POINT_TOLERANCE = 1e-3;

export interface HiddenView {
  /** The state the trace records (for captions). */
  source: string;
  /** norm[t - 1][p] = ||h_t[p]||. */
  norm: number[][];
  /** cosineChange[t - 1][p] = 1 - cos(h_t[p], h_{t-1}[p]); null at step 1 (h_0, the embedding, is not traced). */
  cosineChange: (number | null)[][];
  /** relativeChange[t - 1][p] = ||h_t[p] - h_{t-1}[p]|| / ||h_{t-1}[p]||; null at step 1. */
  relativeChange: (number | null)[][];
  /** Mean of cosineChange over positions, per step (null at step 1). */
  meanCosineChange: (number | null)[];
  /** Mean of cosineChange over scored positions, per step (null at step 1 or without a mask). */
  meanCosineChangeScored: (number | null)[];
  /** settleStep[p]: first step from which 1 - cos stays below `tolerance` to the last step; null when it never does. */
  settleStep: (number | null)[];
  /** First step from which every position stays below `tolerance` (a fixed point of the whole row); null when never. */
  fixedPointStep: number | null;
  tolerance: number;
  pca: {
    /** Share of the variance of all T x W states along PC1 and PC2. */
    explained: [number, number];
    /** points[t - 1][p] = [pc1, pc2] of h_t[p] (4 significant digits). */
    points: [number, number][][];
  };
}

const sig4 = (x: number) => (x === 0 || !Number.isFinite(x) ? 0 : Number(x.toPrecision(4)));

/** 1 - cos(a, b) of two d-vectors at offsets ia and ib; 0 when either is the zero vector. */
export function cosineDistance(h: ArrayLike<number>, ia: number, ib: number, d: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let k = 0; k < d; k++) {
    const a = h[ia + k]!;
    const b = h[ib + k]!;
    dot += a * b;
    na += a * a;
    nb += b * b;
  }
  if (na === 0 || nb === 0) return 0;
  return Math.max(0, 1 - dot / Math.sqrt(na * nb));
}

/** First step s (1-based) such that every value of `series` from s on (step 1 excluded when null) is below tol; null when the last one is not. */
export function settleFrom(series: (number | null)[], tol: number): number | null {
  const T = series.length;
  if (T < 2 || series[T - 1] === null || series[T - 1]! >= tol) return null;
  let s = T;
  while (s > 2 && series[s - 2] !== null && series[s - 2]! < tol) s--;
  return s;
}

export function hiddenStates(trace: ModelTrace, mask?: ArrayLike<number>, tolerance = FIXED_POINT_TOLERANCE): HiddenView {
  const { steps: T, width: W, dModel: d, hidden } = trace;
  const norm: number[][] = [];
  const cosineChange: (number | null)[][] = [];
  const relativeChange: (number | null)[][] = [];
  for (let t = 0; t < T; t++) {
    const n: number[] = [];
    const c: (number | null)[] = [];
    const r: (number | null)[] = [];
    for (let p = 0; p < W; p++) {
      const off = (t * W + p) * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += hidden[off + k]! ** 2;
      n.push(Math.sqrt(s));
      if (t === 0) {
        c.push(null);
        r.push(null);
        continue;
      }
      const prev = ((t - 1) * W + p) * d;
      c.push(cosineDistance(hidden, off, prev, d));
      let diff = 0;
      let base = 0;
      for (let k = 0; k < d; k++) {
        diff += (hidden[off + k]! - hidden[prev + k]!) ** 2;
        base += hidden[prev + k]! ** 2;
      }
      r.push(base === 0 ? null : Math.sqrt(diff / base));
    }
    norm.push(n);
    cosineChange.push(c);
    relativeChange.push(r);
  }
  const meanOver = (row: (number | null)[], keep: (p: number) => boolean): number | null => {
    let s = 0;
    let k = 0;
    row.forEach((v, p) => {
      if (v === null || !keep(p)) return;
      s += v;
      k++;
    });
    return k === 0 ? null : s / k;
  };
  const settleStep = Array.from({ length: W }, (_, p) => settleFrom(cosineChange.map((row) => row[p]!), tolerance));
  const fixedPointStep = settleStep.some((s) => s === null) ? null : Math.max(2, ...settleStep.map((s) => s!));
  const proj = pca(hidden, T * W, d, 2);
  const k = proj.scores.length / (T * W);
  const points = Array.from({ length: T }, (_, t) => Array.from({ length: W }, (_, p): [number, number] => [sig4(proj.scores[(t * W + p) * k]!), sig4(k > 1 ? proj.scores[(t * W + p) * k + 1]! : 0)]));
  return {
    source: 'h_t after the final layer norm (what the read-out sees)',
    norm: norm.map((row) => row.map(sig4)),
    cosineChange: cosineChange.map((row) => row.map((v) => (v === null ? null : sig4(v)))),
    relativeChange: relativeChange.map((row) => row.map((v) => (v === null ? null : sig4(v)))),
    meanCosineChange: cosineChange.map((row) => meanOver(row, () => true)),
    meanCosineChangeScored: cosineChange.map((row) => (mask ? meanOver(row, (p) => mask[p] === 1) : null)),
    settleStep,
    fixedPointStep,
    tolerance,
    pca: { explained: [proj.explained[0] ?? 0, proj.explained[1] ?? 0], points },
  };
}
