// Helpers shared by gradient rules: undoing broadcasts, reading constant attributes-as-inputs.
import type { Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { broadcastAxes, dimEq } from '../onnx/shapes';

/** Sums `g` (shape of a broadcast result) back to the shape of `x`. */
export function unbroadcast(g: Tensor, x: Tensor): Tensor {
  if (g.rank === x.rank && g.shape.every((d, i) => dimEq(d, x.shape[i]!))) return g;
  const axes = broadcastAxes(x.shape, g.shape);
  // Only leading axes were added (a bias over rows): sum them away, no Reshape after.
  const lead = g.rank - x.rank;
  if (axes.length === lead && axes.every((a, i) => a === i)) return op.reduceSum(g, axes, false);
  const summed = axes.length > 0 ? op.reduceSum(g, axes, true) : g;
  return op.reshapeLike(summed, x);
}

/** Values of a constant int64 input (axes, shapes), or throws: a rule cannot handle run-time ones. */
export function constInts(t: Tensor | undefined, what: string): number[] {
  if (!t || !t.data) throw new Error(`${what} must be a constant`);
  return Array.from(t.data as ArrayLike<number | bigint>, (v) => Number(v));
}

/** Swaps the last two axes. */
export function swapLast(x: Tensor): Tensor {
  const perm = x.shape.map((_, i) => i);
  perm[x.rank - 1] = x.rank - 2;
  perm[x.rank - 2] = x.rank - 1;
  return op.transpose(x, perm);
}

/** Zeros with the (possibly run-time) shape of `x`. */
export function zerosLike(x: Tensor): Tensor {
  const dims = x.shape.every((d) => typeof d === 'number') ? x.graph.root.ints(x.shape as number[]) : op.shapeOf(x);
  return op.constantOfShape(dims, x.shape, 0, x.dtype);
}
