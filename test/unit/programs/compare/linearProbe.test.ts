import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RidgeProbe } from '../../../../src/core/programs/compare/linearProbe';
import { Rng } from '../../../../src/core/util/rng';

function samples(n: number, d: number, signal: (i: number) => number[], seed: number) {
  const rng = new Rng(seed);
  const features = new Float64Array(n * d);
  for (let i = 0; i < n; i++) {
    const s = signal(i);
    for (let k = 0; k < d; k++) features[i * d + k] = (s[k] ?? 0) + 0.1 * rng.normal();
  }
  return { features, d, isTrain: Array.from({ length: n }, (_, i) => i % 2 === 0) };
}

test('a value written linearly into the features is read back on held-out samples', () => {
  const rng = new Rng(1);
  const y = Array.from({ length: 200 }, () => rng.int(0, 3));
  const probe = new RidgeProbe(samples(200, 6, (i) => [y[i]! * 0.7 - 1, 0.5], 2));
  const r = probe.score(y);
  assert.equal(r.trainSamples, 100);
  assert.equal(r.testSamples, 100);
  assert.ok(r.heldOutAccuracy >= 0.95, `accuracy ${r.heldOutAccuracy}`);
  assert.ok(r.baselineAccuracy < 0.5);
});

test('a value absent from the features is not read back better than chance', () => {
  const rng = new Rng(3);
  const y = Array.from({ length: 400 }, () => rng.bit());
  const probe = new RidgeProbe(samples(400, 4, () => [], 4));
  const r = probe.score(y);
  assert.ok(r.heldOutAccuracy < 0.62, `accuracy ${r.heldOutAccuracy}`);
});

test('feature count is checked', () => {
  assert.throws(() => new RidgeProbe({ features: new Float64Array(5), d: 2, isTrain: [true, false] }), /5 feature values for 2 samples of 2/);
});
