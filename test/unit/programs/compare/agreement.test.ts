import { test } from 'node:test';
import assert from 'node:assert/strict';
import { answerAgreement, exactMatch } from '../../../../src/core/programs/compare/agreement';

test('agreement compares model step t with program step t on scored positions', () => {
  const mask = [0, 1, 1];
  const decoded = [
    [9, 1, 3], // step 1
    [9, 0, 3], // step 2
    [0, 0, 0], // step 3: no program step 3
  ];
  const answers = [
    [0, 0, 3], // step 0 (never compared)
    [5, 1, 3], // step 1: both scored positions agree (position 0 is not scored)
    [5, 1, 3], // step 2: one of two
  ];
  assert.deepEqual(answerAgreement(decoded, answers, mask), [
    { step: 1, matched: 2, total: 2, fraction: 1 },
    { step: 2, matched: 1, total: 2, fraction: 0.5 },
  ]);
});

test('exact match looks only at scored positions', () => {
  assert.equal(exactMatch([7, 1, 3], [0, 1, 3], [0, 1, 1]), true);
  assert.equal(exactMatch([0, 1, 2], [0, 1, 3], [0, 1, 1]), false);
});
