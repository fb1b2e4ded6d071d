// The number check behind every hostile-message and saved-state parser (core/util/validate.ts num):
// each bound is inclusive unless marked exclusive, and the refusal names the range it wanted.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { num, ValidationError } from '../../../src/core/util/validate';

function refusal(check: (v: unknown, path: string) => number, v: unknown): string {
  try {
    check(v, 'x');
  } catch (e) {
    assert.ok(e instanceof ValidationError, 'a ValidationError');
    return e.message;
  }
  assert.fail(`${String(v)} was accepted`);
}

test('num: inclusive bounds accept their ends', () => {
  const check = num({ min: 0, max: 1 });
  assert.equal(check(0, 'x'), 0);
  assert.equal(check(1, 'x'), 1);
  assert.match(refusal(check, 1.5), /x must be a finite number in 0\.\.1, got 1\.5/);
  assert.match(refusal(check, -0.1), /in 0\.\.1/);
});

test('num: an exclusive upper bound refuses its end and names it', () => {
  const check = num({ min: 0, max: 1, exclusiveMax: true });
  assert.equal(check(0, 'x'), 0);
  assert.equal(check(0.999, 'x'), 0.999);
  assert.match(refusal(check, 1), /x must be a number >= 0 and < 1, got 1/);
  assert.match(refusal(check, -1), /x must be a number >= 0 and < 1, got -1/);
});

test('num: an exclusive lower bound, alone or with an inclusive upper one', () => {
  assert.match(refusal(num({ min: 0, exclusiveMin: true }), 0), /x must be a number > 0, got 0/);
  const check = num({ min: 0, max: 1, exclusiveMin: true });
  assert.equal(check(1, 'x'), 1);
  assert.match(refusal(check, 0), /x must be a number > 0 and <= 1, got 0/);
});

test('num: an exclusive flag without its bound is the plain range', () => {
  assert.match(refusal(num({ max: 1, exclusiveMin: true }), 2), /x must be a finite number <= 1, got 2/);
  assert.match(refusal(num({ exclusiveMax: true }), 'a'), /x must be a finite number, got "a"/);
});

test('num: NaN, infinities and non-numbers are refused whatever the range', () => {
  const check = num({ min: 0, max: 1, exclusiveMax: true });
  for (const v of [Number.NaN, Number.POSITIVE_INFINITY, '0.5', null, undefined]) refusal(check, v);
  assert.match(refusal(check, undefined), /x is missing; expected a number >= 0 and < 1/);
});
