// The length expressions of a task file's header (@steps, @width): T(n) and the row width as
// integer arithmetic over the @lengths variables.
import type { Expr } from '../../rasp/ast';
import { scalarBinary } from '../../rasp/builtins';
import { RaspError, type SourceSpan } from '../../rasp/errors';

/** Evaluates @steps/@width: integers, the length variables, + - * // % and min/max. */
export function evalLengthExpr(e: Expr, vars: Map<string, number>, what: string): number {
  const fail = (msg: string, at: SourceSpan): never => {
    throw new RaspError('task', `${what}: ${msg}`, at);
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
        return v;
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
  return v;
}
