import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosineDistance, hiddenStates, settleFrom } from '../../../src/core/view/hiddenStates';
import { jacobiEigen, pca } from '../../../src/core/view/pca';
import type { ModelTrace } from '../../../src/core/infer/modelTrace';

const close = (a: number, b: number, eps = 1e-9) => Math.abs(a - b) <= eps;

/** A trace with only the hidden state filled: hidden[t][p] = f(t, p). */
function hiddenTrace(T: number, W: number, d: number, f: (t: number, p: number) => number[]): ModelTrace {
  const hidden = new Float32Array(T * W * d);
  for (let t = 0; t < T; t++) for (let p = 0; p < W; p++) hidden.set(f(t + 1, p), (t * W + p) * d);
  return { steps: T, layers: 1, heads: 1, width: W, vocab: 2, dModel: d, logits: new Float32Array(T * W * 2), attention: new Float32Array(T * W * W), hidden };
}

test('cosine distance and settling', () => {
  assert.equal(cosineDistance([1, 0, 0, 1], 0, 2, 2), 1);
  assert.ok(close(cosineDistance([1, 1, 2, 2], 0, 2, 2), 0));
  assert.ok(close(cosineDistance([1, 0, -1, 0], 0, 2, 2), 2));
  assert.equal(cosineDistance([0, 0, 1, 0], 0, 2, 2), 0);
  assert.equal(settleFrom([null, 0.5, 0.01, 0.0001, 0.00001], 1e-3), 4);
  assert.equal(settleFrom([null, 0.5, 0.0001, 0.5, 0.00001], 1e-3), 5);
  assert.equal(settleFrom([null, 0.0001, 0.0001], 1e-3), 2);
  assert.equal(settleFrom([null, 0.0001, 0.5], 1e-3), null);
});

test('norms, cosine change and the fixed point of a state that rotates to a stop', () => {
  // position 0 rotates by 90°, then 45°, then stays; position 1 grows without turning
  const angles = [0, Math.PI / 2, (3 * Math.PI) / 4, (3 * Math.PI) / 4, (3 * Math.PI) / 4];
  const trace = hiddenTrace(5, 2, 2, (t, p) => (p === 0 ? [Math.cos(angles[t - 1]!), Math.sin(angles[t - 1]!)] : [t, 0]));
  const h = hiddenStates(trace, [0, 1]);
  assert.deepEqual(h.norm.map((r) => r[1]), [1, 2, 3, 4, 5]);
  assert.ok(close(h.norm[2]![0]!, 1, 1e-6));
  assert.equal(h.cosineChange[0]![0], null);
  assert.ok(close(h.cosineChange[1]![0]!, 1, 1e-6), '90°: 1 - cos = 1');
  assert.ok(close(h.cosineChange[2]![0]!, 1 - Math.SQRT1_2, 1e-4), '45°');
  assert.equal(h.cosineChange[3]![0], 0);
  assert.equal(h.cosineChange[1]![1], 0, 'growing along one axis does not turn');
  assert.ok(close(h.relativeChange[1]![1]!, 1), '|2 - 1| / 1');
  assert.ok(close(h.relativeChange[4]![1]!, 0.25), '|5 - 4| / 4');
  assert.ok(close(h.meanCosineChange[1]!, 0.5, 1e-6));
  assert.ok(close(h.meanCosineChangeScored[1]!, 0), 'only position 1 is scored');
  assert.deepEqual(h.settleStep, [4, 2]);
  assert.equal(h.fixedPointStep, 4);
  assert.equal(h.pca.points.length, 5);
  assert.equal(h.pca.points[0]!.length, 2);
});

test('PCA of a known matrix: components, variances and scores', () => {
  // points along x with spread 3 and along y with spread 1, rotated by 30°, shifted by (5, -2)
  const c = Math.cos(Math.PI / 6);
  const s = Math.sin(Math.PI / 6);
  const raw = [[3, 1], [-3, 1], [3, -1], [-3, -1], [0, 0]];
  const data = raw.flatMap(([a, b]) => [5 + c * a! - s * b!, -2 + s * a! + c * b!]);
  const r = pca(data, 5, 2, 2);
  assert.ok(close(r.mean[0]!, 5) && close(r.mean[1]!, -2));
  // variance along the first axis: (4 * 9) / 4 = 9; along the second: 4 / 4 = 1
  assert.ok(close(r.variances[0]!, 9, 1e-9) && close(r.variances[1]!, 1, 1e-9), `${r.variances}`);
  assert.ok(close(r.explained[0]!, 0.9, 1e-9) && close(r.explained[1]!, 0.1, 1e-9));
  assert.ok(close(Math.abs(r.components[0]![0]!), c, 1e-9) && close(Math.abs(r.components[0]![1]!), s, 1e-9));
  // sign convention: the largest entry of each component is positive
  assert.ok(r.components[0]![0]! > 0);
  assert.ok(close(Math.abs(r.scores[0]!), 3, 1e-9) && close(Math.abs(r.scores[1]!), 1, 1e-9));
  assert.ok(close(r.scores[4 * 2]!, 0, 1e-9));
});

test('PCA in many dimensions (subspace iteration) finds the planted directions', () => {
  const d = 48;
  const n = 200;
  const u = Array.from({ length: d }, (_, i) => (i === 3 ? 1 : 0));
  const v = Array.from({ length: d }, (_, i) => (i === 40 ? 1 : 0));
  const data: number[] = [];
  for (let i = 0; i < n; i++) {
    const a = 10 * Math.sin(i * 0.37);
    const b = 3 * Math.cos(i * 1.71);
    const noise = (k: number) => 0.01 * Math.sin(i * 7.1 + k * 3.3);
    for (let k = 0; k < d; k++) data.push(a * u[k]! + b * v[k]! + noise(k));
  }
  const r = pca(data, n, d, 2);
  assert.ok(Math.abs(r.components[0]![3]!) > 0.999, 'PC1 along axis 3');
  assert.ok(Math.abs(r.components[1]![40]!) > 0.999, 'PC2 along axis 40');
  assert.ok(r.explained[0]! > r.explained[1]! && r.explained[0]! + r.explained[1]! > 0.999);
  const full = jacobiEigen(Float64Array.from([2, 1, 1, 2]), 2);
  assert.ok(close(full.values[0]!, 3) && close(full.values[1]!, 1));
});

test('PCA of points that do not vary explains nothing', () => {
  const r = pca([1, 2, 1, 2, 1, 2], 3, 2, 2);
  assert.deepEqual(r.explained, [0, 0]);
  assert.deepEqual(Array.from(r.scores), [0, 0, 0, 0, 0, 0]);
});
