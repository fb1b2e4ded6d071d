// looplens export: a training checkpoint becomes a model file with the checkpoint's weights and a
// training record that says how far the run had got; bad files get a clear message and exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { exportPathFor } from '../../../src/core/train/exportCheckpoint';
import { loadModel, modelFileBytes } from '../../../src/core/model/modelFile';
import { stripChecksum } from '../../../src/core/model/modelIntegrity';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';

test('export: the checkpoint of a stopped run is saved as a model with its weights, evaluable at once', async () => {
  const dir = tmpDir();
  const trained = path.join(dir, 'parity.onnx');
  const ckpt = path.join(dir, 'parity.ckpt');
  const io = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--steps', '6', '--no-eval', '--out', trained, '--ep', 'cpu', '--threads', '1'], commands, io), 0, io.err());

  const ioExport = memoryIO();
  assert.equal(await runCli(['export', ckpt], commands, ioExport), 0, ioExport.err());
  const exported = path.join(dir, 'parity-step6.onnx');
  assert.match(ioExport.out(), /Parity, step 6 of 6 \(cpu preset\) → .*parity-step6\.onnx/);
  const a = await loadModel(exported);
  const b = await loadModel(trained);
  assert.deepEqual(Object.keys(a.params).sort(), Object.keys(b.params).sort());
  for (const k of Object.keys(b.params)) assert.deepEqual(a.params[k], b.params[k], `weights ${k} are the checkpoint's`);
  assert.equal(a.metadata.training?.stepsCompleted, 6);
  assert.deepEqual(a.metadata.training?.recipe, b.metadata.training?.recipe);
  assert.equal(a.metadata.training?.provider, 'unrecorded');

  // More steps later: a new export names the step it was taken at.
  const io2 = memoryIO();
  assert.equal(await runCli(['train', '--out', trained, '--resume', '--steps', '9', '--no-eval', '--ep', 'cpu', '--threads', '1'], commands, io2), 0, io2.err());
  const out2 = path.join(dir, 'later.onnx');
  const io3 = memoryIO();
  assert.equal(await runCli(['export', ckpt, '--out', out2], commands, io3), 0, io3.err());
  assert.equal((await loadModel(out2)).metadata.training?.stepsCompleted, 9);
  const io4 = memoryIO();
  assert.equal(await runCli(['eval', out2, '--lengths', '3', '--examples', '8', '--batch', '8', '--ep', 'cpu'], commands, io4), 0, io4.err());
  assert.match(io4.out(), /trained 9 steps/);
});

test('export: a missing file or a file that is not a checkpoint → a clear message, exit 1, nothing written', async () => {
  const dir = tmpDir();
  const io = memoryIO();
  assert.equal(await runCli(['export', path.join(dir, 'none.ckpt')], commands, io), 1);
  assert.match(io.err(), /none\.ckpt/);
  const junk = path.join(dir, 'junk.ckpt');
  fs.writeFileSync(junk, 'not a checkpoint at all');
  const io2 = memoryIO();
  assert.equal(await runCli(['export', junk], commands, io2), 1);
  assert.match(io2.err(), /junk\.ckpt/);
  assert.doesNotMatch(io2.err(), /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.deepEqual(fs.readdirSync(dir).sort(), ['junk.ckpt']);
  const io3 = memoryIO();
  assert.equal(await runCli(['export'], commands, io3), 2);
  assert.match(io3.err(), /CHECKPOINT/);
});

test('export path: the checkpoint path with the step', () => {
  assert.equal(exportPathFor('/r/copy-cpu.ckpt', 4000), '/r/copy-cpu-step4000.onnx');
  assert.equal(exportPathFor('/r/run', 5), '/r/run-step5.onnx');
});

test('export of a model file written before the checksum adds the checksum and the lengths its curriculum reached', async () => {
  const dir = tmpDir();
  const trained = path.join(dir, 'parity.onnx');
  const io = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--steps', '6', '--no-eval', '--out', trained, '--ep', 'cpu', '--threads', '1'], commands, io), 0, io.err());
  const m = await loadModel(trained);
  const recorded = m.metadata.training.trainedLengths;
  assert.ok(recorded, 'a fresh run records its trained lengths');
  // An older file: no trained lengths, no checksum.
  const { trainedLengths: _dropped, ...olderRecord } = m.metadata.training;
  const older = path.join(dir, 'older.onnx');
  fs.writeFileSync(older, stripChecksum(modelFileBytes({ task: m.task, config: m.config, params: m.params, training: olderRecord })));
  const out = path.join(dir, 'again.onnx');
  const ioExport = memoryIO();
  assert.equal(await runCli(['export', older, '--out', out], commands, ioExport), 0, ioExport.err());
  assert.match(ioExport.out(), /integrity checksum added/);
  assert.deepEqual((await loadModel(out)).metadata.training.trainedLengths, recorded);
});
