// Principal component analysis of n points in d dimensions: the top components of the covariance
// matrix by subspace iteration with a Rayleigh-Ritz step (a few more vectors than asked for, so the
// ones returned converge quickly), exact enough for plotting and for tests on known matrices.
// Pure: no vscode, no I/O.

export interface PcaResult {
  /** Per-dimension mean that was subtracted. */
  mean: Float64Array;
  /** components[c]: unit vector of length d; the sign is fixed so its largest-magnitude entry is positive. */
  components: Float64Array[];
  /** Variance along each component (eigenvalues of the covariance, with 1/(n - 1)). */
  variances: number[];
  /** Share of the total variance each component explains (0 when the points do not vary). */
  explained: number[];
  totalVariance: number;
  /** scores[i * k + c]: coordinate of point i on component c. */
  scores: Float64Array;
}

/** Symmetric eigen-decomposition of a small m x m matrix (cyclic Jacobi): eigenvalues descending, vectors as columns of `vectors` (row-major). */
export function jacobiEigen(a: Float64Array, m: number): { values: number[]; vectors: Float64Array } {
  const A = Float64Array.from(a);
  const V = new Float64Array(m * m);
  for (let i = 0; i < m; i++) V[i * m + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < m; p++) for (let q = p + 1; q < m; q++) off += A[p * m + q]! ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < m; p++) {
      for (let q = p + 1; q < m; q++) {
        const apq = A[p * m + q]!;
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (A[q * m + q]! - A[p * m + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < m; k++) {
          const akp = A[k * m + p]!;
          const akq = A[k * m + q]!;
          A[k * m + p] = c * akp - s * akq;
          A[k * m + q] = s * akp + c * akq;
        }
        for (let k = 0; k < m; k++) {
          const apk = A[p * m + k]!;
          const aqk = A[q * m + k]!;
          A[p * m + k] = c * apk - s * aqk;
          A[q * m + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < m; k++) {
          const vkp = V[k * m + p]!;
          const vkq = V[k * m + q]!;
          V[k * m + p] = c * vkp - s * vkq;
          V[k * m + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: m }, (_, i) => i).sort((i, j) => A[j * m + j]! - A[i * m + i]!);
  const vectors = new Float64Array(m * m);
  order.forEach((src, dst) => {
    for (let k = 0; k < m; k++) vectors[k * m + dst] = V[k * m + src]!;
  });
  return { values: order.map((i) => A[i * m + i]!), vectors };
}

/** Orthonormalises the columns of Q (d x m, row-major, m <= d) in place (modified Gram-Schmidt); a dependent column is replaced by the first axis independent of the others. */
function orthonormalize(Q: Float64Array, d: number, m: number): void {
  const project = (j: number): number => {
    for (let i = 0; i < j; i++) {
      let dot = 0;
      for (let r = 0; r < d; r++) dot += Q[r * m + i]! * Q[r * m + j]!;
      for (let r = 0; r < d; r++) Q[r * m + j]! -= dot * Q[r * m + i]!;
    }
    let norm = 0;
    for (let r = 0; r < d; r++) norm += Q[r * m + j]! ** 2;
    return Math.sqrt(norm);
  };
  for (let j = 0; j < m; j++) {
    let norm = project(j);
    for (let axis = 0; norm < 1e-10 && axis < d; axis++) {
      for (let r = 0; r < d; r++) Q[r * m + j] = r === axis ? 1 : 0;
      norm = project(j);
    }
    for (let r = 0; r < d; r++) Q[r * m + j]! /= norm;
  }
}

/** The top `k` principal components of `data` (n rows of d values, row-major). */
export function pca(data: ArrayLike<number>, n: number, d: number, k = 2): PcaResult {
  if (!Number.isInteger(n) || !Number.isInteger(d) || n < 1 || d < 1 || data.length !== n * d) throw new Error(`pca: expected ${n} x ${d} values, got ${data.length}`);
  const kk = Math.min(k, d);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  // covariance C = X^T X / (n - 1) of the centred points
  const C = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = data[i * d + j]! - mean[j]!;
    for (let a = 0; a < d; a++) {
      const ra = row[a]!;
      if (ra === 0) continue;
      for (let b = a; b < d; b++) C[a * d + b]! += ra * row[b]!;
    }
  }
  const denom = Math.max(1, n - 1);
  for (let a = 0; a < d; a++) for (let b = a; b < d; b++) {
    C[a * d + b]! /= denom;
    C[b * d + a] = C[a * d + b]!;
  }
  let total = 0;
  for (let a = 0; a < d; a++) total += C[a * d + a]!;

  let values: number[];
  let vecs: Float64Array; // d x m, columns are eigenvectors
  let m: number;
  if (d <= 32) {
    m = d;
    const e = jacobiEigen(C, d);
    values = e.values;
    vecs = e.vectors;
  } else {
    m = Math.min(d, kk + 4);
    let Q = new Float64Array(d * m);
    // deterministic start: a spread of axes plus a ramp, so no component starts orthogonal to all of them
    for (let r = 0; r < d; r++) for (let c = 0; c < m; c++) Q[r * m + c] = Math.cos((r + 1) * (c + 1) * 0.7) + (r % m === c ? 1 : 0);
    orthonormalize(Q, d, m);
    values = new Array<number>(m).fill(0);
    for (let it = 0; it < 500; it++) {
      const Z = new Float64Array(d * m);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
        const cab = C[a * d + b]!;
        if (cab === 0) continue;
        for (let c = 0; c < m; c++) Z[a * m + c]! += cab * Q[b * m + c]!;
      }
      orthonormalize(Z, d, m);
      // Rayleigh-Ritz: H = Z^T C Z (m x m), rotate Z by H's eigenvectors
      const CZ = new Float64Array(d * m);
      for (let a = 0; a < d; a++) for (let b = 0; b < d; b++) {
        const cab = C[a * d + b]!;
        if (cab === 0) continue;
        for (let c = 0; c < m; c++) CZ[a * m + c]! += cab * Z[b * m + c]!;
      }
      const H = new Float64Array(m * m);
      for (let i = 0; i < m; i++) for (let j = 0; j < m; j++) {
        let s = 0;
        for (let r = 0; r < d; r++) s += Z[r * m + i]! * CZ[r * m + j]!;
        H[i * m + j] = s;
      }
      for (let i = 0; i < m; i++) for (let j = i + 1; j < m; j++) H[i * m + j] = H[j * m + i] = (H[i * m + j]! + H[j * m + i]!) / 2;
      const e = jacobiEigen(H, m);
      const next = new Float64Array(d * m);
      for (let r = 0; r < d; r++) for (let c = 0; c < m; c++) {
        let s = 0;
        for (let i = 0; i < m; i++) s += Z[r * m + i]! * e.vectors[i * m + c]!;
        next[r * m + c] = s;
      }
      const change = e.values.slice(0, kk).reduce((acc, v, i) => Math.max(acc, Math.abs(v - values[i]!) / Math.max(1e-300, Math.abs(v))), 0);
      values = e.values;
      Q = next;
      if (it > 2 && change < 1e-12) break;
    }
    vecs = Q;
  }
  const components: Float64Array[] = [];
  for (let c = 0; c < kk; c++) {
    const v = new Float64Array(d);
    for (let r = 0; r < d; r++) v[r] = vecs[r * m + c]!;
    let big = 0;
    for (let r = 1; r < d; r++) if (Math.abs(v[r]!) > Math.abs(v[big]!) + 1e-12) big = r;
    if (v[big]! < 0) for (let r = 0; r < d; r++) v[r] = -v[r]!;
    components.push(v);
  }
  const variances = values.slice(0, kk).map((v) => Math.max(0, v));
  const scores = new Float64Array(n * kk);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < kk; c++) {
      let s = 0;
      const v = components[c]!;
      for (let j = 0; j < d; j++) s += (data[i * d + j]! - mean[j]!) * v[j]!;
      scores[i * kk + c] = s;
    }
  }
  return { mean, components, variances, explained: variances.map((v) => (total > 0 ? v / total : 0)), totalVariance: total, scores };
}
