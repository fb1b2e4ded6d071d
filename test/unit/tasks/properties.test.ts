// Properties over random rows, checked against computations written independently of the
// generators (BigInt arithmetic, direct counting).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask, taskNames, type Task, type TaskExample } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';

const msbToBig = (bits: number[]) => bits.reduce((v, b) => v * 2n + BigInt(b), 0n);
function bigToBits(v: bigint, n: number, lsbFirst: boolean): number[] {
  const out: number[] = [];
  for (let i = 0; i < n; i++) out.push(Number((v >> BigInt(i)) & 1n));
  return lsbFirst ? out : out.reverse();
}

/** Prompt (up to '=') and answer tokens computed from the input row alone. */
function expected(task: Task, ex: TaskExample): { promptLen: number; answer: number[]; steps: number; lengths: number[] } {
  const x = ex.input;
  switch (task.name) {
    case 'parity': {
      const n = x.indexOf(2);
      return { promptLen: n + 1, answer: [x.slice(0, n).filter((b) => b === 1).length % 2], steps: n, lengths: [n] };
    }
    case 'copy': {
      const n = x.indexOf(2);
      return { promptLen: n + 1, answer: x.slice(0, n), steps: n, lengths: [n] };
    }
    case 'addition': {
      const n = x.indexOf(2);
      assert.equal(x[2 * n + 1], 5, "'=' after the second operand");
      const sum = msbToBig(x.slice(0, n)) + msbToBig(x.slice(n + 1, 2 * n + 1));
      return { promptLen: 2 * n + 2, answer: bigToBits(sum, n + 1, false), steps: n, lengths: [n] };
    }
    case 'binary_sum': {
      const n = x.indexOf(5);
      const ones = x.slice(0, n).filter((b) => b === 1).length;
      const answer = ones === 0 ? [] : [...ones.toString(2)].reverse().map(Number);
      return { promptLen: n + 1, answer, steps: n, lengths: [n] };
    }
    case 'multiplication': {
      const na = x.indexOf(2);
      const eq = x.indexOf(5);
      const nb = eq - na - 1;
      const prod = msbToBig(x.slice(0, na)) * msbToBig(x.slice(na + 1, eq));
      return { promptLen: eq + 1, answer: bigToBits(prod, na + nb, true), steps: na * nb, lengths: [na, nb] };
    }
    case 'unique_set': {
      const n = x.indexOf(51);
      const answer = x.slice(0, n).filter((v, i, a) => a.indexOf(v) === i);
      return { promptLen: n + 1, answer, steps: n, lengths: [n] };
    }
    default:
      throw new Error(`no independent check for task ${task.name}`);
  }
}

function checkRow(task: Task, ex: TaskExample, width: number): void {
  const e = expected(task, ex);
  const start = e.promptLen - 1;
  assert.equal(ex.input.length, width);
  assert.equal(ex.target.length, width);
  assert.equal(ex.mask.length, width);
  assert.deepEqual(ex.lengths, e.lengths);
  assert.equal(ex.steps, e.steps, 'T(n)');
  assert.equal(ex.answerStart, start);
  assert.equal(ex.answerLength, e.answer.length);
  for (let i = 0; i < width; i++) {
    // every id is inside the vocabulary, target ids included
    assert.ok(ex.input[i]! >= 0 && ex.input[i]! < task.vocabSize);
    assert.ok(ex.target[i]! >= 0 && ex.target[i]! < task.vocabSize);
    assert.equal(ex.mask[i], i >= start ? 1 : 0, `mask covers '=' .. end at ${i}`);
    if (i >= e.promptLen) assert.equal(ex.input[i], task.tokens.pad, 'input filler is pad');
    if (i < start) assert.equal(ex.target[i], task.tokens.ignore);
    else if (i < start + e.answer.length) assert.equal(ex.target[i], e.answer[i - start], `answer at ${i}`);
    else assert.equal(ex.target[i], task.tokens.pad, `trailing pad target at ${i}`);
  }
  assert.equal(ex.input[start], task.tokens.equals);
}

for (const name of taskNames) {
  const task = getTask(name);

  test(`${name}: random rows at many lengths match an independent computation`, () => {
    const rng = new Rng(1234);
    const maxN = name === 'multiplication' ? 24 : 70;
    for (let n = 1; n <= maxN; n++) {
      const lengths = name === 'multiplication' ? [1 + (n % 3), n] : [n];
      for (let k = 0; k < 6; k++) {
        const width = task.widthFor(lengths) + (k % 2);
        checkRow(task, task.sampleAt(rng, lengths, width), width);
      }
    }
  });

  test(`${name}: training rows follow the curriculum lengths and fit the training width`, () => {
    const rng = new Rng(7);
    const { start, end } = task.curriculum;
    assert.equal(start, 2);
    const width = task.trainingWidth();
    const seen = new Set<number>();
    for (let nPoints = start; nPoints <= end; nPoints++) {
      for (let k = 0; k < 30; k++) {
        const ex = task.sampleTraining(rng, nPoints, width);
        checkRow(task, ex, width);
        const n = ex.lengths[ex.lengths.length - 1]!;
        assert.ok(n >= 1 && n <= nPoints - 1, `length ${n} within [1, ${nPoints - 1}]`);
        if (name === 'multiplication') assert.ok(ex.lengths[0] === 1 || ex.lengths[0] === 2);
        assert.ok(ex.steps <= task.horizon(nPoints), 'T(n) within the horizon');
        if (nPoints === end) seen.add(n);
      }
    }
    assert.ok(seen.has(1) && seen.has(end - 1), 'both ends of the length range are sampled');
  });

  test(`${name}: the test length fits the test width (max_len = test_len + 2)`, () => {
    const lengths = name === 'multiplication' ? [2, task.testLength] : [task.testLength];
    const width = task.rowWidth(task.testLength + 2);
    assert.equal(task.widthFor(lengths), width);
    checkRow(task, task.sampleAt(new Rng(3), lengths, width), width);
    assert.equal(task.maxSteps(lengths), task.steps(lengths) + (name === 'multiplication' || name === 'unique_set' ? 30 : 20));
  });

  test(`${name}: same seed, same rows; different seed, different rows`, () => {
    const rows = (seed: number) => {
      const rng = new Rng(seed);
      return Array.from({ length: 20 }, () => task.sampleTraining(rng, 12, task.trainingWidth()).input.join(','));
    };
    assert.deepEqual(rows(5), rows(5));
    assert.notDeepEqual(rows(5), rows(6));
  });

  test(`${name}: render round-trips through fromText`, () => {
    const rng = new Rng(11);
    for (let k = 0; k < 20; k++) {
      const ex = task.sampleTraining(rng, 10, task.trainingWidth());
      const r = task.render(ex);
      const again = task.fromText(r.input, ex.input.length);
      assert.deepEqual(again, ex);
      const right = task.render(ex, ex.target);
      assert.equal(right.correct, true);
      assert.equal(right.predicted, r.answer);
      const wrong = [...ex.target];
      wrong[wrong.length - 1] = ex.target[wrong.length - 1] === 0 ? 1 : 0; // break a trailing pad
      assert.equal(task.render(ex, wrong).correct, false);
    }
  });
}

test('paper row-width formulas, horizons and T(n)', () => {
  const w = (name: string, maxLen: number) => getTask(name).rowWidth(maxLen);
  assert.deepEqual([w('parity', 21), w('copy', 20), w('addition', 20), w('multiplication', 12), w('binary_sum', 20), w('unique_set', 20)], [21, 40, 60, 48, 27, 40]);
  assert.equal(getTask('parity').trainingWidth(), 21);
  assert.equal(getTask('parity').horizon(21), 23);
  assert.equal(getTask('multiplication').horizon(12), 24);
  assert.equal(getTask('multiplication').steps([2, 15]), 30);
  assert.equal(getTask('addition').steps([30]), 30);
  const ends = taskNames.map((n) => [getTask(n).curriculum.end, getTask(n).curriculum.interval]);
  assert.deepEqual(ends, [[21, 500], [20, 1000], [20, 1600], [20, 500], [12, 500], [20, 1000]]);
  const blocks = taskNames.map((n) => [getTask(n).paperBlock.layers, getTask(n).paperBlock.heads]);
  assert.deepEqual(blocks, [[1, 64], [2, 8], [3, 8], [2, 16], [4, 8], [3, 8]]);
  assert.deepEqual(taskNames.map((n) => getTask(n).testLength), [40, 30, 30, 24, 15, 30]);
  assert.deepEqual(taskNames.map((n) => getTask(n).vocabSize), [6, 6, 6, 6, 6, 60]);
  assert.deepEqual(taskNames.map((n) => getTask(n).readIn), ['linear', 'linear', 'linear', 'linear', 'linear', 'embedding']);
  for (const n of taskNames) assert.equal(getTask(n).symbols.length, getTask(n).vocabSize);
});
