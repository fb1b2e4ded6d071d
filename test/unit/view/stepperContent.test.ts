import { test } from 'node:test';
import assert from 'node:assert/strict';
import { stepperContent } from '../../../src/core/view/stepperContent';
import { releaseTraceSessions, type TraceSessions } from '../../../src/core/trace/traceInput';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { parityProgram } from '../../support/stepperFixture';

// A real (untrained) looped transformer's trace and eval graphs: checks the whole chain model → trace → view model.
async function sessions(withEval = true): Promise<TraceSessions> {
  const cfg = { vocabSize: 6, d: 8, layers: 1, heads: 2, readIn: 'linear' as const, inputInjection: true };
  const rng = new Rng(5);
  const params = initParams(cfg, () => rng.float());
  const o = { provider: 'cpu' as const, cpuThreads: 1 };
  const trace = await LoopedSession.fromParams(cfg, params, 'trace', o);
  return withEval ? { trace, eval: await LoopedSession.fromParams(cfg, params, 'eval', o) } : { trace };
}

test('a typed input is traced to T(n) + the task’s extra steps and compared with the program', async () => {
  const s = await sessions();
  const task = getTask('parity');
  const calibratedStops = new Map<string, number>();
  const content = await stepperContent({
    sessions: s,
    calibratedStops,
    task,
    text: '101',
    modelLabel: 'tiny',
    program: { run: (row, steps) => parityProgram(task.fromText('101', row.length), steps) },
  });
  const vm = content.viewModel;
  assert.equal(vm.steps.length, 3 + task.adaptiveExtraSteps);
  assert.equal(vm.halting.oracleStep, 3);
  assert.ok(vm.halting.adaptiveStep! >= 1 && vm.halting.adaptiveStep! <= vm.steps.length);
  assert.match(vm.halting.rule, /length-calibrated/);
  assert.deepEqual([...calibratedStops.values()], [vm.halting.adaptiveStep], 'the calibrated stop is kept for the next input of this length');
  assert.match(vm.notes.join(' '), /on this one input alone would stop at step \d+/);
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
  await releaseTraceSessions(s);
});

test('without an eval graph the stop shown is the paper’s score on the input itself', async () => {
  const s = await sessions(false);
  const vm = (await stepperContent({ sessions: s, task: getTask('parity'), text: '101', modelLabel: 'tiny' })).viewModel;
  assert.match(vm.halting.rule, /per example/);
  await releaseTraceSessions(s);
});

test('bad input is refused by the task, and a failing program becomes a note', async () => {
  const s = await sessions();
  const task = getTask('parity');
  await assert.rejects(stepperContent({ sessions: s, task, text: '10a', modelLabel: 'tiny' }), /binary digits/);
  const content = await stepperContent({
    sessions: s,
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
  await releaseTraceSessions(s);
});
