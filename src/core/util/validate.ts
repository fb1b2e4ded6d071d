// Small, composable validators for data that comes from outside: a model file's metadata, a
// webview's messages, a saved panel state. Each check takes the value and its path and returns the
// typed value or throws a ValidationError that names the field and says what was expected, e.g.
// `looplens.training.stepsCompleted is missing; expected an integer >= 0`.
// Objects keep unknown keys by default (a newer writer may add fields), so adding a field is free.

export class ValidationError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${path} ${problem}`);
    this.name = 'ValidationError';
  }
}

export type Check<T> = (value: unknown, path: string) => T;
/** The type a Check returns. */
export type Checked<C> = C extends Check<infer T> ? T : never;

/** How a value is described in a message: `null`, `a string`, `1e+9`… (short: never the whole value). */
export function describeValue(v: unknown): string {
  if (v === null) return 'null';
  if (v === undefined) return 'nothing';
  if (typeof v === 'number') return String(v);
  if (typeof v === 'boolean') return String(v);
  if (typeof v === 'string') return v.length > 40 ? `a string of ${v.length} characters` : JSON.stringify(v);
  if (Array.isArray(v)) return `an array of ${v.length}`;
  if (typeof v === 'object') return 'an object';
  return `a ${typeof v}`;
}

function fail(path: string, expected: string, v: unknown): never {
  if (v === undefined) throw new ValidationError(path, `is missing; expected ${expected}`);
  if (v === null) throw new ValidationError(path, `is null; expected ${expected}`);
  throw new ValidationError(path, `must be ${expected}, got ${describeValue(v)}`);
}

function rangeText(o: { min?: number; max?: number }): string {
  if (o.min !== undefined && o.max !== undefined) return ` in ${o.min}..${o.max}`;
  if (o.min !== undefined) return ` >= ${o.min}`;
  if (o.max !== undefined) return ` <= ${o.max}`;
  return '';
}

export function int(o: { min?: number; max?: number } = {}): Check<number> {
  const expected = `an integer${rangeText(o)}`;
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) fail(path, expected, v);
    if ((o.min !== undefined && v < o.min) || (o.max !== undefined && v > o.max)) fail(path, expected, v);
    return v;
  };
}

/** A number's bounds, each inclusive unless marked exclusive. */
interface NumRange {
  min?: number;
  max?: number;
  exclusiveMin?: boolean;
  exclusiveMax?: boolean;
}

function numRangeText(o: NumRange): string {
  const exclusive = (o.exclusiveMin && o.min !== undefined) || (o.exclusiveMax && o.max !== undefined);
  if (!exclusive) return `a finite number${rangeText(o)}`;
  const bounds = [o.min !== undefined ? `${o.exclusiveMin ? '>' : '>='} ${o.min}` : '', o.max !== undefined ? `${o.exclusiveMax ? '<' : '<='} ${o.max}` : ''];
  return `a number ${bounds.filter((b) => b).join(' and ')}`;
}

/** A finite number (NaN and ±Infinity are refused). */
export function num(o: NumRange = {}): Check<number> {
  const expected = numRangeText(o);
  return (v, path) => {
    if (typeof v !== 'number' || !Number.isFinite(v)) fail(path, expected, v);
    if (o.min !== undefined && (o.exclusiveMin ? v <= o.min : v < o.min)) fail(path, expected, v);
    if (o.max !== undefined && (o.exclusiveMax ? v >= o.max : v > o.max)) fail(path, expected, v);
    return v;
  };
}

export function str(o: { maxLength?: number; nonEmpty?: boolean } = {}): Check<string> {
  const expected = `a${o.nonEmpty ? ' non-empty' : ''} string${o.maxLength !== undefined ? ` of at most ${o.maxLength} characters` : ''}`;
  return (v, path) => {
    if (typeof v !== 'string') fail(path, expected, v);
    if ((o.nonEmpty && v.length === 0) || (o.maxLength !== undefined && v.length > o.maxLength)) fail(path, expected, v);
    return v;
  };
}

export const bool: Check<boolean> = (v, path) => {
  if (typeof v !== 'boolean') fail(path, 'true or false', v);
  return v;
};

export function oneOf<const T extends readonly (string | number | boolean)[]>(...values: T): Check<T[number]> {
  const expected = `one of ${values.map((x) => JSON.stringify(x)).join(', ')}`;
  return (v, path) => {
    if (!values.includes(v as T[number])) fail(path, expected, v);
    return v as T[number];
  };
}

export function nullable<T>(c: Check<T>): Check<T | null> {
  return (v, path) => (v === null ? null : c(v, path));
}

/** Any value (kept as is); for fields whose content is not LoopLens's business. */
export const anything: Check<unknown> = (v) => v;

export function array<T>(c: Check<T>, o: { maxLength?: number; minLength?: number } = {}): Check<T[]> {
  return (v, path) => {
    if (!Array.isArray(v)) fail(path, `an array${o.maxLength !== undefined ? ` of at most ${o.maxLength} items` : ''}`, v);
    if (o.maxLength !== undefined && v.length > o.maxLength) throw new ValidationError(path, `has ${v.length} items; at most ${o.maxLength} are allowed`);
    if (o.minLength !== undefined && v.length < o.minLength) throw new ValidationError(path, `has ${v.length} items; at least ${o.minLength} are needed`);
    return v.map((x, i) => c(x, `${path}[${i}]`));
  };
}

const OPTIONAL = Symbol('optional');
export type OptionalCheck<T> = Check<T | undefined> & { [OPTIONAL]: true };

/** A key that may be absent (undefined); present, it must pass `c`. */
export function optional<T>(c: Check<T>): OptionalCheck<T> {
  const f = ((v: unknown, path: string) => (v === undefined ? undefined : c(v, path))) as OptionalCheck<T>;
  f[OPTIONAL] = true;
  return f;
}

type Shape = Record<string, Check<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalCheck<unknown> ? never : K }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
export type ObjectOf<S extends Shape> = { [K in RequiredKeys<S>]: Checked<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Checked<S[K]>, undefined> };

export function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/**
 * An object with these keys. Unknown keys are kept (`strict` refuses them, for messages whose
 * every field is known); the result is a copy holding the checked values.
 */
export function object<S extends Shape>(shape: S, o: { strict?: boolean } = {}): Check<ObjectOf<S>> {
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, 'an object', v);
    const out: Record<string, unknown> = o.strict ? {} : { ...v };
    for (const [k, c] of Object.entries(shape)) {
      const got = Object.prototype.hasOwnProperty.call(v, k) ? v[k] : undefined;
      const checked = c(got, `${path}.${k}`);
      if (checked !== undefined) out[k] = checked;
      else delete out[k];
    }
    if (o.strict) {
      const extra = Object.keys(v).filter((k) => !Object.prototype.hasOwnProperty.call(shape, k));
      if (extra.length > 0) throw new ValidationError(path, `has unexpected ${extra.length === 1 ? 'field' : 'fields'} ${extra.slice(0, 3).map((k) => JSON.stringify(k.slice(0, 40))).join(', ')}`);
    }
    return out as ObjectOf<S>;
  };
}

/** A string-keyed map whose values pass `c` (at most `maxKeys` keys). */
export function record<T>(c: Check<T>, o: { maxKeys?: number } = {}): Check<Record<string, T>> {
  return (v, path) => {
    if (!isPlainObject(v)) fail(path, 'an object', v);
    const keys = Object.keys(v);
    if (o.maxKeys !== undefined && keys.length > o.maxKeys) throw new ValidationError(path, `has ${keys.length} keys; at most ${o.maxKeys} are allowed`);
    const out: Record<string, T> = {};
    for (const k of keys) out[k] = c(v[k], `${path}.${k}`);
    return out;
  };
}

/** A value that passes `c` and then `rule`, which returns a problem text or null. */
export function refine<T>(c: Check<T>, rule: (v: T) => string | null): Check<T> {
  return (v, path) => {
    const out = c(v, path);
    const problem = rule(out);
    if (problem !== null) throw new ValidationError(path, problem);
    return out;
  };
}

/** One check per message type of a `type`-tagged union; each sees the whole message and returns its other fields. */
export type MessageChecks<M extends { type: string }> = { [K in M['type']]: Check<Omit<Extract<M, { type: K }>, 'type'>> };

/** The check of a message that has no fields besides its type. */
export const noFields: Check<Record<string, never>> = object({}) as Check<Record<string, never>>;

/**
 * A parser for the messages `sender` writes (e.g. a worker process's stdout lines): the value must
 * be an object whose `type` has an entry in `checks`, and pass it. The message returned holds only
 * checked values; anything else throws an Error whose text names the sender, the message type and
 * the field, e.g. `eval worker sent a malformed "row" message: row.oracle must be a finite number, got "x"`.
 */
export function messageParser<M extends { type: string }>(sender: string, checks: MessageChecks<M>): (value: unknown) => M {
  return (value) => {
    if (!isPlainObject(value)) throw new Error(`${sender} sent ${describeValue(value)} where a message object was expected`);
    const type = value.type;
    if (type === undefined) throw new Error(`${sender} sent a message without a "type"`);
    if (typeof type !== 'string' || !Object.prototype.hasOwnProperty.call(checks, type)) {
      throw new Error(`${sender} sent a message of unknown type ${typeof type === 'string' ? JSON.stringify(type.slice(0, 40)) : describeValue(type)}`);
    }
    const check = (checks as Record<string, Check<unknown>>)[type]!;
    try {
      const fields = check(value, '');
      return { ...(fields as object), type } as unknown as M;
    } catch (e) {
      const where = e instanceof ValidationError ? e.path.replace(/^\./, '') : '';
      const problem = e instanceof ValidationError ? (where ? `${where} ${e.problem}` : e.problem) : (e as Error).message;
      throw new Error(`${sender} sent a malformed ${JSON.stringify(type)} message: ${problem}`, { cause: e });
    }
  };
}
