// Linear algebra, normalisation, reductions and indexing ops.
import { attr, MS_DOMAIN } from '../graph';
import type { Tensor } from '../graph';
import type { DType } from '../graph';
import type { Dim } from '../shapes';
import { broadcast, dimEq, normAxis } from '../shapes';
import { emit, emitMany, graphOf, sameDType } from './common';

/** numpy matmul for rank >= 2 operands (batch dims broadcast). */
export function matmul(a: Tensor, b: Tensor): Tensor {
  const dtype = sameDType('MatMul', a, b);
  if (a.rank < 2 || b.rank < 2) throw new Error(`MatMul: operands need rank >= 2 (${a}, ${b})`);
  const [m, k] = a.shape.slice(-2);
  const [k2, n] = b.shape.slice(-2);
  if (!dimEq(k!, k2!)) throw new Error(`MatMul: inner dims differ (${a}, ${b})`);
  const batch = broadcast(a.shape.slice(0, -2), b.shape.slice(0, -2));
  return emit('MatMul', [a, b], {}, { dtype, shape: [...batch, m!, n!] });
}

/**
 * ONNX Runtime's FusedMatMul: alpha * op(A) @ op(B) over the last two axes, op = transpose when
 * asked, batch dims equal. The transposes are folded into the kernel instead of materialised,
 * which matters for the attention's [b, heads, W, W] probabilities.
 */
export function fusedMatMul(a: Tensor, b: Tensor, opts: { transA?: boolean; transB?: boolean; alpha?: number } = {}): Tensor {
  const dtype = sameDType('FusedMatMul', a, b);
  if (a.rank < 2 || a.rank !== b.rank) throw new Error(`FusedMatMul: operands need the same rank >= 2 (${a}, ${b})`);
  const last2 = (x: Tensor, t?: boolean): [Dim, Dim] => {
    const [r, c] = x.shape.slice(-2) as [Dim, Dim];
    return t ? [c, r] : [r, c];
  };
  const [m, k] = last2(a, opts.transA);
  const [k2, n] = last2(b, opts.transB);
  if (!dimEq(k, k2)) throw new Error(`FusedMatMul: inner dims differ (${a}, ${b}, transA=${!!opts.transA}, transB=${!!opts.transB})`);
  const batch = a.shape.slice(0, -2);
  if (!batch.every((d, i) => dimEq(d, b.shape[i]!))) throw new Error(`FusedMatMul: batch dims differ (${a}, ${b})`);
  const attrs: Record<string, ReturnType<typeof attr.int>> = { transA: attr.int(opts.transA ? 1 : 0), transB: attr.int(opts.transB ? 1 : 0) };
  if (opts.alpha !== undefined && opts.alpha !== 1) attrs.alpha = attr.float(opts.alpha);
  return graphOf(a, b).addNode('FusedMatMul', [a, b], attrs, [{ dtype, shape: [...batch, m, n] }], MS_DOMAIN)[0]!;
}

/** Gemm: alpha * op(A) @ op(B) + beta * C for 2-D A, B (C broadcast to the result). */
export function gemm(a: Tensor, b: Tensor, c?: Tensor, opts: { transA?: boolean; transB?: boolean; alpha?: number; beta?: number } = {}): Tensor {
  const dtype = sameDType('Gemm', a, b, ...(c ? [c] : []));
  if (a.rank !== 2 || b.rank !== 2) throw new Error(`Gemm: operands must be 2-D (${a}, ${b})`);
  const [m, k] = opts.transA ? [a.shape[1]!, a.shape[0]!] : [a.shape[0]!, a.shape[1]!];
  const [k2, n] = opts.transB ? [b.shape[1]!, b.shape[0]!] : [b.shape[0]!, b.shape[1]!];
  if (!dimEq(k, k2)) throw new Error(`Gemm: inner dims differ (${a}, ${b}, transA=${!!opts.transA}, transB=${!!opts.transB})`);
  if (c) broadcast([m, n], c.shape);
  const attrs: Record<string, ReturnType<typeof attr.int>> = {};
  if (opts.transA) attrs.transA = attr.int(1);
  if (opts.transB) attrs.transB = attr.int(1);
  if (opts.alpha !== undefined && opts.alpha !== 1) attrs.alpha = attr.float(opts.alpha);
  if (opts.beta !== undefined && opts.beta !== 1) attrs.beta = attr.float(opts.beta);
  return emit('Gemm', c ? [a, b, c] : [a, b], attrs, { dtype, shape: [m, n] });
}

export function softmax(x: Tensor, axis = -1): Tensor {
  return emit('Softmax', [x], { axis: attr.int(normAxis(axis, x.rank)) }, { dtype: x.dtype, shape: x.shape });
}

export function logSoftmax(x: Tensor, axis = -1): Tensor {
  return emit('LogSoftmax', [x], { axis: attr.int(normAxis(axis, x.rank)) }, { dtype: x.dtype, shape: x.shape });
}

/** LayerNormalization (opset 17) over the last axis; returns [y, mean, invStdDev]. */
export function layerNorm(x: Tensor, scale: Tensor, bias: Tensor, epsilon = 1e-5): [Tensor, Tensor, Tensor] {
  const dtype = sameDType('LayerNormalization', x, scale, bias);
  const statShape: Dim[] = [...x.shape.slice(0, -1), 1];
  // Mean/InvStdDev are float32 (stash_type default; ONNX Runtime implements only that, even for double input).
  const attrs = { axis: attr.int(-1), epsilon: attr.float(epsilon) };
  const [y, mean, inv] = emitMany('LayerNormalization', [x, scale, bias], attrs, [
    { dtype, shape: x.shape },
    { dtype: 'float32', shape: statShape },
    { dtype: 'float32', shape: statShape },
  ]);
  return [y!, mean!, inv!];
}

type ReduceOp = 'ReduceSum' | 'ReduceMean' | 'ReduceSumSquare';

function reduce(op: ReduceOp, x: Tensor, axes: readonly number[] | undefined, keepdims: boolean): Tensor {
  const ax = (axes ?? x.shape.map((_, i) => i)).map((a) => normAxis(a, x.rank));
  const shape = x.shape.flatMap((d, i) => (ax.includes(i) ? (keepdims ? [1] : []) : [d]));
  if (ax.length === 0) return x;
  return emit(op, [x, x.graph.root.ints(ax)], { keepdims: attr.int(keepdims ? 1 : 0) }, { dtype: x.dtype, shape });
}

/** Sum over `axes` (all axes when omitted). */
export const reduceSum = (x: Tensor, axes?: readonly number[], keepdims = false): Tensor => reduce('ReduceSum', x, axes, keepdims);
export const reduceMean = (x: Tensor, axes?: readonly number[], keepdims = false): Tensor => reduce('ReduceMean', x, axes, keepdims);
export const reduceSumSquare = (x: Tensor, axes?: readonly number[], keepdims = false): Tensor => reduce('ReduceSumSquare', x, axes, keepdims);

/** Gather along `axis`: output shape = x.shape[:axis] + idx.shape + x.shape[axis+1:]. */
export function gather(x: Tensor, idx: Tensor, axis = 0): Tensor {
  const a = normAxis(axis, x.rank);
  if (idx.dtype !== 'int64' && idx.dtype !== 'int32') throw new Error(`Gather: indices must be int (${idx})`);
  return emit('Gather', [x, idx], { axis: attr.int(a) }, { dtype: x.dtype, shape: [...x.shape.slice(0, a), ...idx.shape, ...x.shape.slice(a + 1)] });
}

export function gatherElements(x: Tensor, idx: Tensor, axis: number): Tensor {
  const a = normAxis(axis, x.rank);
  if (idx.rank !== x.rank) throw new Error(`GatherElements: rank mismatch (${x}, ${idx})`);
  return emit('GatherElements', [x, idx], { axis: attr.int(a) }, { dtype: x.dtype, shape: idx.shape });
}

export function scatterElements(data: Tensor, idx: Tensor, updates: Tensor, axis: number, reduction: 'none' | 'add' = 'none'): Tensor {
  const a = normAxis(axis, data.rank);
  return emit('ScatterElements', [data, idx, updates], { axis: attr.int(a), reduction: attr.string(reduction) }, { dtype: data.dtype, shape: data.shape });
}

export function scatterND(data: Tensor, idx: Tensor, updates: Tensor, reduction: 'none' | 'add' = 'none'): Tensor {
  return emit('ScatterND', [data, idx, updates], { reduction: attr.string(reduction) }, { dtype: data.dtype, shape: data.shape });
}

/** Zeros (or `value`) of a run-time shape given as an int64 1-D tensor. */
export function constantOfShape(shapeTensor: Tensor, shape: readonly Dim[], value: number, dtype: DType): Tensor {
  return emit('ConstantOfShape', [shapeTensor], { value: attr.tensor(dtype, [1], [value]) }, { dtype, shape });
}

export function range(start: Tensor, limit: Tensor, delta: Tensor, dim: Dim): Tensor {
  return emit('Range', [start, limit, delta], {}, { dtype: sameDType('Range', start, limit, delta), shape: [dim] });
}

/** Top-k along `axis` (k as a 1-element int64 tensor); returns [values, indices]. */
export function topK(x: Tensor, k: Tensor, axis: number, kDim: Dim, largest = true): [Tensor, Tensor] {
  const a = normAxis(axis, x.rank);
  const shape = x.shape.map((d, i) => (i === a ? kDim : d));
  const [v, i] = emitMany('TopK', [x, k], { axis: attr.int(a), largest: attr.int(largest ? 1 : 0), sorted: attr.int(1) }, [
    { dtype: x.dtype, shape },
    { dtype: 'int64', shape },
  ]);
  return [v!, i!];
}
