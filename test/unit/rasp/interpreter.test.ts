// Semantics of the primitives, the operators, the index rule and the library written in RASP-L,
// checked against values worked out by hand.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaspError } from '../../../src/core/rasp';
import { run, valueOf } from './helpers';

const X = [3, 1, 3, 2, 1, 3];

test('tokens, indices, full, tok_map, seq_map', () => {
  assert.deepEqual(valueOf('y = indices\n', X, 'y'), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(valueOf('y = full(7)\n', X, 'y'), [7, 7, 7, 7, 7, 7]);
  assert.deepEqual(valueOf('y = tok_map(tokens, lambda a: a * 2 if a > 1 else 0 - a)\n', X, 'y'), [6, -1, 6, 4, -1, 6]);
  assert.deepEqual(valueOf('y = seq_map(tokens, indices, lambda a, i: a == 3 and i < 3)\n', X, 'y'), [1, 0, 1, 0, 0, 0]);
  assert.deepEqual(valueOf('y = seq_map(tokens, full(1), xor)\n', X, 'y'), [2, 0, 2, 3, 0, 2]);
  assert.deepEqual(valueOf('def f(a, b):\n    c = a + b\n    return c % 3\ny = seq_map(tokens, tokens, f)\n', X, 'y'), [0, 2, 0, 1, 2, 0]);
});

test('operators map over sequences with Python integer semantics', () => {
  assert.deepEqual(valueOf('y = (tokens - 4) // 2\n', X, 'y'), [-1, -2, -1, -1, -2, -1]);
  assert.deepEqual(valueOf('y = (tokens - 4) % 3\n', X, 'y'), [2, 0, 2, 1, 0, 2]);
  assert.deepEqual(valueOf('y = not (tokens == 3) or tokens == 1\n', X, 'y'), [0, 1, 0, 1, 1, 0]);
  assert.deepEqual(valueOf('y = 10 if tokens == 3 else tokens\n', X, 'y'), [10, 1, 10, 2, 1, 10]);
  assert.deepEqual(valueOf('y = max(tokens, 2) + min(tokens, 2) + abs(0 - tokens)\n', X, 'y'), [8, 4, 8, 6, 4, 8]);
  assert.equal(run('k = 7 // 2 - 3 % 2\n', [0]).variables.size, 0, 'scalars are not sequence variables');
});

test('select + aggregate: mean (truncated), max, min, default', () => {
  const prefix = 'sel = select(indices, indices, leq)\n';
  assert.deepEqual(valueOf(prefix + 'y = aggregate(sel, tokens)\n', X, 'y'), [3, 2, 2, 2, 2, 2]); // 3, 4/2, 7/3, 9/4, 10/5, 13/6
  assert.deepEqual(valueOf(prefix + 'y = aggregate(sel, tokens, reduction=max)\n', X, 'y'), [3, 3, 3, 3, 3, 3]);
  assert.deepEqual(valueOf(prefix + 'y = aggregate(sel, tokens, reduction=min)\n', X, 'y'), [3, 1, 1, 1, 1, 1]);
  assert.deepEqual(valueOf('y = aggregate(select(tokens, 2, equals), indices, -1)\n', X, 'y'), [-1, -1, -1, 3, 3, 3]);
  assert.deepEqual(valueOf('y = kqv(tokens, tokens, indices, equals, 0, reduction=min)\n', X, 'y'), [0, 1, 0, 3, 1, 0]);
  assert.deepEqual(valueOf('y = selector_width(select(tokens, tokens, equals))\n', X, 'y'), [1, 1, 2, 1, 2, 3]);
});

test('selector algebra: & | not', () => {
  const base = 'a = select(tokens, tokens, equals)\nb = select(indices, indices, lt)\n';
  assert.deepEqual(valueOf(base + 'y = selector_width(a & b)\n', X, 'y'), [0, 0, 1, 0, 1, 2]);
  assert.deepEqual(valueOf(base + 'y = selector_width(a | b)\n', X, 'y'), [1, 2, 3, 4, 5, 6]);
  assert.deepEqual(valueOf(base + 'y = selector_width(not a)\n', X, 'y'), [0, 1, 1, 3, 3, 3]);
});

test('library (written in RASP-L): shift_right, cumsum, where, mask, num_prev, has_seen', () => {
  assert.deepEqual(valueOf('y = shift_right(tokens, 2, -1)\n', X, 'y'), [-1, -1, 3, 1, 3, 2]);
  assert.deepEqual(valueOf('y = cumsum(tokens == 3)\n', X, 'y'), [1, 1, 2, 2, 2, 3]);
  assert.deepEqual(valueOf('y = where(tokens == 1, indices, 9)\n', X, 'y'), [9, 1, 9, 9, 4, 9]);
  assert.deepEqual(valueOf('y = mask(tokens, tokens != 3)\n', X, 'y'), [0, 1, 0, 2, 1, 0]);
  assert.deepEqual(valueOf('y = num_prev(tokens, tokens)\n', X, 'y'), [1, 1, 2, 1, 2, 3]);
  assert.deepEqual(valueOf('y = has_seen(tokens, 2)\n', X, 'y'), [0, 0, 0, 1, 1, 1]);
});

test('library: firsts, lasts, index_select, induct', () => {
  assert.deepEqual(valueOf('y = firsts(tokens, tokens)\n', X, 'y'), [0, 1, 0, 3, 1, 0]);
  assert.deepEqual(valueOf('y = lasts(tokens, tokens)\n', X, 'y'), [0, 1, 2, 3, 4, 5]);
  assert.deepEqual(valueOf('y = lasts(tokens, 1)\n', X, 'y'), [-1, 1, 1, 1, 4, 4]);
  assert.deepEqual(valueOf('y = index_select(tokens, indices - 1 + 1)\n', X, 'y'), X);
  // induct: the token after the previous occurrence of this token (A B ... A -> B)
  assert.deepEqual(valueOf('y = induct(tokens)\n', [7, 8, 9, 7, 5, 8], 'y'), [0, 0, 0, 8, 0, 9]);
});

test('the index rule: comparisons and constant offsets only', () => {
  assert.deepEqual(valueOf('y = indices + 3 - 1\n', [0, 0], 'y'), [2, 3]);
  assert.deepEqual(valueOf('y = indices >= 1\n', [0, 0], 'y'), [0, 1]);
  assert.deepEqual(valueOf('y = tok_map(indices, lambda i: i == 0)\n', [0, 0], 'y'), [1, 0]);
  assert.deepEqual(valueOf('c = 2\ny = tok_map(indices, lambda i: i + c)\n', [0, 0], 'y'), [2, 3]);
  assert.deepEqual(valueOf('y = (indices + 1) * 2 if 0 else tokens + 5\n', [0, 0], 'y'), [5, 5], 'a scalar condition evaluates one branch only');
  for (const bad of ['y = indices * 2\n', 'y = 0 - indices\n', 'y = tok_map(indices, lambda i: i // 2)\n', 'y = seq_map(indices, tokens, add)\n', 'y = max(indices, 1)\n', 'y = kqv(tokens, tokens, indices, equals) * 2\n']) {
    assert.throws(() => run(bad, [0, 1, 2]), (e: unknown) => e instanceof RaspError && /indices/.test(e.message), bad);
  }
});

test('loop: top level once, step T times, post once; state carries over', () => {
  const src = 's = full(0)\npre:\n    s = s + 10\nstep:\n    s = s + 1\n    d = s * 2\npost:\n    s = s * 100\n';
  const r = run(src, [0, 0], 3);
  assert.deepEqual(r.variables.get('s'), [1300, 1300]);
  assert.deepEqual(r.variables.get('d'), [26, 26]);
  assert.deepEqual(
    r.trace.records.map((x) => `${x.phase}${x.step}`),
    ['init0', 'step1', 'step2', 'step3', 'post4'],
  );
  assert.deepEqual(
    r.trace.records.map((x) => x.variables.find((v) => v.name === 's')!.values[0]),
    [10, 11, 12, 13, 1300],
  );
  assert.equal(r.trace.records[0]!.variables.some((v) => v.name === 'd'), false, 'd does not exist before the first step');
});

test('lambdas close over their scope; defs see globals; defaults and keywords bind', () => {
  assert.deepEqual(valueOf('k = 4\nf = lambda a: a + k\ny = tok_map(tokens, f)\n', [1, 2], 'y'), [5, 6]);
  assert.deepEqual(valueOf('base = full(5)\ndef g(x, plus=1):\n    return x + base + plus\ny = g(tokens, plus=2)\n', [1, 2], 'y'), [8, 9]);
  assert.deepEqual(valueOf('y = kqv(indices + 1, indices, tokens, equals, default=7)\n', [1, 2], 'y'), [7, 1]);
});
