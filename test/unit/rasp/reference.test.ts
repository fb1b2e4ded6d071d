// The shipped reference programs reproduce the task generators exactly: for random rows at every
// length 1..60 (multiplication: n_a in {1,2}, n_b 1..30), running the program T(n) times gives
// the generator's target at every masked position, and the task file's own row format, T(n) and
// labels equal the generator's.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask, taskNames, type TaskExample, type TaskName } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { loadShippedTask } from './helpers';

const ROWS_PER_LENGTH = 3;

function lengthsToTest(name: TaskName): number[][] {
  if (name === 'multiplication') return [1, 2].flatMap((na) => Array.from({ length: 30 }, (_, i) => [na, i + 1]));
  return Array.from({ length: 60 }, (_, i) => [i + 1]);
}

function sameRow(got: { input: number[]; target: number[]; mask: number[]; lengths: number[]; steps: number; answerStart: number; answerLength: number }, want: TaskExample, what: string): void {
  assert.deepEqual(got.input, want.input, `${what}: input`);
  assert.deepEqual(got.mask, want.mask, `${what}: mask`);
  assert.deepEqual(got.lengths, want.lengths, `${what}: lengths`);
  assert.equal(got.steps, want.steps, `${what}: T(n)`);
  assert.equal(got.answerStart, want.answerStart, `${what}: answer start`);
  assert.deepEqual(got.target, want.target, `${what}: target`);
  assert.equal(got.answerLength, want.answerLength, `${what}: answer length`);
}

for (const name of taskNames) {
  test(`${name}: the reference program gives the generator's answer at every length`, () => {
    const generator = getTask(name);
    const program = loadShippedTask(name);
    assert.equal(program.name, name);
    assert.equal(program.vocabSize, generator.vocabSize);
    assert.equal(program.pad, generator.tokens.pad);
    assert.equal(program.ignore, generator.tokens.ignore);
    const rng = new Rng(1234);
    for (const lengths of lengthsToTest(name)) {
      for (let k = 0; k < ROWS_PER_LENGTH; k++) {
        const ex = generator.sampleAt(rng, lengths);
        const what = `${name} [${lengths}] row ${ex.input.join(' ')}`;
        // program.example runs the program T(n) times and reads the output variable
        const got = program.example(ex.input);
        assert.equal(got.steps, ex.steps, `${what}: T(n)`);
        for (let i = 0; i < ex.input.length; i++) {
          if (ex.mask[i] === 1) assert.equal(got.target[i], ex.target[i], `${what}: answer at position ${i}`);
        }
        // ... and labels the row exactly like the generator (ignored labels included).
        sameRow(got, ex, what);
      }
    }
  });

  test(`${name}: rows sampled from the task file's @input are rows of the generator`, () => {
    const generator = getTask(name);
    const program = loadShippedTask(name);
    const rng = new Rng(99);
    for (let k = 0; k < 20; k++) {
      const lengths = program.sampleLengths(rng);
      const ex = program.sampleAt(rng, lengths);
      assert.equal(ex.input.length, generator.widthFor(lengths), `${name}: @width agrees with the generator's test width for [${lengths}]`);
      const prompt = ex.input.slice(0, ex.answerStart);
      const text = prompt.map((t) => generator.symbols[t]).join(name === 'unique_set' ? ' ' : '');
      sameRow(ex, generator.fromText(text, ex.input.length), `${name} ${text}`);
    }
  });
}

test('the loop is what computes the answer: T(n) - 1 steps are not enough for some row', () => {
  // Guards against a program that is correct regardless of the number of steps.
  for (const name of taskNames) {
    const generator = getTask(name);
    const program = loadShippedTask(name);
    const rng = new Rng(5);
    let sawWrong = false;
    for (let k = 0; k < 30 && !sawWrong; k++) {
      // addition: a full-length carry chain needs every step; random rows rarely have one
      const ex = name === 'addition' && k === 0 ? generator.fromText('111111+000001') : generator.sampleAt(rng, name === 'multiplication' ? [2, 4] : [6]);
      const r = program.run(ex.input, { trace: false, steps: ex.steps - 1 });
      sawWrong = ex.mask.some((m, i) => m === 1 && r.output![i] !== ex.target[i]);
    }
    assert.ok(sawWrong, `${name}: stopping one step early should break some answers`);
  }
});
