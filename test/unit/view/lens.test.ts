import { test } from 'node:test';
import assert from 'node:assert/strict';
import { logitLens, softmaxRow, topK } from '../../../src/core/view/lens';
import { buildStepperFixture } from '../../support/stepperFixture';

const V = 6; // parity vocabulary
const conf = (margin: number) => Math.exp(margin) / (Math.exp(margin) + V - 1);

test('softmax and top-k of one row', () => {
  const p = softmaxRow([0, Math.log(3), 0, Math.log(4)], 0, 4, new Float64Array(4));
  assert.deepEqual(Array.from(p, (x) => Math.round(x * 1e9) / 1e9), [0.111111111, 0.333333333, 0.111111111, 0.444444444]);
  assert.deepEqual(topK(p, 3), [3, 1, 0]); // the tie between 0 and 2 goes to the lower id
  assert.deepEqual(topK([0.5, 0.5], 5), [0, 1]);
});

test('the lens reads the target probability and the top tokens of every step and scored position', () => {
  const f = buildStepperFixture({ bits: '1011', wrongSteps: [2] });
  const lens = logitLens(f.trace, f.example);
  const eq = f.example.answerStart;
  assert.equal(lens.k, 3);
  assert.equal(lens.targetProb.length, f.trace.steps);
  for (let t = 1; t <= f.trace.steps; t++) {
    const m = f.margins[t - 1]!;
    // the fixture puts margin m on the program's answer at '=': the target unless the step is flipped
    const prog = f.program.answers[t]![eq]!;
    const right = (t === 2 ? 1 - prog : prog) === f.example.target[eq];
    const pTarget = right ? conf(m) : 1 / (Math.exp(m) + V - 1);
    assert.ok(Math.abs(lens.targetProb[t - 1]![eq]! - pTarget) < 1e-4, `step ${t}: ${lens.targetProb[t - 1]![eq]} vs ${pTarget}`);
    assert.ok(Math.abs(lens.topProbs[t - 1]![eq]![0]! - conf(m)) < 1e-4);
    // the pad after '=' is scored with margin 6 on pad (3); the prompt is not scored
    assert.equal(lens.topIds[t - 1]![eq + 1]![0], 3);
    assert.ok(Math.abs(lens.targetProb[t - 1]![eq + 1]! - conf(6)) < 1e-4);
    assert.equal(lens.targetProb[t - 1]![0], null);
    assert.equal(lens.topIds[t - 1]![0]!.length, 3);
  }
});

test('settle step: the first step from which the answer stays right up to T(n)', () => {
  // parity of 1011 is 1; the fixture's program state gives 0, 1, 0, 0, 1 at '=' for steps 0..4, and
  // a "wrong" step flips the model's answer away from the program's
  const settle = (wrongSteps: number[]) => {
    const f = buildStepperFixture({ bits: '1011', wrongSteps });
    return logitLens(f.trace, f.example);
  };
  const eq = 4;
  assert.equal(settle([]).settleStep[eq], 4, 'right at T(n) = 4 only');
  assert.equal(settle([3]).settleStep[eq], 3, 'flipping the wrong step 3 makes it right from 3 on');
  assert.equal(settle([4]).settleStep[eq], null, 'wrong at T(n): never settled');
  const lens = settle([]);
  assert.equal(lens.settleHorizon, 4);
  assert.equal(lens.settleStep[0], null, 'unscored positions never settle');
  assert.equal(lens.settleStep[eq + 1], 1, 'the pad is right from step 1');
});
