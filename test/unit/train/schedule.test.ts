import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cosineEndText, learningRateAt, paperSchedule } from '../../../src/core/train/schedule';

test('paper schedule: constant until hold, cosine to 0 at total', () => {
  const s = paperSchedule(1e-4, 1100, 100);
  assert.equal(learningRateAt(s, 0), 1e-4);
  assert.equal(learningRateAt(s, 99), 1e-4);
  assert.equal(learningRateAt(s, 100), 1e-4); // cos(0) = 1
  assert.ok(Math.abs(learningRateAt(s, 600) - 0.5e-4) < 1e-12, 'half-way is half the rate');
  assert.ok(Math.abs(learningRateAt(s, 350) - 1e-4 * 0.5 * (1 + Math.cos(Math.PI / 4))) < 1e-12);
  assert.ok(learningRateAt(s, 1099) > 0 && learningRateAt(s, 1099) < 1e-9);
  assert.equal(learningRateAt(s, 1100), 0);
  assert.equal(learningRateAt(s, 5000), 0);
  for (let t = 101; t < 1100; t++) assert.ok(learningRateAt(s, t) <= learningRateAt(s, t - 1), 'monotone decay');
});

test('constant schedule, warm-up, and a hold longer than the run', () => {
  assert.equal(learningRateAt({ kind: 'constant', lr: 1e-3, totalSteps: 10, holdSteps: 0 }, 9), 1e-3);
  const w = { kind: 'constant' as const, lr: 1e-3, totalSteps: 100, holdSteps: 0, warmupSteps: 4 };
  assert.deepEqual([0, 1, 2, 3, 4].map((t) => learningRateAt(w, t)), [2.5e-4, 5e-4, 7.5e-4, 1e-3, 1e-3]);
  assert.equal(learningRateAt(paperSchedule(1e-4, 50, 100), 49), 1e-4);
});

test('bad schedules are rejected with a reason', () => {
  assert.throws(() => learningRateAt(paperSchedule(0, 10, 0), 0), /positive number/);
  assert.throws(() => learningRateAt(paperSchedule(1e-3, 0, 0), 0), /total steps/);
  assert.throws(() => learningRateAt({ kind: 'linear' as 'constant', lr: 1, totalSteps: 1, holdSteps: 0 }, 0), /'cosine' or 'constant'/);
  assert.throws(() => learningRateAt(paperSchedule(1e-3, 10, 0), 1.5), /non-negative integer/);
});

test('a floor: the cosine ends at minLrFraction x lr instead of 0', () => {
  const s = { ...paperSchedule(1e-3, 1100, 100), minLrFraction: 0.1 };
  const near = (a: number, b: number) => Math.abs(a - b) < 1e-15;
  assert.equal(learningRateAt(s, 0), 1e-3);
  assert.equal(learningRateAt(s, 100), 1e-3, 'the cosine starts at the peak');
  assert.ok(near(learningRateAt(s, 600), 1e-3 * (0.1 + 0.9 * 0.5)), 'half-way: half-way between the peak and the floor');
  assert.ok(near(learningRateAt(s, 350), 1e-3 * (0.1 + 0.9 * 0.5 * (1 + Math.cos(Math.PI / 4)))));
  assert.ok(learningRateAt(s, 1099) > 1e-4 && learningRateAt(s, 1099) < 1e-4 + 1e-8, 'the last step: just above the floor');
  assert.ok(near(learningRateAt(s, 1100), 1e-4) && near(learningRateAt(s, 5000), 1e-4), 'the floor from totalSteps on');
  for (let t = 101; t <= 1100; t++) assert.ok(learningRateAt(s, t) <= learningRateAt(s, t - 1), 'monotone decay');
  // 0 is the paper's schedule, bit for bit; a constant schedule ignores the floor.
  const paper = paperSchedule(1e-4, 1100, 100);
  for (let t = 0; t <= 1100; t += 7) assert.equal(learningRateAt({ ...paper, minLrFraction: 0 }, t), learningRateAt(paper, t));
  assert.equal(learningRateAt({ kind: 'constant', lr: 1e-3, totalSteps: 10, holdSteps: 0, minLrFraction: 0.5 }, 9), 1e-3);
  // With a warm-up the floor scales with it too (the whole rate is multiplied by the warm-up factor).
  assert.equal(learningRateAt({ ...s, holdSteps: 0, warmupSteps: 2 }, 0), 0.5e-3);
});

test('a floor outside [0, 1) or not a number is rejected', () => {
  for (const f of [1, 1.5, -0.1, NaN, Infinity, '0.1' as unknown as number]) {
    assert.throws(() => learningRateAt({ ...paperSchedule(1e-3, 10, 0), minLrFraction: f }, 0), /minLrFraction \(the lr floor\) must be a number in \[0, 1\)/, String(f));
  }
});

test('cosineEndText: 0 (or none) is the paper\'s, a floor is a fraction of the lr', () => {
  assert.equal(cosineEndText(undefined), 'cosine to 0');
  assert.equal(cosineEndText(0), 'cosine to 0');
  assert.equal(cosineEndText(0.05), 'cosine to 0.05 x lr');
});
