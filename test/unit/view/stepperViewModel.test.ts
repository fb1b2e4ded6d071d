import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildStepperContent } from '../../../src/core/view/stepperViewModel';
import { summarizeTrace } from '../../../src/core/trace/tracedInput';
import { buildStepperFixture } from '../../support/stepperFixture';

const V = 6; // parity vocabulary
const conf = (margin: number) => Math.exp(margin) / (Math.exp(margin) + V - 1);

function build(opts: Parameters<typeof buildStepperFixture>[0], program = true) {
  const f = buildStepperFixture(opts);
  const content = buildStepperContent({ modelLabel: 'fixture.onnx', modelPath: '/m/fixture.onnx', inputText: opts.bits, traced: summarizeTrace(f.task, f.example, f.trace), program: program ? f.program : null });
  return { f, content, vm: content.viewModel };
}

test('tokens, task and halting describe the example', () => {
  const { vm } = build({ bits: '1011' });
  assert.deepEqual(
    vm.tokens.map((t) => [t.label, t.scored, t.target]),
    [['1', false, null], ['0', false, null], ['1', false, null], ['1', false, null], ['=', true, '1'], ['.', true, '.']],
  );
  assert.equal(vm.task.targetText, '1');
  assert.deepEqual(vm.task.lengths, [{ name: 'n', value: 4 }]);
  assert.equal(vm.halting.oracleStep, 4);
  // confidence peaks at T(n) = 4 in the fixture, so the per-example max-confidence rule stops there
  assert.equal(vm.halting.adaptiveStep, 4);
  assert.match(vm.halting.rule, /per example/);
  assert.equal(vm.origin.modelPath, '/m/fixture.onnx');
  assert.equal(vm.steps.length, 10);
});

test('per-step decode, confidence and the paper score match the fixture margins', () => {
  const { vm, f } = build({ bits: '1011' });
  const eq = f.example.answerStart;
  for (const s of vm.steps) {
    const m = f.margins[s.step - 1]!;
    assert.ok(Math.abs(s.confidence[eq]! - conf(m)) < 1e-4, `step ${s.step}`);
    // scored positions: '=' (margin m) and one pad (margin 6)
    const want = (-Math.log(conf(m)) - Math.log(conf(6))) / 2;
    assert.ok(Math.abs(s.score - want) < 1e-5, `score at step ${s.step}: ${s.score} vs ${want}`);
    assert.ok(Math.abs(s.meanConfidence - (conf(m) + conf(6)) / 2) < 1e-5);
  }
  // the program's answer after t steps is the xor of the last t bits of 1011: 1, 0, 0, 1, 1, ...
  assert.deepEqual(vm.steps.map((s) => s.answerText), ['1', '0', '0', '1', '1', '1', '1', '1', '1', '1']);
  assert.deepEqual(vm.steps.map((s) => s.correct), [true, false, false, true, true, true, true, true, true, true]);
});

test('agreement with the program drops exactly where the model departs from it', () => {
  const { vm } = build({ bits: '1011', wrongSteps: [3, 7] });
  const c = vm.compare!;
  assert.deepEqual(c.agreement.map((a) => a.matched), [2, 2, 1, 2, 2, 2, 1, 2, 2, 2]);
  assert.ok(c.agreement.every((a) => a.total === 2));
  assert.deepEqual(vm.steps.map((s) => s.programAgreement), [1, 1, 0.5, 1, 1, 1, 0.5, 1, 1, 1]);
  assert.equal(vm.steps[6]!.correct, false);
});

test('head matching and the uniform baseline are filled in from the program trace', () => {
  const { vm } = build({ bits: '110100101', heads: 3, dModel: 8 });
  const c = vm.compare!;
  assert.deepEqual(vm.program!.selectors.map((s) => s.name), ['shift_right']);
  assert.deepEqual(c.headMatches.map((h) => h.best.selector), [0, 0, 0]);
  const sims = c.headMatches.map((h) => h.meanBySelector[0]!);
  assert.ok(sims[0]! > 0.9 && sims[0]! > c.uniformBaseline[0]! && Math.abs(sims[1]! - c.uniformBaseline[0]!) < 1e-6 && sims[2]! < 1e-6, String(sims));
  assert.match(c.similarityDefinition, /total-variation/);
});

test('probes come from the probe set (per step, over random inputs); without one the view says so', () => {
  const none = build({ bits: '1011' }).vm.compare!;
  assert.deepEqual(none.probes, []);
  assert.equal(none.probeExamples, 0);
  assert.match(none.probeNote!, /No probes were run/);
  const f = buildStepperFixture({ bits: '1011' });
  const traced = summarizeTrace(f.task, f.example, f.trace);
  const base = { heldOutAccuracy: 0.5, baselineAccuracy: 0.5, trainSamples: 96, testSamples: 32, distinctValues: 2, standardError: 0.05, beatsBaseline: false };
  const flat = buildStepperContent({ modelLabel: 'f', inputText: '1011', traced, program: f.program, probes: { steps: 2, examples: 16, probes: [{ variable: 's', step: 1, ...base }, { variable: 's', step: 2, ...base }] } }).viewModel.compare!;
  assert.deepEqual(flat.probes.map((p) => [p.variable, p.step, p.beatsBaseline]), [['s', 1, false], ['s', 2, false]]);
  assert.equal(flat.probeExamples, 16);
  assert.match(flat.probeNote!, /No linear probe beats its majority baseline at any step \(16 random inputs\)/);
  const good = buildStepperContent({ modelLabel: 'f', inputText: '1011', traced, program: f.program, probes: { steps: 1, examples: 16, probes: [{ variable: 'x', step: 1, ...base, heldOutAccuracy: 1, beatsBaseline: true }] } }).viewModel.compare!;
  assert.equal(good.probeNote, null);
  assert.match(good.probeDefinition, /held out/);
});

test('the program view keeps each variable per step and the read-out only at scored positions', () => {
  const { vm } = build({ bits: '1011' });
  const p = vm.program!;
  assert.equal(p.steps, 10);
  const s = p.variables.find((v) => v.name === 's')!;
  assert.equal(s.values.length, 11);
  assert.deepEqual(s.values[1], [0, 1, 0, 1, 1, 0]); // shift_right(0 xor x) = x shifted right by one (non-bits read as 0)
  assert.deepEqual(p.answers[1], [null, null, null, null, 1, 3]);
});

test('attention slices come from the trace and the view model survives JSON', () => {
  const { vm, content, f } = build({ bits: '1011', heads: 2 });
  const W = f.trace.width;
  const a = content.attention(3, 0);
  assert.equal(a.length, 2 * W * W);
  assert.ok(Math.abs(a[W * W + 2 * W + 1]! - 1 / 3) < 1e-7); // head 1 is uniform: query 2 gives key 1 a third
  assert.deepEqual(JSON.parse(JSON.stringify(vm)), vm);
});

test('without a program there are no comparisons, and a mismatched trace is refused clearly', () => {
  const { vm, f } = build({ bits: '1011' }, false);
  assert.equal(vm.program, null);
  assert.equal(vm.compare, null);
  assert.ok(vm.steps.every((s) => s.programAgreement === null));
  const other = f.task.fromText('10110');
  assert.throws(
    () => buildStepperContent({ modelLabel: 'm', inputText: '10110', traced: summarizeTrace(f.task, other, f.trace) }),
    /traced row has 6 positions but the example has 7/,
  );
});

test('a program on a different width is compared on answers only, with a note saying why', () => {
  const f = buildStepperFixture({ bits: '1011' });
  const narrow = { ...f.program, width: 5, variables: [], selectors: [], answers: f.program.answers.map((r) => (r ? Array.from(r).slice(0, 5) : null)) };
  const vm = buildStepperContent({ modelLabel: 'm', inputText: '1011', traced: summarizeTrace(f.task, f.example, f.trace), program: narrow }).viewModel;
  assert.equal(vm.compare!.headMatches.length, 0);
  assert.match(vm.notes.join(' '), /program ran on 5 positions and the model on 6/);
  assert.equal(vm.compare!.agreement[0]!.total, 1);
});
