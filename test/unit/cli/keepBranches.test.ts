// `train --keep-branches`: each branch of a last stage run as branches saved beside the model and
// evaluated, the table setting them beside their mean; `info` says what a branch's file is; a run
// without branches to keep is a usage error.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { loadModel } from '../../../src/core/model/modelFile';
import { train } from '../../../src/core/train/trainer';
import { readTrainingCheckpoint } from '../../../src/core/train/trainingCheckpoint';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const base = ['train', '--task', 'parity', '--preset', 'tiny', '--steps', '20', '--max-length', '4', '--ep', 'cpu', '--threads', '1'];

test("train --keep-branches saves and evaluates each branch of the last stage beside the model, which is their mean", async () => {
  const dir = tmpDir('cli-keep-branches');
  const out = path.join(dir, 'branched.onnx');
  const io = memoryIO();
  const code = await runCli([...base, '--stages', '12:6:3e-3:branches=2', '--keep-branches', '--lengths', '3,6', '--examples', '32', '--eval-every', '4', '--out', out], commands, io);
  assert.equal(code, 0, io.err());
  const curve = io.out() + io.err();
  assert.match(curve, /^step 16: n=3 oracle \d+\.\d% adaptive \d+\.\d%, n=6 oracle \d+\.\d% adaptive \d+\.\d%$/m, 'branch 1: the mean is its own');
  assert.match(curve, /^step 20: n=3 oracle .*; branch 2 alone: n=3 oracle \d+\.\d% adaptive \d+\.\d%, n=6 oracle \d+\.\d% adaptive \d+\.\d%$/m, "branch 2's own curve beside the mean's");
  for (const k of [1, 2]) assert.match(io.out(), new RegExp(`^branch ${k} of 2: .*branched-branch${k}\\.onnx$`, 'm'));
  assert.match(io.out(), /the model \(their mean\) and each branch alone:\n\nexact match, oracle \/ paper rule:\n.*length.*the model \(their mean\).*branch 1.*branch 2/);
  assert.match(io.out(), /^\s*6\s.*\d+\.\d% \/ \d+\.\d%.*\d+\.\d% \/ \d+\.\d%.*\d+\.\d% \/ \d+\.\d%/m, 'a row per length, a cell per model');
  const branch = await loadModel(path.join(dir, 'branched-branch2.onnx'));
  assert.deepEqual(branch.metadata.training.branch, { index: 2, of: 2 });
  const info = memoryIO();
  assert.equal(await runCli(['info', path.join(dir, 'branched-branch2.onnx')], commands, info), 0, info.err());
  assert.match(info.out(), /branch: branch 2 of the 2 its last stage ran as: that branch's own weights, where the run's model is their mean/);
});

test('train --keep-branches without a branched last stage is a usage error that says how to add one', async () => {
  const out = path.join(tmpDir('cli-keep-none'), 'plain.onnx');
  const io = memoryIO();
  assert.equal(await runCli([...base, '--stages', '12:6', '--keep-branches', '--out', out], commands, io), 2);
  assert.match(io.err(), /--keep-branches keeps the branches of a last stage run as branches, and this run has none: add branches=B to its last stage \(--stages …:branches=B\)/);
  assert.equal(fs.existsSync(out), false);
});

test('a run started with --keep-branches and stopped keeps them when resumed without the option, and says so', async () => {
  const dir = tmpDir('cli-keep-resume');
  const out = path.join(dir, 'stopped.onnx');
  const ckpt = path.join(dir, 'stopped.ckpt');
  const started = memoryIO();
  assert.equal(await runCli([...base, '--stages', '12:6:3e-3:branches=2', '--keep-branches', '--out', out, '--no-eval'], commands, started), 0, started.err());
  // the same recipe, stopped in its second branch (as Ctrl+C would), from the finished run's recipe
  const { recipe } = await readTrainingCheckpoint(ckpt);
  const abort = new AbortController();
  await train({ recipe, checkpointPath: ckpt, cpuThreads: 1, keepBranches: true, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 17 && abort.abort() });
  fs.rmSync(path.join(dir, 'stopped-branch1.onnx'));
  const io = memoryIO();
  assert.equal(await runCli(['train', '--out', out, '--resume', '--threads', '1', '--no-eval'], commands, io), 0, io.err());
  assert.match(io.out(), /the run keeps each branch of its last stage, as it was started with --keep-branches/);
  assert.deepEqual((await loadModel(path.join(dir, 'stopped-branch1.onnx'))).metadata.training.branch, { index: 1, of: 2 });
});
