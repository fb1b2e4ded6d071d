// Test helpers: an in-memory CliIO, running the CLI on it, and the train options' shared checks.
import assert from 'node:assert/strict';
import * as path from 'node:path';
import type { CliIO } from '../../../src/cli/framework/command';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { loadModel } from '../../../src/core/model/modelFile';

export function memoryIO(opts: { tty?: boolean; env?: NodeJS.ProcessEnv } = {}): CliIO & { out: () => string; err: () => string } {
  let out = '';
  let err = '';
  return {
    stdout: { write: (s: string) => (out += s), isTTY: opts.tty ?? false },
    stderr: { write: (s: string) => (err += s), isTTY: opts.tty ?? false, columns: 100 },
    env: opts.env ?? {},
    cwd: '/tmp',
    out: () => out,
    err: () => err,
  };
}

/** Runs the CLI in memory: exit code, stdout, stderr. */
export async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  const io = memoryIO();
  const code = await runCli(argv, commands, io);
  return { code, out: io.out(), err: io.err() };
}

/** A train run of a few steps on the tiny parity recipe, no evaluation: options to add to. */
export const QUICK_TRAIN = ['--task', 'parity', '--preset', 'tiny', '--steps', '4', '--no-eval', '--ep', 'cpu', '--threads', '1'];

/** `looplens train --task parity --<option> value` is a usage error (exit 2) whose message matches, for each case. */
export async function assertTrainOptionRefuses(option: string, cases: readonly (readonly [string, RegExp])[]): Promise<void> {
  for (const [value, re] of cases) {
    const r = await cli(['train', '--task', 'parity', `--${option}`, value]);
    assert.equal(r.code, 2, `--${option} ${value}`);
    assert.match(r.err, re);
    assert.match(r.err, /usage: looplens train/);
  }
}

/**
 * The checkpoint beside `out`, trained with `--<option>` giving recipe[key] = kept: a resume that
 * would change it to `changed` is refused in words, and a resume without the option keeps it.
 */
export async function assertResumeKeepsOption(train: readonly string[], out: string, option: string, changed: string, key: string, kept: number): Promise<void> {
  const ckpt = path.basename(out).replace(/\.onnx$/, '\\.ckpt');
  const other = await cli(['train', ...train, '--steps', '5', '--resume', `--${option}`, changed, '--out', out]);
  assert.equal(other.code, 1, `--${option} ${changed}`);
  assert.match(other.err, new RegExp(`cannot resume .*${ckpt}: it was trained with a different ${key} \\(${String(kept).replace('.', '\\.')} vs .*\\)\\. Only --steps may change when resuming`));
  const same = await cli(['train', ...train, '--steps', '5', '--resume', '--out', out]);
  assert.equal(same.code, 0, same.err);
  assert.equal((await loadModel(out)).metadata.training.recipe[key], kept);
}
