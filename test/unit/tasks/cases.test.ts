// The tasks' case splits (Task.cases): labels of hand-made prompts, the bucket labels, and the
// addition carry chain against an independent BigInt computation on random rows.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask, taskNames } from '../../../src/core/tasks';
import { countBuckets } from '../../../src/core/tasks/cases';
import { longestCarryChain } from '../../../src/core/tasks/bits';
import { fixedDepthTask } from '../../../src/core/tasks/fixedDepth';
import { Rng } from '../../../src/core/util/rng';

const caseOf = (task: string, text: string) => getTask(task).cases!.of(getTask(task).fromText(text));

test('count buckets: labels from lower edges, values land in their bucket, bad edges refused', () => {
  const b = countBuckets([0, 1, 3, 6]);
  assert.deepEqual(b.labels, ['0', '1-2', '3-5', '6+']);
  assert.deepEqual([0, 1, 2, 3, 5, 6, 40].map(b.label), ['0', '1-2', '1-2', '3-5', '3-5', '6+', '6+']);
  assert.deepEqual(countBuckets([0, 1, 2]).labels, ['0', '1', '2+']);
  assert.throws(() => countBuckets([1, 2]), /increasing integers from 0/);
  assert.throws(() => countBuckets([0, 2, 2]), /increasing integers from 0/);
});

test('unique set: the number of repeated elements (n - distinct)', () => {
  const u = getTask('unique_set').cases!;
  assert.equal(u.title, 'repeated elements');
  assert.deepEqual(u.labels, ['0', '1', '2+']);
  assert.equal(caseOf('unique_set', '26 22 2 2 1'), '1');
  assert.equal(caseOf('unique_set', '1 2 3'), '0');
  assert.equal(caseOf('unique_set', '7'), '0');
  assert.equal(caseOf('unique_set', '5 5 5'), '2+');
  assert.equal(caseOf('unique_set', '1 2 1 2'), '2+');
  // the pads after '=' are not elements: a wider row has the same case
  assert.equal(u.of(getTask('unique_set').fromText('3 4 3', 40)), '1');
});

test('addition: the longest run of bit positions that carry out', () => {
  assert.equal(longestCarryChain([0, 1, 1, 1], [0, 0, 0, 1]), 3); // 7 + 1: carries out of bits 0, 1, 2
  assert.equal(longestCarryChain([1, 1, 1, 1], [0, 0, 0, 1]), 4); // 15 + 1: the MSB carries out too
  assert.equal(longestCarryChain([0, 1, 0, 1], [1, 0, 1, 0]), 0);
  assert.equal(longestCarryChain([1, 0, 1, 0], [1, 0, 1, 0]), 1); // two chains of 1, not joined
  assert.equal(longestCarryChain([0, 0, 1, 1], [0, 0, 1, 1]), 2); // generate, then generate with carry in
  assert.equal(getTask('addition').cases!.title, 'longest carry chain');
  assert.equal(caseOf('addition', '0101+1010'), '0');
  assert.equal(caseOf('addition', '1+1'), '1-2');
  assert.equal(caseOf('addition', '0111+0001'), '3-5');
  assert.equal(caseOf('addition', '111111+000001'), '6+');
  assert.equal(caseOf('addition', '111+1'), '3-5', 'the shorter operand gets leading zeros');
});

test('addition carry chain matches the carries of BigInt addition on random rows', () => {
  const add = getTask('addition');
  const rng = new Rng(5);
  const big = (bits: number[]) => bits.reduce((v, b) => v * 2n + BigInt(b), 0n);
  for (let i = 0; i < 300; i++) {
    const n = rng.int(1, 24);
    const ex = add.sampleAt(rng, [n]);
    const a = big(ex.input.slice(0, n));
    const b = big(ex.input.slice(n + 1, 2 * n + 1));
    // bit i+1 of (a+b) ^ a ^ b is the carry out of bit i
    const carries = ((a + b) ^ a ^ b) >> 1n;
    const longest = Math.max(0, ...(carries.toString(2).match(/1+/g) ?? []).map((r) => r.length));
    assert.equal(longestCarryChain(ex.input.slice(0, n), ex.input.slice(n + 1, 2 * n + 1)), longest, ex.input.join(''));
    assert.equal(add.cases!.of(ex), countBuckets([0, 1, 3, 6]).label(longest));
  }
});

test('multiplication: the 1 bits of a (0: zero, 1: a shifted b, 2+: a sum of shifts)', () => {
  assert.deepEqual(getTask('multiplication').cases!.labels, ['0', '1', '2+']);
  assert.equal(caseOf('multiplication', '00x1011'), '0');
  assert.equal(caseOf('multiplication', '10x111'), '1');
  assert.equal(caseOf('multiplication', '1x1'), '1');
  assert.equal(caseOf('multiplication', '11x1011'), '2+');
});

test('only unique set, addition and multiplication split their inputs; a fixed depth keeps the split', () => {
  assert.deepEqual(taskNames.filter((t) => getTask(t).cases), ['addition', 'multiplication', 'unique_set']);
  const deep = fixedDepthTask(getTask('unique_set'), 9);
  assert.equal(deep.cases!.of(deep.fromText('4 4 4 1')), '2+');
  // every sampled row's label is one of the split's labels
  const rng = new Rng(9);
  for (const name of ['addition', 'multiplication', 'unique_set']) {
    const t = getTask(name);
    for (let i = 0; i < 50; i++) assert.ok(t.cases!.labels.includes(t.cases!.of(t.sampleTraining(rng, 12, t.trainingWidth()))), name);
  }
});
