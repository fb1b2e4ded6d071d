// Parsed command-line arguments with typed, validating accessors. Every accessor throws a
// UsageError that names the option and says what was expected.
import { parseArgs } from 'node:util';
import type { CommandSpec } from './command';
import { UsageError } from './errors';
import { parseDecimal } from '../../core/util/decimalText';

type RawValue = string | boolean | undefined;

export class Args {
  constructor(
    readonly command: string,
    private readonly values: Record<string, RawValue>,
    readonly positionals: readonly string[],
  ) {}

  has(name: string): boolean {
    return this.values[name] !== undefined;
  }

  flag(name: string): boolean {
    return this.values[name] === true;
  }

  string(name: string): string | undefined;
  string(name: string, fallback: string): string;
  string(name: string, fallback?: string): string | undefined {
    const v = this.values[name];
    if (v === undefined) return fallback;
    if (typeof v !== 'string') throw new UsageError(`--${name} needs a value`);
    if (v.trim() === '') throw new UsageError(`--${name} needs a non-empty value`);
    return v;
  }

  requiredString(name: string): string {
    const v = this.string(name);
    if (v === undefined) throw new UsageError(`--${name} is required`);
    return v;
  }

  int(name: string, opts: { min?: number; max?: number } = {}): number | undefined {
    const raw = this.string(name);
    return raw === undefined ? undefined : parseIntValue(`--${name}`, raw, opts);
  }

  intOr(name: string, fallback: number, opts: { min?: number; max?: number } = {}): number {
    return this.int(name, opts) ?? fallback;
  }

  float(name: string, opts: { min?: number; max?: number; exclusiveMin?: boolean; exclusiveMax?: boolean } = {}): number | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const v = parseDecimal(raw);
    if (v === null) throw new UsageError(`--${name} must be a number, got "${raw}"`);
    if (opts.min !== undefined && (opts.exclusiveMin ? v <= opts.min : v < opts.min)) throw new UsageError(`--${name} must be ${opts.exclusiveMin ? '>' : '>='} ${opts.min}, got ${raw}`);
    if (opts.max !== undefined && (opts.exclusiveMax ? v >= opts.max : v > opts.max)) throw new UsageError(`--${name} must be ${opts.exclusiveMax ? '<' : '<='} ${opts.max}, got ${raw}`);
    return v;
  }

  /** Comma-separated integers, e.g. `--lengths 10,20,30`. */
  intList(name: string, opts: { min?: number; max?: number } = {}): number[] | undefined {
    const raw = this.string(name);
    if (raw === undefined) return undefined;
    const parts = raw.split(',').map((s) => s.trim());
    if (parts.some((p) => p === '')) throw new UsageError(`--${name} must be comma-separated integers like 10,20,30; got "${raw}"`);
    return parts.map((p) => parseIntValue(`--${name}`, p, opts));
  }

  choice<T extends string>(name: string, choices: readonly T[]): T | undefined {
    const v = this.string(name);
    if (v === undefined) return undefined;
    if (!(choices as readonly string[]).includes(v)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}; got "${v}"`);
    return v as T;
  }

  positional(index: number): string | undefined {
    return this.positionals[index];
  }

  /** Every positional from `index` on (a variadic last positional's values). */
  positionalsFrom(index: number): string[] {
    return this.positionals.slice(index);
  }

  requiredPositional(index: number, name: string): string {
    const v = this.positionals[index];
    if (v === undefined) throw new UsageError(`missing ${name}`);
    return v;
  }
}

export function parseIntValue(what: string, raw: string, opts: { min?: number; max?: number } = {}): number {
  if (!/^[-+]?\d+$/.test(raw.trim())) throw new UsageError(`${what} must be an integer, got "${raw}"`);
  const v = Number(raw);
  if (!Number.isSafeInteger(v)) throw new UsageError(`${what} is too large: ${raw}`);
  if (opts.min !== undefined && v < opts.min) throw new UsageError(`${what} must be >= ${opts.min}, got ${raw}`);
  if (opts.max !== undefined && v > opts.max) throw new UsageError(`${what} must be <= ${opts.max}, got ${raw}`);
  return v;
}

/** Parses argv (after the subcommand name) against the command's declared options. */
export function parseCommandArgs(cmd: CommandSpec, argv: string[]): Args {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string }> = { help: { type: 'boolean', short: 'h' } };
  for (const [name, o] of Object.entries(cmd.options)) options[name] = o.short ? { type: o.type, short: o.short } : { type: o.type };
  let parsed: { values: Record<string, RawValue | RawValue[]>; positionals: string[] };
  try {
    parsed = parseArgs({ args: joinNegativeValues(argv, options), options, allowPositionals: true, strict: true }) as typeof parsed;
  } catch (err) {
    throw new UsageError(cleanParseArgsMessage((err as Error).message));
  }
  const values: Record<string, RawValue> = {};
  for (const [k, v] of Object.entries(parsed.values)) values[k] = Array.isArray(v) ? v[v.length - 1] : v;
  const max = cmd.positionals?.at(-1)?.variadic ? Infinity : (cmd.positionals?.length ?? 0);
  if (!values.help) {
    if (parsed.positionals.length > max) {
      const extra = parsed.positionals.slice(max).map((p) => `"${p}"`).join(' ');
      throw new UsageError(max === 0 ? `${cmd.name} takes no arguments; unexpected ${extra}` : `too many arguments: unexpected ${extra}`);
    }
    cmd.positionals?.forEach((p, i) => {
      if (p.required && parsed.positionals[i] === undefined) throw new UsageError(`missing ${p.name}`);
    });
  }
  return new Args(cmd.name, values, parsed.positionals);
}

/**
 * `--steps -5` → `--steps=-5`: node's parseArgs reads a value starting with '-' as an option and
 * fails with its own "argument is ambiguous" text. A negative number after an option that takes a
 * value is that option's value; the accessors then say what range is allowed.
 */
function joinNegativeValues(argv: readonly string[], options: Record<string, { type: 'string' | 'boolean'; short?: string }>): string[] {
  /** The long name of a value-taking option `arg` names, else null. */
  const takesValue = (arg: string): string | null => {
    if (arg.startsWith('--')) return !arg.includes('=') && options[arg.slice(2)]?.type === 'string' ? arg.slice(2) : null;
    if (/^-[A-Za-z]$/.test(arg)) return Object.entries(options).find(([, o]) => o.short === arg[1] && o.type === 'string')?.[0] ?? null;
    return null;
  };
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      out.push(...argv.slice(i));
      break;
    }
    const next = argv[i + 1];
    const name = takesValue(a);
    if (next !== undefined && name !== null && /^-(\d|\.\d|Infinity|NaN)/.test(next)) {
      out.push(`--${name}=${next}`);
      i++;
    } else out.push(a);
  }
  return out;
}

// node's messages mention "To specify a positional argument starting with a '-'..." etc.; keep the first sentence.
function cleanParseArgsMessage(message: string): string {
  const first = message.split('. ')[0]!.replace(/\.$/, '');
  return first.replace(/^Unknown option '(.+)'$/, 'unknown option $1');
}
