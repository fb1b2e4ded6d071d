// The command line gets the same rescaling as the extension: fewer --steps rescale the preset's
// curriculum and lr hold (and say so), an explicit --interval is kept with a warning, the model
// file records the lengths reached, and `start` continues a run begun with another --steps.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { loadModel } from '../../../src/core/model/modelFile';
import { readTrainingCheckpoint } from '../../../src/core/train/trainingCheckpoint';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';

test('train --preset tiny --steps N: the curriculum scales, the file records the lengths reached', async () => {
  const dir = tmpDir('cli-scaling');
  const out = path.join(dir, 'tiny.onnx');
  const io = memoryIO();
  const code = await runCli(['train', '--task', 'parity', '--preset', 'tiny', '--steps', '20', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1'], commands, io);
  assert.equal(code, 0, io.err());
  assert.match(io.out(), /the tiny preset's curriculum and learning rate are scaled to 20 steps: the curriculum adds a length every step \(the preset: every 100 of 1,500 steps\)/);
  assert.match(io.out(), /lengths 1\.\.10 \(\+1 every 1 steps\)/);
  assert.doesNotMatch(io.err(), /warning/);
  assert.deepEqual((await loadModel(out)).metadata.training.trainedLengths, { min: 1, max: 10 });

  // an explicit interval is the user's: kept, and what it means is said
  const kept = path.join(dir, 'kept.onnx');
  const io2 = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--preset', 'tiny', '--steps', '20', '--interval', '100', '--no-eval', '--out', kept, '--ep', 'cpu', '--threads', '1'], commands, io2), 0, io2.err());
  assert.match(io2.err(), /warning: The curriculum would reach lengths up to 10 at step 900, after the run's 20 steps: this run trains on lengths up to 1 only/);
  assert.match(io2.err(), /warning: The learning rate stays at 0\.001 for all 20 steps/);
  assert.doesNotMatch(io2.out(), /scaled to/);
  assert.deepEqual((await loadModel(kept)).metadata.training.trainedLengths, { min: 1, max: 1 }, 'the lengths reached, not the recipe\'s');
});

test('start continues a run begun with another --steps at the pace it started with', async () => {
  const dir = tmpDir('cli-scaling-start');
  const out = path.join(dir, 'parity.onnx');
  const io = memoryIO();
  assert.equal(await runCli(['start', '--steps', '40', '--examples', '8', '--lengths', '3', '--out', out, '--ep', 'cpu'], commands, io), 0, io.err());
  const first = await readTrainingCheckpoint(path.join(dir, 'parity.ckpt'));
  assert.equal(first.recipe.curriculum.interval, 1, '40 steps: one step per length');
  const io2 = memoryIO();
  assert.equal(await runCli(['start', '--steps', '100', '--examples', '8', '--lengths', '3', '--out', out, '--ep', 'cpu'], commands, io2), 0, io2.err());
  assert.match(io2.out(), /continuing the interrupted run .* from step 40/);
  const after = await readTrainingCheckpoint(path.join(dir, 'parity.ckpt'));
  assert.deepEqual([after.step, after.recipe.steps, after.recipe.curriculum.interval], [100, 100, 1], 'more steps at the same pace (a fresh 100-step plan would add a length every 2)');
});
