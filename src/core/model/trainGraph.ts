// The training-step graph: forward through H unrolled loop iterations with shared weights, each
// example read at its own step T(n_i), masked cross-entropy, full backprop, global-norm clipping
// and AdamW — one ONNX graph per (batch, width, horizon); or, in 'gradient' mode, one share of a
// batch's gradient, for a data-parallel step (updateGraph.ts applies the shares' sum).
//
// Work saving (exact, not an approximation): examples are sorted by T(n_i), descending, inside
// the graph. Iteration t then only runs the c_t = #{i : T(n_i) >= t} examples that still need it
// (a prefix of the sorted batch): an example's rows never interact with other examples' rows, so
// the rows dropped after their read-out step cannot change the loss. For a uniform mix of lengths
// this halves the arithmetic compared with running every example for all H iterations.
//
// Layout (trainForward.ts): a state is [rows, d] with the live examples' rows first; iteration t
// splits its output into the rows that go on and those read out now (one Split, whose gradient is
// one Concat). Parameters, gradients and AdamW moments are flat [P] vectors in paramSpecs order,
// so the optimizer is a handful of ops over one tensor.
import { Graph } from '../onnx/graph';
import type { Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { dimMul } from '../onnx/shapes';
import { gradients } from '../autodiff';
import { PAPER_ADAMW } from '../optim/adamw';
import type { AdamWOptions } from '../optim/adamw';
import { validateConfig } from './config';
import type { LoopedConfig } from './config';
import { attentionFrame, readIn } from './forward';
import { paramSpecs, size } from './params';
import { prepareRowParams, rowIteration } from './trainForward';
import { applyUpdate } from './updateGraph';

export interface TrainGraphSpec {
  config: LoopedConfig;
  batch: number;
  width: number;
  /** Loop iterations unrolled; every T(n_i) must be in [1, horizon]. */
  horizon: number;
  optimizer?: AdamWOptions;
  /** Also output the (unclipped) gradients `grad.<name>` and the read-out `debug.logits` (sorted order) with `debug.order`. */
  debugOutputs?: boolean;
  /**
   * 'gradient': a share of a batch split between workers (dataParallel.ts): the loss divides by the
   * whole batch's masked-token count (input `denominator`), and the graph outputs that share of the
   * loss and the flat gradient (`grad`) instead of updating; updateGraph.ts applies their sum.
   * Default 'update': the whole step, AdamW included.
   */
  mode?: 'update' | 'gradient';
}

/** Graph input/output names. Parameters and moments are flat float32 [P] (packParams's order). */
export const trainNames = {
  params: 'params',
  m: 'm',
  v: 'v',
  newParams: 'new.params',
  newM: 'new.m',
  newV: 'new.v',
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
  /** float32 scalar ('gradient' mode): the masked-token count of the whole batch the share is cut from. */
  denominator: 'denominator',
  /** float32 [P] ('gradient' mode): the share's gradient, unclipped. */
  flatGrad: 'grad',
} as const;

/** Masked mean cross-entropy: sum over masked tokens of -log p(target) / number of masked tokens (or `denominator`). */
export function maskedCrossEntropy(logits: Tensor, targets: Tensor, mask: Tensor, denominator?: Tensor): Tensor {
  const logp = op.logSoftmax(logits, -1);
  const picked = op.squeeze(op.gatherElements(logp, op.unsqueeze(targets, [-1]), -1), [-1]);
  return op.div(op.neg(op.reduceSum(op.mul(picked, mask))), denominator ?? op.reduceSum(mask));
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
  const sizes = specs.map((s) => size(s.shape));
  const P = sizes.reduce((a, b) => a + b, 0);
  const gradientOnly = spec.mode === 'gradient';
  const flat = g.input(n.params, 'float32', [P]);
  const tokens = g.input(n.tokens, 'int64', [B, W]);
  const targets = g.input(n.targets, 'int64', [B, W]);
  const mask = g.input(n.mask, 'float32', [B, W]);
  const steps = g.input(n.steps, 'int64', [B]);
  const pieces = op.split(flat, 0, sizes);
  const p: Record<string, Tensor> = {};
  specs.forEach((s, i) => (p[s.name] = op.reshape(pieces[i]!, s.shape)));

  // Sort by T(n_i) descending; c_t = number of examples still running at iteration t.
  const [sorted, order] = op.topK(steps, g.ints([B]), 0, B, true);
  const rowsOf = (x: Tensor): Tensor => op.reshape(op.gather(x, order, 0), [B * W]);
  const tok = rowsOf(tokens);
  const tgt = rowsOf(targets);
  const msk = rowsOf(mask);
  const ts = g.constant(Array.from({ length: H + 1 }, (_, i) => i + 1), 'int64', [H + 1, 1]);
  const liveRows = op.mul(op.reduceSum(op.cast(op.greaterOrEqual(op.unsqueeze(sorted, [0]), ts), 'int64'), [1]), W); // [H+1]: c_t W
  // Iteration t splits its rows into [c_{t+1} W going on, (c_t - c_{t+1}) W read out]: pairs for t = 1..H, end to end.
  const going = op.slice(liveRows, [1], [H + 1], [0]);
  const splits = op.reshape(op.concat([op.unsqueeze(going, [1]), op.unsqueeze(op.sub(op.slice(liveRows, [0], [H], [0]), going), [1])], 1), [2 * H]);

  const e = readIn(c, p, tok); // [B W, d]
  const lp = prepareRowParams(c, p);
  const frame = attentionFrame(g, c, W);
  const finals: Tensor[] = [];
  let x = e; // rows of the examples still running
  let eLive = e;
  for (let t = 1; t <= H; t++) {
    const h = rowIteration(c, lp, x, W, frame);
    if (t === H) {
      finals.push(h); // every example still running ends here (T(n_i) <= H)
      break;
    }
    const parts = op.slice(splits, [2 * (t - 1)], [2 * t], [0]);
    const dims = [dimMul(W, `c${t + 1}`), dimMul(W, `done${t}`)];
    const [next, done] = op.split(h, 0, parts, dims);
    finals.push(done!);
    if (c.inputInjection) {
      eLive = op.split(eLive, 0, parts, dims)[0]!;
      x = op.add(next!, eLive);
    } else x = next!;
  }
  // Rows in sorted order: iteration H's finishers first, iteration 1's last.
  const hFinal = op.assumeShape(op.concat(finals.reverse(), 0), [B * W, c.d]);
  const logits = op.gemm(hFinal, p['readOut.weight']!, p['readOut.bias']!);
  const loss = maskedCrossEntropy(logits, tgt, msk, gradientOnly ? g.input(n.denominator, 'float32', []) : undefined);

  const [grad] = gradients(loss, [flat]);
  g.output(loss, n.loss);
  if (gradientOnly) g.output(grad!, n.flatGrad);
  else applyUpdate(g, flat, grad!, opt);
  if (spec.debugOutputs) {
    const gs = op.split(grad!, 0, sizes);
    specs.forEach((s, i) => g.output(op.reshape(gs[i]!, s.shape), n.grad(s.name)));
    g.output(op.reshape(logits, [B, W, c.vocabSize]), 'debug.logits');
    g.output(order, 'debug.order');
  }
  return g;
}
