// `train --stages`: stages after the curriculum, as typed on the command line; the training line,
// the model file's record and `info` say them, and a list that does not read is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { loadModel } from '../../../src/core/model/modelFile';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';

test('train --stages trains the stage after the curriculum, with its own rate and long share, and records it', async () => {
  const out = path.join(tmpDir('cli-stages'), 'staged.onnx');
  const io = memoryIO();
  const code = await runCli(['train', '--task', 'parity', '--preset', 'tiny', '--steps', '20', '--max-length', '4', '--stages', '12:8:3e-3:long=0.5', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1'], commands, io);
  assert.equal(code, 0, io.err());
  assert.match(io.out(), /lengths 1\.\.4 \(\+1 every \d+ steps\), then 1\.\.8 from step 12 \(lr 0\.003, 0\.5 of each batch at 8\), each with fresh AdamW moments and its own decay/);
  const model = await loadModel(out);
  assert.deepEqual(model.metadata.training.trainedLengths, { min: 1, max: 8 });
  assert.deepEqual((model.metadata.training.recipe as { stages?: unknown }).stages, [{ fromStep: 12, maxLength: 8, lr: 3e-3, longShare: 0.5 }]);
  const info = memoryIO();
  assert.equal(await runCli(['info', out], commands, info), 0, info.err());
  assert.match(info.out(), /stages: then 1\.\.8 from step 12 \(lr 0\.003, 0\.5 of each batch at 8\), each with fresh AdamW moments and its own decay \(not the paper's one curriculum\)/);
});

test('train --stages that do not read, or do not fit the run, are usage errors that say why', async () => {
  const out = path.join(tmpDir('cli-stages-bad'), 'bad.onnx');
  const io = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--preset', 'tiny', '--stages', '12-8', '--out', out], commands, io), 2);
  assert.match(io.err(), /--stages: stage 1 \("12-8"\) does not read as FROM:LONGEST\[:LR\]\[:long=SHARE\]\[:hold=K\]\[:branches=B\], comma-separated/);
  const io2 = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--preset', 'tiny', '--steps', '20', '--stages', '30:12', '--out', out], commands, io2), 2);
  assert.match(io2.err(), /stages: stage 1 must start at a step after 0 and before the run's 20 steps end, got 30/);
});
