// A training step's update as a graph of its own: global-norm clipping and AdamW over the flat
// parameters, from a gradient computed elsewhere (the shares of a data-parallel step, summed). The
// whole-step graph (trainGraph.ts) ends with the same ops, so both paths update alike.
import { Graph } from '../onnx/graph';
import type { Tensor } from '../onnx/graph';
import { adamwScalars, adamwUpdate, clipByGlobalNorm, globalNorm, PAPER_ADAMW } from '../optim/adamw';
import type { AdamWOptions } from '../optim/adamw';
import { trainNames as n } from './trainGraph';

/** Adds the AdamW update of `flat` by `grad` (clipped first) to `g`: inputs m, v, step and lr; outputs the gradient norm and the new parameters and moments. */
export function applyUpdate(g: Graph, flat: Tensor, grad: Tensor, opt: AdamWOptions): void {
  const P = flat.shape[0]!;
  const m = g.input(n.m, 'float32', [P]);
  const v = g.input(n.v, 'float32', [P]);
  const step = g.input(n.step, 'int64', []);
  const lr = g.input(n.lr, 'float64', []);
  const norm = globalNorm([grad]);
  const clipped = opt.maxGradNorm === null ? grad : clipByGlobalNorm([grad], norm, opt.maxGradNorm)[0]!;
  const [p1, m1, v1] = adamwUpdate(flat, clipped, m, v, adamwScalars(step, lr, opt), opt);
  g.output(norm, n.gradNorm);
  g.output(p1, n.newParams);
  g.output(m1, n.newM);
  g.output(v1, n.newV);
}

/** The update alone for `P` flat parameters: inputs params, grad (float32 [P]), m, v, step, lr. */
export function buildUpdateGraph(P: number, optimizer: AdamWOptions = PAPER_ADAMW): Graph {
  if (!Number.isInteger(P) || P < 1) throw new Error(`update graph: the parameter count must be a positive integer, got ${P}`);
  const g = new Graph('looplens_update_step');
  const flat = g.input(n.params, 'float32', [P]);
  applyUpdate(g, flat, g.input(n.flatGrad, 'float32', [P]), optimizer);
  return g;
}
