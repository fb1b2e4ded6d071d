// Runs `looplens` (dist/cli.js) for probe:recipes with its output written to a log as it comes, so
// a run that is killed still leaves the log that tells the next run how far it got.
import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import * as path from 'node:path';

export const CLI = path.join(__dirname, '..', '..', 'dist', 'cli.js');

/** Runs the CLI, its output teed to `log` (appended to with `append`); resolves with the output and the exit code. */
export function cli(args: readonly string[], log: string, append = false): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const file = createWriteStream(log, { flags: append ? 'a' : 'w' });
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const take = (s: string) => {
      out += s;
      file.write(s);
    };
    // decoded per stream, so a character split across chunks stays whole
    child.stdout.setEncoding('utf8').on('data', take);
    child.stderr.setEncoding('utf8').on('data', take);
    child.on('close', (code) => file.end(() => resolve({ code: code ?? 1, out })));
  });
}
