// Test helper: an in-memory CliIO.
import type { CliIO } from '../../../src/cli/framework/command';

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
