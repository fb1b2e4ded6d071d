// A run counts the CPU time of the process that trains it beside its wall time, through its
// checkpoints, into the model's record: the cost of a run on a machine shared with other work. A
// run resumed from a checkpoint written before LoopLens counted it says the count is missing
// rather than report a part of it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { LoopLensModelError, modelFileBytes, parseModel } from '../../../src/core/model/modelFile';
import type { TrainingRecord } from '../../../src/core/model/modelMetadata';
import { getTask } from '../../../src/core/tasks';
import { readCheckpoint, writeCheckpoint } from '../../../src/core/train/checkpoint';
import { train } from '../../../src/core/train/trainer';
import { readRunState } from '../../../src/core/train/trainingCheckpoint';
import { recordedTimeText, trainingRecordOf } from '../../../src/core/train/trainRecord';
import { trainedStepsText } from '../../../src/cli/support/training';
import { microParity } from '../../support/tinyRecipes';
import { cli, QUICK_TRAIN } from '../cli/helpers';
import { tmpDir } from '../../support/tmpDir';

/** A microParity run of 20 steps stopped after step 10, its checkpoint at `ckpt`. */
async function stoppedAt10(ckpt: string): Promise<void> {
  const abort = new AbortController();
  await train({ recipe: microParity(20), checkpointPath: ckpt, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 10 && abort.abort() });
}

test('a run counts its CPU time, keeps it through a checkpoint and adds the resumed sitting to it', async () => {
  const ckpt = path.join(tmpDir(), 'run.ckpt');
  await stoppedAt10(ckpt);
  const saved = (await readRunState(ckpt)).cpuMs;
  assert.ok(saved !== undefined && saved > 0, `the checkpoint holds the first sitting's CPU time, got ${saved}`);
  const resumed = await train({ checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  assert.equal(resumed.step, 20);
  assert.ok(resumed.cpuSeconds !== undefined && resumed.cpuSeconds * 1000 > saved, `the resumed sitting adds to ${saved} ms, got ${resumed.cpuSeconds} s`);
  const record = trainingRecordOf(resumed);
  assert.equal(record.cpuSeconds, Math.round(resumed.cpuSeconds * 10) / 10, 'the record keeps it, to a tenth of a second');
  assert.match(recordedTimeText({ elapsedSeconds: 90, cpuSeconds: 150 })!, /^1\.5 min of wall time, 2\.5 min of CPU time \(all threads\)$/);
  assert.equal(trainedStepsText({ step: 20, elapsedSeconds: 90, cpuSeconds: 150 }), 'trained 20 steps in 1.5 min (CPU time 2.5 min)');
});

test('a run resumed from a checkpoint that did not count CPU time records none, and says so', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  await stoppedAt10(ckpt);
  const state = await readCheckpoint(ckpt);
  const { cpuMs: _counted, ...extra } = state.extra ?? {};
  const older = path.join(dir, 'older.ckpt');
  await writeCheckpoint(older, { ...state, extra });
  const resumed = await train({ checkpointPath: older, resume: true, cpuThreads: 1 });
  assert.equal(resumed.cpuSeconds, undefined, 'not the resumed sitting alone');
  assert.equal((await readRunState(older)).cpuMs, undefined, 'its own checkpoint goes on without a count');
  const record = trainingRecordOf(resumed);
  assert.equal('cpuSeconds' in record, false);
  assert.match(recordedTimeText(record)!, /of wall time, CPU time not counted$/);
  assert.equal(trainedStepsText({ step: 20, elapsedSeconds: 90 }), 'trained 20 steps in 1.5 min');
});

test('a checkpoint whose CPU time is not a time is a damaged file; a record whose CPU time is negative is refused', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  await stoppedAt10(ckpt);
  const state = await readCheckpoint(ckpt);
  for (const cpuMs of ['12 s', -1, null]) {
    const damaged = path.join(dir, 'damaged.ckpt');
    await writeCheckpoint(damaged, { ...state, extra: { ...state.extra, cpuMs } });
    await assert.rejects(readRunState(damaged), /damaged\.ckpt is corrupt: its CPU time is not a number of milliseconds/, String(cpuMs));
  }
  const resumed = await train({ checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  const contents = { task: getTask('parity'), config: resumed.recipe.model, params: resumed.params };
  const record = trainingRecordOf(resumed);
  assert.equal(parseModel(modelFileBytes({ ...contents, training: record }), 'm.onnx').metadata.training.cpuSeconds, record.cpuSeconds, 'a model file keeps it');
  const negative: TrainingRecord = { ...record, cpuSeconds: -3 };
  assert.throws(() => parseModel(modelFileBytes({ ...contents, training: negative }), 'm.onnx'), (e: Error) => e instanceof LoopLensModelError && /cpuSeconds/.test(e.message));
});

test('looplens train prints the CPU time beside the wall time, and looplens info reads both from the file', async () => {
  const out = path.join(tmpDir(), 'p.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /^trained 4 steps in \d+\.\d min \(CPU time \d+\.\d min\), final loss/m);
  const info = await cli(['info', out]);
  assert.equal(info.code, 0, info.err);
  assert.match(info.out, /^ {2}training time: \d+\.\d min of wall time, \d+\.\d min of CPU time \(all threads\)$/m);
});
