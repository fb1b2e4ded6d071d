// Task files: a user-defined n-RASP-L task generates rows by running its program, typed input
// is parsed and validated against @input, and traces have a stable shape the stepper can use.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatTrace, RaspError } from '../../../../src/core/rasp';
import { analyze, loadTask } from '../../../../src/core/programs/tasks/analyze';
import { checkProgramTrace } from '../../../../src/core/programs/compare/programSteps';
import { programStepTraceFromRasp } from '../../../../src/core/programs/compare/raspProgramSteps';
import { Rng } from '../../../../src/core/util/rng';
import { loadShippedTask } from '../../rasp/helpers';

// A user task: the OR of n bits, answer at '=' followed by pads. One step moves an "any 1 so far" flag one position right.
const ANY_ONE = `@task any_one
@symbols "0" "1" "=" "."
@input [0 1]*n 2
@pad 3
@ignore 3
@answer from 2
@lengths n in 1..8
@steps n
@width n + 3

bit = tokens if tokens < 2 else 0
seen = full(0)
step:
    seen = shift_right(seen or bit, 1)
    out = seen if tokens == 2 else 3
`;

test('a user-defined task generates rows by running its program', () => {
  const task = loadTask(ANY_ONE, 'any_one.raspl');
  assert.equal(task.name, 'any_one');
  assert.equal(task.vocabSize, 4, 'vocab defaults to the largest token used + 1');
  assert.deepEqual(task.lengthNames, ['n']);
  const rng = new Rng(8);
  for (let k = 0; k < 40; k++) {
    const [n] = task.sampleLengths(rng);
    assert.ok(n! >= 1 && n! <= 8);
    const ex = task.sampleAt(rng, [n!]);
    const bits = ex.input.slice(0, n);
    assert.equal(ex.input.length, n! + 3);
    assert.deepEqual(ex.input.slice(n), [2, 3, 3]);
    assert.equal(ex.steps, n);
    assert.equal(ex.answerStart, n);
    assert.deepEqual(ex.mask, ex.input.map((_, i) => (i >= n! ? 1 : 0)));
    assert.deepEqual(ex.target.slice(n), [bits.includes(1) ? 1 : 0, 3, 3]);
    assert.equal(ex.answerLength, 1);
  }
});

test('typed input: token ids, symbols, compact strings; padded to the default width', () => {
  const task = loadTask(ANY_ONE, 'any_one.raspl');
  assert.deepEqual(task.parseInput('0 1 1 2'), [0, 1, 1, 2]);
  assert.deepEqual(task.parseInput('011='), [0, 1, 1, 2]);
  assert.deepEqual(task.parseInput('0, 1, =, .'), [0, 1, 2, 3]);
  assert.deepEqual(task.rowFromInput('011='), [0, 1, 1, 2, 3, 3]);
  assert.deepEqual(task.rowFromInput('0 1 1 2 3'), [0, 1, 1, 2, 3], 'a row with pads is kept as given');
  assert.throws(() => task.parseInput('01x'), /unknown token "01x"/);
  assert.deepEqual(task.rowFromInput('011'), [0, 1, 1, 2, 3, 3], 'the trailing = is optional, as in Step Through');
  assert.throws(() => task.rowFromInput('2'), /expected at least one token from \[0 1\] at position 0/);
  assert.throws(() => task.rowFromInput('01=1'), /only pad 3 \("\."\) may follow, found 1/);
});

test('rows of a layout with a repeated length must agree on it', () => {
  const addition = loadShippedTask('addition');
  assert.deepEqual(addition.matchRow([1, 0, 2, 1, 1, 5, 3]).lengths, [2]);
  assert.throws(() => addition.matchRow([1, 0, 2, 1, 5, 3]), /n is 2 in one place and 1 in another/);
  const mult = loadShippedTask('multiplication');
  assert.deepEqual(mult.matchRow(mult.parseInput('10x1100=')).lengths, [2, 4]);
  assert.equal(mult.steps([2, 4]), 8);
  assert.equal(mult.widthFor([2, 4]), 24);
});

test('the program answer must be a token of the vocabulary', () => {
  const bad = ANY_ONE.replace('out = seen if tokens == 2 else 3', 'out = seen + 7');
  const task = loadTask(bad, 'bad.raspl');
  assert.throws(() => task.sampleAt(new Rng(1), [2]), (e: unknown) => e instanceof RaspError && /outside the vocabulary 0..3/.test(e.message));
});

test('a plain program is not a task; loadTask says so', () => {
  const a = analyze('y = tokens + 1\n', 'plain.raspl');
  assert.equal(a.errors.length, 0);
  assert.equal(a.task, null);
  assert.throws(() => loadTask('y = tokens + 1\n', 'plain.raspl'), /plain program, not a task file/);
});

test('trace: one record per phase, stable selector ids, readable table', () => {
  const parity = loadShippedTask('parity');
  const row = parity.rowFromInput('01111=');
  const r = parity.run(row);
  assert.equal(r.steps, 5);
  const steps = r.trace.records.filter((x) => x.phase === 'step');
  assert.equal(steps.length, 5);
  const ids = steps.map((x) => x.selectors.map((s) => s.id).join('|'));
  assert.ok(ids.every((id) => id === ids[0]) && ids[0] !== '', 'the same selectors at every step');
  assert.equal(steps[0]!.selectors[0]!.name, 's · shift_right › kqv');
  // shift by one: query q selects key q - 1
  const m = steps[0]!.selectors[0]!.matrix;
  const n = row.length;
  for (let q = 0; q < n; q++) for (let k = 0; k < n; k++) assert.equal(m[q * n + k], k === q - 1 ? 1 : 0);
  assert.deepEqual(r.trace.records.at(-1)!.answer!.slice(5), [0, 3]);
  const text = formatTrace(r.trace, { symbols: parity.symbols ?? undefined, answerStart: 5 });
  assert.match(text, /── step 5 of 5/);
  assert.match(text, /\n {2}tokens +0 +1 +1 +1 +1 += +\.\n/);
  const line = parity.program.source.split('\n').findIndex((l) => l.startsWith('    s = shift_right(')) + 1;
  assert.ok(text.includes(`selector s · shift_right › kqv (line ${line}): 1←0 2←1 3←2 4←3 5←4 6←5`), text);
});

test('the comparison layer accepts the trace', () => {
  const add = loadShippedTask('addition');
  const row = add.rowFromInput('1110+0101=');
  const r = add.run(row);
  const p = checkProgramTrace(programStepTraceFromRasp(r.trace, ANY_ONE));
  assert.equal(p.steps, 4);
  assert.equal(p.width, row.length);
  assert.ok(p.selectors.length >= 2);
  assert.deepEqual(Array.from(p.answers[4]!).slice(9), [1, 0, 0, 1, 1, 3, 3, 3, 3]);
});
