// The index rule inside per-position functions (the lambdas and defs given to tok_map/seq_map):
// the function body is run once on Kinds (kinds.ts) instead of values, so `indices * 2` is
// rejected even when it is hidden in a helper, before the function runs on any position.
import type { Expr } from './ast';
import { kindOf } from './builtins';
import type { Env } from './env';
import type { SourceSpan } from './errors';
import { binaryKind, condKind, DATA, functionKind, IndexRuleError, unaryKind, type Kind } from './kinds';
import { isFunction, type FunctionValue } from './values';

/** What the analysis needs from the run that calls the function. */
export interface CallKindSite {
  /** The program's globals: the defs and builtins a body may call. */
  readonly globals: Env;
  /** Calls nested deeper than this are not followed (their kind is DATA). */
  readonly maxDepth: number;
  /** Throws `message` as a runtime error at the current call. */
  fail(message: string): never;
  /** Throws `message` at `span`, or at the user's call into the prelude when `span` is null. */
  failAt(message: string, span: SourceSpan | null): never;
}

/** What the index rule says about `f` applied to arguments of these kinds (throws RaspError when forbidden). */
export function callKind(site: CallKindSite, f: FunctionValue, kinds: Kind[]): Kind {
  if (!kinds.some((k) => k.t === 'index')) return DATA;
  return abstractCall(site, f, kinds, 0);
}

function abstractCall(site: CallKindSite, f: FunctionValue, kinds: Kind[], depth: number): Kind {
  if (depth > site.maxDepth) return DATA;
  if (f.type === 'builtin') {
    try {
      return functionKind(f.name, kinds);
    } catch (err) {
      if (err instanceof IndexRuleError) site.fail(err.message);
      throw err;
    }
  }
  if (f.type === 'lambda') {
    const locals = new Map<string, Kind>();
    f.params.forEach((p, i) => locals.set(p, kinds[i] ?? DATA));
    return abstractExpr(site, f.body, locals, f.env, f.fromPrelude, depth);
  }
  const locals = new Map<string, Kind>();
  f.def.params.forEach((p, i) => locals.set(p.name, kinds[i] ?? DATA));
  for (const s of f.def.body) {
    if (s.kind === 'assign') locals.set(s.target, abstractExpr(site, s.value, locals, site.globals, f.fromPrelude, depth));
    if (s.kind === 'return') return abstractExpr(site, s.value, locals, site.globals, f.fromPrelude, depth);
  }
  return DATA;
}

function abstractExpr(site: CallKindSite, e: Expr, locals: Map<string, Kind>, env: Env, fromPrelude: boolean, depth: number): Kind {
  const here = <T>(f: () => T): T => {
    try {
      return f();
    } catch (err) {
      if (!(err instanceof IndexRuleError)) throw err;
      // Inside the prelude the user's call is the useful place to point at.
      return site.failAt(err.message, fromPrelude ? null : e.span);
    }
  };
  const sub = (x: Expr) => abstractExpr(site, x, locals, env, fromPrelude, depth);
  switch (e.kind) {
    case 'int':
      return { t: 'const', value: e.value };
    case 'name': {
      const k = locals.get(e.name);
      if (k !== undefined) return k;
      const v = env.lookup(e.name);
      return v === undefined ? DATA : kindOf(v);
    }
    case 'lambda':
      return DATA;
    case 'unary': {
      const k = sub(e.operand);
      return here(() => unaryKind(e.op, k));
    }
    case 'binary': {
      const l = sub(e.left);
      const r = sub(e.right);
      return here(() => binaryKind(e.op, l, r));
    }
    case 'cond': {
      const t = sub(e.test);
      const a = sub(e.then);
      const b = sub(e.otherwise);
      return here(() => condKind(t, a, b));
    }
    case 'call': {
      const argKinds = e.args.map(sub);
      if (e.callee.kind !== 'name' || locals.has(e.callee.name)) return DATA;
      const callee = env.lookup(e.callee.name);
      if (callee === undefined || !isFunction(callee)) return DATA;
      if (callee.type === 'builtin') return callee.scalar === undefined ? DATA : here(() => functionKind(callee.name, argKinds));
      if (!argKinds.some((k) => k.t === 'index')) return DATA;
      return abstractCall(site, callee, argKinds, depth + 1);
    }
  }
}
