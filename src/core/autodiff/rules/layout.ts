// Gradient rules of layout ops: Reshape, Transpose, (Un)Squeeze, Expand, Split, Concat, Slice, Pad.
import * as op from '../../onnx/ops';
import type { Tensor } from '../../onnx/graph';
import { normAxis } from '../../onnx/shapes';
import { registerGradient } from '../registry';
import { constInts, unbroadcast, zerosLike } from '../reduceTo';

registerGradient('Reshape', ({ node, gy }) => [op.reshapeLike(gy[0]!, node.inputs[0]!), undefined]);
registerGradient('Unsqueeze', ({ node, gy }) => [op.reshapeLike(gy[0]!, node.inputs[0]!), undefined]);
registerGradient('Squeeze', ({ node, gy }) => [op.reshapeLike(gy[0]!, node.inputs[0]!), undefined]);
registerGradient('Expand', ({ node, gy }) => [unbroadcast(gy[0]!, node.inputs[0]!), undefined]);

registerGradient('Transpose', ({ node, gy }) => {
  const perm = node.attrs.perm!.value as number[];
  return [op.transpose(gy[0]!, op.inversePerm(perm))];
});

registerGradient('Split', ({ node, gy }) => {
  const axis = node.attrs.axis ? (node.attrs.axis.value as number) : 0;
  const parts = node.outputs.map((y, i) => gy[i] ?? zerosLike(y));
  const x = node.inputs[0]!;
  return [op.concat(parts, axis, x.shape[normAxis(axis, x.rank)]), undefined];
});

/** Size of `x` along `axis` as a 1-element int64 tensor (static dims become constants). */
function dimTensor(x: Tensor, axis: number): Tensor {
  const d = x.shape[axis]!;
  if (typeof d === 'number') return x.graph.root.ints([d]);
  return op.slice(op.shapeOf(x), [axis], [axis + 1], [0]);
}

registerGradient('Concat', ({ node, gy, needs }) => {
  const axis = normAxis(node.attrs.axis!.value as number, node.outputs[0]!.rank);
  const g = gy[0]!;
  const xs = node.inputs as Tensor[];
  if (xs.every((x) => typeof x.shape[axis] === 'number')) {
    let start = 0;
    return xs.map((x, i) => {
      const len = x.shape[axis] as number;
      const piece = needs[i] ? op.slice(g, [start], [start + len], [axis]) : undefined;
      start += len;
      return piece;
    });
  }
  // Run-time sizes: one Split of the gradient into the inputs' sizes.
  const parts = op.split(g, axis, op.concat(xs.map((x) => dimTensor(x, axis)), 0), xs.map((x) => x.shape[axis]!));
  return parts.map((p, i) => (needs[i] ? p : undefined));
});

registerGradient('Slice', ({ node, gy }) => {
  const [x, starts, ends, axesT, steps] = node.inputs as (Tensor | undefined)[];
  if (steps && constInts(steps, 'Slice steps').some((s) => s !== 1)) throw new Error('Slice gradient: only step 1 is supported');
  const r = x!.rank;
  const axes = axesT ? constInts(axesT, 'Slice axes').map((a) => normAxis(a, r)) : x!.shape.map((_, i) => i);
  const root = x!.graph.root;
  const allStatic = starts!.data && ends!.data && axes.every((a) => typeof x!.shape[a] === 'number');
  if (allStatic) {
    const s = constInts(starts, 'starts');
    const e = constInts(ends, 'ends');
    const pads = new Array<number>(2 * r).fill(0);
    axes.forEach((a, k) => {
      const d = x!.shape[a] as number;
      const clamp = (v: number): number => Math.min(Math.max(v < 0 ? v + d : v, 0), d);
      pads[a] = clamp(s[k]!);
      pads[a + r] = d - Math.max(clamp(e[k]!), clamp(s[k]!));
    });
    return [op.pad(gy[0]!, root.ints(pads), x!.shape)];
  }
  // Run-time bounds: assumed non-negative; ends are clamped to the dim.
  const begin: Tensor[] = [];
  const end: Tensor[] = [];
  for (let a = 0; a < r; a++) {
    const k = axes.indexOf(a);
    if (k < 0) {
      begin.push(root.ints([0]));
      end.push(root.ints([0]));
      continue;
    }
    const pick = (t: Tensor): Tensor => (t.data ? root.ints([constInts(t, 'bound')[k]!]) : op.slice(t, [k], [k + 1], [0]));
    const dim = dimTensor(x!, a);
    const e = op.min2(pick(ends!), dim);
    begin.push(pick(starts!));
    end.push(op.sub(dim, e));
  }
  return [op.pad(gy[0]!, op.concat([...begin, ...end], 0), x!.shape)];
});

registerGradient('Pad', ({ node, gy }) => {
  const [x, pads] = node.inputs as Tensor[];
  const r = x!.rank;
  if (pads!.data && x!.shape.every((d) => typeof d === 'number')) {
    const p = constInts(pads, 'pads');
    return [op.slice(gy[0]!, p.slice(0, r), p.slice(0, r).map((b, i) => b + (x!.shape[i] as number)), x!.shape.map((_, i) => i)), undefined];
  }
  const begins = op.slice(pads!, [0], [r], [0]);
  return [op.slice(gy[0]!, begins, op.add(begins, op.shapeOf(x!)), x!.shape.map((_, i) => i), x!.shape), undefined];
});
