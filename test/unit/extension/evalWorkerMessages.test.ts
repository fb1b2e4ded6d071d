// The host's check of what the evaluation worker writes (evalWorkerMessages.ts): every message the
// worker sends passes as it is (evalWorker.test.ts checks the real worker's lines), and a hostile
// or broken line is refused with the message type and the field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvalOutbound } from '../../../src/extension/evaluate/evalWorkerMessages';
import type { EvalWorkerOutbound } from '../../../src/extension/evaluate/evalWorkerProtocol';

const row = { length: 4, oracleStep: 4, examples: 16, oracle: 0.75, perBatch: 0.5, perBatchStep: 5, perExample: 0.625, perExampleStep: 4.25, calibrated: 0.6875, calibratedStep: 4 };
const cases = [
  { label: 'no carry', examples: 10, correct: 9, paperRule: 8, perExample: 7 },
  { label: 'carry', examples: 6, correct: 3, paperRule: 0, perExample: 3 },
];
const failure = { input: '1011=', expected: '1', predicted: '0', rule: 'oracle T(n)', step: 4 };
/** Accuracy and confidence score at every loop step 1 .. T(n) + 2 of length 4. */
const byStep = { oracleStep: 4, paperStep: 5, accuracy: [0, 0.25, 0.5, 0.75, 0.5, 0.5], score: [1.2, 0.9, 0.4, 0.2, 0.1, 0.3] };
/** The same with each of its 3 answer positions' accuracy at every step (+0, the answer, a pad). */
const positions = [[0.5, 0, 1], [0.75, 0.25, 1], [1, 0.5, 1], [1, 0.75, 1], [1, 0.5, 1], [1, 0.5, 1]];

const good: EvalWorkerOutbound[] = [
  { type: 'ready', pid: 1234 },
  { type: 'progress', done: 3, total: 4, length: 4 },
  { type: 'row', row },
  { type: 'row', row: { ...row, calibrated: undefined, calibratedStep: undefined }, failure, cases },
  { type: 'row', row, cases: [{ label: 'older', examples: 16, correct: 12 }] },
  { type: 'row', row, failure, cases, byStep },
  { type: 'row', row, byStep: { oracleStep: 4, paperStep: 1, accuracy: [0, 0, 0, 1], score: [0, 0, 0, 0] } },
  { type: 'row', row, byStep: { ...byStep, positions } },
  { type: 'row', row, byStep: { ...byStep, positions: positions.map((r) => r.slice(0, 1)) } },
  { type: 'result', rows: [row, { ...row, length: 8, oracleStep: 8 }], perExampleRule: 'per example: max confidence', seconds: 1.5 },
  { type: 'result', rows: [], perExampleRule: '', seconds: 0 },
  { type: 'cancelled' },
  { type: 'log', message: 'using 2 threads' },
  { type: 'error', message: 'junk.onnx is not a readable ONNX model' },
];

/** What the message is after the wire: JSON drops undefined keys. */
const wire = (m: unknown): unknown => JSON.parse(JSON.stringify(m));

test('every message the worker sends passes, unchanged', () => {
  for (const m of good) assert.deepEqual(parseEvalOutbound(wire(m)), wire(m), m.type);
});

function refused(value: unknown, pattern: RegExp): void {
  assert.throws(() => parseEvalOutbound(value), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, pattern);
    return true;
  });
}

test('a row with a wrong field is refused, naming the message type and the field', () => {
  refused({ type: 'row', row: { ...row, oracle: 'x' } }, /^eval worker sent a malformed "row" message: row\.oracle must be a finite number in 0\.\.1, got "x"$/);
  // JSON has no NaN: an encoder's NaN arrives as null, a hostile one as a string
  refused({ type: 'row', row: { ...row, oracle: null } }, /"row" message: row\.oracle is null; expected a finite number/);
  refused({ type: 'row', row: { ...row, perBatch: 'NaN' } }, /row\.perBatch must be a finite number/);
  refused({ type: 'row', row: { ...row, perExample: 1.5 } }, /row\.perExample must be a finite number in 0\.\.1, got 1\.5/);
  refused({ type: 'row', row: { ...row, examples: -1 } }, /row\.examples must be an integer >= 0, got -1/);
  refused({ type: 'row', row: { ...row, examples: 2.5 } }, /row\.examples must be an integer >= 0/);
  refused({ type: 'row', row: { ...row, length: 0 } }, /row\.length must be an integer in 1\.\.500/);
  refused({ type: 'row', row: { ...row, perBatchStep: -2 } }, /row\.perBatchStep must be a finite number >= 0/);
  refused({ type: 'row', row: { ...row, calibrated: 'high' } }, /row\.calibrated must be/);
  const { oracleStep: _, ...noStep } = row;
  refused({ type: 'row', row: noStep }, /row\.oracleStep is missing; expected an integer/);
  refused({ type: 'row' }, /"row" message: row is missing; expected an object/);
  refused({ type: 'row', row: [row] }, /row must be an object, got an array of 1/);
});

test('a failing example and case counts are checked too: sizes, counts, none above its examples', () => {
  refused({ type: 'row', row, failure: { ...failure, step: -1 } }, /failure\.step must be an integer/);
  refused({ type: 'row', row, failure: { ...failure, input: 'x'.repeat(20_001) } }, /failure\.input must be a string of at most 20000 characters, got a string of 20001 characters/);
  refused({ type: 'row', row, failure: { ...failure, predicted: 7 } }, /failure\.predicted must be a string/);
  refused({ type: 'row', row, cases: [{ ...cases[0], correct: 11 }] }, /cases\[0\] has 11 right of 10 examples \(oracle\)/);
  refused({ type: 'row', row, cases: [{ ...cases[0], paperRule: 12 }] }, /cases\[0\] has 12 right of 10 examples \(paper rule\)/);
  refused({ type: 'row', row, cases: [cases[0], { ...cases[1], perExample: -1 }] }, /cases\[1\]\.perExample must be an integer >= 0, got -1/);
  refused({ type: 'row', row, cases: [{ ...cases[0], label: 'x'.repeat(201) }] }, /cases\[0\]\.label must be a string of at most 200 characters/);
  refused({ type: 'row', row, cases: Array.from({ length: 65 }, () => cases[0]) }, /cases has 65 items; at most 64 are allowed/);
  refused({ type: 'row', row, cases: [{ ...cases[0], examples: 20 }] }, /^eval worker sent a malformed "row" message: cases count 20 examples, more than row\.examples \(16\)$/);
});

test('a step curve is checked too: a score per accuracy in range, both marked steps on the curve, the row\'s T(n)', () => {
  const bad = (curve: Record<string, unknown>, pattern: RegExp) => refused({ type: 'row', row, byStep: { ...byStep, ...curve } }, pattern);
  bad({ accuracy: [...byStep.accuracy.slice(0, 5), 1.5] }, /^eval worker sent a malformed "row" message: byStep\.accuracy\[5\] must be a finite number in 0\.\.1, got 1\.5$/);
  bad({ accuracy: [0, null, 0.5, 0.75, 0.5, 0.5] }, /byStep\.accuracy\[1\] is null/);
  bad({ score: [1.2, 0.9, 0.4, 0.2, 0.1, -0.3] }, /byStep\.score\[5\] must be a finite number >= 0, got -0\.3/);
  bad({ score: [1.2, 0.9, 0.4, 0.2, 0.1, 'NaN'] }, /byStep\.score\[5\] must be a finite number/);
  bad({ score: byStep.score.slice(1) }, /byStep has 6 accuracies but 5 scores/);
  bad({ accuracy: [], score: [] }, /byStep\.accuracy has 0 items; at least 1 are needed/);
  bad({ accuracy: new Array(10_001).fill(0), score: new Array(10_001).fill(0) }, /byStep\.accuracy has 10001 items; at most 10000 are allowed/);
  bad({ paperStep: 7 }, /byStep has paperStep 7 past its last step \(6\)/);
  bad({ paperStep: 0 }, /byStep\.paperStep must be an integer in 1\.\.10000, got 0/);
  bad({ oracleStep: 2.5 }, /byStep\.oracleStep must be an integer/);
  bad({ oracleStep: 3 }, /^eval worker sent a malformed "row" message: byStep\.oracleStep 3 is not row\.oracleStep \(4\)$/);
  bad({ accuracy: 'x' }, /byStep\.accuracy must be an array/);
  refused({ type: 'row', row, byStep: [byStep] }, /byStep must be an object, got an array of 1/);
});

test('a curve\'s answer positions are checked too: a row per step, every row as wide (>= 1), each a fraction, the grid not oversized', () => {
  const bad = (p: unknown, pattern: RegExp) => refused({ type: 'row', row, byStep: { ...byStep, positions: p } }, pattern);
  bad(positions.slice(1), /^eval worker sent a malformed "row" message: byStep has 6 accuracies but 5 steps of positions$/);
  bad([...positions, [1, 1, 1]], /byStep has 6 accuracies but 7 steps of positions/);
  bad([...positions.slice(0, 5), [1, 1]], /^eval worker sent a malformed "row" message: byStep\.positions\[5\] has 2 positions, not 3 as the first step$/);
  bad(positions.map(() => []), /byStep\.positions\[0\] has no positions; at least 1 is needed/);
  bad([], /byStep\.positions has 0 items; at least 1 are needed/);
  bad([...positions.slice(0, 2), [1, 1.5, 1], ...positions.slice(3)], /^eval worker sent a malformed "row" message: byStep\.positions\[2\]\[1\] must be a finite number in 0\.\.1, got 1\.5$/);
  bad([...positions.slice(0, 2), [1, -0.25, 1], ...positions.slice(3)], /byStep\.positions\[2\]\[1\] must be a finite number in 0\.\.1, got -0\.25/);
  // JSON has no NaN: an encoder's NaN arrives as null, a hostile one as a string
  bad([...positions.slice(0, 5), [1, null, 1]], /byStep\.positions\[5\]\[1\] is null; expected a finite number/);
  bad([...positions.slice(0, 5), [1, 'NaN', 1]], /byStep\.positions\[5\]\[1\] must be a finite number/);
  bad([...positions.slice(0, 5), 'x'], /byStep\.positions\[5\] must be an array, got "x"/);
  bad({ 0: [1] }, /byStep\.positions must be an array/);
  bad('grid', /byStep\.positions must be an array/);
  // a hostile grid's size is refused before its values are read
  const wide = new Array(4097).fill(0.5);
  bad(byStep.accuracy.map(() => wide), /byStep\.positions\[0\] has 4097 positions; at most 4096 are allowed/);
  const long = { oracleStep: 4, paperStep: 4, accuracy: new Array(300).fill(0), score: new Array(300).fill(0) };
  refused({ type: 'row', row, byStep: { ...long, positions: long.accuracy.map(() => new Array(4000).fill(0)) } }, /byStep\.positions has 300 x 4000 cells; at most 1000000 are allowed/);
});

test('the other messages: types, ranges, sizes, unknown types, non-objects', () => {
  refused({ type: 'ready', pid: '12' }, /^eval worker sent a malformed "ready" message: pid must be an integer >= 0, got "12"$/);
  refused({ type: 'progress', done: 5, total: 4, length: 4 }, /"progress" message: has done 5 of 4/);
  refused({ type: 'progress', done: 1, total: 4 }, /"progress" message: length is missing/);
  refused({ type: 'result', rows: Array.from({ length: 1001 }, () => row), perExampleRule: 'r', seconds: 1 }, /"result" message: rows has 1001 items; at most 1000 are allowed/);
  refused({ type: 'result', rows: [row, { ...row, oracle: 2 }], perExampleRule: 'r', seconds: 1 }, /"result" message: rows\[1\]\.oracle must be/);
  refused({ type: 'result', rows: [row], perExampleRule: 'r', seconds: null }, /"result" message: seconds is null; expected a finite number >= 0/);
  refused({ type: 'result', rows: [row], seconds: 1 }, /"result" message: perExampleRule is missing/);
  refused({ type: 'error', message: { text: 'x' } }, /"error" message: message must be a string/);
  refused({ type: 'log', message: 'x'.repeat(100_001) }, /"log" message: message must be a string of at most 100000 characters/);
  refused({ type: 'done' }, /^eval worker sent a message of unknown type "done"$/);
  refused({ type: 7 }, /unknown type 7/);
  refused({}, /^eval worker sent a message without a "type"$/);
  refused([{ type: 'ready', pid: 1 }], /^eval worker sent an array of 1 where a message object was expected$/);
  refused(null, /sent null where a message object was expected/);
  refused('ready', /sent "ready" where a message object was expected/);
});

test('the message passed on holds the checked fields (plus unknown keys a newer worker may add)', () => {
  const m = parseEvalOutbound({ type: 'progress', done: 1, total: 2, length: 3, extra: true });
  assert.deepEqual(m, { type: 'progress', done: 1, total: 2, length: 3, extra: true });
});
