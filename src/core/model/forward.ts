// The looped transformer's forward pieces as graph-builder code, shared by the training graph
// (unrolled) and the inference graphs (ONNX Loop body). Activations are [b, W, d]; the batch dim
// b may be symbolic, W is static in training graphs and symbolic in inference graphs.
import type { Graph, Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import type { Dim } from '../onnx/shapes';
import { DEFAULT_LN_EPS, headDim, KEY_SCALE_GAIN } from './config';
import type { AttentionScale, LoopedConfig } from './config';

export type ParamTensors = Readonly<Record<string, Tensor>>;

/** Additive causal mask value: exp(score - 1e9) is exactly 0 in float32. */
export const MASKED_SCORE = -1e9;

/** The tensor of parameter `name` (an internal error when a graph builder asks for one that does not exist). */
export function param(p: ParamTensors, name: string): Tensor {
  const t = p[name];
  if (!t) throw new Error(`model graph: parameter ${name} is missing`);
  return t;
}

/** What every attention layer of a loop step shares: the causal mask and, unless the attention is the paper's, ln(keys). */
export interface AttentionFrame {
  /** [W, W] additive causal mask (0 where key <= query, MASKED_SCORE above the diagonal). */
  mask: Tensor;
  /** [W, 1] ln(query index + 1), the number of keys each query sees; absent for the paper's attention. */
  logKeys?: Tensor;
  /** 'log-keys': scores times logKeys; 'learned-log-keys': times (1 + keyScale logKeys), keyScale per head. */
  scale: AttentionScale;
}

/** The attention frame of a config at `width` positions (a symbolic width reads its size from `like`). */
export function attentionFrame(g: Graph, c: LoopedConfig, width: Dim, like?: Tensor): AttentionFrame {
  const scale = c.attentionScale ?? 'none';
  if (scale === 'none') return { mask: causalMask(g, width, like), scale };
  if (typeof width === 'number') {
    const logKeys = Array.from({ length: width }, (_, q) => Math.log(q + 1));
    return { mask: causalMask(g, width), logKeys: g.root.constant(logKeys, 'float32', [width, 1]), scale };
  }
  const idx = positions(g, width, like);
  const keys = op.cast(op.add(idx, g.root.scalar(1, 'int64')), 'float32');
  return { mask: causalMask(g, width, like), logKeys: op.unsqueeze(op.log(keys), [1]), scale };
}

/** [W] int64 positions 0..W-1 of a run-time width, read from dimension 1 of `like`. */
function positions(g: Graph, width: Dim, like?: Tensor): Tensor {
  if (!like) throw new Error('attention: a symbolic width needs a tensor to read it from');
  const w = op.slice(op.shapeOf(like), [1], [2], [0]);
  return op.range(g.root.scalar(0, 'int64'), op.squeeze(w, [0]), g.root.scalar(1, 'int64'), width);
}

/** [W, W] additive causal mask (0 where key <= query, MASKED_SCORE above the diagonal). */
export function causalMask(g: Graph, width: Dim, like?: Tensor): Tensor {
  if (typeof width === 'number') {
    const m: number[] = [];
    for (let q = 0; q < width; q++) for (let k = 0; k < width; k++) m.push(k > q ? MASKED_SCORE : 0);
    return g.root.constant(m, 'float32', [width, width]);
  }
  // Run-time width: compare a column of key indices with a row of query indices.
  const idx = positions(g, width, like);
  const above = op.greater(op.unsqueeze(idx, [0]), op.unsqueeze(idx, [1]));
  return op.where(above, g.root.scalar(MASKED_SCORE), g.root.scalar(0));
}

/** x W + b for x of rank 2 or 3; a static-width 3-D x is flattened to one Gemm. */
export function linear(x: Tensor, w: Tensor, b: Tensor): Tensor {
  if (x.rank === 2) return op.gemm(x, w, b);
  const width = x.shape[1]!;
  if (x.rank === 3 && typeof width === 'number') {
    const y = op.gemm(op.reshape(x, [-1, x.shape[2]!]), w, b);
    return op.reshape(y, [-1, width, w.shape[1]!]);
  }
  return op.add(op.matmul(x, w), b);
}

/** How a layer norm is emitted: one LayerNormalization op, or elementwise ops and means (faster in ONNX Runtime's CPU provider at small d, no mean/variance outputs). */
export type LayerNormOps = 'op' | 'decomposed';

function layerNorm(c: LoopedConfig, p: ParamTensors, prefix: string, x: Tensor, ops: LayerNormOps = 'op'): Tensor {
  const [scale, bias, eps] = [param(p, `${prefix}.weight`), param(p, `${prefix}.bias`), c.lnEps ?? DEFAULT_LN_EPS];
  if (ops === 'op') return op.layerNorm(x, scale, bias, eps)[0];
  return op.add(op.mul(op.normalizeParts(x, eps), scale), bias);
}

/** E(x): [b, W] int64 tokens -> [b, W, d]. A one-hot times a matrix is a row lookup. */
export function readIn(c: LoopedConfig, p: ParamTensors, tokens: Tensor): Tensor {
  const e = op.gather(param(p, 'readIn.weight'), tokens, 0);
  return c.readIn === 'linear' ? op.add(e, param(p, 'readIn.bias')) : e;
}

export function readOut(p: ParamTensors, h: Tensor): Tensor {
  return linear(h, param(p, 'readOut.weight'), param(p, 'readOut.bias'));
}

/**
 * Loop-invariant tensors derived from the parameters, computed once outside the loop: the qkv
 * weight split into q, k, v projections, with q pre-scaled by 1/sqrt(head dim) (so no per-step
 * Split of activations and no per-step scaling of scores).
 */
export function prepareLoopParams(c: LoopedConfig, p: ParamTensors): ParamTensors {
  const out: Record<string, Tensor> = { ...p };
  const d = c.d;
  const scale = 1 / Math.sqrt(headDim(c));
  for (let l = 0; l < c.layers; l++) {
    const pre = `layers.${l}.attn`;
    const [wq, wk, wv] = op.split(param(p, `${pre}.qkv.weight`), 1, [d, d, d]);
    const [bq, bk, bv] = op.split(param(p, `${pre}.qkv.bias`), 0, [d, d, d]);
    out[`${pre}.q.weight`] = op.mul(wq!, scale);
    out[`${pre}.q.bias`] = op.mul(bq!, scale);
    out[`${pre}.k.weight`] = wk!;
    out[`${pre}.k.bias`] = bk!;
    out[`${pre}.v.weight`] = wv!;
    out[`${pre}.v.bias`] = bv!;
  }
  return out;
}

/** Causal multi-head self-attention; pushes the [b, heads, W, W] probabilities when asked. Needs prepareLoopParams. */
function attention(c: LoopedConfig, p: ParamTensors, prefix: string, x: Tensor, frame: AttentionFrame, probsOut?: Tensor[]): Tensor {
  const [b, W, d] = x.shape as [Dim, Dim, number];
  const H = c.heads;
  const hd = headDim(c);
  const proj = (name: string, perm: number[]): Tensor =>
    op.transpose(op.reshape(linear(x, param(p, `${prefix}.${name}.weight`), param(p, `${prefix}.${name}.bias`)), [b, W, H, hd]), perm);
  const qh = scaleQueries(proj('q', [0, 2, 1, 3]), frame, p, prefix); // [b, H, W, hd], already scaled by 1/sqrt(hd)
  const kt = proj('k', [0, 2, 3, 1]); // [b, H, hd, W]
  const vh = proj('v', [0, 2, 1, 3]); // [b, H, W, hd]
  const probs = op.softmax(op.add(op.matmul(qh, kt), frame.mask), -1);
  probsOut?.push(probs);
  const ctx = op.reshape(op.transpose(op.matmul(probs, vh), [0, 2, 1, 3]), [b, W, d]);
  return linear(ctx, param(p, `${prefix}.proj.weight`), param(p, `${prefix}.proj.bias`));
}

/**
 * q [b, H, W, hd] times the frame's per-query scale (per head too when learned): the same as scaling
 * each query's row of scores, on hd columns instead of W. `prefix` names the layer's attention.
 */
export function scaleQueries(q: Tensor, frame: AttentionFrame, p: ParamTensors, prefix: string): Tensor {
  if (!frame.logKeys) return q;
  if (frame.scale === 'log-keys') return op.mul(q, frame.logKeys);
  const perHead = op.unsqueeze(op.mul(param(p, `${prefix}.keyScale`), KEY_SCALE_GAIN), [1, 2]); // s, [H, 1, 1]
  return op.mul(q, op.add(op.mul(perHead, frame.logKeys), 1)); // q (1 + s ln keys), [H, W, 1] broadcast
}

function mlp(p: ParamTensors, prefix: string, x: Tensor): Tensor {
  const hidden = op.gelu(linear(x, param(p, `${prefix}.fc.weight`), param(p, `${prefix}.fc.bias`)), 'tanh');
  return linear(hidden, param(p, `${prefix}.proj.weight`), param(p, `${prefix}.proj.bias`));
}

/** One loop iteration: L pre-LN GPT-2 layers, then ln_f (inside the loop). */
export function loopIteration(c: LoopedConfig, p: ParamTensors, x: Tensor, frame: AttentionFrame, probsOut?: Tensor[], norm: LayerNormOps = 'op'): Tensor {
  let h = x;
  for (let l = 0; l < c.layers; l++) {
    const pre = `layers.${l}`;
    h = op.add(h, attention(c, p, `${pre}.attn`, layerNorm(c, p, `${pre}.ln1`, h, norm), frame, probsOut));
    h = op.add(h, mlp(p, `${pre}.mlp`, layerNorm(c, p, `${pre}.ln2`, h, norm)));
  }
  return layerNorm(c, p, 'lnF', h, norm);
}
