import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curriculumLrHoldSteps, curriculumReachesEndAt, nPointsAt, scaleCurriculum } from '../../../src/core/train/curriculum';
import { getTask } from '../../../src/core/tasks';

test('n_points starts at 2, +1 every interval, stops at end', () => {
  const spec = { start: 2, interval: 500, end: 21 };
  assert.equal(nPointsAt(spec, 0), 2);
  assert.equal(nPointsAt(spec, 499), 2);
  assert.equal(nPointsAt(spec, 500), 3);
  assert.equal(nPointsAt(spec, 1999), 5);
  assert.equal(nPointsAt(spec, 9499), 20);
  assert.equal(nPointsAt(spec, 9500), 21);
  assert.equal(nPointsAt(spec, 100000), 21);
  assert.equal(curriculumReachesEndAt(spec), 9500);
  assert.equal(curriculumLrHoldSteps(spec), 10500);
});

test('paper curricula give the paper final training lengths', () => {
  const last = (name: string) => nPointsAt(getTask(name).curriculum, 100000) - 1;
  assert.deepEqual(['parity', 'copy', 'addition', 'binary_sum', 'multiplication', 'unique_set'].map(last), [20, 19, 19, 19, 11, 19]);
});

test('scaling and bad specs', () => {
  assert.deepEqual(scaleCurriculum({ start: 2, interval: 500, end: 21 }, 0.2), { start: 2, interval: 100, end: 21 });
  assert.throws(() => nPointsAt({ start: 1, interval: 10, end: 5 }, 0), /start must be an integer >= 2/);
  assert.throws(() => nPointsAt({ start: 2, interval: 0, end: 5 }, 0), /interval/);
  assert.throws(() => nPointsAt({ start: 6, interval: 10, end: 5 }, 0), /end must be/);
  assert.throws(() => nPointsAt({ start: 2, interval: 10, end: 5 }, -1), /non-negative/);
});
