// A RASP-L task file adapted to the core Task interface (src/core/programs/tasks/fromRaspl.ts, resolve.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { taskFromRaspl } from '../../../../src/core/programs/tasks/fromRaspl';
import { resolveTask } from '../../../../src/core/programs/tasks/resolve';
import { RaspError } from '../../../../src/core/rasp';
import { TaskInputError } from '../../../../src/core/tasks';
import { Rng } from '../../../../src/core/util/rng';

const PARITY_FILE = path.join(__dirname, '../../../../models/tasks/parity.raspl');
const paritySource = () => fs.readFileSync(PARITY_FILE, 'utf8');

test('parity.raspl as a Task: rows carry the parity of their bits, shapes follow @lengths/@width/@steps', () => {
  const task = taskFromRaspl(paritySource(), 'parity.raspl');
  assert.equal(task.name, 'parity-raspl', 'a custom file never takes a built-in name');
  assert.deepEqual(task.raspl, { file: 'parity.raspl', source: paritySource() });
  assert.equal(task.vocabSize, 6);
  assert.equal(task.readIn, 'linear');
  assert.deepEqual(task.curriculum, { start: 2, interval: 100, end: 21 });
  assert.deepEqual(task.tokens, { pad: 3, equals: 2, ignore: 5 });
  assert.equal(task.steps([7]), 7);
  assert.equal(task.horizon(5), 6, 'T at the widest length of n_points 5 (n = 4), plus 2');
  assert.equal(task.widthFor([7]), 9, '@width n + 2');
  const rng = new Rng(4);
  for (let i = 0; i < 30; i++) {
    const lengths = task.sampleLengths(rng, 6);
    assert.ok(lengths[0]! >= 1 && lengths[0]! <= 5, `n in 1..5, got ${lengths[0]}`);
    const ex = task.sampleTraining(rng, 6, 8);
    const n = ex.lengths[0]!;
    assert.equal(ex.task, task.name);
    assert.equal(ex.input.length, 8);
    assert.equal(ex.answerStart, n);
    assert.equal(ex.input[n], 2);
    const ones = ex.input.slice(0, n).filter((b) => b === 1).length;
    assert.equal(ex.target[n], ones % 2, 'the answer at = is the parity');
    assert.equal(ex.steps, n);
  }
  assert.deepEqual(task.sampleLengths(rng, 6, true), [5], 'at the longest: n_points - 1');
  assert.deepEqual(task.sampleLengths(rng, 40, true), [20], 'never past the @lengths range');
  assert.equal(task.sampleTraining(rng, 6, 8, true).lengths[0], 5);
});

test('fromText accepts the prompt with or without = and renders with the file\'s symbols', () => {
  const task = taskFromRaspl(paritySource(), 'parity.raspl');
  for (const text of ['1011', '1011=', '1 0 1 1 2']) {
    const ex = task.fromText(text);
    assert.equal(ex.answerStart, 4, text);
    const r = task.render(ex);
    assert.equal(r.input, '1011=', text);
    assert.equal(r.answer, '1', text);
  }
  const ex = task.fromText('11');
  const predicted = [...ex.target];
  assert.equal(task.render(ex, predicted).correct, true);
  predicted[ex.answerStart] = 1;
  assert.equal(task.render(ex, predicted).correct, false);
  assert.throws(() => task.fromText('10x1'), (e: unknown) => e instanceof TaskInputError && /unknown token "10x1"/.test((e as Error).message));
});

test('resolveTask rebuilds the custom task from its stored source; built-ins stay by name', () => {
  const task = taskFromRaspl(paritySource(), 'parity.raspl');
  const again = resolveTask({ task: task.name, taskFile: { file: 'parity.raspl', source: paritySource() } });
  assert.equal(again.name, task.name);
  assert.deepEqual(again.sampleAt(new Rng(2), [9]), task.sampleAt(new Rng(2), [9]));
  assert.equal(resolveTask({ task: 'parity' }).name, 'parity');
  assert.equal(resolveTask({ task: 'parity' }).raspl, undefined);
  assert.throws(() => resolveTask({ task: 'other', taskFile: { file: 'parity.raspl', source: paritySource() } }), /defines the task "parity-raspl", but this was made for "other"/);
});

test('a broken task file fails with the file, line and column', () => {
  const broken = paritySource().replace('@steps n', '@steps m');
  assert.notEqual(broken, paritySource());
  assert.throws(
    () => taskFromRaspl(broken, 'broken.raspl'),
    (e: unknown) => e instanceof RaspError && /^broken\.raspl:14:8: .*"m" is not a length variable/.test(e.format('broken.raspl')),
  );
  // A runtime error (an unknown function) is caught by the dry run, before any training starts.
  const unknownFn = paritySource().replace('    s = shift_right(', '    s = shift_rite(');
  assert.throws(
    () => taskFromRaspl(unknownFn, 'fn.raspl'),
    (e: unknown) => e instanceof RaspError && /^fn\.raspl:\d+:\d+/.test(e.format('fn.raspl')),
  );
  assert.throws(
    () => resolveTask({ task: 'parity-raspl', taskFile: { file: 'broken.raspl', source: broken } }),
    (e: unknown) => e instanceof TaskInputError && /broken\.raspl:\d+:\d+/.test((e as Error).message),
  );
});
