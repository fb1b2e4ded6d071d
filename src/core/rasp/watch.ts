// Evaluating a RASP-L expression in a program's state after some loop steps: what the debugger's
// Watch, Debug Console and conditional breakpoints run. Values come back as plain data.
import type { Expr, Program } from './ast';
import { RaspError } from './errors';
import { evaluateAfterSteps } from './interpreter';
import { parseExpression } from './parser';
import { Selector, Seq, functionName, isFunction, type Value } from './values';

export type WatchValue =
  | { kind: 'int'; value: number }
  /** `index`: derived from `indices` (only comparisons and offsets allowed on it). */
  | { kind: 'seq'; values: number[]; index: boolean }
  /** Row-major [query][key], 1 where the query selects the key. */
  | { kind: 'selector'; width: number; matrix: Uint8Array }
  | { kind: 'function'; name: string }
  | { kind: 'reduction'; name: string };

/** Names added to an evaluation besides the program's own: integers or sequences. */
export type ExtraNames = ReadonlyMap<string, number | readonly number[]>;

export function watchValue(v: Value): WatchValue {
  if (typeof v === 'number') return { kind: 'int', value: v };
  if (v instanceof Seq) return { kind: 'seq', values: Array.from(v.values), index: v.index };
  if (v instanceof Selector) return { kind: 'selector', width: v.n, matrix: v.m };
  if (isFunction(v)) return { kind: 'function', name: functionName(v) };
  return { kind: 'reduction', name: v.name };
}

function extraValues(extra: ExtraNames): Map<string, Value> {
  const out = new Map<string, Value>();
  for (const [name, v] of extra) out.set(name, typeof v === 'number' ? v : new Seq(Int32Array.from(v)));
  return out;
}

/** Evaluates parsed expressions after `steps` loop steps of `program` on `input` (see evaluateAfterSteps). */
export function evaluateParsed(program: Program, input: readonly number[], steps: number, exprs: Expr[], extra: ExtraNames = new Map()): WatchValue[] {
  return evaluateAfterSteps(program, input, steps, exprs, extraValues(extra)).map(watchValue);
}

/** Parses and evaluates one expression. Throws RaspError (syntax: located in `source`; runtime: in the expression or the program). */
export function evaluateExpression(program: Program, input: readonly number[], steps: number, source: string, extra: ExtraNames = new Map()): WatchValue {
  return evaluateParsed(program, input, steps, [parseExpression(source)], extra)[0]!;
}

/**
 * A condition's truth: an integer is true when nonzero; a sequence when it is nonzero at any
 * position. Selectors and functions are not conditions (RaspError).
 */
export function isTrue(v: WatchValue): boolean {
  if (v.kind === 'int') return v.value !== 0;
  if (v.kind === 'seq') return v.values.some((x) => x !== 0);
  throw new RaspError('runtime', `a condition must be an integer or a sequence, got ${v.kind === 'selector' ? 'a selector' : `the ${v.kind} ${v.name}`}`, { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
}

/** A short text of a value: `3`, `[0 1 1 0]`, `selector 4×4 (6 selected)`, `function xor`. */
export function formatWatchValue(v: WatchValue, maxItems = 64): string {
  switch (v.kind) {
    case 'int':
      return String(v.value);
    case 'seq': {
      const shown = v.values.slice(0, maxItems).join(' ');
      return `[${shown}${v.values.length > maxItems ? ` … (${v.values.length})` : ''}]`;
    }
    case 'selector': {
      let on = 0;
      for (const x of v.matrix) on += x;
      return `selector ${v.width}×${v.width} (${on} selected)`;
    }
    case 'function':
      return `function ${v.name}`;
    case 'reduction':
      return `reduction ${v.name}`;
  }
}
