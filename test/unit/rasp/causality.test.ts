// Every select is causal. A program that tries to read later positions is rejected with a clear
// error (the causal mask would otherwise hide the mistake), and no recorded selector ever selects
// a key after its query.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaspError } from '../../../src/core/rasp';
import { getTask, taskNames } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { loadShippedTask, run, valueOf } from './helpers';

const LOOK_AHEAD = [
  ['negative shift', 'y = shift_right(tokens, -1)\n'],
  ['key offset behind the query', 'y = kqv(indices - 1, indices, tokens, equals)\n'],
  ['query offset ahead of the key', 'y = kqv(indices, indices + 2, tokens, equals)\n'],
  ['offset made by tok_map', 'ahead = tok_map(indices, lambda i: i + 1)\ny = kqv(indices, ahead, tokens, equals)\n'],
  ['strictly later keys', 'y = aggregate(select(indices, indices, gt), tokens)\n'],
  ['later keys via a lambda predicate', 'y = selector_width(select(indices, indices, lambda k, q: k == q + 3))\n'],
  ['look-ahead inside a def, inside a loop step', 'def peek(x):\n    return kqv(indices, indices + 1, x, equals)\ns = full(0)\nstep:\n    s = peek(tokens)\n'],
] as const;

for (const [what, source] of LOOK_AHEAD) {
  test(`looking at future positions is rejected: ${what}`, () => {
    assert.throws(
      () => run(source, [1, 0, 1, 1, 0]),
      (e: unknown) => e instanceof RaspError && e.kind === 'runtime' && /cannot look at future positions/.test(e.message),
    );
  });
}

test('the same reads toward the past are accepted', () => {
  assert.deepEqual(valueOf('y = shift_right(tokens, 1)\n', [5, 6, 7], 'y'), [0, 5, 6]);
  assert.deepEqual(valueOf('y = kqv(indices + 2, indices, tokens, equals, 9)\n', [5, 6, 7, 8], 'y'), [9, 9, 5, 6]);
  assert.deepEqual(valueOf('y = aggregate(select(indices, indices, lt), tokens, 0, reduction=max)\n', [5, 1, 7, 2], 'y'), [0, 5, 5, 7]);
});

test('a data-dependent read of a later position gets the default (the causal mask)', () => {
  // position 0 asks for position 2, which it cannot see; position 3 can
  assert.deepEqual(valueOf('y = index_select(tokens, full(2), 9)\n', [5, 6, 7, 8], 'y'), [9, 9, 7, 7]);
});

test('no selector recorded by the reference programs selects a later key', () => {
  const rng = new Rng(3);
  for (const name of taskNames) {
    const program = loadShippedTask(name);
    const ex = getTask(name).sampleAt(rng, name === 'multiplication' ? [2, 3] : [5]);
    const { trace } = program.run(ex.input);
    const n = trace.width;
    let seen = 0;
    for (const r of trace.records) {
      for (const s of r.selectors) {
        seen++;
        for (let q = 0; q < n; q++) for (let k = q + 1; k < n; k++) assert.equal(s.matrix[q * n + k], 0, `${name} ${s.name}: query ${q} selects later key ${k}`);
      }
    }
    assert.ok(seen > 0, `${name} recorded selectors`);
  }
});
