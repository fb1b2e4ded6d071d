// Shape and layout ops: Reshape, Transpose, Split, Concat, Slice, Pad, (Un)Squeeze, Expand, Shape.
import { attr, Tensor } from '../graph';
import type { Dim, Shape } from '../shapes';
import { dimEq, isStatic, normAxis, product, resolveReshape, shapeToString, sym } from '../shapes';
import { emit, emitMany, graphOf } from './common';

/**
 * Reshape to `target`: numbers (>= 1), -1 (inferred), 0 (copy the input dim) or symbols. A symbol
 * must equal the input dim at the same index, or be the only unknown.
 */
export function reshape(x: Tensor, target: readonly Dim[]): Tensor {
  const out = resolveReshape(x.shape, target);
  if (out.length === x.rank && out.every((d, i) => dimEq(d, x.shape[i]!))) return x;
  const onnx: number[] = [];
  let inferred = false;
  out.forEach((d, i) => {
    if (typeof d === 'number') onnx.push(d);
    else if (i < x.rank && dimEq(d, x.shape[i]!)) onnx.push(0);
    else if (!inferred) {
      onnx.push(-1);
      inferred = true;
    } else throw new Error(`Reshape ${x} to ${shapeToString(target)}: more than one symbolic dim to infer; use reshapeLike`);
  });
  return emit('Reshape', [x, x.graph.root.ints(onnx)], {}, { dtype: x.dtype, shape: out });
}

/** Reshape to the run-time shape of `like` (works for any symbolic shape). */
export function reshapeLike(x: Tensor, like: Tensor): Tensor {
  if (x.rank === like.rank && x.shape.every((d, i) => dimEq(d, like.shape[i]!))) return x;
  if (isStatic(like.shape)) return reshape(x, like.shape);
  // A constant target shape (no Shape op) when it is exact even for an empty tensor: every symbolic
  // dim copies the input's at the same index (0), or there is a single one (-1) beside numbers only,
  // whose inferred size is then 0 when the tensor is empty.
  const symbolic = like.shape.filter((d) => typeof d !== 'number').length;
  const copied = like.shape.filter((d, i) => typeof d !== 'number' && i < x.rank && dimEq(d, x.shape[i]!)).length;
  if ((copied === symbolic || symbolic === 1) && dimEq(product(x.shape), product(like.shape))) return reshape(x, like.shape);
  // allowzero: a run-time shape's 0 is an empty dim (a loop iteration no example needs), not "copy the input's".
  return emit('Reshape', [x, shapeOf(like)], { allowzero: attr.int(1) }, { dtype: x.dtype, shape: like.shape });
}

export function shapeOf(x: Tensor): Tensor {
  return emit('Shape', [x], {}, { dtype: 'int64', shape: [x.rank] });
}

export function transpose(x: Tensor, perm: readonly number[]): Tensor {
  if (perm.length !== x.rank) throw new Error(`Transpose ${x}: perm ${perm} has wrong length`);
  if (perm.every((p, i) => p === i)) return x;
  return emit('Transpose', [x], { perm: attr.ints(perm) }, { dtype: x.dtype, shape: perm.map((p) => x.shape[p]!) });
}

export function inversePerm(perm: readonly number[]): number[] {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => (inv[p] = i));
  return inv;
}

/**
 * Split along `axis` into pieces of the given static sizes, or of run-time sizes (a 1-D int64
 * tensor, which must add up to the dim) whose dims `outDims` names.
 */
export function split(x: Tensor, axis: number, sizes: readonly number[] | Tensor, outDims?: readonly Dim[]): Tensor[] {
  const a = normAxis(axis, x.rank);
  let dims: readonly Dim[];
  if (sizes instanceof Tensor) {
    if (!outDims || sizes.rank !== 1 || sizes.shape[0] !== outDims.length) throw new Error(`Split ${x}: run-time sizes need one out dim per piece`);
    dims = outDims;
  } else {
    const total = sizes.reduce((s, v) => s + v, 0);
    if (x.shape[a] !== total) throw new Error(`Split ${x}: sizes ${sizes} do not add up to dim ${a}`);
    dims = sizes;
  }
  const outs = dims.map((s) => ({ dtype: x.dtype, shape: x.shape.map((d, i) => (i === a ? s : d)) }));
  const sizesTensor = sizes instanceof Tensor ? sizes : x.graph.root.ints(sizes);
  return emitMany('Split', [x, sizesTensor], { axis: attr.int(a) }, outs);
}

/** Concat along `axis`; `dim` names the result's size there when the pieces' sizes are run-time ones that add up to a known dim. */
export function concat(xs: readonly Tensor[], axis: number, dim?: Dim): Tensor {
  if (xs.length === 1) return xs[0]!;
  const a = normAxis(axis, xs[0]!.rank);
  let total: Dim = 0;
  for (const x of xs) {
    if (x.dtype !== xs[0]!.dtype || x.rank !== xs[0]!.rank) throw new Error(`Concat: mismatched ${x} and ${xs[0]}`);
    total = typeof total === 'number' && typeof x.shape[a] === 'number' ? total + (x.shape[a] as number) : sym(graphOf(...xs).uniqueName('cat'));
  }
  if (dim !== undefined) total = dim;
  const shape = xs[0]!.shape.map((d, i) => (i === a ? total : d));
  return emit('Concat', xs, { axis: attr.int(a) }, { dtype: xs[0]!.dtype, shape });
}

/**
 * Slice with static starts/ends (step 1) on the given axes. Static bounds on static dims give a
 * static shape; otherwise `outDims` names the resulting dims (or fresh symbols are made).
 */
export function slice(x: Tensor, starts: readonly number[] | Tensor, ends: readonly number[] | Tensor, axes: readonly number[], outDims?: readonly Dim[]): Tensor {
  const ax = axes.map((a) => normAxis(a, x.rank));
  const root = x.graph.root;
  const shape: Dim[] = [...x.shape];
  ax.forEach((a, k) => {
    const d = x.shape[a]!;
    if (outDims) shape[a] = outDims[k]!;
    else if (Array.isArray(starts) && Array.isArray(ends) && typeof d === 'number') {
      const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
      shape[a] = Math.max(0, clamp(ends[k]!) - clamp(starts[k]!));
    } else shape[a] = sym(graphOf(x).uniqueName('sl'));
  });
  const s = starts instanceof Tensor ? starts : root.ints(starts);
  const e = ends instanceof Tensor ? ends : root.ints(ends);
  return emit('Slice', [x, s, e, root.ints(ax)], {}, { dtype: x.dtype, shape });
}

/** Constant-mode Pad; `pads` is [begin_0..begin_{r-1}, end_0..end_{r-1}] (static or an int64 tensor). */
export function pad(x: Tensor, pads: readonly number[] | Tensor, outShape?: Shape): Tensor {
  let shape: Shape;
  if (outShape) shape = outShape;
  else if (Array.isArray(pads) && isStatic(x.shape)) shape = x.shape.map((d, i) => d + pads[i]! + pads[i + x.rank]!);
  else throw new Error(`Pad ${x}: give outShape for dynamic pads or symbolic shapes`);
  const p = pads instanceof Tensor ? pads : x.graph.root.ints(pads);
  return emit('Pad', [x, p], { mode: attr.string('constant') }, { dtype: x.dtype, shape });
}

export function unsqueeze(x: Tensor, axes: readonly number[]): Tensor {
  const rank = x.rank + axes.length;
  const ax = axes.map((a) => normAxis(a, rank)).sort((a, b) => a - b);
  const shape: Dim[] = [];
  let j = 0;
  for (let i = 0; i < rank; i++) shape.push(ax.includes(i) ? 1 : x.shape[j++]!);
  return emit('Unsqueeze', [x, x.graph.root.ints(ax)], {}, { dtype: x.dtype, shape });
}

export function squeeze(x: Tensor, axes: readonly number[]): Tensor {
  const ax = axes.map((a) => normAxis(a, x.rank));
  for (const a of ax) if (x.shape[a] !== 1) throw new Error(`Squeeze ${x}: axis ${a} is not 1`);
  return emit('Squeeze', [x, x.graph.root.ints(ax)], {}, { dtype: x.dtype, shape: x.shape.filter((_, i) => !ax.includes(i)) });
}

/** Expand (broadcast) to a static shape or to the run-time shape of `like`. */
export function expand(x: Tensor, target: readonly number[] | Tensor): Tensor {
  if (target instanceof Tensor) return emit('Expand', [x, shapeOf(target)], {}, { dtype: x.dtype, shape: target.shape });
  return emit('Expand', [x, x.graph.root.ints(target)], {}, { dtype: x.dtype, shape: target });
}

/** Declares a shape the builder cannot prove (e.g. a Concat of run-time pieces that add up to B); a run-time no-op. */
export function assumeShape(x: Tensor, shape: readonly Dim[]): Tensor {
  if (shape.length !== x.rank) throw new Error(`assumeShape ${x}: rank ${shape.length} differs`);
  return emit('Identity', [x], {}, { dtype: x.dtype, shape });
}
