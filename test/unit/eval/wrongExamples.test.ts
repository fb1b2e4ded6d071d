// A wrong answer named by the one edit that explains it (core/eval/wrongExamples.ts): left out, too
// many, replaced (by which neighbour's answer), swapped, or more.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ExampleMissTally, answerTokens, exampleMiss, exampleMissText } from '../../../src/core/eval/wrongExamples';
import { editDistance } from '../../../src/core/util/editDistance';

const PAD = 53;

test('the answer as a list: scored positions from the answer start, trailing pads dropped, pads inside kept', () => {
  const mask = [0, 0, 0, 1, 1, 1, 1, 1];
  assert.deepEqual(answerTokens([52, 52, 52, 7, 8, PAD, PAD, PAD], mask, 3, PAD), [7, 8]);
  assert.deepEqual(answerTokens([52, 52, 52, 7, PAD, 8, PAD, PAD], mask, 3, PAD), [7, PAD, 8]);
  assert.deepEqual(answerTokens(BigInt64Array.from([1n, 2n, 53n]), [1, 1, 1], 0, PAD), [1, 2]);
  assert.deepEqual(answerTokens([PAD, PAD], [1, 1], 0, PAD), []);
});

test('one answer left out, or one too many (a repeat of an answer or a new token), placed where the lists part', () => {
  const right = [7, 8, 9, 4];
  assert.deepEqual(exampleMiss(right, [7, 9, 4]), { kind: 'left-out', index: 1 });
  assert.deepEqual(exampleMiss(right, [7, 8, 9]), { kind: 'left-out', index: 3 }, 'the last one: a pad where it was due');
  assert.deepEqual(exampleMiss(right, [7, 8, 8, 9, 4]), { kind: 'too-many', index: 2, repeat: true });
  assert.deepEqual(exampleMiss(right, [30, 7, 8, 9, 4]), { kind: 'too-many', index: 0, repeat: false });
  assert.deepEqual(exampleMiss(right, [7, 8, 9, 4, 4]), { kind: 'too-many', index: 4, repeat: true });
  assert.deepEqual(exampleMiss(right, [7, 4, 9]), { kind: 'more', edits: 2 }, 'one shorter but not by one left out');
  assert.deepEqual(exampleMiss(right, [7, 8, 4, 9, 1]), { kind: 'more', edits: 2 }, 'one longer but not by one inserted: one added, one replaced');
});

test('one answer replaced, two neighbours swapped, or more than one edit', () => {
  const right = [7, 8, 9, 4];
  assert.deepEqual(exampleMiss(right, [7, 9, 9, 4]), { kind: 'replaced', index: 1, by: 'after' });
  assert.deepEqual(exampleMiss(right, [7, 7, 9, 4]), { kind: 'replaced', index: 1, by: 'before' });
  assert.deepEqual(exampleMiss(right, [30, 8, 9, 4]), { kind: 'replaced', index: 0, by: 'other' }, 'the first answer has none before it');
  assert.deepEqual(exampleMiss(right, [7, 8, 9, PAD]), { kind: 'replaced', index: 3, by: 'other' });
  assert.deepEqual(exampleMiss(right, [7, 9, 8, 4]), { kind: 'swapped', index: 1 });
  assert.deepEqual(exampleMiss(right, [9, 7, 8, 4]), { kind: 'more', edits: 2 }, 'a rotation of three is two edits');
  assert.deepEqual(exampleMiss(right, [7, 8]), { kind: 'more', edits: 2 }, 'two left out');
  assert.deepEqual(exampleMiss(right, [1, 8, 9, 2]), { kind: 'more', edits: 2 });
  assert.deepEqual(exampleMiss(right, []), { kind: 'more', edits: 4 }, 'an answer lost in full');
});

test('more than one edit is counted: the fewest answers left out, added or replaced; named up to four, then one row', () => {
  assert.equal(editDistance([], []), 0);
  assert.equal(editDistance([1, 2, 3], [1, 2, 3]), 0);
  assert.equal(editDistance([1, 2, 3], []), 3);
  assert.equal(editDistance([1, 2, 3], [2, 3, 4]), 2, 'the first left out, one added at the end');
  assert.equal(editDistance([5, 6, 7, 8], [6, 5, 8, 7]), 3, 'two swaps: one added at the front, one replaced, one left out at the end');
  assert.equal(editDistance([1, 2, 3, 4, 5], [1, 9, 3, 9, 5]), 2);
  assert.equal(exampleMissText({ kind: 'more', edits: 2 }), 'two edits from the right answer');
  assert.equal(exampleMissText({ kind: 'more', edits: 4 }), 'four edits from the right answer');
  assert.equal(exampleMissText({ kind: 'more', edits: 5 }), '5 or more edits from the right answer');
  assert.equal(exampleMissText({ kind: 'more', edits: 31 }), '5 or more edits from the right answer');
  const t = new ExampleMissTally();
  for (const edits of [2, 2, 3, 9, 12]) t.add({ kind: 'more', edits });
  assert.deepEqual(t.rows(), [['5 or more edits from the right answer', 2], ['two edits from the right answer', 2], ['three edits from the right answer', 1]], 'ties in text order');
});

test('the tally: kinds most frequent first, the places of each kind in bins, repeats among the extras', () => {
  const t = new ExampleMissTally();
  for (const m of [
    { kind: 'left-out', index: 1 },
    { kind: 'left-out', index: 7 },
    { kind: 'left-out', index: 6 },
    { kind: 'too-many', index: 2, repeat: true },
    { kind: 'too-many', index: 3, repeat: false },
    { kind: 'more', edits: 2 },
  ] as const) t.add(m);
  assert.equal(t.total, 6);
  assert.equal(t.repeats, 1);
  assert.deepEqual(t.rows().map(([, n]) => n), [3, 2, 1]);
  assert.match(t.rows()[0]![0], /left out/);
  t.add({ kind: 'replaced', index: 4, by: 'before' });
  assert.ok(t.rows().some(([text, n]) => text === 'one answer replaced by the answer before it again (the rest right)' && n === 1));
  assert.deepEqual(t.placesOf('left-out', 5), [[0, 1], [5, 2]]);
  assert.deepEqual(t.placesOf('swapped', 5), []);
});

test('a batch adds only its wrong rows, each read from its own answer start', () => {
  // two rows of width 6: `7 8 =` with answer 7 8 pad, and `9 9 =` with answer 9 pad pad
  const targets = [52, 52, 7, 8, PAD, PAD, 52, 52, 9, PAD, PAD, PAD];
  const mask = [0, 0, 1, 1, 1, 1, 0, 0, 1, 1, 1, 1];
  const t = new ExampleMissTally();
  t.addBatch([0, 0, 7, 8, PAD, PAD, 0, 0, 9, PAD, PAD, PAD], targets, mask, [2, 2], 6, PAD);
  assert.equal(t.total, 0, 'unscored positions before the answer do not count');
  t.addBatch([0, 0, 8, PAD, PAD, PAD, 0, 0, 9, 9, PAD, PAD], targets, mask, [2, 2], 6, PAD);
  assert.equal(t.total, 2);
  assert.deepEqual(t.placesOf('left-out', 1), [[0, 1]]);
  assert.deepEqual(t.placesOf('too-many', 1), [[1, 1]]);
  assert.equal(t.repeats, 1);
});
