import { test } from 'node:test';
import assert from 'node:assert/strict';
import {
  batchUncertainty,
  chooseSteps,
  exampleUncertainty,
  haltPerBatch,
  haltPerExample,
  haltStable,
  predictionsAt,
  predictionsAtSteps,
  type StepLogits,
} from '../../../src/core/infer/halting';

/** Logits where position (t,b,w) puts `conf` on class `cls` and 0 elsewhere. t is 1-based. */
function makeLogits(T: number, B: number, W: number, V: number, f: (t: number, b: number, w: number) => [cls: number, conf: number]): StepLogits {
  const data = new Float32Array(T * B * W * V);
  for (let t = 1; t <= T; t++)
    for (let b = 0; b < B; b++)
      for (let w = 0; w < W; w++) {
        const [cls, conf] = f(t, b, w);
        data[(((t - 1) * B + b) * W + w) * V + cls] = conf;
      }
  return { data, steps: T, batch: B, width: W, vocab: V };
}
// -log max softmax when one class has logit c and the other V-1 have 0
const u = (c: number, V: number) => Math.log(1 + (V - 1) * Math.exp(-c));

test('uncertainty values match the closed form; uniform logits give log V', () => {
  const l = makeLogits(2, 1, 2, 4, (t) => [1, t === 1 ? 0 : 3]);
  const s = batchUncertainty(l, [1, 1]);
  assert.ok(Math.abs(s[0]! - Math.log(4)) < 1e-9);
  assert.ok(Math.abs(s[1]! - u(3, 4)) < 1e-6);
});

test('per-batch rule picks the LOWEST uncertainty step (argmin), masked positions only', () => {
  // confidence peaks at step 3; the unmasked position 0 is most confident at step 5 and must be ignored
  const l = makeLogits(6, 2, 3, 6, (t, _b, w) => [0, w === 0 ? (t === 5 ? 50 : 0) : 6 - Math.abs(t - 3)]);
  const mask = [0, 1, 1, 0, 1, 1];
  const r = haltPerBatch(l, mask);
  assert.equal(r.step, 3);
  assert.deepEqual(Array.from(r.steps), [3, 3]);
  assert.equal(r.scores.length, 6);
  assert.ok(Math.abs(r.scores[2]! - u(6, 6)) < 1e-6);
  // limited to steps <= 2, the best allowed is step 2
  assert.equal(haltPerBatch(l, mask, { maxSteps: 2 }).step, 2);
  assert.equal(haltPerBatch(l, mask, { minStep: 4 }).step, 4);
  assert.throws(() => haltPerBatch(l, mask, { maxSteps: 7 }), /beyond the 6 steps/);
});

test('the per-batch score is a token mean over the whole batch', () => {
  // example 0 very confident at step 1, example 1 very confident at step 2, less so elsewhere:
  // step 1 mean = (u(20)+u(1))/2, step 2 mean = (u(2)+u(20))/2 → step 2 wins
  const conf = [[20, 1], [2, 20]];
  const l = makeLogits(2, 2, 1, 6, (t, b) => [1, conf[t - 1]![b]!]);
  assert.equal(haltPerBatch(l, [1, 1]).step, 2);
  // per example each picks its own best step
  assert.deepEqual(Array.from(haltPerExample(l, [1, 1]).steps), [1, 2]);
});

test('ties go to the earliest step', () => {
  const l = makeLogits(4, 1, 1, 3, () => [2, 5]);
  assert.equal(haltPerBatch(l, [1]).step, 1);
  assert.deepEqual(Array.from(haltPerExample(l, [1], 'mean', { minStep: 2 }).steps), [2]);
});

test('per-example score variants differ where they should', () => {
  // positions 1 ('=') and 2 masked. At step 1: '=' conf 10, pos 2 conf 1. At step 2: both conf 4.
  const c: Record<number, [number, number]> = { 1: [10, 1], 2: [4, 4] };
  const l = makeLogits(2, 1, 3, 6, (t, _b, w) => [0, w === 0 ? 0 : c[t]![w - 1]!]);
  const mask = [0, 1, 1];
  assert.deepEqual(Array.from(haltPerExample(l, mask, 'answer').steps), [1]);
  assert.deepEqual(Array.from(haltPerExample(l, mask, 'min').steps), [2]);
  // mean: step 1 = (u(10)+u(1))/2 ≈ 0.96, step 2 = u(4) ≈ 0.087 → step 2
  assert.deepEqual(Array.from(haltPerExample(l, mask, 'mean').steps), [2]);
  const s = exampleUncertainty(l, mask, 'mean');
  assert.ok(Math.abs(s[0]! - (u(10, 6) + u(1, 6)) / 2) < 1e-6);
  // per-example maxSteps arrays
  assert.deepEqual(Array.from(haltPerExample(l, mask, 'mean', { maxSteps: [1] }).steps), [1]);
});

test('stable rule: first step whose masked prediction holds for k steps', () => {
  // example 0 predicts 0,1,2,2,2 at its masked position; example 1 flips every step
  const l = makeLogits(5, 2, 2, 3, (t, b, w) => [w === 0 ? 0 : b === 0 ? Math.min(t - 1, 2) : t % 2, 3]);
  const mask = [0, 1, 0, 1];
  assert.deepEqual(Array.from(haltStable(l, mask, 3).steps), [3, 5]);
  assert.deepEqual(Array.from(haltStable(l, mask, 1).steps), [1, 1]);
  assert.deepEqual(Array.from(haltStable(l, mask, 2, { maxSteps: 4 }).steps), [3, 4]);
  assert.deepEqual(Array.from(haltStable(l, mask, 2, { maxSteps: 3 }).steps), [3, 3], 'never stable within the limit: the last allowed step');
});

test('predictions and oracle', () => {
  const l = makeLogits(3, 2, 2, 4, (t, b, w) => [(t + b + w) % 4, 1]);
  assert.deepEqual(Array.from(predictionsAt(l, 2)), [2, 3, 3, 0]);
  assert.deepEqual(Array.from(predictionsAtSteps(l, [1n, 3n])), [1, 2, 0, 1]);
  assert.deepEqual(Array.from(chooseSteps({ kind: 'oracle' }, l, [1, 1, 1, 1], [2n, 3n]).steps), [2, 3]);
  assert.throws(() => chooseSteps({ kind: 'oracle' }, l, [1, 1, 1, 1], [2, 4]), /beyond the 3 computed steps/);
  assert.throws(() => predictionsAt(l, 0), /1\.\.3/);
  assert.throws(() => batchUncertainty({ ...l, vocab: 5 }, [1, 1, 1, 1]), /expected steps\*batch\*width\*vocab/);
  assert.throws(() => batchUncertainty(l, [1]), /mask has 1 values/);
});
