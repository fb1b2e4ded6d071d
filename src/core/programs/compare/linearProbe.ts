// A least-squares (ridge) linear probe: can a program variable be read linearly out of the model's
// hidden state at the same step and position? Samples are (step t, position p) pairs: features
// h_t[p] (dModel numbers), target the variable's value after t program steps at p. To avoid
// scoring a probe on the data it was fitted to, it is fitted on odd steps and scored on even ones.
// A prediction is the training value nearest the linear output; the baseline always predicts the
// most frequent training value. A probe only means something when it clearly beats its baseline.

export const PROBE_DEFINITION =
  'ridge regression from the hidden state h_t[p] to the variable\'s value after t program steps at p, fitted on odd steps, scored on even steps; a prediction is the nearest value seen in training; baseline = most frequent training value.';

export interface ProbeSamples {
  /** [n, d] row-major features. */
  features: Float64Array | Float32Array;
  d: number;
  /** True for training samples, false for held-out ones (length n). */
  isTrain: boolean[];
}

export interface ProbeResult {
  heldOutAccuracy: number;
  baselineAccuracy: number;
  trainSamples: number;
  testSamples: number;
}

/** A ridge solver fitted once to the training features, reused for every target variable. */
export class RidgeProbe {
  private readonly mean: Float64Array;
  private readonly chol: Float64Array;
  private readonly trainIdx: number[];
  private readonly testIdx: number[];

  constructor(
    private readonly s: ProbeSamples,
    relativeRidge = 1e-3,
  ) {
    const { d, features: X } = s;
    this.trainIdx = [];
    this.testIdx = [];
    s.isTrain.forEach((tr, i) => (tr ? this.trainIdx : this.testIdx).push(i));
    if (X.length !== s.isTrain.length * d) throw new Error(`RidgeProbe: ${X.length} feature values for ${s.isTrain.length} samples of ${d}`);
    this.mean = new Float64Array(d);
    for (const i of this.trainIdx) for (let k = 0; k < d; k++) this.mean[k]! += X[i * d + k]! / this.trainIdx.length;
    const g = new Float64Array(d * d);
    const row = new Float64Array(d);
    for (const i of this.trainIdx) {
      for (let k = 0; k < d; k++) row[k] = X[i * d + k]! - this.mean[k]!;
      for (let a = 0; a < d; a++) {
        const ra = row[a]!;
        if (ra === 0) continue;
        for (let b = 0; b <= a; b++) g[a * d + b]! += ra * row[b]!;
      }
    }
    let tr = 0;
    for (let a = 0; a < d; a++) tr += g[a * d + a]!;
    const lambda = relativeRidge * (tr / d) + 1e-9;
    for (let a = 0; a < d; a++) g[a * d + a]! += lambda;
    this.chol = cholesky(g, d);
  }

  /** Fits the probe to `targets` (one value per sample) and scores it on the held-out samples. */
  score(targets: ArrayLike<number>): ProbeResult {
    const { d, features: X } = this.s;
    const n = this.trainIdx.length;
    let yMean = 0;
    for (const i of this.trainIdx) yMean += targets[i]! / n;
    const rhs = new Float64Array(d);
    for (const i of this.trainIdx) {
      const y = targets[i]! - yMean;
      for (let k = 0; k < d; k++) rhs[k]! += (X[i * d + k]! - this.mean[k]!) * y;
    }
    const w = cholSolve(this.chol, d, rhs);
    const counts = new Map<number, number>();
    for (const i of this.trainIdx) counts.set(targets[i]!, (counts.get(targets[i]!) ?? 0) + 1);
    const seen = [...counts.keys()].sort((a, b) => a - b);
    const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
    let hit = 0;
    let base = 0;
    for (const i of this.testIdx) {
      let y = yMean;
      for (let k = 0; k < d; k++) y += (X[i * d + k]! - this.mean[k]!) * w[k]!;
      if (nearest(seen, y) === targets[i]) hit++;
      if (majority === targets[i]) base++;
    }
    const m = this.testIdx.length;
    return { heldOutAccuracy: m ? hit / m : 0, baselineAccuracy: m ? base / m : 0, trainSamples: n, testSamples: m };
  }
}

function nearest(sorted: number[], y: number): number | undefined {
  let best = sorted[0];
  for (const v of sorted) if (Math.abs(v - y) < Math.abs(best! - y)) best = v;
  return best;
}

/** Lower-triangular Cholesky factor of a symmetric positive-definite matrix given by its lower triangle. */
function cholesky(a: Float64Array, d: number): Float64Array {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        if (!(s > 0)) throw new Error('RidgeProbe: the ridge system is not positive definite');
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j]!;
      }
    }
  }
  return l;
}

function cholSolve(l: Float64Array, d: number, b: Float64Array): Float64Array {
  const y = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * y[k]!;
    y[i] = s / l[i * d + i]!;
  }
  const x = new Float64Array(d);
  for (let i = d - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < d; k++) s -= l[k * d + i]! * x[k]!;
    x[i] = s / l[i * d + i]!;
  }
  return x;
}
