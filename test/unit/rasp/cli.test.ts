// `looplens raspl run|check FILE`: prints the trace table, reports errors with file:line:col and
// a caret, and exits non-zero on errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { memoryIO } from '../cli/helpers';
import { TASKS_DIR } from './helpers';

async function cli(...argv: string[]) {
  const io = memoryIO();
  const code = await runCli(argv, commands, io);
  return { code, out: io.out(), err: io.err() };
}

const dir = mkdtempSync(join(tmpdir(), 'raspl-cli-'));
const plain = join(dir, 'plain.raspl');
writeFileSync(plain, 's = full(0)\nstep:\n    s = s + tokens\n');
const broken = join(dir, 'broken.raspl');
writeFileSync(broken, 'x = tokens\ny = shift_right(x,\nz = 1\n');

test('run a task file on typed input: header, trace table, built-in check', async () => {
  const r = await cli('raspl', 'run', join(TASKS_DIR, 'parity.raspl'), '--input', '01111=');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^parity: lengths n=5 · T = 5 · answer from position 5/);
  assert.match(r.out, /── step 5 of 5/);
  assert.match(r.out, /\n {2}s +0 +0 +1 +0 +1 +0 +0\n/);
  assert.match(r.out, /built-in parity generator expects 0 \.: the program agrees/);
});

test('run a task file on a random row with given lengths', async () => {
  const r = await cli('raspl', 'run', join(TASKS_DIR, 'multiplication.raspl'), '--lengths', '2,3', '--seed', '4', '--selectors', 'none');
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /lengths n_a=2, n_b=3 · T = 6/);
  assert.doesNotMatch(r.out, /selector/);
  assert.match(r.out, /the program agrees/);
});

test('run a plain program with --steps; --json gives the records', async () => {
  const r = await cli('raspl', 'run', plain, '--input', '1 2 3', '--steps', '2', '--json');
  assert.equal(r.code, 0, r.err);
  const trace = JSON.parse(r.out);
  assert.equal(trace.steps, 2);
  assert.deepEqual(trace.records.at(-1).variables[0], { name: 's', line: 1, values: [2, 4, 6] });
});

test('syntax errors: file:line:col, the line and a caret; exit 1', async () => {
  const r = await cli('raspl', 'run', broken, '--input', '1 2');
  assert.equal(r.code, 1);
  assert.match(r.err, /broken\.raspl:2:16: syntax error: "\(" opened at line 2, column 16 is never closed\n {4}y = shift_right\(x,\n {19}\^/);
  const c = await cli('raspl', 'check', broken);
  assert.equal(c.code, 1);
  assert.match(c.err, /1 error in/);
});

test('bad input and bad usage are reported clearly', async () => {
  const wrong = await cli('raspl', 'run', join(TASKS_DIR, 'addition.raspl'), '--input', '11+0=');
  assert.equal(wrong.code, 2);
  assert.match(wrong.err, /--input: the row does not match @input: n is 2 in one place and 1 in another/);
  const junk = await cli('raspl', 'run', plain, '--input', '1 x 2');
  assert.equal(junk.code, 2);
  assert.match(junk.err, /--input: "x" is not a token id/);
  const moreSteps = await cli('raspl', 'run', plain, '--input', '1 2', '--steps', '3');
  assert.equal(moreSteps.code, 0, moreSteps.err);
  const noInput = await cli('raspl', 'run', plain);
  assert.equal(noInput.code, 2);
  assert.match(noInput.err, /--input is required for a plain program/);
  const badAction = await cli('raspl', 'go', plain);
  assert.equal(badAction.code, 2);
  assert.match(badAction.err, /unknown action "go"/);
  const missing = await cli('raspl', 'run', join(dir, 'nope.raspl'), '--input', '1');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /cannot read .*nope\.raspl: no such file/);
});

test('check passes every shipped task file', async () => {
  for (const name of ['parity', 'copy', 'addition', 'binary_sum', 'multiplication', 'unique_set']) {
    const r = await cli('raspl', 'check', join(TASKS_DIR, `${name}.raspl`));
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, new RegExp(`no errors \\(task "${name}"`));
  }
});
