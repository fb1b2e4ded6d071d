// Runtime values of RASP-L: integers (plain JS numbers), sequences (one small integer per
// position), selectors (causal boolean matrices) and functions.
import type { DefStmt, Expr } from './ast';
import type { Env } from './env';
import type { Kind } from './kinds';

/** Largest magnitude a value may take: RASP-L values are small integers. */
export const MAX_VALUE = 1_000_000;

/**
 * A sequence. `index` marks values derived from `indices` (only comparisons and constant offsets
 * are allowed on them); `offset` is set when the values are exactly `indices + offset`.
 */
export class Seq {
  constructor(
    readonly values: Int32Array,
    readonly index = false,
    readonly offset: number | null = null,
  ) {}

  get length(): number {
    return this.values.length;
  }
}

/** A causal selection matrix, row-major [query][key]; entries with key > query are always 0. */
export class Selector {
  constructor(
    readonly n: number,
    readonly m: Uint8Array,
  ) {}
}

export type Reduction = 'mean' | 'max' | 'min';

/** A native function. `scalar` is set for per-position functions (usable in tok_map/seq_map). */
export interface BuiltinFunction {
  type: 'builtin';
  name: string;
  params: { name: string; default?: Value }[];
  /** Per-position implementation on integers (predicates, xor, add, …). */
  scalar?: (args: number[]) => number;
  /** For predicates: a direct two-argument form (the hot path of select). */
  pair?: (key: number, query: number) => boolean;
  /** For min/max: the reduction the name stands for in kqv/aggregate. */
  reduction?: Reduction;
  /** Sequence-level implementation; receives arguments already bound to `params`. */
  call?: (args: Value[], rt: Runtime) => Value;
}

export interface UserFunction {
  type: 'def';
  def: DefStmt;
  fromPrelude: boolean;
}

export interface LambdaFunction {
  type: 'lambda';
  params: string[];
  body: Expr;
  env: Env;
  fromPrelude: boolean;
}

/** The `mean` reduction marker (min and max are functions that double as reductions). */
export interface ReductionValue {
  type: 'reduction';
  name: Reduction;
}

export type FunctionValue = BuiltinFunction | UserFunction | LambdaFunction;
export type Value = number | Seq | Selector | FunctionValue | ReductionValue;

/** What native functions need from the interpreter. */
export interface Runtime {
  /** Length of every sequence in this run. */
  readonly n: number;
  /** Charges work against the run's budget (throws when it is spent). */
  spend(units: number): void;
  /** Throws a runtime error located at the current call. */
  fail(message: string): never;
  /** The argument as a sequence (an integer becomes a constant sequence). */
  toSeq(v: Value, what: string): Seq;
  /** Calls a per-position function on integers. */
  applyScalar(f: FunctionValue, args: number[]): number;
  /** What the index rule says about f applied to arguments of these kinds (throws when forbidden). */
  kindOfCall(f: FunctionValue, kinds: Kind[]): Kind;
  /** Records a selector used by the current aggregate/selector_width (for the trace); `reads`: see TraceSelector. */
  recordSelector(sel: Selector, reads?: Uint8Array): void;
}

export function isFunction(v: Value): v is FunctionValue {
  return typeof v === 'object' && !(v instanceof Seq) && !(v instanceof Selector) && v.type !== 'reduction';
}

export function describeValue(v: Value): string {
  if (typeof v === 'number') return `the integer ${v}`;
  if (v instanceof Seq) return 'a sequence';
  if (v instanceof Selector) return 'a selector';
  if (v.type === 'reduction') return `the reduction "${v.name}"`;
  if (v.type === 'builtin') return `the function ${v.name}`;
  if (v.type === 'def') return `the function ${v.def.name}`;
  return 'a lambda';
}

export function functionName(f: FunctionValue): string {
  return f.type === 'builtin' ? f.name : f.type === 'def' ? f.def.name : 'lambda';
}
