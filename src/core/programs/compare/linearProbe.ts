// A least-squares (ridge) linear probe: can a value be read linearly out of the model's hidden
// state at one loop step? Samples are (input, position) pairs: features h_t[p] (dModel numbers),
// target the value at p after t program steps. Probes are fitted on some inputs and scored on
// other, held-out inputs (probeSet.ts in programs/source draws them at random). A prediction is the
// training value nearest the linear output; the baseline always predicts the most frequent training
// value. A probe only means something when it clearly beats its baseline.

/** Held-out accuracy must exceed the baseline by more than this (and by twice its standard error) to count as "beats the baseline". */
export const PROBE_MARGIN = 0.02;

export const PROBE_DEFINITION =
  `per loop step t: ridge regression from the hidden state h_t[p] to the value after t program steps at p, over every position of random inputs of this input's lengths; fitted on 75% of the inputs and scored on the other 25% (held out); a prediction is the nearest value seen in training; baseline = always the most frequent training value; a probe beats its baseline when its held-out accuracy is higher by more than ${Math.round(PROBE_MARGIN * 100)} points and by more than twice the standard error of the difference over held-out inputs.`;

export interface ProbeResult {
  heldOutAccuracy: number;
  baselineAccuracy: number;
  trainSamples: number;
  testSamples: number;
  /** Distinct values among the training targets (1: a constant, which says nothing). */
  distinctValues: number;
  /** Standard error of (held-out − baseline) accuracy over held-out inputs (groups of samples); 0 with fewer than two. */
  standardError: number;
  /** Held-out accuracy above the baseline by more than PROBE_MARGIN and by more than twice `standardError`. */
  beatsBaseline: boolean;
}

interface Fitted {
  w: Float64Array;
  intercept: number;
  seen: number[];
  majority: number | undefined;
}

/**
 * Ridge probes of several targets over the same features: training rows are added in chunks (the
 * normal equations are sums), then `fit`, then test rows are scored in chunks.
 */
export class RidgeProbeSet {
  private n = 0;
  private readonly sum: Float64Array;
  private readonly gram: Float64Array;
  private readonly xty: Float64Array[];
  private readonly ySum: number[];
  private readonly counts: Map<number, number>[];
  private fitted: Fitted[] | null = null;
  private readonly hits: number[];
  private readonly base: number[];
  private tested = 0;
  /** Per target: sums of the per-input accuracy difference (probe − baseline) and of its square, over held-out inputs. */
  private readonly diffSum: number[];
  private readonly diffSq: number[];
  private groups = 0;

  constructor(
    readonly d: number,
    readonly targets: number,
    private readonly relativeRidge = 1e-3,
    /** Consecutive samples that come from one input (its positions): the unit of the standard error. */
    private readonly samplesPerInput = 1,
  ) {
    if (!Number.isInteger(samplesPerInput) || samplesPerInput < 1) throw new Error(`RidgeProbeSet: samplesPerInput must be a positive integer, got ${samplesPerInput}`);
    if (!Number.isInteger(d) || d < 1) throw new Error(`RidgeProbeSet: d must be a positive integer, got ${d}`);
    this.sum = new Float64Array(d);
    this.gram = new Float64Array(d * d);
    this.xty = Array.from({ length: targets }, () => new Float64Array(d));
    this.ySum = new Array<number>(targets).fill(0);
    this.counts = Array.from({ length: targets }, () => new Map<number, number>());
    this.hits = new Array<number>(targets).fill(0);
    this.base = new Array<number>(targets).fill(0);
    this.diffSum = new Array<number>(targets).fill(0);
    this.diffSq = new Array<number>(targets).fill(0);
  }

  private check(X: ArrayLike<number>, rows: number, ys: ArrayLike<number>[]): void {
    if (X.length < rows * this.d) throw new Error(`RidgeProbeSet: ${X.length} feature values for ${rows} samples of ${this.d}`);
    if (ys.length !== this.targets) throw new Error(`RidgeProbeSet: ${ys.length} target rows for ${this.targets} targets`);
    ys.forEach((y, k) => {
      if (y.length < rows) throw new Error(`RidgeProbeSet: target ${k} has ${y.length} values for ${rows} samples`);
    });
  }

  /** Adds `rows` training samples: features X[r * d + k], targets ys[target][r]. */
  addTrain(X: ArrayLike<number>, rows: number, ys: ArrayLike<number>[]): void {
    if (this.fitted) throw new Error('RidgeProbeSet: training rows after fit');
    this.check(X, rows, ys);
    const { d, gram, sum } = this;
    // Column-major copy: every entry of X^T X and X^T y is then a dot product of two contiguous arrays.
    const cols = new Float64Array(d * rows);
    for (let r = 0; r < rows; r++) for (let k = 0; k < d; k++) cols[k * rows + r] = X[r * d + k]!;
    for (let a = 0; a < d; a++) {
      const ca = cols.subarray(a * rows, (a + 1) * rows);
      let s = 0;
      for (let r = 0; r < rows; r++) s += ca[r]!;
      sum[a]! += s;
      for (let b = 0; b <= a; b++) gram[a * d + b]! += dot(ca, cols, b * rows, rows);
    }
    for (let t = 0; t < this.targets; t++) {
      const y = Float64Array.from({ length: rows }, (_, r) => ys[t]![r]!);
      const counts = this.counts[t]!;
      for (let r = 0; r < rows; r++) {
        this.ySum[t]! += y[r]!;
        counts.set(y[r]!, (counts.get(y[r]!) ?? 0) + 1);
      }
      const xy = this.xty[t]!;
      for (let k = 0; k < d; k++) xy[k]! += dot(y, cols, k * rows, rows);
    }
    this.n += rows;
  }

  /** Solves the ridge system of every target (centred features and targets). */
  fit(): void {
    const { d, n } = this;
    if (n < 1) throw new Error('RidgeProbeSet: no training samples');
    const mean = this.sum.map((s) => s / n);
    const g = new Float64Array(d * d);
    for (let a = 0; a < d; a++) for (let b = 0; b <= a; b++) g[a * d + b] = this.gram[a * d + b]! - n * mean[a]! * mean[b]!;
    let tr = 0;
    for (let a = 0; a < d; a++) tr += g[a * d + a]!;
    const lambda = this.relativeRidge * (tr / d) + 1e-9;
    for (let a = 0; a < d; a++) g[a * d + a]! += lambda;
    const chol = cholesky(g, d);
    this.fitted = this.xty.map((xty, t) => {
      const yMean = this.ySum[t]! / n;
      const rhs = xty.map((v, k) => v - n * mean[k]! * yMean);
      const w = cholSolve(chol, d, rhs);
      let intercept = yMean;
      for (let k = 0; k < d; k++) intercept -= mean[k]! * w[k]!;
      const counts = this.counts[t]!;
      const majority = [...counts.entries()].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]?.[0];
      return { w, intercept, seen: [...counts.keys()].sort((a, b) => a - b), majority };
    });
  }

  /** The fitted probe's prediction for one feature row (X[r * d ..]). */
  predict(target: number, X: ArrayLike<number>, r: number): number | undefined {
    const f = this.fitted?.[target];
    if (!f) throw new Error('RidgeProbeSet: predict before fit');
    let y = f.intercept;
    for (let k = 0; k < this.d; k++) y += X[r * this.d + k]! * f.w[k]!;
    return nearest(f.seen, y);
  }

  /** Scores held-out samples (same layout as addTrain; whole inputs: a multiple of samplesPerInput rows). */
  addTest(X: ArrayLike<number>, rows: number, ys: ArrayLike<number>[]): void {
    if (!this.fitted) this.fit();
    this.check(X, rows, ys);
    const g = this.samplesPerInput;
    if (rows % g !== 0) throw new Error(`RidgeProbeSet: ${rows} test samples are not whole inputs of ${g}`);
    for (let t = 0; t < this.targets; t++) {
      const f = this.fitted![t]!;
      for (let start = 0; start < rows; start += g) {
        let hit = 0;
        let base = 0;
        for (let r = start; r < start + g; r++) {
          const y = ys[t]![r]!;
          if (this.predict(t, X, r) === y) hit++;
          if (f.majority === y) base++;
        }
        this.hits[t]! += hit;
        this.base[t]! += base;
        const diff = (hit - base) / g;
        this.diffSum[t]! += diff;
        this.diffSq[t]! += diff * diff;
      }
    }
    this.tested += rows;
    this.groups += rows / g;
  }

  result(target: number): ProbeResult {
    const m = this.tested;
    const heldOutAccuracy = m ? this.hits[target]! / m : 0;
    const baselineAccuracy = m ? this.base[target]! / m : 0;
    const k = this.groups;
    const meanDiff = k ? this.diffSum[target]! / k : 0;
    const variance = k > 1 ? Math.max(0, (this.diffSq[target]! - k * meanDiff * meanDiff) / (k - 1)) : 0;
    const standardError = k > 1 ? Math.sqrt(variance / k) : 0;
    const gain = heldOutAccuracy - baselineAccuracy;
    return { heldOutAccuracy, baselineAccuracy, trainSamples: this.n, testSamples: m, distinctValues: this.counts[target]!.size, standardError, beatsBaseline: gain > PROBE_MARGIN && gain > 2 * standardError };
  }
}

export interface ProbeSamples {
  /** [n, d] row-major features. */
  features: Float64Array | Float32Array;
  d: number;
  /** True for training samples, false for held-out ones (length n). */
  isTrain: boolean[];
}

/** One feature matrix with a train/held-out split, probed for one target at a time (RidgeProbeSet underneath). */
export class RidgeProbe {
  constructor(
    private readonly s: ProbeSamples,
    private readonly relativeRidge = 1e-3,
  ) {
    if (s.features.length !== s.isTrain.length * s.d) throw new Error(`RidgeProbe: ${s.features.length} feature values for ${s.isTrain.length} samples of ${s.d}`);
  }

  /** Fits the probe to `targets` (one value per sample) and scores it on the held-out samples. */
  score(targets: ArrayLike<number>): ProbeResult {
    const { d, features: X, isTrain } = this.s;
    const set = new RidgeProbeSet(d, 1, this.relativeRidge);
    const pick = (train: boolean) => {
      const idx = isTrain.flatMap((t, i) => (t === train ? [i] : []));
      const f = new Float64Array(idx.length * d);
      idx.forEach((i, r) => f.set(X.subarray(i * d, (i + 1) * d), r * d));
      return { f, y: idx.map((i) => targets[i]!), rows: idx.length };
    };
    const tr = pick(true);
    set.addTrain(tr.f, tr.rows, [tr.y]);
    set.fit();
    const te = pick(false);
    set.addTest(te.f, te.rows, [te.y]);
    return set.result(0);
  }
}

function dot(a: Float64Array, b: Float64Array, bOffset: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let i = 0;
  for (; i + 1 < n; i += 2) {
    s0 += a[i]! * b[bOffset + i]!;
    s1 += a[i + 1]! * b[bOffset + i + 1]!;
  }
  if (i < n) s0 += a[i]! * b[bOffset + i]!;
  return s0 + s1;
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
