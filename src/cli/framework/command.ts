// What a subcommand declares: its options, positionals and a run function. One file per
// subcommand in src/cli/commands/, listed in src/cli/commands/index.ts.
import type { Args } from './args';
import type { ProgressReporter, ProgressOptions } from './progress';

export interface OptionSpec {
  type: 'string' | 'boolean';
  short?: string;
  description: string;
  /** Placeholder shown in help, e.g. 'N' → `--steps N`. */
  valueName?: string;
  /** Shown in help; Args accessors take their own defaults. */
  defaultText?: string;
}

export interface PositionalSpec {
  name: string;
  description: string;
  required?: boolean;
  /** The last positional only: it takes every argument left (shown as NAME...). */
  variadic?: boolean;
}

export interface CliIO {
  stdout: OutputStream;
  stderr: OutputStream;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface OutputStream {
  write(text: string): unknown;
  isTTY?: boolean;
  columns?: number;
}

export interface CliContext extends CliIO {
  /** Prints a line to stdout. */
  print(line?: string): void;
  /** Prints a line to stderr (warnings, notes). */
  warn(line: string): void;
  /** A progress bar on stderr: redrawn in a terminal, periodic plain lines otherwise. */
  progress(options: Omit<ProgressOptions, 'stream'>): ProgressReporter;
}

export interface CommandSpec {
  name: string;
  /** One line for the command list. */
  summary: string;
  /** Usage line(s) without the leading 'usage: ', e.g. `looplens eval MODEL [options]`. */
  usage: string;
  positionals?: PositionalSpec[];
  options: Record<string, OptionSpec>;
  examples?: string[];
  /** Returns the exit code (default 0). Throw UsageError for bad arguments. */
  run(args: Args, ctx: CliContext): Promise<number | void> | number | void;
}

export function defineCommand(spec: CommandSpec): CommandSpec {
  return spec;
}

/** Full help text of one command. */
export function commandHelp(cmd: CommandSpec): string {
  const lines = [`usage: ${cmd.usage}`, '', cmd.summary];
  if (cmd.positionals?.length) {
    lines.push('', 'arguments:');
    for (const p of cmd.positionals) lines.push(`  ${`${p.name}${p.variadic ? '...' : ''}`.padEnd(22)} ${p.description}${p.required ? '' : ' (optional)'}`);
  }
  const opts = Object.entries(cmd.options);
  lines.push('', 'options:');
  for (const [name, o] of opts) {
    const flag = `${o.short ? `-${o.short}, ` : ''}--${name}${o.type === 'string' ? ` ${o.valueName ?? 'VALUE'}` : ''}`;
    lines.push(`  ${flag.padEnd(22)} ${o.description}${o.defaultText ? ` (default: ${o.defaultText})` : ''}`);
  }
  lines.push(`  ${'-h, --help'.padEnd(22)} show this help`);
  if (cmd.examples?.length) lines.push('', 'examples:', ...cmd.examples.map((e) => `  ${e}`));
  return lines.join('\n');
}
