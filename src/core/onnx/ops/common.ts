// Shared plumbing of the op helpers: picking the graph a node belongs to and turning JS numbers
// into constants of the right dtype.
import { Graph, Tensor } from '../graph';
import type { AttrValue, DType } from '../graph';
import type { Shape } from '../shapes';

export type Operand = Tensor | number;

function depth(g: Graph): number {
  return g.parent ? depth(g.parent) + 1 : 0;
}

/** The innermost graph among the inputs' graphs (a node may read outer-scope tensors). */
export function graphOf(...xs: (Tensor | undefined)[]): Graph {
  let best: Graph | undefined;
  for (const x of xs) {
    if (!x) continue;
    if (!best || depth(x.graph) > depth(best)) best = x.graph;
  }
  if (!best) throw new Error('an op needs at least one tensor input');
  for (const x of xs) {
    if (!x) continue;
    let g: Graph | undefined = best;
    while (g && g !== x.graph) g = g.parent;
    if (!g) throw new Error(`tensor ${x.name} belongs to a graph that is not in scope`);
  }
  return best;
}

/** Converts numbers to scalar constants with the dtype of the first tensor operand. */
export function operands(...xs: Operand[]): Tensor[] {
  const ref = xs.find((x): x is Tensor => x instanceof Tensor);
  if (!ref) throw new Error('an op needs at least one tensor operand');
  return xs.map((x) => (x instanceof Tensor ? x : ref.graph.root.scalar(x, ref.dtype)));
}

export function emit(op: string, inputs: readonly (Tensor | undefined)[], attrs: Record<string, AttrValue>, out: { dtype: DType; shape: Shape }): Tensor {
  return graphOf(...inputs).addNode(op, inputs, attrs, [out])[0]!;
}

export function emitMany(op: string, inputs: readonly (Tensor | undefined)[], attrs: Record<string, AttrValue>, outs: readonly { dtype: DType; shape: Shape }[]): Tensor[] {
  return graphOf(...inputs).addNode(op, inputs, attrs, outs);
}

export function sameDType(op: string, ...xs: Tensor[]): DType {
  const d = xs[0]!.dtype;
  for (const x of xs) if (x.dtype !== d) throw new Error(`${op}: dtype mismatch (${xs.map((t) => t.toString()).join(', ')})`);
  return d;
}
