// Gradient rules of elementwise ops (broadcasting reduced by unbroadcast).
import * as op from '../../onnx/ops';
import type { Tensor } from '../../onnx/graph';
import { registerGradient } from '../registry';
import { unbroadcast } from '../reduceTo';

const GELU_C = Math.sqrt(2 / Math.PI);
const GELU_K = 0.044715;

registerGradient('Identity', ({ gy }) => [gy[0]]);
registerGradient('Neg', ({ gy }) => [op.neg(gy[0]!)]);

registerGradient('Add', ({ node, gy, needs }) => {
  const [a, b] = node.inputs as Tensor[];
  return [needs[0] ? unbroadcast(gy[0]!, a!) : undefined, needs[1] ? unbroadcast(gy[0]!, b!) : undefined];
});

registerGradient('Sum', ({ node, gy, needs }) => node.inputs.map((x, i) => (needs[i] ? unbroadcast(gy[0]!, x!) : undefined)));

registerGradient('Sub', ({ node, gy, needs }) => {
  const [a, b] = node.inputs as Tensor[];
  return [needs[0] ? unbroadcast(gy[0]!, a!) : undefined, needs[1] ? unbroadcast(op.neg(gy[0]!), b!) : undefined];
});

registerGradient('Mul', ({ node, gy, needs }) => {
  const [a, b] = node.inputs as Tensor[];
  return [needs[0] ? unbroadcast(op.mul(gy[0]!, b!), a!) : undefined, needs[1] ? unbroadcast(op.mul(gy[0]!, a!), b!) : undefined];
});

registerGradient('Div', ({ node, gy, needs }) => {
  const [a, b] = node.inputs as Tensor[];
  const y = node.outputs[0]!;
  const ga = needs[0] || needs[1] ? op.div(gy[0]!, b!) : undefined;
  return [needs[0] ? unbroadcast(ga!, a!) : undefined, needs[1] ? unbroadcast(op.neg(op.mul(ga!, y)), b!) : undefined];
});

registerGradient('Pow', ({ node, gy, needs }) => {
  const [a, b] = node.inputs as Tensor[];
  const y = node.outputs[0]!;
  // d/da a^b = b a^(b-1); d/db a^b = a^b log a
  const ga = needs[0] ? unbroadcast(op.mul(gy[0]!, op.mul(b!, op.pow(a!, op.sub(b!, 1)))), a!) : undefined;
  const gb = needs[1] ? unbroadcast(op.mul(gy[0]!, op.mul(y, op.log(a!))), b!) : undefined;
  return [ga, gb];
});

registerGradient('Exp', ({ node, gy }) => [op.mul(gy[0]!, node.outputs[0]!)]);
registerGradient('Log', ({ node, gy }) => [op.div(gy[0]!, node.inputs[0]!)]);
registerGradient('Sqrt', ({ node, gy }) => [op.div(op.mul(gy[0]!, 0.5), node.outputs[0]!)]);
registerGradient('Reciprocal', ({ node, gy }) => {
  const y = node.outputs[0]!;
  return [op.neg(op.mul(gy[0]!, op.mul(y, y)))];
});
registerGradient('Tanh', ({ node, gy }) => {
  const y = node.outputs[0]!;
  return [op.mul(gy[0]!, op.sub(1, op.mul(y, y)))];
});
registerGradient('Sigmoid', ({ node, gy }) => {
  const y = node.outputs[0]!;
  return [op.mul(gy[0]!, op.mul(y, op.sub(1, y)))];
});
registerGradient('Relu', ({ node, gy }) => [op.where(op.greater(node.inputs[0]!, 0), gy[0]!, 0)]);

registerGradient('Gelu', ({ node, gy }) => {
  const x = node.inputs[0]!;
  const approx = node.attrs.approximate;
  if (!approx || approx.type !== 'string' || approx.value !== 'tanh') throw new Error('Gelu gradient: only approximate="tanh" is supported');
  // gelu(x) = x * A with A = 0.5 (1 + tanh(u)) = sigmoid(z), u = c (x + k x^3), z = 2u.
  // d/dx = A + x A' = A + A (1 - A) q with q = x dz/dx = z + 4 c k x^3. Written for few passes:
  // these tensors are the MLP's [rows, 4d] activations, so every op is a trip through memory.
  const x2 = op.mul(x, x);
  const z = op.mul(x, op.add(op.mul(x2, 2 * GELU_C * GELU_K), 2 * GELU_C));
  const a = op.sigmoid(z);
  const q = op.add(op.mul(op.mul(x, x2), 4 * GELU_C * GELU_K), z);
  const dx = op.add(op.mul(op.mul(op.sub(1, a), a), q), a);
  return [op.mul(gy[0]!, dx)];
});

registerGradient('Where', ({ node, gy, needs }) => {
  const [c, a, b] = node.inputs as Tensor[];
  return [
    undefined,
    needs[1] ? unbroadcast(op.where(c!, gy[0]!, 0), a!) : undefined,
    needs[2] ? unbroadcast(op.where(c!, 0, gy[0]!), b!) : undefined,
  ];
});

registerGradient('Cast', ({ node, gy }) => [op.cast(gy[0]!, node.inputs[0]!.dtype)]);
