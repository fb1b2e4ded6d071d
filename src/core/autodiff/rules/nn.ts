// Gradient rules of Softmax, LogSoftmax, LayerNormalization and the NormalizeParts composite.
import * as op from '../../onnx/ops';
import type { Tensor } from '../../onnx/graph';
import { registerGradient } from '../registry';

function axisOf(node: { attrs: Readonly<Record<string, { value: unknown }>> }, dflt: number): number {
  const a = node.attrs.axis;
  return a ? (a.value as number) : dflt;
}

registerGradient('Softmax', ({ node, gy }) => {
  const y = node.outputs[0]!;
  const axis = axisOf(node, -1);
  // dx = y * (dy - sum(dy * y))
  const s = op.reduceSum(op.mul(gy[0]!, y), [axis], true);
  return [op.mul(y, op.sub(gy[0]!, s))];
});

registerGradient('LogSoftmax', ({ node, gy }) => {
  const y = node.outputs[0]!;
  const axis = axisOf(node, -1);
  // dx = dy - softmax * sum(dy)
  const s = op.reduceSum(gy[0]!, [axis], true);
  return [op.sub(gy[0]!, op.mul(op.exp(y), s))];
});

registerGradient('LayerNormalization', ({ node, gy, needs }) => {
  const [x, scale, bias] = node.inputs as Tensor[];
  const [, mean, invF] = node.outputs;
  if (gy[1] || gy[2]) throw new Error('LayerNormalization gradient: Mean/InvStdDev outputs cannot be differentiated');
  const axis = axisOf(node, -1);
  if (axis !== -1 && axis !== x!.rank - 1) throw new Error('LayerNormalization gradient: only the last axis is supported');
  const g = gy[0]!;
  const inv = op.cast(invF!, x!.dtype);
  const xhat = op.mul(op.sub(x!, op.cast(mean!, x!.dtype)), inv);
  const lead = x!.shape.slice(0, -1).map((_, i) => i);
  let gx: Tensor | undefined;
  if (needs[0]) {
    const gxhat = op.mul(g, scale!);
    const m1 = op.reduceMean(gxhat, [-1], true);
    const m2 = op.reduceMean(op.mul(gxhat, xhat), [-1], true);
    gx = op.mul(op.sub(op.sub(gxhat, m1), op.mul(xhat, m2)), inv);
  }
  const gscale = needs[1] ? op.reduceSum(op.mul(g, xhat), lead) : undefined;
  const gbias = bias && needs[2] ? op.reduceSum(g, lead) : undefined;
  return [gx, gscale, gbias];
});

registerGradient('NormalizeParts', ({ node, gy }) => {
  const [xhat, inv] = node.outputs;
  if (gy[1]) throw new Error('NormalizeParts gradient: only its result can be differentiated');
  const g = gy[0]!;
  // dx = inv * (g - mean(g) - xhat * mean(g xhat))
  const m1 = op.reduceMean(g, [-1], true);
  const m2 = op.reduceMean(op.mul(g, xhat!), [-1], true);
  return [op.mul(op.sub(op.sub(g, m1), op.mul(xhat!, m2)), inv!)];
});
