// Gradient rules of reductions and indexing (Gather / GatherElements scatter-add back).
import * as op from '../../onnx/ops';
import type { Tensor } from '../../onnx/graph';
import { normAxis } from '../../onnx/shapes';
import { registerGradient } from '../registry';
import { constInts, zerosLike } from '../reduceTo';

/** Reduction axes of a Reduce* node (opset 18: second input; none = all axes). */
function reducedAxes(node: { inputs: readonly (Tensor | undefined)[] }, x: Tensor): number[] {
  const t = node.inputs[1];
  return t ? constInts(t, 'reduction axes').map((a) => normAxis(a, x.rank)) : x.shape.map((_, i) => i);
}

/** Broadcasts the gradient of a reduction back over the reduced axes. */
function spread(node: { inputs: readonly (Tensor | undefined)[]; attrs: Readonly<Record<string, { value: unknown }>> }, g: Tensor): Tensor {
  const x = node.inputs[0]!;
  const axes = reducedAxes(node, x);
  const keep = node.attrs.keepdims ? (node.attrs.keepdims.value as number) : 1;
  const kept = keep ? g : op.unsqueeze(g, axes);
  return op.expand(kept, x.shape.every((d) => typeof d === 'number') ? (x.shape as number[]) : x);
}

function count(node: { inputs: readonly (Tensor | undefined)[] }): number {
  const x = node.inputs[0]!;
  let n = 1;
  for (const a of reducedAxes(node, x)) {
    const d = x.shape[a];
    if (typeof d !== 'number') throw new Error('ReduceMean gradient: reduced axes must have static size');
    n *= d;
  }
  return n;
}

registerGradient('ReduceSum', ({ node, gy }) => [spread(node, gy[0]!)]);
registerGradient('ReduceMean', ({ node, gy }) => [spread(node, op.mul(gy[0]!, 1 / count(node)))]);
registerGradient('ReduceSumSquare', ({ node, gy }) => [op.mul(spread(node, gy[0]!), op.mul(node.inputs[0]!, 2))]);

registerGradient('Gather', ({ node, gy }) => {
  const [x, idx] = node.inputs as Tensor[];
  const axis = node.attrs.axis ? (node.attrs.axis.value as number) : 0;
  if (normAxis(axis, x!.rank) !== 0) throw new Error('Gather gradient: only axis 0 is supported');
  // Repeated indices accumulate: ScatterND with reduction="add".
  return [op.scatterND(zerosLike(x!), op.unsqueeze(idx!, [-1]), gy[0]!, 'add'), undefined];
});

registerGradient('GatherElements', ({ node, gy }) => {
  const [x, idx] = node.inputs as Tensor[];
  const axis = node.attrs.axis ? (node.attrs.axis.value as number) : 0;
  return [op.scatterElements(zerosLike(x!), idx!, gy[0]!, axis, 'add'), undefined];
});
