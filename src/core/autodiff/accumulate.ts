// Sums the gradient contributions of one tensor. A weight that the loop's iterations share gets
// one contribution X_t^T G_t per iteration: those become a single Gemm of the row-concatenated X and
// G (one large product instead of many small ones and a Sum), and its bias's ReduceSum(G_t) one
// ReduceSum of the same concatenated G. The per-iteration nodes are left dead; backward.ts prunes them.
import type { Graph, Node, Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { sym } from '../onnx/shapes';
import type { Dim } from '../onnx/shapes';

function isWeightGradient(n: Node | undefined): n is Node {
  if (!n || n.op !== 'Gemm' || n.inputs.length !== 2) return false;
  const keys = Object.keys(n.attrs);
  return keys.length === 1 && keys[0] === 'transA' && n.attrs.transA!.value === 1;
}

function isRowSum(n: Node | undefined): n is Node {
  if (!n || n.op !== 'ReduceSum' || n.inputs[0]?.rank !== 2) return false;
  const axes = n.inputs[1]?.data;
  return !!axes && axes.length === 1 && Number(axes[0]) === 0 && n.attrs.keepdims?.value === 0;
}

export class Accumulator {
  /** Row concatenations already emitted, by the names of their pieces (a weight's and its bias's share G). */
  private readonly concats = new Map<string, Tensor>();
  /** One symbol per list of piece row counts, so that X's and G's concatenations have the same rows. */
  private readonly dims = new Map<string, Dim>();

  constructor(private readonly graph: Graph) {}

  private rows(xs: readonly Tensor[]): Tensor {
    const key = xs.map((x) => x.name).join('|');
    let t = this.concats.get(key);
    if (!t) {
      const rowsKey = xs.map((x) => String(x.shape[0])).join('|');
      let dim = this.dims.get(rowsKey);
      if (dim === undefined) {
        dim = sym(this.graph.uniqueName('rows'));
        this.dims.set(rowsKey, dim);
      }
      t = op.concat(xs, 0, dim);
      this.concats.set(key, t);
    }
    return t;
  }

  /** The sum of `list` (two or more contributions). */
  sum(list: readonly Tensor[]): Tensor {
    const nodes = list.map((t) => this.graph.producerOf(t));
    const gemms = nodes.filter(isWeightGradient);
    const rowSums = nodes.filter(isRowSum);
    let batched: Tensor | undefined;
    let used: readonly Node[] = [];
    if (gemms.length > 1) {
      batched = op.gemm(this.rows(gemms.map((n) => n.inputs[0]!)), this.rows(gemms.map((n) => n.inputs[1]!)), undefined, { transA: true });
      used = gemms;
    } else if (rowSums.length > 1) {
      batched = op.reduceSum(this.rows(rowSums.map((n) => n.inputs[0]!)), [0]);
      used = rowSums;
    }
    if (!batched) return op.sum(list);
    return op.sum([batched, ...list.filter((_, i) => !used.includes(nodes[i]!))]);
  }
}
