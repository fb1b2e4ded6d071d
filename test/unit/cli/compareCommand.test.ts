// `looplens compare`: models of one task on the same test inputs, side by side; models of other
// tasks, too few files or a file that is not a model are refused in words.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const shipped = path.join(__dirname, '../../../models');

test('compare sets models of one task side by side on the same inputs: a model against itself reads the same', async () => {
  const parity = path.join(shipped, 'parity.onnx');
  const io = memoryIO();
  assert.equal(await runCli(['compare', parity, parity, '--lengths', '8,40', '--examples', '64', '--ep', 'cpu', '--threads', '1'], commands, io), 0, io.err());
  assert.match(io.out(), /^Parity: 2 models on the same 64 examples per length \(seed 1234\)$/m);
  const rows = io.out().split('\n').filter((l) => /^\s*(8|40)\s/.test(l));
  assert.equal(rows.length, 2, io.out());
  for (const row of rows) {
    const cells = row.trim().split(/\s{2,}/).slice(1);
    assert.equal(cells.length, 2);
    assert.match(cells[0]!, /^\d+\.\d% \/ \d+\.\d%$/);
    assert.equal(cells[0], cells[1], 'the same model on the same inputs');
  }
  const json = memoryIO();
  assert.equal(await runCli(['compare', parity, parity, '--lengths', '8', '--examples', '16', '--json', '--ep', 'cpu', '--threads', '1'], commands, json), 0, json.err());
  const parsed = JSON.parse(json.out()) as { seed: number; models: { model: string; summary: { rows: { length: number }[] } }[] };
  assert.deepEqual([parsed.seed, parsed.models.length, parsed.models[1]!.summary.rows[0]!.length], [1234, 2, 8]);
});

test('compare refuses one model, models of two tasks and a file that is not a model, in words', async () => {
  const one = memoryIO();
  assert.equal(await runCli(['compare', path.join(shipped, 'parity.onnx')], commands, one), 2);
  assert.match(one.err(), /compare takes 2 to 32 model files, got 1/);
  const two = memoryIO();
  assert.equal(await runCli(['compare', path.join(shipped, 'parity.onnx'), path.join(shipped, 'copy.onnx'), '--examples', '8'], commands, two), 2);
  assert.match(two.err(), /copy\.onnx is a copy model and .*parity\.onnx a parity one: compare models of one task/);
  const bad = path.join(tmpDir('compare-bad'), 'notes.onnx');
  fs.writeFileSync(bad, 'not a model');
  const broken = memoryIO();
  assert.notEqual(await runCli(['compare', path.join(shipped, 'parity.onnx'), bad], commands, broken), 0);
  assert.match(broken.err(), /notes\.onnx is not a readable ONNX model/);
});
