// The length expressions of a task file's header (@steps, @width): T(n) and the row width as
// integer arithmetic over the @lengths variables.
import type { Expr } from '../../rasp/ast';
import { scalarBinary } from '../../rasp/builtins';
import { RaspError, type SourceSpan } from '../../rasp/errors';
import { LIMITS } from '../../util/limits';

/** The largest value each length expression may take: a row width, a loop count. */
export const LENGTH_EXPR_MAX: Readonly<Record<string, number>> = { '@width': LIMITS.rowWidth, '@steps': LIMITS.steps };
/** Intermediate values beyond this are refused (far past every limit, well inside exact doubles). */
const INTERMEDIATE_MAX = 2 ** 40;

/**
 * Evaluates @steps/@width: integers, the length variables, + - * // % and min/max. Every
 * intermediate value stays an exact integer and the result is bounded (LENGTH_EXPR_MAX), so an
 * expression like `1000000 * 1000000` is a RaspError at its line and column, never a huge row.
 */
export function evalLengthExpr(e: Expr, vars: Map<string, number>, what: string): number {
  const fail = (msg: string, at: SourceSpan): never => {
    throw new RaspError('task', `${what}: ${msg}`, at);
  };
  const bounded = (v: number, x: Expr): number => {
    if (!Number.isFinite(v) || Math.abs(v) > INTERMEDIATE_MAX) fail(`the value is too large (${Number.isFinite(v) ? v.toExponential(2) : v}) for the lengths ${[...vars].map(([k, n]) => `${k} = ${n}`).join(', ') || 'given'}`, x.span);
    return v;
  };
  const ev = (x: Expr): number => {
    switch (x.kind) {
      case 'int':
        return x.value;
      case 'name': {
        const v = vars.get(x.name);
        if (v === undefined) fail(`"${x.name}" is not a length variable (declared: ${[...vars.keys()].join(', ') || 'none'})`, x.span);
        return v!;
      }
      case 'unary':
        return x.op === '-' ? -ev(x.operand) : ev(x.operand) === 0 ? 1 : 0;
      case 'binary': {
        const v = scalarBinary(x.op, ev(x.left), ev(x.right));
        if (Number.isNaN(v)) fail('division by zero', x.span);
        return bounded(v, x);
      }
      case 'cond':
        return ev(x.test) !== 0 ? ev(x.then) : ev(x.otherwise);
      case 'call':
        if (x.callee.kind === 'name' && (x.callee.name === 'min' || x.callee.name === 'max') && x.args.length === 2 && x.kwargs.length === 0) {
          const [a, b] = x.args.map(ev);
          return x.callee.name === 'min' ? Math.min(a!, b!) : Math.max(a!, b!);
        }
        return fail('only min(a, b) and max(a, b) can be called here', x.span);
      case 'lambda':
        return fail('a lambda is not allowed here', x.span);
    }
  };
  const v = ev(e);
  if (!Number.isInteger(v) || v < 0) fail(`must be a non-negative integer, got ${v}`, e.span);
  const max = LENGTH_EXPR_MAX[what];
  if (max !== undefined && v > max) {
    fail(`evaluates to ${v} for ${[...vars].map(([k, n]) => `${k} = ${n}`).join(', ') || 'these lengths'}; LoopLens allows at most ${max} ${what === '@width' ? 'positions in a row' : 'loop steps'}`, e.span);
  }
  return v;
}
