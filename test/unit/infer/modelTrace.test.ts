import { test } from 'node:test';
import assert from 'node:assert/strict';
import { attentionAt, checkTrace, confidenceStep, decodeStep, headAttention, hiddenAt, paperScore, traceFromBatch, traceLogits, type ModelTrace } from '../../../src/core/infer/modelTrace';
import { exampleUncertainty, haltPerExample } from '../../../src/core/infer/halting';

// 2 steps, width 2, vocab 3; logits chosen so softmax values are easy to write down.
function tiny(): ModelTrace {
  const logits = Float32Array.from([
    // step 1: pos 0 → token 2 (margin ln 2 over the others: probs 2/4, 1/4, 1/4 → max 0.5), pos 1 tie → token 0
    0, 0, Math.log(2), 1, 1, 0,
    // step 2: pos 0 → token 1 certain-ish, pos 1 → token 2
    0, 10, 0, 0, 0, Math.log(8),
  ]);
  return { steps: 2, layers: 1, heads: 1, width: 2, vocab: 3, dModel: 1, logits, attention: Float32Array.from([1, 0, 0.5, 0.5, 1, 0, 0.25, 0.75]), hidden: Float32Array.from([1, 2, 3, 4]) };
}

test('decodeStep takes the argmax per position, lowest id on ties', () => {
  const t = tiny();
  assert.deepEqual(Array.from(decodeStep(t, 1)), [2, 0]);
  assert.deepEqual(Array.from(decodeStep(t, 2)), [1, 2]);
});

test('confidence is the max softmax probability', () => {
  const c = confidenceStep(tiny(), 1);
  assert.ok(Math.abs(c[0]! - 0.5) < 1e-6);
  assert.ok(Math.abs(c[1]! - Math.E / (2 * Math.E + 1)) < 1e-6);
  const c2 = confidenceStep(tiny(), 2);
  assert.ok(Math.abs(c2[1]! - 0.8) < 1e-6);
});

test('paper score averages -log max prob over scored positions only', () => {
  const t = tiny();
  assert.ok(Math.abs(paperScore(t, 1, [1, 0]) - Math.log(2)) < 1e-6);
  assert.ok(Math.abs(paperScore(t, 2, [0, 1]) - -Math.log(0.8)) < 1e-6);
  assert.throws(() => paperScore(t, 1, [0, 0]), /scores no position/);
  assert.throws(() => paperScore(t, 1, [1]), /mask has 1 positions/);
});

test("a trace's per-example stop uses the same score as the halting rules", () => {
  const t = tiny();
  const scores = exampleUncertainty(traceLogits(t), [1, 1], 'mean');
  for (const step of [1, 2]) assert.ok(Math.abs(scores[step - 1]! - paperScore(t, step, [1, 1])) < 1e-12);
  assert.equal(haltPerExample(traceLogits(t), [1, 1], 'mean').steps[0], 2);
  assert.equal(haltPerExample(traceLogits(t), [1, 1], 'mean', { maxSteps: 1 }).steps[0], 1);
});

test('views slice the right step, layer and head', () => {
  const t = tiny();
  assert.deepEqual(Array.from(attentionAt(t, 2, 0)), [1, 0, 0.25, 0.75]);
  assert.deepEqual(Array.from(headAttention(t, 1, 0, 0)), [1, 0, 0.5, 0.5]);
  assert.deepEqual(Array.from(hiddenAt(t, 2)), [3, 4]);
  assert.throws(() => decodeStep(t, 0), /step 0 is outside 1..2/);
  assert.throws(() => attentionAt(t, 1, 1), /layer 1 is outside 0..0/);
});

test('checkTrace names the array whose size is wrong', () => {
  assert.throws(() => checkTrace({ ...tiny(), hidden: new Float32Array(3) }), /hidden has 3 values, expected 4/);
  assert.throws(() => checkTrace({ ...tiny(), heads: 0 }), /heads must be a positive integer/);
});

test('traceFromBatch picks one example out of [T,B,...] and [T,L,B,...] layouts', () => {
  const dims = { steps: 2, layers: 2, heads: 1, width: 1, vocab: 2, dModel: 1, batch: 2 };
  // value encodes its own index so the slice is checkable: logits[t][b][w][v] = 100t + 10b + v
  const logits = Float32Array.from([0, 1, 10, 11, 100, 101, 110, 111]);
  const attention = Float32Array.from([0, 10, 1, 11, 100, 110, 101, 111]); // [t][l][b] = 100t + 10b + l
  const hidden = Float32Array.from([0, 10, 100, 110]);
  const tr = traceFromBatch({ logits, attention, hidden }, dims, 1);
  assert.deepEqual(Array.from(tr.logits), [10, 11, 110, 111]);
  assert.deepEqual(Array.from(tr.attention), [10, 11, 110, 111]);
  assert.deepEqual(Array.from(tr.hidden), [10, 110]);
  assert.throws(() => traceFromBatch({ logits, attention, hidden }, dims, 2), /outside the batch of 2/);
  assert.throws(() => traceFromBatch({ logits: new Float32Array(3), attention, hidden }, dims, 0), /logits has 3 values, expected 8/);
});
