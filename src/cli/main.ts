// The `looplens` command line: `looplens <command> [options]`. Commands live in ./commands.
import { commands, defaultCommandName } from './commands';
import { runCli } from './framework/run';

// Output piped into a reader that stops early (`looplens eval … | head`) ends the command quietly.
process.stdout.on('error', (err: NodeJS.ErrnoException) => {
  if (err.code === 'EPIPE') process.exit(0);
  throw err;
});

runCli(process.argv.slice(2), commands, { stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }, defaultCommandName).then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    // runCli catches command errors; this only guards against bugs in the framework itself.
    process.stderr.write(`looplens: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 1;
  },
);
