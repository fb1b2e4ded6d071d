// The training-step graph: forward through H unrolled loop iterations with shared weights, each
// example read at its own step T(n_i), masked cross-entropy, full backprop, global-norm clipping
// and AdamW — one ONNX graph per (batch, width, horizon).
//
// Work saving (exact, not an approximation): examples are sorted by T(n_i), descending, inside
// the graph. Iteration t then only runs the c_t = #{i : T(n_i) >= t} examples that still need it
// (a prefix of the sorted batch): an example's rows never interact with other examples' rows, so
// the rows dropped after their read-out step cannot change the loss. For a uniform mix of lengths
// this halves the arithmetic compared with running every example for all H iterations.
import { Graph } from '../onnx/graph';
import type { Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { gradients } from '../autodiff';
import { adamwScalars, adamwUpdate, clipByGlobalNorm, globalNorm, PAPER_ADAMW } from '../optim/adamw';
import type { AdamWOptions } from '../optim/adamw';
import { validateConfig } from './config';
import type { LoopedConfig } from './config';
import { causalMask, loopIteration, prepareLoopParams, readIn, readOut } from './forward';
import { paramSpecs } from './params';

export interface TrainGraphSpec {
  config: LoopedConfig;
  batch: number;
  width: number;
  /** Loop iterations unrolled; every T(n_i) must be in [1, horizon]. */
  horizon: number;
  optimizer?: AdamWOptions;
  /** Also output the (unclipped) gradients `grad.<name>` and the read-out `debug.logits` (sorted order) with `debug.order`. */
  debugOutputs?: boolean;
}

/** Graph input/output names (params, moments: one per ParamSpec.name). */
export const trainNames = {
  param: (name: string): string => `p.${name}`,
  m: (name: string): string => `m.${name}`,
  v: (name: string): string => `v.${name}`,
  newParam: (name: string): string => `new.p.${name}`,
  newM: (name: string): string => `new.m.${name}`,
  newV: (name: string): string => `new.v.${name}`,
  grad: (name: string): string => `grad.${name}`,
  /** int64 scalar: the 1-based count of this update (bias correction). */
  step: 'step',
  /** float64 scalar learning rate. */
  lr: 'lr',
  tokens: 'tokens',
  targets: 'targets',
  mask: 'mask',
  steps: 'steps',
  loss: 'loss',
  gradNorm: 'grad_norm',
} as const;

/** Masked mean cross-entropy: sum over masked tokens of -log p(target) / number of masked tokens. */
export function maskedCrossEntropy(logits: Tensor, targets: Tensor, mask: Tensor): Tensor {
  const logp = op.logSoftmax(logits, -1);
  const picked = op.squeeze(op.gatherElements(logp, op.unsqueeze(targets, [-1]), -1), [-1]);
  return op.div(op.neg(op.reduceSum(op.mul(picked, mask))), op.reduceSum(mask));
}

export function buildTrainGraph(spec: TrainGraphSpec): Graph {
  const c = validateConfig(spec.config);
  const { batch: B, width: W, horizon: H } = spec;
  for (const [k, v] of Object.entries({ batch: B, width: W, horizon: H })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`training graph: ${k} must be a positive integer, got ${v}`);
  }
  const opt = spec.optimizer ?? PAPER_ADAMW;
  const n = trainNames;
  const g = new Graph('looplens_train_step');
  const specs = paramSpecs(c);
  const p: Record<string, Tensor> = {};
  for (const s of specs) p[s.name] = g.input(n.param(s.name), 'float32', s.shape);
  const ms = specs.map((s) => g.input(n.m(s.name), 'float32', s.shape));
  const vs = specs.map((s) => g.input(n.v(s.name), 'float32', s.shape));
  const step = g.input(n.step, 'int64', []);
  const lr = g.input(n.lr, 'float64', []);
  const tokens = g.input(n.tokens, 'int64', [B, W]);
  const targets = g.input(n.targets, 'int64', [B, W]);
  const mask = g.input(n.mask, 'float32', [B, W]);
  const steps = g.input(n.steps, 'int64', [B]);

  // Sort by T(n_i) descending; c_t = number of examples still running at iteration t.
  const [sorted, order] = op.topK(steps, g.ints([B]), 0, B, true);
  const tok = op.gather(tokens, order, 0);
  const tgt = op.gather(targets, order, 0);
  const msk = op.gather(mask, order, 0);
  const ts = g.constant(Array.from({ length: H }, (_, i) => i + 1), 'int64', [H, 1]);
  const counts = op.reduceSum(op.cast(op.greaterOrEqual(op.unsqueeze(sorted, [0]), ts), 'int64'), [1]); // [H]
  const count = (t: number): Tensor => (t > H ? g.ints([0]) : op.slice(counts, [t - 1], [t], [0]));

  const e = readIn(c, p, tok); // [B, W, d]
  const lp = prepareLoopParams(c, p);
  const attnMask = causalMask(g, W);
  const zero = g.ints([0]);
  const finals: Tensor[] = [];
  let h: Tensor | undefined;
  for (let t = 1; t <= H; t++) {
    const ct = count(t);
    const rows = `c${t}`;
    const live = (x: Tensor): Tensor => op.slice(x, zero, ct, [0], [rows]);
    // t = 1: h_0 + E(x) = E(x) with injection (h_0 = 0), and h_0 = E(x) without.
    const x = !h ? e : c.inputInjection ? op.add(live(h), live(e)) : live(h);
    h = loopIteration(c, lp, x, attnMask);
    // Examples with T(n_i) == t are rows [c_{t+1}, c_t) of this iteration's state.
    finals.push(op.slice(h, count(t + 1), ct, [0], [`done${t}`]));
  }
  // Rows in sorted order: iteration H's finishers first, iteration 1's last.
  const hFinal = op.assumeShape(op.concat(finals.reverse(), 0), [B, W, c.d]);
  const logits = readOut(p, hFinal);
  const loss = maskedCrossEntropy(logits, tgt, msk);

  const params = specs.map((s) => p[s.name]!);
  const grads = gradients(loss, params);
  const norm = globalNorm(grads);
  const clipped = opt.maxGradNorm === null ? grads : clipByGlobalNorm(grads, norm, opt.maxGradNorm);
  const scalars = adamwScalars(step, lr, opt);
  g.output(loss, n.loss);
  g.output(norm, n.gradNorm);
  specs.forEach((s, i) => {
    const [p1, m1, v1] = adamwUpdate(params[i]!, clipped[i]!, ms[i]!, vs[i]!, scalars, opt);
    g.output(p1, n.newParam(s.name));
    g.output(m1, n.newM(s.name));
    g.output(v1, n.newV(s.name));
  });
  if (spec.debugOutputs) {
    specs.forEach((s, i) => g.output(grads[i]!, n.grad(s.name)));
    g.output(logits, 'debug.logits');
    g.output(order, 'debug.order');
  }
  return g;
}
