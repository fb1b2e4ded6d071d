import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseLengths } from '../../../src/extension/evaluate/evalDefaults';
import { defaultTestLengths, longestTrainingLength, modelTrainingLength } from '../../../src/core/train/testLengths';
import { getTask } from '../../../src/core/tasks';

test('default test lengths: half the training range, its end, half-way, the test length', () => {
  const parity = getTask('parity');
  assert.deepEqual(defaultTestLengths(parity, 20), [10, 20, 30, 40]);
  assert.deepEqual(defaultTestLengths(getTask('copy'), 19), [10, 19, 25, 30]);
  assert.deepEqual(defaultTestLengths(getTask('multiplication'), 11), [6, 11, 13, 15]);
  // a model trained beyond the paper's test length is tested past its training range
  assert.deepEqual(defaultTestLengths(parity, 50), [25, 50, 51]);
  assert.deepEqual(defaultTestLengths(parity, 1), [1, 21, 40]);
});

test('the training range comes from the recipe (its last stage), else the task\'s curriculum', () => {
  const parity = getTask('parity');
  assert.equal(longestTrainingLength({ curriculum: { end: 6 } }, parity), 5);
  assert.equal(longestTrainingLength(undefined, parity), 20);
  assert.equal(longestTrainingLength({ curriculum: { end: 1 } }, parity), 20);
  // a staged recipe trains up to its last stage's length; a stage that does not read as one is ignored
  assert.equal(longestTrainingLength({ curriculum: { end: 9 }, stages: [{ fromStep: 10, maxLength: 12 }, { fromStep: 20, maxLength: 19 }] }, parity), 19);
  assert.equal(longestTrainingLength({ curriculum: { end: 9 }, stages: [{ fromStep: 10, maxLength: 'x' }] }, parity), 8);
  assert.equal(longestTrainingLength({ curriculum: { end: 9 }, stages: [] }, parity), 8);
  // a model file: the lengths its run reached (a run stopped early), else its recipe's
  assert.equal(modelTrainingLength({ trainedLengths: { min: 1, max: 6 }, recipe: { curriculum: { end: 21 } } }, parity), 6);
  assert.equal(modelTrainingLength({ recipe: { curriculum: { end: 9 }, stages: [{ fromStep: 10, maxLength: 19 }] } }, parity), 19);
});

test('lengths: lists, ranges, duplicates, errors', () => {
  assert.deepEqual(parseLengths('40, 10 20,20'), [10, 20, 40]);
  assert.deepEqual(parseLengths('5..8'), [5, 6, 7, 8]);
  assert.deepEqual(parseLengths('1-3 10'), [1, 2, 3, 10]);
  assert.throws(() => parseLengths(''), /at least one length/);
  assert.throws(() => parseLengths('0'), /"0" is not a positive whole number/);
  assert.throws(() => parseLengths('9..3'), /not a range/);
  assert.throws(() => parseLengths('501'), /too long/);
  assert.throws(() => parseLengths('1..100'), /too many/);
});
