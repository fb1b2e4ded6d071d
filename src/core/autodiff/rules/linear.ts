// Gradient rules of MatMul, FusedMatMul and Gemm. No Transpose is materialised where a flag can
// say it: 2-D cases use Gemm's transpose flags, batched ones with equal batch dims FusedMatMul's;
// a batched activation times a 2-D weight is flattened to one big Gemm for the weight gradient
// instead of a batched MatMul followed by a sum.
import * as op from '../../onnx/ops';
import type { Tensor } from '../../onnx/graph';
import { registerGradient } from '../registry';
import { dimEq } from '../../onnx/shapes';
import { swapLast, unbroadcast } from '../reduceTo';

registerGradient('MatMul', ({ node, gy, needs }) => {
  const [a, b] = node.inputs as Tensor[];
  const g = gy[0]!;
  if (a!.rank === 2 && b!.rank === 2) {
    return [needs[0] ? op.gemm(g, b!, undefined, { transB: true }) : undefined, needs[1] ? op.gemm(a!, g, undefined, { transA: true }) : undefined];
  }
  if (a!.rank === b!.rank && a!.shape.slice(0, -2).every((d, i) => dimEq(d, b!.shape[i]!))) {
    return [needs[0] ? op.fusedMatMul(g, b!, { transB: true }) : undefined, needs[1] ? op.fusedMatMul(a!, g, { transA: true }) : undefined];
  }
  let ga: Tensor | undefined;
  let gb: Tensor | undefined;
  if (needs[0]) ga = unbroadcast(op.matmul(g, swapLast(b!)), a!);
  if (needs[1]) {
    if (b!.rank === 2) {
      const k = a!.shape[a!.rank - 1]!;
      const n = g.shape[g.rank - 1]!;
      gb = op.gemm(op.reshape(a!, [-1, k]), op.reshape(g, [-1, n]), undefined, { transA: true });
    } else {
      gb = unbroadcast(op.matmul(swapLast(a!), g), b!);
    }
  }
  return [ga, gb];
});

registerGradient('FusedMatMul', ({ node, gy, needs }) => {
  const [a, b] = node.inputs as Tensor[];
  const g = gy[0]!;
  const tA = flag(node, 'transA', 0) === 1;
  const tB = flag(node, 'transB', 0) === 1;
  const alpha = flag(node, 'alpha', 1);
  if (flag(node, 'transBatchA', 0) || flag(node, 'transBatchB', 0)) throw new Error('FusedMatMul gradient: transBatchA/B are not supported');
  // Y = alpha op(A) op(B)
  let ga: Tensor | undefined;
  let gb: Tensor | undefined;
  if (needs[0]) ga = tA ? op.fusedMatMul(b!, g, { transA: tB, transB: true, alpha }) : op.fusedMatMul(g, b!, { transB: !tB, alpha });
  if (needs[1]) gb = tB ? op.fusedMatMul(g, a!, { transA: true, transB: tA, alpha }) : op.fusedMatMul(a!, g, { transA: !tA, alpha });
  return [ga, gb];
});

function flag(node: { attrs: Readonly<Record<string, { type: string; value: unknown }>> }, name: string, dflt: number): number {
  const a = node.attrs[name];
  return a ? (a.value as number) : dflt;
}

registerGradient('Gemm', ({ node, gy, needs }) => {
  const [a, b, c] = node.inputs as Tensor[];
  const g = gy[0]!;
  const tA = flag(node, 'transA', 0) === 1;
  const tB = flag(node, 'transB', 0) === 1;
  const alpha = flag(node, 'alpha', 1);
  const beta = flag(node, 'beta', 1);
  let ga: Tensor | undefined;
  let gb: Tensor | undefined;
  // Y = alpha op(A) op(B) + beta C
  if (needs[0]) ga = tA ? op.gemm(b!, g, undefined, { transA: tB, transB: true, alpha }) : op.gemm(g, b!, undefined, { transB: !tB, alpha });
  if (needs[1]) gb = tB ? op.gemm(g, a!, undefined, { transA: true, transB: tA, alpha }) : op.gemm(a!, g, undefined, { transA: !tA, alpha });
  const gc = c && needs[2] ? unbroadcast(beta === 1 ? g : op.mul(g, beta), c) : undefined;
  return [ga, gb, gc];
});
