import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { raspProgramSource } from '../../../../src/core/programs/source/raspProgramSource';
import { buildStepperContent } from '../../../../src/core/view/stepperViewModel';
import { summarizeTrace } from '../../../../src/core/trace/tracedInput';
import { buildStepperFixture } from '../../../support/stepperFixture';

const PARITY_FILE = 'models/tasks/parity.raspl';

test('the shipped parity task file drives the comparisons: a model that follows it agrees at every step', () => {
  const f = buildStepperFixture({ bits: '10110', heads: 3 });
  const program = raspProgramSource(readFileSync(PARITY_FILE, 'utf8'), PARITY_FILE).run(f.example.input, f.trace.steps);
  assert.equal(program.file, PARITY_FILE);
  assert.equal(program.width, f.trace.width);
  assert.equal(program.steps, f.trace.steps);
  const vm = buildStepperContent({ modelLabel: 'fixture', inputText: '10110', traced: summarizeTrace(f.task, f.example, f.trace), program }).viewModel;
  // the fixture's model decodes the hand-written parity program's read-out, which the task file must reproduce
  assert.ok(vm.compare!.agreement.every((a) => a.fraction === 1), JSON.stringify(vm.compare!.agreement.map((a) => a.fraction)));
  assert.ok(vm.program!.variables.some((v) => v.name === 's'));
  const shift = vm.compare!.headMatches[0]!;
  assert.match(vm.program!.selectors[shift.best.selector]!.name, /shift_right/);
  assert.ok(shift.best.similarity > 0.9);
});

test('a broken task file is refused when loaded, with its position', () => {
  assert.throws(
    () => raspProgramSource('@task t\nstep:\n    s = (\n', 'broken.raspl'),
    (e: unknown) => e instanceof Error && /expected a value/.test(e.message) && (e as unknown as { line: number }).line >= 3,
  );
});
