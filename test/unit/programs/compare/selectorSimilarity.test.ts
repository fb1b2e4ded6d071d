import { test } from 'node:test';
import assert from 'node:assert/strict';
import { selectorSimilarity, uniformCausalAttention } from '../../../../src/core/programs/compare/selectorSimilarity';

const close = (a: number | null, b: number, eps = 1e-9) => assert.ok(a !== null && Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('attention uniform over the selected keys scores 1', () => {
  // query 0 selects key 0; query 1 selects keys 0 and 1; query 2 selects keys 0 and 2
  const sel = [1, 0, 0, 1, 1, 0, 1, 0, 1];
  const att = [1, 0, 0, 0.5, 0.5, 0, 0.5, 0, 0.5];
  const r = selectorSimilarity(att, sel, 3);
  close(r.similarity, 1);
  assert.equal(r.rowsCompared, 3);
});

test('disjoint attention scores 0 and a half overlap is worked out by hand', () => {
  const sel = [1, 0, 0, 1]; // query 0 → key 0, query 1 → key 1
  close(selectorSimilarity([1, 0, 1, 0], [1, 0, 1, 0], 2).similarity, 1);
  // row 1 attends fully to key 0 while the selector wants key 1: TV 1; row 0 matches: TV 0 → 1 - 0.5
  close(selectorSimilarity([1, 0, 1, 0], sel, 2).similarity, 0.5);
  // row 1 split 0.3/0.7: TV = ½(0.3 + 0.3) = 0.3 → mean (0 + 0.3)/2 → 0.85
  close(selectorSimilarity([1, 0, 0.3, 0.7], sel, 2).similarity, 0.85);
});

test('rows that select nothing are skipped, and all-empty gives null', () => {
  const sel = [0, 0, 0, 1];
  const r = selectorSimilarity([1, 0, 0, 1], sel, 2);
  close(r.similarity, 1);
  assert.equal(r.rowsCompared, 1);
  assert.equal(selectorSimilarity([1, 0, 0, 1], [0, 0, 0, 0], 2).similarity, null);
});

test('uniform causal attention against a shift-by-one selector: 1 - mean q/(q+1)', () => {
  const W = 4;
  const shift = new Uint8Array(W * W);
  for (let q = 1; q < W; q++) shift[q * W + q - 1] = 1;
  close(selectorSimilarity(uniformCausalAttention(W), shift, W).similarity, 1 - (1 / 2 + 2 / 3 + 3 / 4) / 3, 1e-6); // float32 attention
});

test('mismatched sizes are rejected', () => {
  assert.throws(() => selectorSimilarity([1], [1, 0, 0, 1], 2), /expected 2x2 matrices/);
});
