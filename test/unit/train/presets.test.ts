import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuRecipe, makeRecipe, paperRecipe } from '../../../src/core/train/presets';
import { batchShape, lrAt, RecipeError, validateRecipe } from '../../../src/core/train/recipe';
import { getTask, taskNames } from '../../../src/core/tasks';

test('paper preset: the published recipe for every task', () => {
  const blocks: Record<string, [number, number]> = { parity: [1, 64], copy: [2, 8], addition: [3, 8], binary_sum: [2, 16], multiplication: [4, 8], unique_set: [3, 8] };
  for (const name of taskNames) {
    const r = validateRecipe(paperRecipe(name));
    const t = getTask(name);
    assert.deepEqual([r.model.d, r.model.layers, r.model.heads], [256, ...blocks[name]!], name);
    assert.equal(r.model.readIn, name === 'unique_set' ? 'embedding' : 'linear');
    assert.equal(r.model.vocabSize, name === 'unique_set' ? 60 : 6);
    assert.equal(r.model.inputInjection, true);
    assert.equal(r.batchSize, 64);
    assert.equal(r.steps, 100_001);
    assert.equal(r.schedule.lr, 1e-4);
    assert.equal(r.schedule.kind, 'cosine');
    assert.equal(r.schedule.holdSteps, t.curriculum.end * t.curriculum.interval);
    assert.deepEqual(r.optimizer, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 });
    assert.deepEqual(r.curriculum, t.curriculum);
    assert.equal(r.width, t.trainingWidth());
    assert.equal(r.horizon, t.horizon(t.curriculum.end));
    assert.equal(r.widthMode, 'curriculum', "the released code's rows grow with the curriculum");
  }
  const p = paperRecipe('parity');
  assert.deepEqual([p.width, p.horizon, p.schedule.holdSteps], [21, 23, 10_500]);
  assert.equal(lrAt(p, 10_499), 1e-4);
  assert.ok(lrAt(p, 60_000) < 1e-4 && lrAt(p, 60_000) > 0);
  assert.ok(lrAt(p, 100_000) < 1e-12);
});

test('cpu preset: small block, dense curriculum, rows only as wide as the curriculum needs', () => {
  const r = validateRecipe(cpuRecipe('parity'));
  assert.deepEqual([r.model.d, r.model.layers], [64, 1]);
  assert.deepEqual(r.curriculum, { start: 2, interval: 100, end: 21 });
  assert.equal(r.widthMode, 'curriculum');
  assert.deepEqual(batchShape(r, 2), { width: 2, horizon: 4 });
  assert.deepEqual(batchShape(r, 21), { width: 21, horizon: 23 });
  assert.deepEqual(batchShape({ ...r, widthMode: 'fixed' }, 2), { width: 21, horizon: 23 });
  for (const name of taskNames) {
    const c = validateRecipe(cpuRecipe(name));
    for (let n = c.curriculum.start; n <= c.curriculum.end; n++) {
      const s = batchShape(c, n);
      const t = getTask(name);
      const longest = name === 'multiplication' ? [2, n - 1] : [n - 1];
      assert.ok(s.width >= t.minWidth(longest), `${name} n_points ${n}: width ${s.width}`);
      assert.ok(s.horizon >= t.steps(longest), `${name} n_points ${n}: horizon ${s.horizon}`);
    }
  }
});

test('makeRecipe applies overrides and rejects unknown names and bad values', () => {
  const r = makeRecipe('parity', 'cpu', { steps: 50, seed: 9, lr: 5e-4, batchSize: 16 });
  assert.deepEqual([r.steps, r.seed, r.schedule.lr, r.batchSize], [50, 9, 5e-4, 16]);
  assert.equal(cpuRecipe('parity').steps !== 50, true, 'the preset itself is not modified');
  assert.throws(() => makeRecipe('parity', 'fast'), (e: Error) => e instanceof RecipeError && /unknown preset "fast"; valid presets: paper, cpu/.test(e.message));
  assert.throws(() => makeRecipe('sorting', 'cpu'), /unknown task "sorting"/);
  assert.throws(() => makeRecipe('parity', 'cpu', { steps: 0 }), /steps must be a positive integer/);
  assert.throws(() => makeRecipe('parity', 'cpu', { lr: -1 }), /learning rate must be a positive number/);
  assert.throws(() => validateRecipe({ ...cpuRecipe('parity'), widthMode: 'wide' as never }), /widthMode must be/);
});

test('model and curriculum overrides rebuild everything derived from them', () => {
  const r = makeRecipe('addition', 'paper', { d: 32, layers: 2, heads: 2, maxLength: 6, interval: 50, widthMode: 'curriculum', warmupSteps: 10 });
  assert.deepEqual([r.model.d, r.model.layers, r.model.heads], [32, 2, 2]);
  assert.deepEqual(r.curriculum, { start: 2, interval: 50, end: 7 });
  // Width and horizon follow the new longest length (addition: 3 * max_len, n_points + 2), and so does the lr hold.
  assert.equal(r.width, 21);
  assert.equal(r.horizon, 9);
  assert.equal(r.schedule.holdSteps, 7 * 50);
  assert.equal(r.widthMode, 'curriculum');
  assert.equal(r.schedule.warmupSteps, 10);
  assert.throws(() => makeRecipe('parity', 'cpu', { heads: 5 }), /head|divis/i);
});
