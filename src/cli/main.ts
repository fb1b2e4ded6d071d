// The `looplens` command line: `looplens <command> [options]`. Commands live in ./commands.
import { commands, defaultCommandName } from './commands';
import { runCli } from './framework/run';

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
