// The loop iteration as the training graph runs it: the same function as forward.ts's
// loopIteration, laid out for fewer and larger kernels. A state is [rows, d] with rows = examples x W
// (W static), so every linear layer is one Gemm with no reshapes around it; q, k and v come from
// one Gemm; the attention's transposes are folded into FusedMatMul; LayerNorm is the NormalizeParts
// composite, with ln1's and ln2's scale and bias folded into the Gemm after them. The PyTorch
// cross-check (test/unit/model/torchParity.test.ts) holds this graph to the reference implementation.
import type { Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { dimDiv } from '../onnx/shapes';
import { DEFAULT_LN_EPS, headDim } from './config';
import type { LoopedConfig } from './config';
import { param, scaleQueries, type AttentionFrame, type ParamTensors } from './forward';

/**
 * Loop-invariant weights, computed once per step outside the loop: ln1's and ln2's scale and bias
 * folded into the Gemm that follows each (LN(x) W + c = xhat (diag(s) W) + (b W + c)), so inside
 * the loop those layer norms are a bare normalisation and their parameters' gradients are summed
 * over iterations by the Gemms' weight gradients; and the qkv columns of q divided by sqrt(head dim).
 */
export function prepareRowParams(c: LoopedConfig, p: ParamTensors): ParamTensors {
  const out: Record<string, Tensor> = { ...p };
  const fold = (ln: string, linear: string, columnScale?: Tensor): void => {
    const [s, b, w, bias] = [`${ln}.weight`, `${ln}.bias`, `${linear}.weight`, `${linear}.bias`].map((n) => param(p, n));
    const weight = op.mul(w!, op.unsqueeze(s!, [1]));
    const shift = op.reshape(op.gemm(op.unsqueeze(b!, [0]), w!, bias!), [w!.shape[1]!]);
    out[`${linear}.weight`] = columnScale ? op.mul(weight, columnScale) : weight;
    out[`${linear}.bias`] = columnScale ? op.mul(shift, columnScale) : shift;
  };
  const scale = 1 / Math.sqrt(headDim(c));
  for (let l = 0; l < c.layers; l++) {
    const qkv = `layers.${l}.attn.qkv`;
    const cols = param(p, `${qkv}.weight`).graph.root.constant(Array.from({ length: 3 * c.d }, (_, i) => (i < c.d ? scale : 1)), 'float32', [3 * c.d]);
    fold(`layers.${l}.ln1`, qkv, cols);
    fold(`layers.${l}.ln2`, `layers.${l}.mlp.fc`);
  }
  return out;
}

function normalize(c: LoopedConfig, x: Tensor): Tensor {
  return op.normalizeParts(x, c.lnEps ?? DEFAULT_LN_EPS);
}

/** Causal multi-head self-attention of [rows, d] rows of `width` positions each. Needs prepareRowParams. */
function attention(c: LoopedConfig, p: ParamTensors, prefix: string, x: Tensor, width: number, frame: AttentionFrame): Tensor {
  const rows = x.shape[0]!;
  const examples = dimDiv(rows, width);
  const qkv = op.gemm(x, param(p, `${prefix}.qkv.weight`), param(p, `${prefix}.qkv.bias`)); // [rows, 3d]
  const heads = op.transpose(op.reshape(qkv, [examples, width, 3, c.heads, headDim(c)]), [2, 0, 3, 1, 4]); // [3, b, H, W, hd]
  const [q, k, v] = op.split(heads, 0, [1, 1, 1]).map((t) => op.squeeze(t, [0]));
  const probs = op.softmax(op.add(op.fusedMatMul(scaleQueries(q!, frame, p, prefix), k!, { transB: true }), frame.mask), -1);
  const ctx = op.reshape(op.transpose(op.matmul(probs, v!), [0, 2, 1, 3]), [rows, c.d]);
  return op.gemm(ctx, param(p, `${prefix}.proj.weight`), param(p, `${prefix}.proj.bias`));
}

function mlp(p: ParamTensors, prefix: string, x: Tensor): Tensor {
  const hidden = op.gelu(op.gemm(x, param(p, `${prefix}.fc.weight`), param(p, `${prefix}.fc.bias`)), 'tanh');
  return op.gemm(hidden, param(p, `${prefix}.proj.weight`), param(p, `${prefix}.proj.bias`));
}

/** One loop iteration on [rows, d] (rows = examples x width): L pre-LN GPT-2 layers, then ln_f. Needs prepareRowParams. */
export function rowIteration(c: LoopedConfig, p: ParamTensors, x: Tensor, width: number, frame: AttentionFrame): Tensor {
  let h = x;
  for (let l = 0; l < c.layers; l++) {
    const pre = `layers.${l}`;
    h = op.add(h, attention(c, p, `${pre}.attn`, normalize(c, h), width, frame));
    h = op.add(h, mlp(p, `${pre}.mlp`, normalize(c, h)));
  }
  return op.add(op.mul(normalize(c, h), param(p, 'lnF.weight')), param(p, 'lnF.bias'));
}
