import { test } from 'node:test';
import assert from 'node:assert/strict';
import { LengthConfidence } from '../../../src/core/eval/lengthConfidence';
import { haltPerBatch } from '../../../src/core/infer/halting';

// One example per batch, one scored position, two tokens; logits [steps][vocab].
const batch = (perStep: [number, number][]) => ({ data: Float32Array.from(perStep.flat()), steps: perStep.length, batch: 1, width: 1, vocab: 2 });
const truth = { targets: [0], mask: [1], steps: [2] };

test("the paper's rule picks one step for the whole length from the summed score, not one per batch", () => {
  const a = batch([[5, 0], [0, 1]]); // confident at step 1 (right), unsure and wrong at step 2
  const b = batch([[0, 0], [3, 0]]); // unsure at step 1, confident and right at step 2
  assert.equal(haltPerBatch(a, truth.mask).step, 1);
  assert.equal(haltPerBatch(b, truth.mask).step, 2);
  const rule = new LengthConfidence(2);
  rule.add(a, truth);
  rule.add(b, truth);
  const r = rule.result();
  // Summed -log max p: step 1 = log(1 + e^-5) + log 2 ≈ 0.70, step 2 = log(1 + e^-1) + log(1 + e^-3) ≈ 0.36.
  assert.equal(r.step, 2);
  assert.deepEqual(Array.from(r.correct), [0, 1]);
  assert.deepEqual(Array.from(r.steps), [2, 2]);
  assert.deepEqual(Array.from(r.oracleSteps), [2, 2]);
  assert.ok(Math.abs(r.scores[0]! - (Math.log1p(Math.exp(-5)) + Math.log(2)) / 2) < 1e-6);
  // every step's accuracy over both examples: step 1 right on a (and on b's tie, read as token 0), step 2 on b only
  assert.deepEqual(Array.from(r.accuracy), [1, 0.5]);
});

test('a rule with no examples, or logits shorter than its horizon, is refused', () => {
  assert.throws(() => new LengthConfidence(2).result(), /no examples/);
  assert.throws(() => new LengthConfidence(3).add(batch([[1, 0]]), truth), /1 steps of logits/);
});
