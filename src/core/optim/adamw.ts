// AdamW and global-norm clipping as graph pieces, matching torch.optim.AdamW (PyTorch 1.13,
// single-tensor path) and torch.nn.utils.clip_grad_norm_. The bias-correction scalars are computed
// in float64 inside the graph, as PyTorch computes them in Python floats.
import type { Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';

export interface AdamWOptions {
  beta1: number;
  beta2: number;
  eps: number;
  /** Decoupled weight decay, applied to every parameter (as torch.optim.AdamW(model.parameters())). */
  weightDecay: number;
  /** Clip the gradients to this global L2 norm before the update; null: no clipping. */
  maxGradNorm: number | null;
}

/** The paper's optimizer: betas (0.9, 0.999), eps 1e-8, weight decay 0.01, clipping at 1.0. */
export const PAPER_ADAMW: AdamWOptions = { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1.0 };

/** sqrt of the sum of squares of every gradient (a float32 scalar). */
export function globalNorm(grads: readonly Tensor[]): Tensor {
  return op.sqrt(op.sum(grads.map((g) => op.reduceSumSquare(g))));
}

/** torch: g *= min(1, maxNorm / (norm + 1e-6)). */
export function clipByGlobalNorm(grads: readonly Tensor[], norm: Tensor, maxNorm: number): Tensor[] {
  const coef = op.min2(op.div(maxNorm, op.add(norm, 1e-6)), 1);
  return grads.map((g) => op.mul(g, coef));
}

export interface AdamWScalars {
  /** 1 - lr * weightDecay */
  decay: Tensor;
  /** lr / (1 - beta1^step) */
  stepSize: Tensor;
  /** sqrt(1 - beta2^step) */
  bc2Sqrt: Tensor;
}

/** Per-step scalars from `step` (int64 scalar, 1 for the first update) and `lr` (float64 scalar). */
export function adamwScalars(step: Tensor, lr: Tensor, o: AdamWOptions): AdamWScalars {
  const t = op.cast(step, 'float64');
  const bc1 = op.sub(1, op.pow(lr.graph.root.scalar(o.beta1, 'float64'), t));
  const bc2 = op.sub(1, op.pow(lr.graph.root.scalar(o.beta2, 'float64'), t));
  return {
    decay: op.cast(op.sub(1, op.mul(lr, o.weightDecay)), 'float32'),
    stepSize: op.cast(op.div(lr, bc1), 'float32'),
    bc2Sqrt: op.cast(op.sqrt(bc2), 'float32'),
  };
}

/** One AdamW update of one parameter: returns [param, m, v]. */
export function adamwUpdate(p: Tensor, g: Tensor, m: Tensor, v: Tensor, s: AdamWScalars, o: AdamWOptions): [Tensor, Tensor, Tensor] {
  const m1 = op.add(op.mul(m, o.beta1), op.mul(g, 1 - o.beta1));
  const v1 = op.add(op.mul(v, o.beta2), op.mul(op.mul(g, g), 1 - o.beta2));
  const denom = op.add(op.div(op.sqrt(v1), s.bc2Sqrt), o.eps);
  const p1 = op.sub(op.mul(p, s.decay), op.mul(op.div(m1, denom), s.stepSize));
  return [p1, m1, v1];
}
