// `looplens train --task-file FILE.raspl`: a custom RASP-L task trains, the model file carries the
// program, eval and trace read it back without the .raspl file; a broken program is a usage error.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { loadModel } from '../../../src/core/model/modelFile';
import { memoryIO } from './helpers';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looplens-cli-raspl-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));
const paritySource = fs.readFileSync(path.join(__dirname, '../../../models/tasks/parity.raspl'), 'utf8');

test('train --task-file trains the custom task; eval and trace work after the .raspl file is gone', async () => {
  const file = path.join(dir, 'mine.raspl');
  fs.writeFileSync(file, paritySource);
  const out = path.join(dir, 'mine.onnx');
  const io = memoryIO();
  const code = await runCli(['train', '--task-file', file, '--steps', '12', '--batch', '8', '--examples', '8', '--lengths', '3,5', '--out', out, '--ep', 'cpu', '--threads', '1'], commands, io);
  assert.equal(code, 0, io.err());
  assert.match(io.out(), /training parity-raspl \(cpu preset\): d=64, 1 layer\(s\), 4 heads/);
  assert.match(io.out(), /^\s+5\s+5\s+\d+\.\d%/m);
  fs.rmSync(file);

  const model = await loadModel(out);
  assert.equal(model.metadata.taskFile?.file, 'mine.raspl');
  assert.equal(model.metadata.taskFile?.source, paritySource);

  const ioEval = memoryIO();
  assert.equal(await runCli(['eval', out, '--lengths', '4', '--examples', '8', '--ep', 'cpu'], commands, ioEval), 0, ioEval.err());
  assert.match(ioEval.out(), /^\s+4\s+4\s+\d+\.\d%/m);
  const ioTrace = memoryIO();
  assert.equal(await runCli(['trace', out, '--input', '1011', '--ep', 'cpu'], commands, ioTrace), 0, ioTrace.err());
  assert.match(ioTrace.out(), /1011=/);

  // The checkpoint carries the program too: --resume needs only --out, with the .raspl file gone.
  const ioResume = memoryIO();
  assert.equal(await runCli(['train', '--out', out, '--resume', '--steps', '14', '--no-eval', '--ep', 'cpu', '--threads', '1'], commands, ioResume), 0, ioResume.err());
  assert.match(ioResume.err(), /resuming from .*mine\.ckpt at step 12/);
  assert.match(ioResume.out(), /trained 14 steps/);
  assert.equal((await loadModel(out)).metadata.taskFile?.source, paritySource);
  const ioLost = memoryIO();
  assert.equal(await runCli(['train', '--resume'], commands, ioLost), 2);
  assert.match(ioLost.err(), /--resume without --task or --task-file needs --out MODEL or --checkpoint FILE/);
});

test('train --task-file with a broken program: exit 2 with file:line:column, no stack trace', async () => {
  const bad = path.join(dir, 'bad.raspl');
  fs.writeFileSync(bad, paritySource.replace('@steps n', '@steps m'));
  const io = memoryIO();
  assert.equal(await runCli(['train', '--task-file', bad, '--steps', '3'], commands, io), 2);
  assert.match(io.err(), /bad\.raspl:14:8: .*"m" is not a length variable/);
  assert.doesNotMatch(io.err(), /\n\s+at .+:\d+:\d+/);
  const both = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--task-file', bad], commands, both), 2);
  assert.match(both.err(), /either --task or --task-file/);
});
