// ONNX Loop with loop-carried values and scan outputs, built from a TypeScript callback.
import { attr } from '../graph';
import type { Graph, Tensor } from '../graph';
import type { Dim } from '../shapes';

export interface LoopBody {
  /** Values for the next iteration, same dtypes/shapes as the initial ones. */
  carried: Tensor[];
  /** Per-iteration values stacked on a new leading axis of the Loop's outputs. */
  scans: Tensor[];
  /** Continue condition (bool scalar); the loop runs all `tripCount` iterations when omitted. */
  cond?: Tensor;
}

/** Keeps each body output a distinct value produced inside the body, as ONNX requires. */
function owned(body: Graph, t: Tensor): Tensor {
  const ok = t.graph === body && !body.inputs.includes(t) && !body.outputs.includes(t);
  return ok ? t : forceInto(body, t);
}

function forceInto(body: Graph, t: Tensor): Tensor {
  return body.addNode('Identity', [t], {}, [{ dtype: t.dtype, shape: t.shape }])[0]!;
}

/**
 * Runs `build` once to make the body graph. `tripCount` is an int64 scalar tensor. `iterDim` names
 * the leading dim of the scan outputs. Returns the final carried values and the stacked scans.
 */
export function loop(
  outer: Graph,
  tripCount: Tensor,
  initial: readonly Tensor[],
  iterDim: Dim,
  build: (iter: Tensor, carried: Tensor[]) => LoopBody,
): { final: Tensor[]; scans: Tensor[] } {
  const body = outer.subgraph(outer.freshName('loop_body'));
  const iter = body.input(body.freshName('iter'), 'int64', []);
  const condIn = body.input(body.freshName('cond_in'), 'bool', []);
  const carriedIn = initial.map((t) => body.input(body.freshName(`${t.name}_in`), t.dtype, t.shape));
  const result = build(iter, carriedIn);
  if (result.carried.length !== initial.length) throw new Error('Loop: body must return one value per carried input');
  const condOut = result.cond ? owned(body, result.cond) : forceInto(body, condIn);
  body.outputs.push(condOut);
  for (const t of [...result.carried, ...result.scans]) body.outputs.push(owned(body, t));
  const outs = [
    ...initial.map((t) => ({ dtype: t.dtype, shape: t.shape })),
    ...result.scans.map((t) => ({ dtype: t.dtype, shape: [iterDim, ...t.shape] })),
  ];
  const values = outer.addNode('Loop', [tripCount, undefined, ...initial], { body: attr.graph(body) }, outs);
  return { final: values.slice(0, initial.length), scans: values.slice(initial.length) };
}
