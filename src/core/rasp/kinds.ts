// The "no arithmetic on indices" rule of RASP-L. Values derived from `indices` may only be
// compared or shifted by a constant (indices + 1); anything else (indices * 2, indices % 2,
// indices + x) would not generalize to longer inputs and is rejected with a clear message.
// The same rules apply to sequence operators and, by abstract interpretation, to the bodies of
// the per-position functions given to tok_map/seq_map.

/** What a value is, as far as the index rule cares. `offset` is known when it is exactly indices + offset. */
export type Kind = { t: 'const'; value: number | null } | { t: 'data' } | { t: 'index'; offset: number | null };

export const DATA: Kind = { t: 'data' };

/** Thrown by the rules; the caller attaches a source position. */
export class IndexRuleError extends Error {}

const RULE = 'RASP-L allows only comparisons and constant offsets (indices + c) on values derived from indices';

function describeOp(op: string): string {
  return op === 'and' || op === 'or' ? `"${op}"` : `"${op}"`;
}

export function binaryKind(op: string, a: Kind, b: Kind): Kind {
  const ai = a.t === 'index';
  const bi = b.t === 'index';
  if (op === '==' || op === '!=' || op === '<' || op === '<=' || op === '>' || op === '>=') return DATA;
  if (!ai && !bi) {
    if (a.t === 'const' && b.t === 'const') return { t: 'const', value: null };
    return DATA;
  }
  if (op === '+') {
    if (ai && b.t === 'const') return { t: 'index', offset: a.offset !== null && b.value !== null ? a.offset + b.value : null };
    if (bi && a.t === 'const') return { t: 'index', offset: b.offset !== null && a.value !== null ? b.offset + a.value : null };
    throw new IndexRuleError(`cannot add ${ai && bi ? 'two values derived from indices' : 'a non-constant value to indices'}: ${RULE}`);
  }
  if (op === '-') {
    if (ai && b.t === 'const') return { t: 'index', offset: a.offset !== null && b.value !== null ? a.offset - b.value : null };
    if (ai && bi) throw new IndexRuleError(`cannot subtract two values derived from indices (that is a distance between positions): ${RULE}`);
    throw new IndexRuleError(`cannot subtract ${ai ? 'a non-constant value from indices' : 'indices from a value'}: ${RULE}`);
  }
  throw new IndexRuleError(`${describeOp(op)} on a value derived from indices is index arithmetic: ${RULE}`);
}

export function unaryKind(op: string, a: Kind): Kind {
  if (a.t === 'index') throw new IndexRuleError(`"${op}" on a value derived from indices is index arithmetic: ${RULE}`);
  return a.t === 'const' ? { t: 'const', value: null } : DATA;
}

/** `a if test else b`: selecting between index values is fine, testing an index's truth is not. */
export function condKind(test: Kind, a: Kind, b: Kind): Kind {
  if (test.t === 'index') throw new IndexRuleError(`using a value derived from indices as a condition tests "index != 0", which is index arithmetic; compare it explicitly (e.g. indices == 0)`);
  if (a.t === 'index' || b.t === 'index') {
    const same = a.t === 'index' && b.t === 'index' && a.offset !== null && a.offset === b.offset;
    return { t: 'index', offset: same ? a.offset : null };
  }
  return a.t === 'const' && b.t === 'const' && test.t === 'const' ? { t: 'const', value: null } : DATA;
}

/** A named per-position function (min, max, abs, xor, …) applied to these kinds. */
export function functionKind(name: string, args: Kind[]): Kind {
  const op = SCALAR_OPS[name];
  if (op !== undefined && args.length === 2) return binaryKind(op, args[0]!, args[1]!);
  if (name === 'true' || name === 'false' || COMPARISONS.has(name)) return DATA;
  if (args.some((k) => k.t === 'index')) throw new IndexRuleError(`${name}(…) on a value derived from indices is index arithmetic: ${RULE}`);
  return args.every((k) => k.t === 'const') ? { t: 'const', value: null } : DATA;
}

const SCALAR_OPS: Record<string, string> = { add: '+', sub: '-', mul: '*', xor: '^' };
const COMPARISONS = new Set(['equals', 'neq', 'lt', 'leq', 'gt', 'geq']);
