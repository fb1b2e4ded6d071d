import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeEvalBatch, makeTrainingBatch, oneHotTokens, packBatch, stepSelector } from '../../../src/core/tasks/batches';
import { getTask, type TaskExample } from '../../../src/core/tasks';
import { fixedDepthTask } from '../../../src/core/tasks/fixedDepth';
import { Rng } from '../../../src/core/util/rng';

test('training batch: flat int64 arrays match the rows, mixed lengths, paper horizon', () => {
  const task = getTask('addition');
  const b = makeTrainingBatch(task, new Rng(1), { batchSize: 64, nPoints: 10 });
  assert.equal(b.batch, 64);
  assert.equal(b.width, 60);
  assert.equal(b.horizon, 12);
  assert.ok(b.tokens instanceof BigInt64Array && b.targets instanceof BigInt64Array && b.steps instanceof BigInt64Array);
  assert.ok(b.mask instanceof Float32Array);
  assert.equal(b.tokens.length, 64 * 60);
  const lengths = new Set(b.lengths.map((l) => l[0]));
  assert.ok(lengths.size > 3, 'lengths are mixed inside one batch');
  b.examples.forEach((ex, i) => {
    assert.deepEqual(Array.from(b.tokens.subarray(i * 60, (i + 1) * 60), Number), ex.input);
    assert.deepEqual(Array.from(b.targets.subarray(i * 60, (i + 1) * 60), Number), ex.target);
    assert.deepEqual(Array.from(b.mask.subarray(i * 60, (i + 1) * 60)), ex.mask);
    assert.equal(Number(b.steps[i]), ex.lengths[0]);
    assert.ok(ex.lengths[0]! <= 9);
  });
  for (const t of b.targets) assert.ok(t >= 0n && t < BigInt(task.vocabSize), 'targets are valid class ids everywhere');
});

test('same seed, same batch', () => {
  const t = getTask('parity');
  const a = makeTrainingBatch(t, new Rng(9), { batchSize: 8, nPoints: 21 });
  const b = makeTrainingBatch(t, new Rng(9), { batchSize: 8, nPoints: 21 });
  assert.deepEqual(a.tokens, b.tokens);
  assert.deepEqual(a.steps, b.steps);
});

test('eval batch: one length, test width, adaptive budget horizon', () => {
  const t = getTask('multiplication');
  const b = makeEvalBatch(t, new Rng(2), [2, 15], 5);
  assert.equal(b.width, 68);
  assert.equal(b.horizon, 60);
  assert.deepEqual(Array.from(b.steps, Number), [30, 30, 30, 30, 30]);
  const p = makeEvalBatch(getTask('parity'), new Rng(2), [40], 3, { horizon: 40 });
  assert.equal(p.width, 42);
  assert.equal(p.horizon, 40);
});

test('packing checks width and horizon', () => {
  const t = getTask('copy');
  const r = new Rng(4);
  assert.throws(() => packBatch([t.sampleAt(r, [3], 10), t.sampleAt(r, [3], 12)]), /share one width/);
  assert.throws(() => packBatch([t.sampleAt(r, [5], 12)], 4), /horizon 4 is shorter than the largest T\(n\) in the batch \(5\)/);
  assert.throws(() => packBatch([]), /at least one/);
  assert.throws(() => makeTrainingBatch(t, r, { batchSize: 0, nPoints: 3 }), /batch size/);
});

test('one-hot and step selector', () => {
  const t = getTask('parity');
  const b = packBatch([t.fromText('10', 4), t.fromText('111', 4)], 5);
  const oh = oneHotTokens(b, 6);
  assert.equal(oh.length, 2 * 4 * 6);
  // row 0: 1 0 = pad → ids 1 0 2 3
  assert.deepEqual(Array.from(oh.subarray(0, 24)), [0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 0]);
  const sel = stepSelector(b);
  assert.equal(sel.length, 5 * 2);
  // example 0 read at step 2 (index 1), example 1 at step 3 (index 2)
  assert.deepEqual(Array.from(sel), [0, 0, 1, 0, 0, 1, 0, 0, 0, 0]);
});

test('a long share puts that share of the batch, its first rows, at the longest length; the rest stays uniform', () => {
  for (const [name, main] of [['copy', 0], ['multiplication', 1]] as const) {
    const t = getTask(name);
    const b = makeTrainingBatch(t, new Rng(4), { batchSize: 64, nPoints: 12, longShare: 0.25 });
    const mains = b.lengths.map((l) => l[main]);
    assert.deepEqual(mains.slice(0, 16), new Array(16).fill(11), name);
    assert.ok(new Set(mains.slice(16)).size > 3, `${name}: the other rows keep mixed lengths`);
    if (name === 'multiplication') assert.deepEqual(new Set(b.lengths.slice(0, 16).map((l) => l[0])), new Set([1, 2]), 'n_a stays random');
  }
  // A share of 0 draws exactly the paper's batch (no extra random draws).
  const t = getTask('unique_set');
  const plain = makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20 });
  assert.deepEqual(makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20, longShare: 0 }).tokens, plain.tokens);
});

test('a hard share draws that share of the batch, its last rows, from the task\'s hard inputs; a task without them refuses it', () => {
  const t = getTask('unique_set');
  const repeats = (ex: TaskExample) => ex.lengths[0]! - new Set(ex.input.slice(0, ex.answerStart)).size;
  const b = makeTrainingBatch(t, new Rng(6), { batchSize: 200, nPoints: 20, hardShare: 0.5 });
  const rows = b.examples;
  const mean = (xs: readonly TaskExample[]) => xs.reduce((s, ex) => s + repeats(ex) / ex.lengths[0]!, 0) / xs.length;
  // Over lengths 1..19, uniform draws from 50 elements repeat about a tenth of an input; a random alphabet of 1..50 elements over twice that.
  const [uniform, hard] = [mean(rows.slice(0, 100)), mean(rows.slice(100))];
  assert.ok(uniform < 0.15 && hard > 2 * uniform, `uniform rows repeat ${uniform} of their elements, hard rows ${hard}`);
  assert.ok(new Set(rows.slice(100).map((ex) => ex.lengths[0])).size > 5, 'the hard rows keep the uniform lengths');
  for (const ex of rows) {
    const firsts = [...new Set(ex.input.slice(0, ex.answerStart))];
    assert.deepEqual(ex.target.slice(ex.answerStart, ex.answerStart + firsts.length), firsts, 'labelled with the first occurrences');
  }
  // With a long share too: the first rows are at the longest length, the last from the hard inputs.
  const both = makeTrainingBatch(t, new Rng(7), { batchSize: 8, nPoints: 12, longShare: 0.5, hardShare: 0.5 });
  assert.deepEqual(both.lengths.slice(0, 4).map((l) => l[0]), [11, 11, 11, 11]);
  // A share of 0 draws exactly the paper's batch.
  const plain = makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20 });
  assert.deepEqual(makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20, hardShare: 0 }).tokens, plain.tokens);
  assert.throws(() => makeTrainingBatch(getTask('parity'), new Rng(1), { batchSize: 4, nPoints: 5, hardShare: 0.5 }), /the parity task has no hard inputs/);
});

test('a distinct share draws that share of the batch, the rows before the hard ones, from inputs without repeats; a task without them refuses it', () => {
  const t = getTask('unique_set');
  const isDistinct = (ex: TaskExample) => new Set(ex.input.slice(0, ex.answerStart)).size === ex.lengths[0];
  const b = makeTrainingBatch(t, new Rng(6), { batchSize: 200, nPoints: 20, distinctShare: 0.25 });
  const rows = b.examples;
  assert.ok(rows.slice(150).every(isDistinct), 'the last quarter has no repeats');
  // Uniform draws of 1..19 elements over 50 repeat one in about a third of the rows.
  const uniformDistinct = rows.slice(0, 150).filter(isDistinct).length;
  assert.ok(uniformDistinct < 130, `${uniformDistinct} of 150 uniform rows without repeats`);
  assert.ok(new Set(rows.slice(150).map((ex) => ex.lengths[0])).size > 5, 'the distinct rows keep the uniform lengths');
  for (const ex of rows.slice(150)) {
    const prompt = ex.input.slice(0, ex.answerStart);
    assert.ok(prompt.every((v) => Number.isInteger(v) && v >= 0 && v < 50), 'elements 0..49');
    assert.deepEqual(ex.target.slice(ex.answerStart, ex.answerStart + ex.lengths[0]!), prompt, 'every answer slot up to n - 1 filled, in order');
  }
  // The same seed draws the same batch.
  assert.deepEqual(makeTrainingBatch(t, new Rng(6), { batchSize: 200, nPoints: 20, distinctShare: 0.25 }).tokens, b.tokens);
  // With a hard share too: the last rows hard, the distinct ones just before them, the rest uniform.
  const both = makeTrainingBatch(t, new Rng(7), { batchSize: 8, nPoints: 20, hardShare: 0.25, distinctShare: 0.5 });
  const hardOnly = makeTrainingBatch(t, new Rng(7), { batchSize: 8, nPoints: 20, hardShare: 0.25 });
  assert.deepEqual(both.tokens.subarray(0, 2 * both.width), hardOnly.tokens.subarray(0, 2 * both.width), 'the uniform rows come first, drawn as before');
  assert.ok(both.examples.slice(2, 6).every(isDistinct));
  // Two shares that round up past the batch (2.5 + 2.5 rows of 5) leave the hard rows theirs and the rest distinct.
  const odd = makeTrainingBatch(t, new Rng(8), { batchSize: 5, nPoints: 20, hardShare: 0.5, distinctShare: 0.5 });
  assert.ok(odd.examples.slice(0, 2).every(isDistinct));
  assert.equal(odd.batch, 5);
  // A share of 0 draws exactly the paper's batch, and the hard share's.
  const plain = makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20 });
  assert.deepEqual(makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20, distinctShare: 0 }).tokens, plain.tokens);
  assert.deepEqual(makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20, hardShare: 0.5, distinctShare: 0 }).tokens, makeTrainingBatch(t, new Rng(5), { batchSize: 32, nPoints: 20, hardShare: 0.5 }).tokens);
  assert.throws(() => makeTrainingBatch(getTask('copy'), new Rng(1), { batchSize: 4, nPoints: 5, distinctShare: 0.5 }), /the copy task has no distinct inputs to draw from \(tasks with them: unique_set\)/);
});

test('an answer hold reads each example at a random step from T(n) to T(n) + K, within a horizon K longer; the rows are the ones drawn without it', () => {
  const t = getTask('addition');
  const plain = makeTrainingBatch(t, new Rng(9), { batchSize: 256, nPoints: 12 });
  const held = makeTrainingBatch(t, new Rng(9), { batchSize: 256, nPoints: 12, answerHold: 3 });
  assert.deepEqual(held.tokens, plain.tokens);
  assert.deepEqual(held.targets, plain.targets);
  assert.equal(held.horizon, plain.horizon + 3);
  const late = Array.from(held.steps, (s, b) => Number(s - plain.steps[b]!));
  assert.ok(late.every((d) => Number.isInteger(d) && d >= 0 && d <= 3), `late reads ${late.join(',')}`);
  for (const d of [0, 1, 2, 3]) assert.ok(late.filter((x) => x === d).length > 30, `about a quarter of the rows are read ${d} steps late`);
  assert.ok(Array.from(held.steps).every((s) => Number(s) <= held.horizon));
  assert.deepEqual(makeTrainingBatch(t, new Rng(9), { batchSize: 256, nPoints: 12, answerHold: 0 }).steps, plain.steps, 'a hold of 0 is the paper\'s read at T(n)');
});

test('unique set\'s hard inputs span every repeat count and are read at a fixed depth like the task\'s own rows', () => {
  const hard = getTask('unique_set').hardInputs!;
  const rng = new Rng(8);
  const distinct = new Set<number>();
  for (let i = 0; i < 400; i++) distinct.add(new Set(hard.sampleAt(rng, [10], 20).input.slice(0, 10)).size);
  assert.deepEqual([...distinct].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  const fixed = fixedDepthTask(getTask('unique_set'), 7);
  assert.equal(fixed.hardInputs!.sampleAt(new Rng(9), [4], 12).steps, 7);
  assert.equal(fixedDepthTask(getTask('parity'), 7).hardInputs, undefined);
});

test("unique set's distinct inputs: n different elements of 0..49 labelled by the task's solve, up to length 50, read at a fixed depth like the task's own rows", () => {
  const t = getTask('unique_set');
  const distinct = t.distinctInputs!;
  assert.equal(distinct.maxLength, 50);
  const rng = new Rng(8);
  const seen = new Set<number>();
  for (const n of [1, 2, 7, 19, 30, 49, 50]) {
    for (let i = 0; i < 20; i++) {
      const ex = distinct.sampleAt(rng, [n], 2 * n + 2);
      const prompt = ex.input.slice(0, ex.answerStart);
      assert.equal(prompt.length, n);
      assert.equal(new Set(prompt).size, n, `no repeats at ${n}`);
      assert.ok(prompt.every((v) => Number.isInteger(v) && v >= 0 && v < 50));
      assert.deepEqual(ex.lengths, [n]);
      assert.equal(ex.steps, n);
      const solved = t.fromText(prompt.join(' '), ex.input.length);
      assert.deepEqual(ex.target, solved.target, 'the task\'s own answer (the prompt itself, as nothing repeats)');
      prompt.forEach((v) => seen.add(v));
    }
  }
  assert.equal(seen.size, 50, 'every element drawn');
  assert.throws(() => distinct.sampleAt(rng, [51], 104), /unique_set has inputs of distinct elements only up to length 50, not 51/);
  const fixed = fixedDepthTask(t, 7);
  assert.equal(fixed.distinctInputs!.sampleAt(new Rng(9), [4], 12).steps, 7);
  assert.equal(fixed.distinctInputs!.maxLength, 50);
  for (const name of ['parity', 'copy', 'addition', 'binary_sum', 'multiplication'] as const) assert.equal(getTask(name).distinctInputs, undefined, name);
  assert.equal(fixedDepthTask(getTask('copy'), 7).distinctInputs, undefined);
});
