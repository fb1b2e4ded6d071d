// The defensive JSON reader behind a stored recipe's display (trainRecord.ts recordedScheduleText,
// the model editor's recipe facts, the Models view's planned steps): whatever is missing or of the
// wrong kind reads as undefined, and nothing throws.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finiteAt, valueAt } from '../../../src/core/util/jsonPath';
import { recordedScheduleText } from '../../../src/core/train/trainRecord';

test('valueAt: steps through plain objects only, own keys only', () => {
  const o = { a: { b: { c: 3 }, list: [10, 20], nothing: null, zero: 0, empty: '' } };
  assert.equal(valueAt(o, 'a', 'b', 'c'), 3);
  assert.deepEqual(valueAt(o, 'a', 'b'), { c: 3 });
  assert.equal(valueAt(o), o, 'no keys: the value itself');
  assert.equal(valueAt(o, 'a', 'zero'), 0, 'falsy values are values');
  assert.equal(valueAt(o, 'a', 'empty'), '');
  assert.equal(valueAt(o, 'a', 'nothing'), null, 'a stored null reads as null');
  assert.deepEqual(valueAt(o, 'a', 'list'), [10, 20], 'an array is a value');
  // missing keys, and steps into what is not a plain object
  assert.equal(valueAt(o, 'x'), undefined);
  assert.equal(valueAt(o, 'a', 'b', 'c', 'd'), undefined, 'into a number');
  assert.equal(valueAt(o, 'a', 'list', '0'), undefined, 'into an array');
  assert.equal(valueAt(o, 'a', 'list', 'length'), undefined);
  assert.equal(valueAt(o, 'a', 'nothing', 'x'), undefined, 'into null');
  assert.equal(valueAt(o, 'a', 'empty', 'length'), undefined, 'into a string');
  for (const hostile of [null, undefined, 0, NaN, 'recipe', true, [], [{ a: 1 }], () => 1]) assert.equal(valueAt(hostile, 'a'), undefined, String(hostile));
  // inherited keys are not the recipe's
  assert.equal(valueAt({}, 'constructor'), undefined);
  assert.equal(valueAt({}, 'toString'), undefined);
  assert.equal(valueAt({}, '__proto__'), undefined);
  assert.equal(valueAt(JSON.parse('{"__proto__": {"x": 1}}'), '__proto__', 'x'), 1, 'a JSON key named __proto__ is an own key');
  assert.equal(valueAt(Object.create({ inherited: 1 }), 'inherited'), undefined);
});

test('finiteAt: finite numbers only', () => {
  const o = { s: { lr: 0.001, neg: -2, zero: 0, nan: NaN, inf: Infinity, ninf: -Infinity, text: '0.001', nanText: 'NaN', nul: null, arr: [1], bool: true, obj: { v: 1 } } };
  assert.equal(finiteAt(o, 's', 'lr'), 0.001);
  assert.equal(finiteAt(o, 's', 'neg'), -2);
  assert.equal(finiteAt(o, 's', 'zero'), 0);
  for (const k of ['nan', 'inf', 'ninf', 'text', 'nanText', 'nul', 'arr', 'bool', 'obj', 'missing']) assert.equal(finiteAt(o, 's', k), undefined, k);
  assert.equal(finiteAt([0.1], '0'), undefined);
  assert.equal(finiteAt(null, 's', 'lr'), undefined);
  assert.equal(finiteAt(5), 5, 'no keys: the value itself');
});

test('recordedScheduleText: a hostile stored recipe reads as no schedule, or as the fields that hold', () => {
  for (const hostile of [null, undefined, 7, 'cosine', [], [{ schedule: { lr: 0.001 } }], {}, { schedule: null }, { schedule: [0.001] }, { schedule: 'cosine' }, { schedule: { lr: 'NaN' } }, { schedule: { lr: NaN } }, { schedule: { lr: '0.001' } }]) {
    assert.equal(recordedScheduleText(hostile), undefined, JSON.stringify(hostile));
  }
  assert.equal(recordedScheduleText({ schedule: { lr: 0.001 } }), '0.001, cosine');
  assert.equal(recordedScheduleText({ schedule: { lr: 0.001, kind: 'constant', warmupSteps: 'ten' } }), '0.001, constant');
  assert.equal(recordedScheduleText({ schedule: { lr: 0.001, holdSteps: 2100, minLrFraction: null, warmupSteps: 10 } }), '0.001, constant to step 2,100, then cosine to 0, 10 warm-up steps');
  assert.equal(recordedScheduleText({ schedule: { lr: 0.001, holdSteps: [2100], minLrFraction: 0.25 } }), '0.001, cosine to 0.25 x lr');
});
