// Issue 17, the command line: every bad input found by the probe ends in the project's own message
// (exit 2 for a usage error, 1 for a bad file or a request over a limit), never Node's or ONNX
// Runtime's text, a stack trace, a hang or a blow-up; what is legal but surely a mistake warns.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { stripChecksum } from '../../../src/core/model/modelIntegrity';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';
import { HANG_GUARD } from '../../support/hangGuard';

const PARITY = path.join(__dirname, '../../../models/parity.onnx');
/** Internal texts that must never reach a user. */
const INTERNAL = new RegExp(`TypeError|ReferenceError|RangeError|Cannot read propert|Cannot destructure|is not a function|argument is ambiguous|Invalid array length|traceFromBatch|${String.fromCharCode(27)}\\[|\\n\\s+at .+:\\d+:\\d+`);

async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await runCli(argv, commands, io);
  const r = { code, out: io.out(), err: io.err() };
  assert.doesNotMatch(r.err + r.out, INTERNAL, `${argv.join(' ')}: ${r.err}`);
  return r;
}

async function expectFailure(argv: string[], code: number, re: RegExp): Promise<void> {
  const r = await cli(argv);
  assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`);
  assert.match(r.err, re, argv.join(' '));
}

test('negative numbers get the option\'s own range message, not node\'s "argument is ambiguous"', async () => {
  await expectFailure(['train', '--task', 'parity', '--steps', '-5'], 2, /train: --steps must be >= 1, got -5/);
  await expectFailure(['train', '--task', 'parity', '--lr', '-0.1'], 2, /--lr must be > 0, got -0\.1/);
  await expectFailure(['eval', PARITY, '--lengths', '-10'], 2, /eval: --lengths must be >= 1, got -10/);
  await expectFailure(['eval', PARITY, '--examples', '-1'], 2, /--examples must be >= 1, got -1/);
  await expectFailure(['trace', PARITY, '--input', '1011', '--steps', '-3'], 2, /--steps must be >= 1, got -3/);
});

test('inputs with separators are refused with a clear message instead of being joined', async () => {
  await expectFailure(['trace', PARITY, '--input', '1 0 1', '--ep', 'cpu'], 2, /--input: parity input is written without separators, e\.g\. 1011; found a space between "1" and "0" in "1 0 1"/);
  await expectFailure(['trace', PARITY, '--input', '1,0,1', '--ep', 'cpu'], 2, /found a comma between "1" and "0"/);
});

test('a warm-up longer than the run is warned about', async () => {
  const out = path.join(tmpDir(), 'w.onnx');
  const r = await cli(['train', '--task', 'parity', '--steps', '1', '--warmup', '1000000', '--d', '8', '--heads', '2', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.err, /warning: the learning-rate warm-up \(1000000 steps\) is longer than the run \(1 steps\): the rate never reaches its peak 0\.001 and ends at 1\.0e-9/);
});

test('training shapes beyond the parameter limit or this machine\'s memory are refused before anything is allocated', HANG_GUARD, async () => {
  await expectFailure(['train', '--task', 'parity', '--d', '4096', '--heads', '1024', '--layers', '64', '--batch', '4096'], 2, /12\.9 billion parameters \(48 GiB of weights\), more than the 33\.6 million LoopLens allows/);
  await expectFailure(['train', '--task', 'parity', '--batch', '4096', '--max-length', '500', '--width', 'fixed'], 2, /training this model would need about .*, more than 75% of this machine's .*; use a smaller batch/);
});

test('special paths and model files without the checksum get clean messages', async () => {
  const dir = tmpDir();
  const fifo = path.join(dir, 'pipe.onnx');
  execFileSync('mkfifo', [fifo]);
  await expectFailure(['eval', fifo], 1, /pipe\.onnx is a named pipe \(FIFO\), not a model file/);
  await expectFailure(['trace', '/dev/zero', '--input', '1'], 1, /\/dev\/zero is a character device, not a model file/);
  await expectFailure(['eval', dir], 1, /is a folder, not a model file/);
  await expectFailure(['train', '--task-file', fifo], 2, /--task-file: cannot read .*is a named pipe/);
  await expectFailure(['raspl', 'check', '/dev/zero'], 1, /cannot read \/dev\/zero: \/dev\/zero is a character device/);
  await expectFailure(['train', '--task', 'parity', '--resume', '--checkpoint', '/dev/zero'], 1, /\/dev\/zero is a character device, not a checkpoint/);
  const legacy = path.join(dir, 'old.onnx');
  fs.writeFileSync(legacy, stripChecksum(fs.readFileSync(PARITY)));
  await expectFailure(['eval', legacy], 1, /old\.onnx has no integrity checksum .*Re-export it with `looplens export .*old\.onnx --out NEW\.onnx`/);
  // …and the command it names works.
  const fixed = path.join(dir, 'new.onnx');
  const r = await cli(['export', legacy, '--out', fixed]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /weights checked, integrity checksum added → .*new\.onnx/);
  assert.deepEqual(fs.readFileSync(fixed), fs.readFileSync(PARITY));
});

test('huge trace inputs and evaluations are refused with the estimate and the limit', HANG_GUARD, async () => {
  await expectFailure(['trace', PARITY, '--input', '1'.repeat(500), '--ep', 'cpu'], 1, /tracing 502 positions for 520 loop steps .* would need about 2\.0 GiB, more than the 256 MiB LoopLens allows/);
  await expectFailure(['trace', PARITY, '--input', '1'.repeat(2000), '--ep', 'cpu'], 1, /would need about 1\d\d GiB/);
  await expectFailure(['trace', PARITY, '--input', '1'.repeat(30_000), '--ep', 'cpu'], 2, /the input has 30000 characters; LoopLens traces inputs of at most 20000/);
  await expectFailure(['eval', PARITY, '--lengths', '40', '--examples', '10000000', '--ep', 'cpu'], 1, /evaluating length 40 .* would need about .*, more than the 1\.0 GiB LoopLens allows; use a smaller batch, fewer examples/);
  await expectFailure(['eval', PARITY, '--lengths', '501'], 2, /--lengths must be <= 500, got 501/);
});
