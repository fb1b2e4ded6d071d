// Evaluating a RASP-L expression in a program's state after some loop steps (the debugger's
// watches, conditions and probed expressions): values, the extra names, and located errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateExpression, formatWatchValue, isTrue, parseExpression, RaspError } from '../../../src/core/rasp';
import { loadShippedTask } from './helpers';

const parity = loadShippedTask('parity');
const row = parity.rowFromInput('1011=');

test('an expression sees the program state after t loop steps (top level and pre: run, post: does not)', () => {
  assert.deepEqual(row, [1, 0, 1, 1, 2, 3]);
  const s = (t: number) => evaluateExpression(parity.program, row, t, 's');
  assert.deepEqual(s(0), { kind: 'seq', values: [0, 0, 0, 0, 0, 0], index: false });
  assert.deepEqual(s(1), { kind: 'seq', values: [0, 1, 0, 1, 1, 0], index: false });
  // the step's own assignments are visible, and so is what the program trace records for them
  const viaTrace = parity.run(row, { steps: 2, trace: true }).trace.records.find((r) => r.phase === 'step' && r.step === 2)!.variables.find((v) => v.name === 's')!.values;
  assert.deepEqual((s(2) as { values: number[] }).values, viaTrace);
  assert.deepEqual(evaluateExpression(parity.program, row, 2, 'shift_right(s, 1)'), { kind: 'seq', values: [0, ...viaTrace.slice(0, -1)], index: false });
  assert.deepEqual(evaluateExpression(parity.program, row, 0, 'EQ + PAD'), { kind: 'int', value: 5 });
  assert.equal(evaluateExpression(parity.program, row, 0, 'indices').kind, 'seq');
  assert.equal((evaluateExpression(parity.program, row, 0, 'indices') as { index: boolean }).index, true);
  const sel = evaluateExpression(parity.program, row, 1, 'select(indices, indices, leq)');
  assert.equal(sel.kind, 'selector');
  assert.equal(formatWatchValue(sel), 'selector 6×6 (21 selected)');
  assert.equal(formatWatchValue(evaluateExpression(parity.program, row, 1, 'xor')), 'function xor');
});

test('extra names (the iteration’s model read-out) are visible; the program’s own names win', () => {
  const extra = new Map<string, number | number[]>([
    ['decoded', [0, 0, 0, 0, 1, 3]],
    ['answer', [3, 3, 3, 3, 1, 3]],
    ['s', [9, 9, 9, 9, 9, 9]],
  ]);
  assert.deepEqual(evaluateExpression(parity.program, row, 1, 'decoded != answer', extra), { kind: 'seq', values: [1, 1, 1, 1, 0, 0], index: false });
  assert.deepEqual((evaluateExpression(parity.program, row, 1, 's', extra) as { values: number[] }).values, [0, 1, 0, 1, 1, 0]);
});

test('conditions: an integer is true when nonzero, a sequence when nonzero anywhere; a selector is no condition', () => {
  assert.equal(isTrue({ kind: 'int', value: 0 }), false);
  assert.equal(isTrue({ kind: 'int', value: -2 }), true);
  assert.equal(isTrue({ kind: 'seq', values: [0, 0, 1], index: false }), true);
  assert.equal(isTrue({ kind: 'seq', values: [0, 0], index: false }), false);
  assert.throws(() => isTrue({ kind: 'selector', width: 1, matrix: new Uint8Array(1) }), /a condition must be an integer or a sequence, got a selector/);
});

test('errors are RaspErrors located in the expression', () => {
  const err = (src: string) => {
    try {
      evaluateExpression(parity.program, row, 1, src);
    } catch (e) {
      assert.ok(e instanceof RaspError);
      return `${e.kind} ${e.column}: ${e.message}`;
    }
    return 'no error';
  };
  assert.equal(err('s +'), 'syntax 4: expected a value, found end of line');
  assert.equal(err('   s =='), 'syntax 8: expected a value, found end of line');
  assert.equal(err('s = 1'), 'syntax 3: an assignment is not an expression: use "==" to compare');
  assert.equal(err('s s'), 'syntax 3: unexpected "s" after the expression');
  assert.match(err('nope'), /^runtime 1: "nope" has no value yet/);
  assert.match(err(''), /^syntax 1: the expression is empty/);
  assert.throws(() => parseExpression('a\nb'), /an expression is one line/);
  const e = parseExpression('  s + 1');
  assert.equal(e.span.start.column, 3);
});
