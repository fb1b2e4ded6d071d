// Dispatches `looplens <command> [args]`: help, usage errors (exit 2, usage shown) and failures
// (exit 1, message only; LOOPLENS_DEBUG=1 adds the stack) — never a raw stack trace.
import type { CliContext, CliIO, CommandSpec } from './command';
import { commandHelp } from './command';
import { parseCommandArgs } from './args';
import { UsageError } from './errors';
import { createProgress } from './progress';

export const PROGRAM = 'looplens';

export function programHelp(commands: readonly CommandSpec[]): string {
  const width = Math.max(...commands.map((c) => c.name.length)) + 2;
  return [
    `usage: ${PROGRAM} <command> [options]`,
    '',
    'commands:',
    ...commands.map((c) => `  ${c.name.padEnd(width)} ${c.summary}`),
    '',
    `Run '${PROGRAM} <command> --help' for a command's options.`,
  ].join('\n');
}

function makeContext(io: CliIO): CliContext {
  return {
    ...io,
    print: (line = '') => io.stdout.write(`${line}\n`),
    warn: (line) => io.stderr.write(`${line}\n`),
    progress: (options) => createProgress({ ...options, stream: io.stderr }),
  };
}

/** Runs the CLI and returns the exit code. `defaultCommand` runs when argv is empty. */
export async function runCli(argv: readonly string[], commands: readonly CommandSpec[], io: CliIO, defaultCommand?: string): Promise<number> {
  const ctx = makeContext(io);
  const [first, ...rest] = argv;
  const name = first ?? defaultCommand;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? rest[0] : undefined;
    const cmd = topic === undefined ? undefined : commands.find((c) => c.name === topic);
    if (topic !== undefined && !cmd) return usageFailure(ctx, `unknown command "${topic}"`, programHelp(commands));
    ctx.print(cmd ? commandHelp(cmd) : programHelp(commands));
    return 0;
  }
  const cmd = commands.find((c) => c.name === name);
  if (!cmd) {
    const hint = name.startsWith('-') ? `expected a command before "${name}"` : `unknown command "${name}"`;
    return usageFailure(ctx, hint, programHelp(commands));
  }
  try {
    const args = parseCommandArgs(cmd, first === undefined ? [] : rest);
    if (args.flag('help')) {
      ctx.print(commandHelp(cmd));
      return 0;
    }
    const code = await cmd.run(args, ctx);
    return typeof code === 'number' ? code : 0;
  } catch (err) {
    if (err instanceof UsageError) return usageFailure(ctx, `${cmd.name}: ${err.message}`, `usage: ${cmd.usage}\nRun '${PROGRAM} ${cmd.name} --help' for all options.`);
    const message = err instanceof Error ? err.message : String(err);
    ctx.warn(`${PROGRAM} ${cmd.name}: ${message}`);
    if (io.env.LOOPLENS_DEBUG && err instanceof Error && err.stack) ctx.warn(err.stack);
    return 1;
  }
}

function usageFailure(ctx: CliContext, message: string, usage: string): number {
  ctx.warn(`${PROGRAM}: ${message}\n\n${usage}`);
  return 2;
}
