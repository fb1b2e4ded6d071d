// Reverse-mode autodiff over a builder Graph: walks the nodes backwards from the loss and asks
// the rule table for each op's input gradients, summing contributions of tensors used twice.
import './rules';
import { isFloat } from '../onnx/graph';
import type { Composite, Node, Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { dimEq, shapeToString } from '../onnx/shapes';
import { gradientRule } from './registry';
import { zerosLike } from './reduceTo';
import { Accumulator } from './accumulate';

export interface GradientOptions {
  /** Gradient of the loss itself (defaults to ones of the loss's shape). */
  seed?: Tensor;
}

function asNode(c: Composite | undefined): Node | undefined {
  return c && { op: c.op, name: `composite ${c.op} -> ${c.outputs[0]!.name}`, inputs: c.inputs, outputs: c.outputs, attrs: c.attrs };
}

function checkShape(node: Node, x: Tensor, g: Tensor): void {
  const ok = g.rank === x.rank && g.shape.every((d, i) => dimEq(d, x.shape[i]!) || typeof d !== 'number' || typeof x.shape[i] !== 'number');
  if (!ok || g.dtype !== x.dtype) {
    throw new Error(`gradient rule of ${node.op} gave ${g.dtype}${shapeToString(g.shape)} for input ${x}`);
  }
}

/**
 * Emits into the loss's graph the gradients of `loss` with respect to each tensor of `wrt`.
 * A tensor the loss does not depend on gets zeros.
 */
export function gradients(loss: Tensor, wrt: readonly Tensor[], options: GradientOptions = {}): Tensor[] {
  const g = loss.graph;
  const nodes = g.nodes;

  // Forward: which tensors depend on a differentiated one.
  const requires = new Set<Tensor>(wrt);
  for (const n of nodes) {
    if (n.inputs.some((x) => x && requires.has(x))) for (const y of n.outputs) if (isFloat(y.dtype)) requires.add(y);
  }
  // Backward: which tensors the loss depends on.
  const reaches = new Set<Tensor>([loss]);
  for (let i = nodes.length - 1; i >= 0; i--) {
    const n = nodes[i]!;
    if (n.outputs.some((y) => reaches.has(y))) for (const x of n.inputs) if (x) reaches.add(x);
  }

  const pending = new Map<Tensor, Tensor[]>();
  const contribute = (x: Tensor, gx: Tensor): void => {
    const list = pending.get(x);
    if (list) list.push(gx);
    else pending.set(x, [gx]);
  };
  const accumulator = new Accumulator(g);
  const total = (x: Tensor): Tensor | undefined => {
    const list = pending.get(x);
    if (!list) return undefined;
    const s = list.length === 1 ? list[0]! : accumulator.sum(list);
    pending.set(x, [s]);
    return s;
  };

  contribute(loss, options.seed ?? (loss.rank === 0 ? g.root.scalar(1, loss.dtype) : op.add(zerosLike(loss), 1)));
  const stop = nodes.length;
  for (let i = stop - 1; i >= 0; i--) {
    // A composite is differentiated as one op at its result's node; its inner nodes then get no gradient and are skipped.
    const n: Node = asNode(g.compositeOf(nodes[i]!)) ?? nodes[i]!;
    if (!n.outputs.some((y) => reaches.has(y) && requires.has(y))) continue;
    const needs = n.inputs.map((x) => !!x && requires.has(x) && isFloat(x.dtype));
    if (!needs.some(Boolean)) continue;
    const gy = n.outputs.map((y) => total(y));
    if (gy.every((t) => t === undefined)) continue;
    const rule = gradientRule(n.op);
    if (!rule) throw new Error(`no gradient rule for ONNX op ${n.op} (node ${n.name}); register one in src/core/autodiff/rules`);
    const gx = rule({ node: n, gy, needs });
    n.inputs.forEach((x, k) => {
      const gk = gx[k];
      if (!x || !needs[k] || !gk) return;
      checkShape(n, x, gk);
      contribute(x, gk);
    });
  }
  const result = wrt.map((w) => total(w) ?? zerosLike(w));
  g.pruneFrom(stop, result);
  return result;
}
