// Saving the weights at chosen steps (TrainerOptions.saveAt, `looplens train --save-at`): model files
// beside the checkpoint holding exactly the run's weights at those steps, and the run's checkpoint
// there (forkRun.test.ts goes on from it), without changing the run; the CLI says where each went.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainEvent } from '../../../src/core/train/trainEvents';
import { train } from '../../../src/core/train/trainer';
import { RecipeError } from '../../../src/core/train/recipe';
import { loadModel } from '../../../src/core/model/modelFile';
import { readRunState } from '../../../src/core/train/trainingCheckpoint';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';
import { assertSameParams } from '../../support/paramsAssert';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { memoryIO } from '../cli/helpers';

const savedSteps = (events: TrainEvent[]) => events.flatMap((e) => (e.type === 'saved' ? [{ step: e.step, file: path.basename(e.path) }] : []));

test('the weights at each asked step are saved as a model beside the checkpoint: the run stopped there would hold them, and the run goes on unchanged', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const events: TrainEvent[] = [];
  const run = await train({ recipe: microParity(12), checkpointPath: ckpt, checkpointEvery: 100, saveAt: [8, 4], cpuThreads: 1, onEvent: (e) => events.push(e) });
  assert.deepEqual(savedSteps(events), [{ step: 4, file: 'run-step4.onnx' }, { step: 8, file: 'run-step8.onnx' }]);

  // the same recipe stopped at step 8 holds the saved weights
  const abort = new AbortController();
  const stopped = await train({ recipe: microParity(12), cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 8 && abort.abort() });
  assert.equal(stopped.step, 8);
  const at8 = await loadModel(path.join(dir, 'run-step8.onnx'));
  assertSameParams(at8.params, stopped.params);
  assert.equal(at8.metadata.training?.stepsCompleted, 8);
  assert.equal(at8.metadata.training?.provider, 'cpu', 'written from the run it is part of, which knows where its steps ran (a checkpoint does not)');
  assert.equal((await loadModel(path.join(dir, 'run-step4.onnx'))).metadata.training?.stepsCompleted, 4);

  const straight = await train({ recipe: microParity(12), cpuThreads: 1 });
  assertSameParams(run.params, straight.params);
});

test('a resumed run saves only the asked steps still ahead of it', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const abort = new AbortController();
  await train({ recipe: microParity(12), checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 6 && abort.abort() });
  const events: TrainEvent[] = [];
  const resumed = await train({ checkpointPath: ckpt, resume: true, saveAt: [4, 10], cpuThreads: 1, onEvent: (e) => events.push(e) });
  assert.equal(resumed.status, 'finished');
  assert.deepEqual(savedSteps(events), [{ step: 10, file: 'run-step10.onnx' }]);
  assert.ok(!fs.existsSync(path.join(dir, 'run-step4.onnx')), 'step 4 was passed before the resume');
});

test('the checkpoint keeps the steps: a run stopped and resumed without them still saves those ahead of it; steps given again replace them', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const stopAt = (step: number) => {
    const abort = new AbortController();
    return { signal: abort.signal, onEvent: (e: TrainEvent) => e.type === 'progress' && e.step === step && abort.abort() };
  };
  await train({ recipe: microParity(12), checkpointPath: ckpt, saveAt: [9, 3], cpuThreads: 1, ...stopAt(5) });
  assert.deepEqual((await readRunState(ckpt)).saveAt, [3, 9], 'in step order');
  const events: TrainEvent[] = [];
  const at10 = stopAt(10);
  await train({ checkpointPath: ckpt, resume: true, cpuThreads: 1, signal: at10.signal, onEvent: (e) => (events.push(e), at10.onEvent(e)) });
  assert.deepEqual(savedSteps(events), [{ step: 9, file: 'run-step9.onnx' }]);
  const replaced: TrainEvent[] = [];
  await train({ checkpointPath: ckpt, resume: true, saveAt: [11], cpuThreads: 1, onEvent: (e) => replaced.push(e) });
  assert.deepEqual(savedSteps(replaced), [{ step: 11, file: 'run-step11.onnx' }]);
  // a run resumed with fewer steps drops the kept steps it no longer reaches (its last step saves the model)
  const short = path.join(dir, 'short.ckpt');
  await train({ recipe: microParity(12), checkpointPath: short, saveAt: [10], cpuThreads: 1, ...stopAt(4) });
  const shortened: TrainEvent[] = [];
  const done = await train({ recipe: microParity(10), checkpointPath: short, resume: true, cpuThreads: 1, onEvent: (e) => shortened.push(e) });
  assert.equal(done.status, 'finished');
  assert.deepEqual(savedSteps(shortened), []);
});

test('steps outside the run, or no checkpoint to save beside, are refused before training', async () => {
  const ckpt = path.join(tmpDir(), 'run.ckpt');
  for (const bad of [0, 12, 2.5, 40]) {
    await assert.rejects(train({ recipe: microParity(12), checkpointPath: ckpt, saveAt: [bad], cpuThreads: 1 }), (e: unknown) => e instanceof RecipeError && /from 1 to 11 \(the last step saves the model\)/.test(e.message), String(bad));
  }
  await assert.rejects(train({ recipe: microParity(12), saveAt: [4], cpuThreads: 1 }), (e: unknown) => e instanceof RecipeError && /needs a checkpoint file/.test(e.message));
  assert.ok(!fs.existsSync(ckpt), 'nothing was trained');
});

test('train --save-at prints each model it saves on the way and refuses a step outside the run', async () => {
  const dir = tmpDir('cli-save-at');
  const out = path.join(dir, 'probe.onnx');
  const base = ['train', '--task', 'parity', '--preset', 'tiny', '--steps', '12', '--max-length', '4', '--ep', 'cpu', '--threads', '1', '--no-eval', '--out', out];
  const io = memoryIO();
  assert.equal(await runCli([...base, '--save-at', '5,9'], commands, io), 0, io.err());
  for (const k of [5, 9]) {
    assert.match(io.out() + io.err(), new RegExp(`^saved the weights at step ${k} as .*probe-step${k}\\.onnx, and the run's checkpoint there as .*probe-step${k}\\.ckpt `, 'm'));
    assert.equal((await readRunState(path.join(dir, `probe-step${k}.ckpt`))).opt.step, k);
    assert.equal((await loadModel(path.join(dir, `probe-step${k}.onnx`))).metadata.training?.stepsCompleted, k);
  }
  const refused = memoryIO();
  assert.equal(await runCli([...base, '--save-at', '12'], commands, refused), 2);
  assert.match(refused.err(), /--save-at 12: the run has 12 steps and saves its model after the last; give steps from 1 to 11/);
});
