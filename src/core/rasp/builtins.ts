// The primitives of RASP-L, implemented natively: full, tok_map, seq_map, select, aggregate,
// selector_width, kqv, the predicates and the named per-position functions. Everything else
// (shift_right, cumsum, …) is written in RASP-L itself, in prelude.ts.
import { functionKind, IndexRuleError, type Kind } from './kinds';
import { MAX_VALUE, Selector, Seq, type BuiltinFunction, type FunctionValue, type Reduction, type ReductionValue, type Runtime, type Value } from './values';

const b = (v: boolean): number => (v ? 1 : 0);

function floorDiv(a: number, d: number): number {
  return Math.floor(a / d);
}

function pyMod(a: number, d: number): number {
  return a - d * Math.floor(a / d);
}

/** Integer binary operators (Python semantics for // and %). Division by zero returns NaN: the caller reports it. */
export function scalarBinary(op: string, x: number, y: number): number {
  switch (op) {
    case '+':
      return x + y;
    case '-':
      return x - y;
    case '*':
      return x * y;
    case '//':
      return y === 0 ? NaN : floorDiv(x, y);
    case '%':
      return y === 0 ? NaN : pyMod(x, y);
    case '^':
      return x ^ y;
    case '&':
      return x & y;
    case '|':
      return x | y;
    case '==':
      return b(x === y);
    case '!=':
      return b(x !== y);
    case '<':
      return b(x < y);
    case '<=':
      return b(x <= y);
    case '>':
      return b(x > y);
    case '>=':
      return b(x >= y);
    case 'and':
      return b(x !== 0 && y !== 0);
    case 'or':
      return b(x !== 0 || y !== 0);
    default:
      throw new Error(`unknown operator ${op}`);
  }
}

/** Kind of a value for the index rule. */
export function kindOf(v: Value): Kind {
  if (typeof v === 'number') return { t: 'const', value: v };
  if (v instanceof Seq) return v.index ? { t: 'index', offset: v.offset } : { t: 'data' };
  return { t: 'data' };
}

/** Builds the result sequence, checking every value is a small integer. */
export function makeSeq(rt: Runtime, values: Int32Array | number[], kind: Kind, what: string): Seq {
  const out = values instanceof Int32Array ? values : new Int32Array(values.length);
  if (!(values instanceof Int32Array)) {
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      checkInt(rt, v, what, i);
      out[i] = v;
    }
  }
  return kind.t === 'index' ? new Seq(out, true, kind.offset) : new Seq(out);
}

export function checkInt(rt: Runtime, v: number, what: string, position?: number): void {
  if (Number.isInteger(v) && Math.abs(v) <= MAX_VALUE) return;
  const where = position === undefined ? '' : ` at position ${position}`;
  if (Number.isNaN(v)) rt.fail(`${what}: division by zero${where} (guard the divisor, e.g. max(d, 1))`);
  rt.fail(`${what} gives ${v}${where}: RASP-L values are small integers (|v| <= ${MAX_VALUE})`);
}

function kindOrFail(rt: Runtime, f: () => Kind): Kind {
  try {
    return f();
  } catch (e) {
    if (e instanceof IndexRuleError) rt.fail(e.message);
    throw e;
  }
}

/** A named per-position function that also maps elementwise over sequences. */
function scalarFn(name: string, params: string[], scalar: (a: number[]) => number): BuiltinFunction {
  const fn: BuiltinFunction = {
    type: 'builtin',
    name,
    params: params.map((p) => ({ name: p })),
    scalar,
    call: (args, rt) => {
      if (args.every((a) => typeof a === 'number')) {
        const v = scalar(args as number[]);
        checkInt(rt, v, `${name}(…)`);
        return v;
      }
      const seqs = args.map((a, i) => rt.toSeq(a, `argument ${i + 1} of ${name}`));
      const kind = kindOrFail(rt, () => functionKind(name, args.map(kindOf)));
      const n = rt.n;
      rt.spend(n);
      const out = new Array<number>(n);
      const row = new Array<number>(seqs.length);
      for (let i = 0; i < n; i++) {
        for (let j = 0; j < seqs.length; j++) row[j] = seqs[j]!.values[i]!;
        out[i] = scalar(row);
      }
      return makeSeq(rt, out, kind, `${name}(…)`);
    },
  };
  return fn;
}

const predicate = (name: string, f: (k: number, q: number) => boolean) => {
  const p = scalarFn(name, ['key', 'query'], (a) => b(f(a[0]!, a[1]!)));
  p.pair = f;
  return p;
};

export const PREDICATES: BuiltinFunction[] = [
  predicate('equals', (k, q) => k === q),
  predicate('neq', (k, q) => k !== q),
  predicate('lt', (k, q) => k < q),
  predicate('leq', (k, q) => k <= q),
  predicate('gt', (k, q) => k > q),
  predicate('geq', (k, q) => k >= q),
  predicate('true', () => true),
  predicate('false', () => false),
];

const minFn = scalarFn('min', ['a', 'b'], (a) => Math.min(a[0]!, a[1]!));
minFn.reduction = 'min';
const maxFn = scalarFn('max', ['a', 'b'], (a) => Math.max(a[0]!, a[1]!));
maxFn.reduction = 'max';

export const SCALAR_FUNCTIONS: BuiltinFunction[] = [
  scalarFn('add', ['a', 'b'], (a) => a[0]! + a[1]!),
  scalarFn('sub', ['a', 'b'], (a) => a[0]! - a[1]!),
  scalarFn('mul', ['a', 'b'], (a) => a[0]! * a[1]!),
  scalarFn('xor', ['a', 'b'], (a) => a[0]! ^ a[1]!),
  scalarFn('and_', ['a', 'b'], (a) => b(a[0] !== 0 && a[1] !== 0)),
  scalarFn('or_', ['a', 'b'], (a) => b(a[0] !== 0 || a[1] !== 0)),
  scalarFn('not_', ['a'], (a) => b(a[0] === 0)),
  scalarFn('neg', ['a'], (a) => -a[0]!),
  scalarFn('abs', ['a'], (a) => Math.abs(a[0]!)),
  minFn,
  maxFn,
];

export const MEAN: ReductionValue = { type: 'reduction', name: 'mean' };

function asFunction(rt: Runtime, v: Value, what: string): FunctionValue {
  if (typeof v === 'object' && !(v instanceof Seq) && !(v instanceof Selector) && v.type !== 'reduction') return v;
  rt.fail(`${what} must be a function (a predicate such as equals, a lambda, or a def), got ${typeof v === 'number' ? 'an integer' : v instanceof Seq ? 'a sequence' : v instanceof Selector ? 'a selector' : 'a reduction'}`);
}

function asSelector(rt: Runtime, v: Value, what: string): Selector {
  if (v instanceof Selector) return v;
  rt.fail(`${what} must be a selector (made by select), got ${typeof v === 'number' ? 'an integer' : v instanceof Seq ? 'a sequence' : 'a function'}`);
}

function asInt(rt: Runtime, v: Value, what: string): number {
  if (typeof v === 'number') return v;
  rt.fail(`${what} must be an integer, got ${v instanceof Seq ? 'a sequence' : v instanceof Selector ? 'a selector' : 'a function'}`);
}

function asReduction(rt: Runtime, v: Value): Reduction {
  if (typeof v === 'object' && !(v instanceof Seq) && !(v instanceof Selector)) {
    if (v.type === 'reduction') return v.name;
    if (v.type === 'builtin' && v.reduction !== undefined) return v.reduction;
  }
  rt.fail('reduction must be mean, max or min');
}

/** The per-position function as a fast JS predicate where possible. */
function toPairFn(rt: Runtime, f: FunctionValue): (k: number, q: number) => boolean {
  if (f.type === 'builtin' && f.pair !== undefined) return f.pair;
  if (f.type === 'builtin' && f.scalar !== undefined) {
    if (f.params.length !== 2) rt.fail(`${f.name} takes ${f.params.length} argument(s); a predicate takes two (key, query)`);
    const s = f.scalar;
    const pair = [0, 0];
    return (k, q) => {
      pair[0] = k;
      pair[1] = q;
      return s(pair) !== 0;
    };
  }
  return (k, q) => rt.applyScalar(f, [k, q]) !== 0;
}

export function select(rt: Runtime, keys: Seq, queries: Seq, pred: FunctionValue): Selector {
  const n = rt.n;
  rt.spend((n * (n + 1)) / 2);
  const p = toPairFn(rt, pred);
  const m = new Uint8Array(n * n);
  const kv = keys.values;
  const qv = queries.values;
  let count = 0;
  const isEquals = pred.type === 'builtin' && pred.name === 'equals';
  for (let q = 0; q < n; q++) {
    const qval = qv[q]!;
    const row = q * n;
    if (isEquals) {
      // the common case, inlined
      for (let k = 0; k <= q; k++) {
        if (kv[k] === qval) {
          m[row + k] = 1;
          count++;
        }
      }
      continue;
    }
    for (let k = 0; k <= q; k++) {
      if (p(kv[k]!, qval)) {
        m[row + k] = 1;
        count++;
      }
    }
  }
  // Keys and queries that are exactly indices + c: if the predicate only holds for later keys, the
  // program is trying to read the future (e.g. shift_right(x, -1)). The causal mask would silently
  // hide that, so reject it.
  if (count === 0 && keys.offset !== null && queries.offset !== null) {
    for (let q = 0; q < n; q++) {
      for (let k = q + 1; k < n; k++) {
        if (p(kv[k]!, qv[q]!)) {
          rt.fail(
            `this select only matches later positions (query position ${q} would select key position ${k}); RASP-L selects are causal (key index <= query index), so a program cannot look at future positions` +
              (keys.offset < queries.offset ? ` — keys are indices${fmtOffset(keys.offset)} and queries indices${fmtOffset(queries.offset)}, so equal values lie ${queries.offset - keys.offset} position(s) ahead (a negative shift?)` : ''),
          );
        }
      }
    }
  }
  return new Selector(n, m);
}

function fmtOffset(o: number): string {
  return o === 0 ? '' : o > 0 ? ` + ${o}` : ` - ${-o}`;
}

// aggregate and selector_width are where a selector is *used* (one attention head each), so
// that is where it is recorded for the trace.
export function aggregate(rt: Runtime, sel: Selector, values: Seq, dflt: number, reduction: Reduction): Seq {
  const n = rt.n;
  rt.spend((n * (n + 1)) / 2);
  const out = new Int32Array(n);
  const v = values.values;
  for (let q = 0; q < n; q++) {
    const row = q * n;
    let count = 0;
    let acc = reduction === 'min' ? Infinity : reduction === 'max' ? -Infinity : 0;
    for (let k = 0; k <= q; k++) {
      if (sel.m[row + k] === 0) continue;
      count++;
      const x = v[k]!;
      if (reduction === 'mean') acc += x;
      else if (reduction === 'max') acc = x > acc ? x : acc;
      else acc = x < acc ? x : acc;
    }
    // mean is cast to int by truncation (RASP-L's numeric aggregate); no selected key -> default
    out[q] = count === 0 ? dflt : reduction === 'mean' ? Math.trunc(acc / count) : acc;
  }
  rt.recordSelector(sel, reduction === 'mean' ? undefined : keysHolding(sel, v, out));
  return values.index ? new Seq(out, true, null) : new Seq(out);
}

/**
 * The selected keys whose value is the row's max/min: where an attention head that computes the
 * max/min aggregate puts its weight (a mean reads every selected key alike).
 */
function keysHolding(sel: Selector, values: Int32Array, result: Int32Array): Uint8Array {
  const n = sel.n;
  const reads = new Uint8Array(n * n);
  for (let q = 0; q < n; q++) for (let k = 0; k <= q; k++) reads[q * n + k] = sel.m[q * n + k] !== 0 && values[k] === result[q] ? 1 : 0;
  return reads;
}

export function selectorWidth(rt: Runtime, sel: Selector): Seq {
  const n = rt.n;
  rt.spend((n * (n + 1)) / 2);
  rt.recordSelector(sel);
  const out = new Int32Array(n);
  for (let q = 0; q < n; q++) {
    let c = 0;
    for (let k = 0; k <= q; k++) c += sel.m[q * n + k]!;
    out[q] = c;
  }
  return new Seq(out);
}

function mapPositions(rt: Runtime, seqs: Seq[], f: FunctionValue, what: string): Seq {
  const kind = rt.kindOfCall(f, seqs.map(kindOf));
  const n = rt.n;
  const out = new Int32Array(n);
  const row = new Array<number>(seqs.length);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < seqs.length; j++) row[j] = seqs[j]!.values[i]!;
    const v = rt.applyScalar(f, row);
    checkInt(rt, v, what, i);
    out[i] = v;
  }
  return kind.t === 'index' ? new Seq(out, true, kind.offset) : new Seq(out);
}

const fn = (name: string, params: { name: string; default?: Value }[], call: (args: Value[], rt: Runtime) => Value): BuiltinFunction => ({ type: 'builtin', name, params, call });

export const SEQUENCE_FUNCTIONS: BuiltinFunction[] = [
  fn('full', [{ name: 'value' }], ([c], rt) => {
    const v = asInt(rt, c!, 'full(value)');
    checkInt(rt, v, 'full(value)');
    rt.spend(rt.n);
    return new Seq(new Int32Array(rt.n).fill(v));
  }),
  fn('tok_map', [{ name: 'x' }, { name: 'f' }], ([x, f], rt) => mapPositions(rt, [rt.toSeq(x!, 'tok_map(x, f): x')], asFunction(rt, f!, 'tok_map(x, f): f'), 'tok_map')),
  fn('seq_map', [{ name: 'x' }, { name: 'y' }, { name: 'f' }], ([x, y, f], rt) =>
    mapPositions(rt, [rt.toSeq(x!, 'seq_map(x, y, f): x'), rt.toSeq(y!, 'seq_map(x, y, f): y')], asFunction(rt, f!, 'seq_map(x, y, f): f'), 'seq_map'),
  ),
  fn('select', [{ name: 'keys' }, { name: 'queries' }, { name: 'predicate' }], ([k, q, p], rt) =>
    select(rt, rt.toSeq(k!, 'select: keys'), rt.toSeq(q!, 'select: queries'), asFunction(rt, p!, 'select: predicate')),
  ),
  fn('aggregate', [{ name: 'selector' }, { name: 'values' }, { name: 'default', default: 0 }, { name: 'reduction', default: MEAN }], ([s, v, d, r], rt) =>
    aggregate(rt, asSelector(rt, s!, 'aggregate: selector'), rt.toSeq(v!, 'aggregate: values'), asInt(rt, d!, 'aggregate: default'), asReduction(rt, r!)),
  ),
  fn('selector_width', [{ name: 'selector' }], ([s], rt) => selectorWidth(rt, asSelector(rt, s!, 'selector_width: selector'))),
  fn('kqv', [{ name: 'keys' }, { name: 'queries' }, { name: 'values' }, { name: 'predicate' }, { name: 'default', default: 0 }, { name: 'reduction', default: MEAN }], ([k, q, v, p, d, r], rt) => {
    const values = rt.toSeq(v!, 'kqv: values');
    const dflt = asInt(rt, d!, 'kqv: default');
    const reduction = asReduction(rt, r!);
    const sel = select(rt, rt.toSeq(k!, 'kqv: keys'), rt.toSeq(q!, 'kqv: queries'), asFunction(rt, p!, 'kqv: predicate'));
    return aggregate(rt, sel, values, dflt, reduction);
  }),
];

/** Selector algebra: `a & b`, `a | b`, `not a` (the result stays causal). */
export function selectorBinary(op: string, x: Selector, y: Selector): Selector | null {
  if (op !== '&' && op !== '|' && op !== 'and' && op !== 'or') return null;
  const m = new Uint8Array(x.m.length);
  const both = op === '&' || op === 'and';
  for (let i = 0; i < m.length; i++) m[i] = both ? x.m[i]! & y.m[i]! : x.m[i]! | y.m[i]!;
  return new Selector(x.n, m);
}

export function selectorNot(x: Selector): Selector {
  const n = x.n;
  const m = new Uint8Array(n * n);
  for (let q = 0; q < n; q++) for (let k = 0; k <= q; k++) m[q * n + k] = x.m[q * n + k] ? 0 : 1;
  return new Selector(n, m);
}
