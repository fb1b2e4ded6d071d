import { test } from 'node:test';
import assert from 'node:assert/strict';
import { programStepTraceFromRasp } from '../../../../src/core/programs/compare/raspProgramSteps';
import { checkProgramTrace } from '../../../../src/core/programs/compare/programSteps';
import type { ProgramTrace } from '../../../../src/core/rasp/trace';
import { parseProgram } from '../../../../src/core/rasp/parser';
import { checkProgram } from '../../../../src/core/rasp/check';
import { runProgram } from '../../../../src/core/rasp/interpreter';
import { buildStepperContent } from '../../../../src/core/view/stepperViewModel';
import { summarizeTrace } from '../../../../src/core/trace/tracedInput';
import { buildStepperFixture, parityProgram } from '../../../support/stepperFixture';

const PARITY = `x = tok_map(tokens, lambda t: t if t < 2 else 0)
s = full(0)
step:
    y = seq_map(s, x, lambda a, b: a ^ b)
    s = shift_right(y, 1)
`;

function runParity(input: number[], steps: number) {
  const { program, errors } = parseProgram(PARITY, 'parity-test.raspl');
  assert.deepEqual(errors, []);
  assert.deepEqual(checkProgram(program), []);
  return runProgram(program, input, { steps, outputVar: 's' }).trace;
}

test('init and step records become per-step arrays; variables born in the step are null at step 0', () => {
  const p = checkProgramTrace(programStepTraceFromRasp(runParity([1, 0, 1, 1, 2, 3], 3), PARITY));
  assert.equal(p.steps, 3);
  assert.equal(p.width, 6);
  assert.deepEqual(p.variables.map((v) => v.name), ['x', 's', 'y']);
  const y = p.variables[2]!;
  assert.equal(y.values[0], null);
  assert.deepEqual(Array.from(y.values[1]!), [1, 0, 1, 1, 0, 0]);
  assert.deepEqual(Array.from(p.variables[1]!.values[1]!), [0, 1, 0, 1, 1, 0]);
  assert.equal(p.selectors.length, 1);
  assert.match(p.selectors[0]!.name, /shift_right/);
  assert.equal(p.selectors[0]!.matrices.length, 3);
  assert.deepEqual(Array.from(p.answers[2]!), [0, 1, 1, 1, 0, 1]);
});

test('a selector missing at some step is null there; missing read-outs are null', () => {
  const m = Uint8Array.from([1, 0, 1, 1]);
  const trace: ProgramTrace = {
    file: 'f.raspl',
    input: [0, 1],
    width: 2,
    steps: 2,
    records: [
      { phase: 'init', step: 0, variables: [{ name: 'a', line: 1, values: [0, 0] }], selectors: [] },
      { phase: 'step', step: 1, variables: [{ name: 'a', line: 1, values: [1, 1] }], selectors: [{ id: 'k', name: 'a · select', line: 3, column: 1, stack: [], matrix: m }], answer: [5, 5] },
      { phase: 'step', step: 2, variables: [{ name: 'a', line: 1, values: [2, 2] }], selectors: [] },
      { phase: 'post', step: 3, variables: [], selectors: [{ id: 'post', name: 'p', line: 9, column: 1, stack: [], matrix: m }] },
    ],
  };
  const p = checkProgramTrace(programStepTraceFromRasp(trace, ''));
  assert.deepEqual(p.selectors.map((s) => s.name), ['a · select']); // post-phase selectors are not loop steps
  assert.deepEqual(p.selectors[0]!.matrices, [m, null]);
  assert.deepEqual(p.answers.map((a) => (a ? Array.from(a) : null)), [null, [5, 5], null]);
});

test('the interpreter’s parity trace drives the same comparisons as the hand-written fixture program', () => {
  const f = buildStepperFixture({ bits: '1011', heads: 2 });
  const real = programStepTraceFromRasp(runParity(f.example.input, f.trace.steps), PARITY);
  const hand = parityProgram(f.example, f.trace.steps);
  const s = real.variables.find((v) => v.name === 's')!;
  const sHand = hand.variables.find((v) => v.name === 's')!;
  for (let t = 0; t <= f.trace.steps; t++) assert.deepEqual(Array.from(s.values[t]!), Array.from(sHand.values[t]!), `s at step ${t}`);
  const vm = buildStepperContent({ modelLabel: 'm', inputText: '1011', traced: summarizeTrace(f.task, f.example, f.trace), program: real }).viewModel;
  assert.equal(vm.compare!.headMatches[0]!.best.selector, 0);
  assert.ok(vm.compare!.headMatches[0]!.best.similarity > 0.9);
});

test('a max aggregate is compared on the keys holding the max, a mean on every selected key', () => {
  const source = `x = tok_map(tokens, lambda t: t)
step:
    m = kqv(tokens, tokens, x, lambda k, q: k <= q, 0, max)
    a = kqv(tokens, tokens, x, lambda k, q: k <= q)
`;
  const { program, errors } = parseProgram(source, 'max-test.raspl');
  assert.deepEqual(errors, []);
  assert.deepEqual(checkProgram(program), []);
  const input = [1, 0, 1, 2];
  const raw = runProgram(program, input, { steps: 1, outputVar: 'm' }).trace;
  const [maxSel, meanSel] = raw.records.find((r) => r.phase === 'step')!.selectors;
  // Query 2 (token 1) selects keys 0..2 (tokens 1, 0, 1 <= 1); the max, 1, sits at keys 0 and 2.
  assert.deepEqual(Array.from(maxSel!.matrix.subarray(8, 12)), [1, 1, 1, 0]);
  assert.deepEqual(Array.from(maxSel!.reads!.subarray(8, 12)), [1, 0, 1, 0]);
  assert.equal(meanSel!.reads, undefined);
  const p = checkProgramTrace(programStepTraceFromRasp(raw, source));
  assert.deepEqual(Array.from(p.selectors[0]!.matrices[0]!.subarray(8, 12)), [1, 0, 1, 0]);
  assert.deepEqual(Array.from(p.selectors[1]!.matrices[0]!.subarray(8, 12)), [1, 1, 1, 0]);
});
