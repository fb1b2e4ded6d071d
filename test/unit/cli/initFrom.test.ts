// `looplens train --init-from MODEL` end to end through runCli: a new run starts from the model's
// weights with the model's task and shape, records where it started (the model file, info), resumes
// like any run, and what cannot start there (another task or shape, a resume, a missing or broken
// file) is a usage error that names why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, weightsCrc32 } from '../../../src/core/model/modelFile';
import { cli, memoryIO, QUICK_TRAIN } from './helpers';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { tmpDir } from '../../support/tmpDir';

const QUICK_RUN = ['--preset', 'tiny', '--steps', '3', '--interval', '1', '--no-eval', '--ep', 'cpu', '--threads', '1'];

/** A tiny parity model to start from. */
async function baseModel(dir: string): Promise<string> {
  const file = path.join(dir, 'base.onnx');
  const r = await cli(['train', ...QUICK_TRAIN, '--out', file]);
  assert.equal(r.code, 0, r.err);
  return file;
}

test('train --init-from: the task and shape are the model\'s; the new file and info record the weights it started from; resume keeps them', async () => {
  const dir = tmpDir();
  const base = await baseModel(dir);
  const source = await loadModel(base);
  const out = path.join(dir, 'tuned.onnx');
  const t = await cli(['train', '--init-from', base, ...QUICK_RUN, '--out', out]);
  assert.equal(t.code, 0, t.err);
  const crc = weightsCrc32(source.config, source.params);
  const crcHex = crc.toString(16).padStart(8, '0');
  assert.match(t.out, /^training parity \(tiny preset\)/m);
  const baseTime = { secondsBefore: source.metadata.training.elapsedSeconds, cpuSecondsBefore: source.metadata.training.cpuSeconds! };
  assert.match(t.out, new RegExp(`^starting from the weights of ${base.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')} \\(4 steps trained, ${(baseTime.secondsBefore / 60).toFixed(1)} min of wall time from scratch\\), CRC-32 ${crcHex}$`, 'm'));
  const tuned = await loadModel(out);
  assert.deepEqual(tuned.config, source.config);
  assert.deepEqual(tuned.metadata.training.recipe.initFrom, { model: base, weightsCrc32: crc, stepsBefore: 4, ...baseTime });
  assert.notEqual(weightsCrc32(tuned.config, tuned.params), crc, 'three steps at the preset lr move the weights');
  const info = await cli(['info', out]);
  assert.match(info.out, new RegExp(`^ {2}started from: the weights of .*base\\.onnx \\(4 steps trained, \\d+\\.\\d min of wall time from scratch\\), CRC-32 ${crcHex} \\(fine-tuned, not trained from scratch\\)$`, 'm'));
  // the fine-tune's cost from scratch: its own time and its starting model's
  const own = tuned.metadata.training;
  const minutes = (s: number) => `${(s / 60).toFixed(1)} min`;
  const whole = `${minutes(own.elapsedSeconds + baseTime.secondsBefore)} of wall time, ${minutes(own.cpuSeconds! + baseTime.cpuSecondsBefore)} of CPU time`;
  assert.ok(info.out.includes(`\n  from scratch: ${whole} (its starting model's training and this fine-tune's)\n`), info.out);
  assert.doesNotMatch((await cli(['info', base])).out, /started from|from scratch/);

  const resumed = await cli(['train', '--out', out, '--resume', '--steps', '5', '--ep', 'cpu', '--threads', '1', '--no-eval']);
  assert.equal(resumed.code, 0, resumed.err);
  const after = await loadModel(out);
  assert.equal(after.metadata.training.stepsCompleted, 5);
  assert.deepEqual(after.metadata.training.recipe.initFrom, { model: base, weightsCrc32: crc, stepsBefore: 4, ...baseTime });
});

test('train --init-from refuses another task or shape, a resume, a missing file and a file that is not a model', async () => {
  const dir = tmpDir();
  const base = await baseModel(dir);
  const refused = async (args: string[], re: RegExp) => {
    const r = await cli(['train', ...args, ...QUICK_RUN, '--out', path.join(dir, 'x.onnx')]);
    assert.equal(r.code, 2, `${args.join(' ')}: ${r.err}`);
    assert.match(r.err, re);
    assert.match(r.err, /usage: looplens train/);
  };
  await refused(['--init-from', base, '--heads', '8'], /--init-from .*base\.onnx: this run cannot start from that model's weights: heads: the recipe has 8, the model 4/);
  await refused(['--init-from', base, '--task', 'copy'], /this run cannot start from that model's weights: task: the recipe trains copy, the model does parity/);
  await refused(['--init-from', base, '--fixed-steps', '6'], /loop steps: the recipe reads every example at step 6, the model each example at its T\(n\)/);
  await refused(['--init-from', base, '--resume'], /give either --init-from \(a new run from a model's weights\) or --resume \(continue a checkpoint\), not both/);
  await refused(['--init-from', path.join(dir, 'none.onnx')], /--init-from: no model file at .*none\.onnx/);
  const junk = path.join(dir, 'junk.onnx');
  fs.writeFileSync(junk, 'not a model');
  await refused(['--init-from', junk], /^looplens: train: --init-from: .*junk\.onnx/m);
  assert.equal(fs.existsSync(path.join(dir, 'x.onnx')), false, 'nothing was written');
});

test('Ctrl-C stops a fine-tuning run after a checkpoint, and the resume command it prints needs no task', async () => {
  const dir = tmpDir();
  const base = await baseModel(dir);
  const out = path.join(dir, 'stop.onnx');
  const io = memoryIO();
  const listening = process.listenerCount('SIGINT');
  const run = runCli(['train', '--init-from', base, '--steps', '100000', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1'], commands, io);
  while (process.listenerCount('SIGINT') === listening) await new Promise((resolve) => setTimeout(resolve, 20));
  process.emit('SIGINT', 'SIGINT');
  assert.equal(await run, 130, io.err());
  assert.match(io.out(), /^continue with: looplens train --out \S*stop\.onnx --resume$/m);
  const stoppedAt = Number(/stopped at step (\d+)\//.exec(io.out())![1]);
  const resumed = await cli(['train', '--out', out, '--resume', '--steps', String(stoppedAt + 1), '--no-eval', '--ep', 'cpu', '--threads', '1']);
  assert.equal(resumed.code, 0, resumed.err);
  const recipe = (await loadModel(out)).metadata.training.recipe as { initFrom?: { model: string } };
  assert.equal(recipe.initFrom?.model, base);
});
