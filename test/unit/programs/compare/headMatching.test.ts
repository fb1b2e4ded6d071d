import { test } from 'node:test';
import assert from 'node:assert/strict';
import { matchHeads, uniformBaseline } from '../../../../src/core/programs/compare/headMatching';
import { checkProgramTrace } from '../../../../src/core/programs/compare/programSteps';
import { buildStepperFixture } from '../../../support/stepperFixture';

const meanRatio = (W: number) => {
  let s = 0;
  for (let q = 1; q < W; q++) s += q / (q + 1);
  return s / (W - 1);
};

test('each head is matched with the selector it imitates, with the similarity worked out by hand', () => {
  const f = buildStepperFixture({ bits: '1011', heads: 3 });
  const W = f.trace.width;
  const m = matchHeads(f.trace, f.program.selectors, f.program.steps);
  assert.equal(m.length, 3);
  // head 0 puts 0.9 on key q-1 plus 0.1 spread over 0..q: TV_q = 0.1 q/(q+1)
  assert.equal(m[0]!.best.selector, 0);
  assert.ok(Math.abs(m[0]!.best.similarity - (1 - 0.1 * meanRatio(W))) < 1e-6);
  assert.equal(m[0]!.perStep.length, f.trace.steps);
  // head 1 is uniform: exactly the baseline; head 2 attends to itself only: disjoint from the shift
  const base = uniformBaseline(f.program.selectors, W, f.program.steps);
  assert.ok(Math.abs(m[1]!.meanBySelector[0]! - base[0]!) < 1e-6);
  assert.ok(Math.abs(base[0]! - (1 - meanRatio(W))) < 1e-6);
  assert.ok(Math.abs(m[2]!.meanBySelector[0]!) < 1e-6);
});

test('program traces with inconsistent sizes are rejected with the culprit named', () => {
  const f = buildStepperFixture({ bits: '10' });
  checkProgramTrace(f.program);
  const broken = { ...f.program, variables: [{ name: 's', line: 1, values: [[0]] }] };
  assert.throws(() => checkProgramTrace(broken), /variable "s" has 1 steps, expected/);
});
