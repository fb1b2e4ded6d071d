import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask, TaskInputError } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';

test('render shows the prompt, the answer and a gloss', () => {
  const p = getTask('parity').render(getTask('parity').fromText('1011'));
  assert.deepEqual([p.input, p.answer], ['1011=', '1']);
  assert.match(p.gloss, /odd/);
  const a = getTask('addition').render(getTask('addition').fromText('1110+101'));
  assert.deepEqual([a.input, a.answer, a.gloss], ['1110+0101=', '10011', '14 + 5 = 19 (answer MSB first)']);
  const m = getTask('multiplication').render(getTask('multiplication').fromText('10 * 1100 ='));
  assert.deepEqual([m.input, m.answer], ['10x1100=', '000110']);
  assert.match(m.gloss, /2 × 12 = 24/);
  const b = getTask('binary_sum').render(getTask('binary_sum').fromText('000'));
  assert.deepEqual([b.input, b.answer], ['000=', '']);
  const u = getTask('unique_set').render(getTask('unique_set').fromText('26, 22, 2, 2, 1'));
  assert.deepEqual([u.input, u.answer], ['26 22 2 2 1 =', '26 22 2 1']);
});

test('render reports a wrong prediction with its symbols', () => {
  const t = getTask('copy');
  const ex = t.fromText('0110');
  const pred = [...ex.target];
  pred[ex.answerStart + 1] = 0;
  const r = t.render(ex, pred);
  assert.equal(r.correct, false);
  assert.equal(r.predicted, '0010');
  assert.throws(() => t.render(ex, [1, 2]), TaskInputError);
});

test('fromText default width is the test-style width', () => {
  assert.equal(getTask('parity').fromText('1011').input.length, 6);
  assert.equal(getTask('addition').fromText('1+1').input.length, 9);
  assert.equal(getTask('multiplication').fromText('10x1100').input.length, 24);
});

test('bad input gets a clear TaskInputError', () => {
  const cases: [string, string, RegExp][] = [
    ['parity', '10a1', /binary digits 0\/1.*"a"/],
    ['parity', '  =', /empty/],
    ['addition', '1110', /joined by '\+'/],
    ['addition', '14+5', /binary digits/],
    ['multiplication', '10x', /joined by 'x'/],
    ['unique_set', '1 2 50', /0\.\.49/],
    ['unique_set', '1 -2', /0\.\.49/],
  ];
  for (const [name, text, re] of cases) {
    assert.throws(() => getTask(name).fromText(text), (e: unknown) => e instanceof TaskInputError && re.test(e.message), `${name} "${text}"`);
  }
  assert.throws(() => getTask('parity').fromText('1011', 3), /needs width >= 5, got 3/);
  assert.throws(() => getTask('copy').sampleAt(new Rng(1), [0]), /positive integer length/);
  assert.throws(() => getTask('multiplication').sampleAt(new Rng(1), [3]), /n_a, n_b/);
  assert.throws(() => getTask('parity').sampleTraining(new Rng(1), 1, 21), /n_points must be an integer >= 2/);
});

test('unknown task names list the valid ones', () => {
  assert.throws(() => getTask('sorting'), /unknown task "sorting"; valid tasks: parity, copy, addition, binary_sum, multiplication, unique_set/);
});
