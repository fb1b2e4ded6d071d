import { test } from 'node:test';
import assert from 'node:assert/strict';
import { WrongAnswerTally, wrongAnswerKind, wrongAnswerText } from '../../../src/core/eval/wrongAnswers';

// unique set, n = 5: `7 8 7 9 4 =`, answer 7 8 9 4 then pads (53); positions 0-4 unscored
const PAD = 53;
const row = { target: [52, 52, 52, 52, 52, 7, 8, 9, 4, PAD, PAD], mask: [0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1], answerStart: 5 };

test("a wrong token is named by the nearest answer position whose target it is, else pad, answer for pad or other", () => {
  assert.deepEqual(wrongAnswerKind(row, 6, 7, PAD), { kind: 'shifted', by: -1 }); // count one high: the previous slot's element
  assert.deepEqual(wrongAnswerKind(row, 6, 9, PAD), { kind: 'shifted', by: 1 });
  assert.deepEqual(wrongAnswerKind(row, 5, 4, PAD), { kind: 'shifted', by: 3 });
  assert.deepEqual(wrongAnswerKind(row, 5, 4, PAD, 2), { kind: 'other' }, 'beyond maxShift');
  assert.deepEqual(wrongAnswerKind(row, 9, 4, PAD), { kind: 'shifted', by: -1 }, 'the last element again in the first pad slot');
  assert.deepEqual(wrongAnswerKind(row, 7, PAD, PAD), { kind: 'pad-for-answer' });
  assert.deepEqual(wrongAnswerKind(row, 10, 8, PAD), { kind: 'answer-for-pad' });
  assert.deepEqual(wrongAnswerKind(row, 6, 30, PAD), { kind: 'other' });
  assert.deepEqual(wrongAnswerKind(row, 5, 52, PAD), { kind: 'other' }, 'unscored positions before the answer never match');
});

test('the nearer shift wins, and the earlier at equal distance', () => {
  const r = { target: [1, 2, 3, 2, 1], mask: [1, 1, 1, 1, 1], answerStart: 0 };
  assert.deepEqual(wrongAnswerKind(r, 2, 2, PAD), { kind: 'shifted', by: -1 }, 'both neighbours hold it: the earlier');
  assert.deepEqual(wrongAnswerKind(r, 0, 3, PAD), { kind: 'shifted', by: 2 });
  assert.deepEqual(wrongAnswerKind(r, 4, 2, PAD), { kind: 'shifted', by: -1 }, 'nearer than the one three before');
});

test('the tally counts each kind under its text, most frequent first', () => {
  const t = new WrongAnswerTally();
  for (const w of [{ kind: 'shifted', by: -1 }, { kind: 'pad-for-answer' }, { kind: 'shifted', by: -1 }, { kind: 'shifted', by: 2 }] as const) t.add(w);
  assert.equal(t.total, 4);
  assert.deepEqual(t.rows(), [
    ['the answer 1 position earlier', 2],
    ['a pad where an answer was due', 1],
    ['the answer 2 positions later', 1],
  ]);
  assert.equal(wrongAnswerText({ kind: 'other' }), 'another token (none of its neighbours)');
});

test("a batch's wrong positions are tallied row by row, bigint targets and unscored positions included", () => {
  const t = new WrongAnswerTally();
  const width = row.target.length;
  const targets = BigInt64Array.from([...row.target, ...row.target].map(BigInt));
  const mask = [...row.mask, ...row.mask];
  // row 0: slot +1 holds the previous element, the first pad slot the last element; row 1 all right; unscored position 0 wrong in both
  const predictions = [0, 52, 52, 52, 52, 7, 7, 9, 4, 4, PAD, 0, 52, 52, 52, 52, 7, 8, 9, 4, PAD, PAD];
  t.addBatch(predictions, targets, mask, [5, 5], width, PAD);
  assert.equal(t.total, 2);
  assert.deepEqual(t.rows(), [['the answer 1 position earlier', 2]]);
});
