// Static shape arithmetic for the graph builder. A dimension is a number or a symbol. Symbols are
// canonical monomials ("c3", "21*c3", "B*W") so that Reshape can infer -1 and gradients can tell
// which axes were broadcast even when a batch dimension is only known at run time.

export type Dim = number | string;
export type Shape = readonly Dim[];

interface Monomial {
  coef: number;
  syms: Map<string, number>;
}

function parse(d: Dim): Monomial {
  if (typeof d === 'number') return { coef: d, syms: new Map() };
  const m: Monomial = { coef: 1, syms: new Map() };
  for (const part of d.split('*')) {
    if (/^\d+$/.test(part)) m.coef *= Number(part);
    else m.syms.set(part, (m.syms.get(part) ?? 0) + 1);
  }
  return m;
}

function format(m: Monomial): Dim {
  const syms = [...m.syms.entries()].filter(([, p]) => p !== 0).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  if (syms.some(([, p]) => p < 0)) throw new Error('shape symbol division is not exact');
  if (syms.length === 0) return m.coef;
  const parts = syms.flatMap(([s, p]) => Array<string>(p).fill(s));
  return m.coef === 1 ? parts.join('*') : `${m.coef}*${parts.join('*')}`;
}

/** A symbolic dimension named `name` (letters, digits, underscore). */
export function sym(name: string): Dim {
  if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(name)) throw new Error(`bad dimension symbol "${name}"`);
  return name;
}

export function dimMul(a: Dim, b: Dim): Dim {
  const x = parse(a);
  const y = parse(b);
  const syms = new Map(x.syms);
  for (const [s, p] of y.syms) syms.set(s, (syms.get(s) ?? 0) + p);
  return format({ coef: x.coef * y.coef, syms });
}

/** a / b, which must be exact (numerically and symbolically). */
export function dimDiv(a: Dim, b: Dim): Dim {
  const x = parse(a);
  const y = parse(b);
  if (y.coef === 0 || x.coef % y.coef !== 0) throw new Error(`dimension ${a} is not divisible by ${b}`);
  const syms = new Map(x.syms);
  for (const [s, p] of y.syms) syms.set(s, (syms.get(s) ?? 0) - p);
  return format({ coef: x.coef / y.coef, syms });
}

export function dimEq(a: Dim, b: Dim): boolean {
  return a === b || (typeof a !== typeof b ? false : String(a) === String(b));
}

export function product(shape: Shape): Dim {
  return shape.reduce<Dim>((acc, d) => dimMul(acc, d), 1);
}

export function isStatic(shape: Shape): shape is readonly number[] {
  return shape.every((d) => typeof d === 'number');
}

export function shapeToString(shape: Shape): string {
  return `[${shape.join(',')}]`;
}

/** Numpy-style broadcast. A symbolic dim only broadcasts against 1 or the same symbol. */
export function broadcast(a: Shape, b: Shape): Dim[] {
  const n = Math.max(a.length, b.length);
  const out: Dim[] = [];
  for (let i = 0; i < n; i++) {
    const da = i < n - a.length ? 1 : a[i - (n - a.length)]!;
    const db = i < n - b.length ? 1 : b[i - (n - b.length)]!;
    if (dimEq(da, db)) out.push(da);
    else if (da === 1) out.push(db);
    else if (db === 1) out.push(da);
    else throw new Error(`cannot broadcast ${shapeToString(a)} with ${shapeToString(b)}`);
  }
  return out;
}

/** Axes of `outShape` along which a tensor of shape `inShape` was broadcast (leading axes included). */
export function broadcastAxes(inShape: Shape, outShape: Shape): number[] {
  const lead = outShape.length - inShape.length;
  if (lead < 0) throw new Error(`shape ${shapeToString(inShape)} has more axes than ${shapeToString(outShape)}`);
  const axes: number[] = [];
  for (let i = 0; i < outShape.length; i++) {
    if (i < lead) axes.push(i);
    else if (inShape[i - lead] === 1 && outShape[i] !== 1) axes.push(i);
  }
  return axes;
}

export function normAxis(axis: number, rank: number): number {
  const a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank) throw new Error(`axis ${axis} out of range for rank ${rank}`);
  return a;
}

/** Resolves a Reshape target (numbers, symbols, one -1, 0 = copy input dim) against the input shape. */
export function resolveReshape(input: Shape, target: readonly Dim[]): Dim[] {
  const out: Dim[] = target.map((d, i) => (d === 0 ? input[i]! : d));
  const unknown = out.indexOf(-1);
  if (out.filter((d) => d === -1).length > 1) throw new Error('Reshape: at most one -1');
  const total = product(input);
  if (unknown >= 0) {
    const known = product(out.filter((_, i) => i !== unknown));
    out[unknown] = dimDiv(total, known);
  } else if (!dimEq(product(out), total)) {
    throw new Error(`Reshape: cannot reshape ${shapeToString(input)} to ${shapeToString(target)}`);
  }
  return out;
}
