import { test } from 'node:test';
import assert from 'node:assert/strict';
import { traceStepperContent } from '../../../src/core/view/traceStepper';
import { buildInferenceGraph } from '../../../src/core/model/inferenceGraph';
import { initParams } from '../../../src/core/model/params';
import { toModelBytes } from '../../../src/core/onnx/serialize';
import { openSession } from '../../../src/core/infer/executionProvider';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { parityProgram } from '../../support/stepperFixture';

// A real (untrained) looped transformer's trace graph: checks the whole chain model → trace → view model.
async function session() {
  const cfg = { vocabSize: 6, d: 8, layers: 1, heads: 2, readIn: 'linear' as const, inputInjection: true };
  const rng = new Rng(5);
  const bytes = toModelBytes(buildInferenceGraph(cfg, initParams(cfg, () => rng.float()), 'trace'));
  return (await openSession(bytes, { provider: 'cpu', cpuThreads: 1 })).session;
}

test('a typed input is traced to T(n) + the task’s extra steps and compared with the program', async () => {
  const s = await session();
  const task = getTask('parity');
  const content = await traceStepperContent({
    session: s,
    task,
    text: '101',
    modelLabel: 'tiny',
    program: { run: (row, steps) => parityProgram(task.fromText('101', row.length), steps) },
  });
  const vm = content.viewModel;
  assert.equal(vm.steps.length, 3 + task.adaptiveExtraSteps);
  assert.equal(vm.halting.oracleStep, 3);
  assert.ok(vm.halting.adaptiveStep! >= 1 && vm.halting.adaptiveStep! <= vm.steps.length);
  assert.match(vm.halting.rule, /per example/);
  assert.equal(vm.compare!.agreement.length, vm.steps.length);
  assert.equal(vm.compare!.headMatches.length, 2);
  const a = content.attention(4, 0);
  const W = vm.attention.width;
  for (let q = 0; q < W; q++) {
    let sum = 0;
    for (let k = 0; k < W; k++) sum += a[q * W + k]!;
    assert.ok(Math.abs(sum - 1) < 1e-5, `row ${q} sums to ${sum}`);
    for (let k = q + 1; k < W; k++) assert.ok(a[q * W + k]! < 1e-6, 'attention is causal');
  }
  await s.release();
});

test('bad input is refused by the task, and a failing program becomes a note', async () => {
  const s = await session();
  const task = getTask('parity');
  await assert.rejects(traceStepperContent({ session: s, task, text: '10a', modelLabel: 'tiny' }), /binary digits/);
  const content = await traceStepperContent({
    session: s,
    task,
    text: '11',
    modelLabel: 'tiny',
    program: {
      run: () => {
        throw new Error('division by zero at line 3');
      },
    },
  });
  assert.equal(content.viewModel.program, null);
  assert.match(content.viewModel.notes.join(' '), /could not run on this input: division by zero/);
  await s.release();
});
