// The stepper on a model of a custom RASP-L task: the program beside the model is the task file
// stored with the model (Task.raspl), run through the same row.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { stepperContent } from '../../../src/core/view/stepperContent';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import { raspProgramSource } from '../../../src/core/programs/source/raspProgramSource';
import { initParams } from '../../../src/core/model/params';
import { taskFromRaspl } from '../../../src/core/programs/tasks/fromRaspl';
import { Rng } from '../../../src/core/util/rng';

test("a custom task's stored program is traced beside the model", async () => {
  const source = fs.readFileSync(path.join(__dirname, '../../../models/tasks/parity.raspl'), 'utf8');
  const task = taskFromRaspl(source, 'mine.raspl');
  const cfg = { vocabSize: task.vocabSize, d: 8, layers: 1, heads: 2, readIn: task.readIn, inputInjection: true };
  const rng = new Rng(5);
  const trace = await LoopedSession.fromParams(cfg, initParams(cfg, () => rng.float()), 'trace', { provider: 'cpu', cpuThreads: 1 });
  const content = await stepperContent({ sessions: { trace }, task, text: '1101', modelLabel: 'tiny', program: raspProgramSource(task.raspl!.source, task.raspl!.file) });
  const vm = content.viewModel;
  assert.equal(vm.halting.oracleStep, 4);
  assert.equal(vm.steps.length, 4 + task.adaptiveExtraSteps);
  assert.ok(vm.compare, 'the program is compared with the model');
  assert.equal(vm.compare.agreement.length, vm.steps.length);
  assert.equal(vm.program?.file, 'mine.raspl');
  await trace.release();
});
