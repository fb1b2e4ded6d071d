// The in-memory graph that the builder helpers (ops.ts) append to: typed tensors with tracked
// shapes, nodes, inputs, outputs and initializers. Autodiff walks `nodes`; serialize.ts turns a
// Graph into an ONNX ModelProto.
import type { Dim, Shape } from './shapes';
import { shapeToString } from './shapes';

export type DType = 'float32' | 'float64' | 'int64' | 'int32' | 'bool';

export type TensorData = Float32Array | Float64Array | BigInt64Array | Int32Array | Uint8Array;

export type AttrValue =
  | { type: 'int'; value: number }
  | { type: 'float'; value: number }
  | { type: 'ints'; value: readonly number[] }
  | { type: 'floats'; value: readonly number[] }
  | { type: 'string'; value: string }
  | { type: 'graph'; value: Graph }
  | { type: 'tensor'; value: { dtype: DType; dims: readonly number[]; data: TensorData } };

export const attr = {
  int: (value: number): AttrValue => ({ type: 'int', value }),
  float: (value: number): AttrValue => ({ type: 'float', value }),
  ints: (value: readonly number[]): AttrValue => ({ type: 'ints', value }),
  floats: (value: readonly number[]): AttrValue => ({ type: 'floats', value }),
  string: (value: string): AttrValue => ({ type: 'string', value }),
  graph: (value: Graph): AttrValue => ({ type: 'graph', value }),
  tensor: (dtype: DType, dims: readonly number[], values: readonly number[]): AttrValue => ({ type: 'tensor', value: { dtype, dims, data: typedArrayFor(dtype, values) } }),
};

export class Tensor {
  constructor(
    readonly graph: Graph,
    readonly name: string,
    readonly dtype: DType,
    readonly shape: Shape,
    /** Set for initializers and constants: their values are known when the graph is built. */
    readonly data?: TensorData,
  ) {}

  get rank(): number {
    return this.shape.length;
  }

  toString(): string {
    return `${this.name}:${this.dtype}${shapeToString(this.shape)}`;
  }
}

export interface Node {
  readonly op: string;
  /** Operator domain; absent for the standard ONNX domain. */
  readonly domain?: string;
  readonly name: string;
  /** `undefined` marks an omitted optional input (serialized as ""). */
  readonly inputs: readonly (Tensor | undefined)[];
  readonly outputs: readonly Tensor[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
}

/**
 * An op built from several primitive nodes but differentiated as one (its own gradient rule, which
 * may read the forward's intermediate values listed after the result in `outputs`).
 */
export interface Composite {
  readonly op: string;
  readonly inputs: readonly Tensor[];
  /** outputs[0] is the op's result; the others are intermediates its gradient rule reuses. */
  readonly outputs: readonly Tensor[];
  readonly attrs: Readonly<Record<string, AttrValue>>;
}

export interface Initializer {
  readonly tensor: Tensor;
  readonly data: TensorData;
}

/** ONNX Runtime's contrib operator domain (FusedMatMul); every other node is standard ONNX. */
export const MS_DOMAIN = 'com.microsoft';

/** ONNX TensorProto.DataType code of a dtype. */
export const ONNX_DTYPE: Readonly<Record<DType, number>> = { float32: 1, int32: 6, int64: 7, bool: 9, float64: 11 };

export function isFloat(dtype: DType): boolean {
  return dtype === 'float32' || dtype === 'float64';
}

export function typedArrayFor(dtype: DType, values: readonly number[]): TensorData {
  switch (dtype) {
    case 'float32':
      return Float32Array.from(values);
    case 'float64':
      return Float64Array.from(values);
    case 'int64':
      return BigInt64Array.from(values.map((v) => BigInt(Math.trunc(v))));
    case 'int32':
      return Int32Array.from(values);
    case 'bool':
      return Uint8Array.from(values.map((v) => (v ? 1 : 0)));
  }
}

/**
 * A graph (the main graph or a control-flow body). Tensor names are unique across a graph and all
 * its subgraphs, as ONNX requires. Constants always live in the root graph as initializers, which
 * subgraphs may reference from the outer scope.
 */
export class Graph {
  readonly nodes: Node[] = [];
  readonly inputs: Tensor[] = [];
  readonly outputs: Tensor[] = [];
  readonly initializers: Initializer[] = [];
  private readonly names: Set<string>;
  private readonly counter: { n: number };
  private readonly constCache: Map<string, Tensor>;
  /** Composites keyed by the node that produces their result. */
  private readonly composites = new Map<Node, Composite>();
  private readonly producers = new Map<Tensor, Node>();

  constructor(
    readonly name = 'looplens',
    readonly parent?: Graph,
  ) {
    this.names = parent ? parent.names : new Set();
    this.counter = parent ? parent.counter : { n: 0 };
    this.constCache = parent ? parent.constCache : new Map();
  }

  get root(): Graph {
    return this.parent ? this.parent.root : this;
  }

  /** A new graph for a Loop/If body; it may use this graph's tensors (outer scope). */
  subgraph(name: string): Graph {
    return new Graph(name, this);
  }

  /** An unused name starting with `hint` (not reserved: pass it to input()/initializer()). */
  freshName(hint: string): string {
    const base = hint.replace(/[^A-Za-z0-9_./:-]/g, '_') || 't';
    let name = base;
    while (this.names.has(name)) name = `${base}__${++this.counter.n}`;
    return name;
  }

  /** A fresh unique name starting with `hint`, reserved. */
  uniqueName(hint: string): string {
    const name = this.freshName(hint);
    this.names.add(name);
    return name;
  }

  private claim(name: string): string {
    if (this.names.has(name)) throw new Error(`duplicate tensor name "${name}"`);
    this.names.add(name);
    return name;
  }

  input(name: string, dtype: DType, shape: readonly Dim[]): Tensor {
    const t = new Tensor(this, this.claim(name), dtype, shape);
    this.inputs.push(t);
    return t;
  }

  /** Declares `t` as a graph output named `name` (an Identity is inserted when the name differs). */
  output(t: Tensor, name?: string): Tensor {
    let out = t;
    if (name !== undefined && name !== t.name) {
      out = this.addNode('Identity', [t], {}, [{ dtype: t.dtype, shape: t.shape, name }])[0]!;
    }
    this.outputs.push(out);
    return out;
  }

  initializer(name: string, dtype: DType, shape: readonly number[], data: TensorData): Tensor {
    return this.root.addInitializer(this.root.claim(name), dtype, shape, data);
  }

  private addInitializer(name: string, dtype: DType, shape: readonly number[], data: TensorData): Tensor {
    const size = shape.reduce((a, b) => a * b, 1);
    if (data.length !== size) throw new Error(`initializer ${name}: ${data.length} values for shape ${shapeToString(shape)}`);
    const t = new Tensor(this, name, dtype, shape, data);
    this.initializers.push({ tensor: t, data });
    return t;
  }

  /** A constant tensor (deduplicated by value when small). */
  constant(values: readonly number[], dtype: DType, shape: readonly number[] = [values.length]): Tensor {
    const key = values.length <= 64 ? `${dtype}|${shape.join(',')}|${values.join(',')}` : undefined;
    const cached = key ? this.constCache.get(key) : undefined;
    if (cached) return cached;
    const root = this.root;
    const t = root.addInitializer(root.uniqueName(`const_${dtype}`), dtype, shape, typedArrayFor(dtype, values));
    if (key) this.constCache.set(key, t);
    return t;
  }

  scalar(value: number, dtype: DType = 'float32'): Tensor {
    return this.constant([value], dtype, []);
  }

  /** 1-D int64 constant, the form ONNX wants for shapes, axes, starts/ends. */
  ints(values: readonly number[]): Tensor {
    return this.constant(values, 'int64', [values.length]);
  }

  /** Declares the nodes that produced `c.outputs[0]` (the last node of this graph) a composite op for autodiff. */
  defineComposite(c: Composite): void {
    const last = this.nodes[this.nodes.length - 1];
    if (!last || last.outputs[0] !== c.outputs[0]) throw new Error(`composite ${c.op}: its result must be the last node's output`);
    this.composites.set(last, c);
  }

  /** The node of this graph that produced `t` (undefined for inputs and constants). */
  producerOf(t: Tensor): Node | undefined {
    return this.producers.get(t);
  }

  /** Removes the nodes from index `start` on that none of `roots` depends on (dead code a pass left behind). */
  pruneFrom(start: number, roots: readonly Tensor[]): void {
    const live = new Set<Tensor>(roots);
    const keep: Node[] = [];
    for (let i = this.nodes.length - 1; i >= start; i--) {
      const n = this.nodes[i]!;
      if (!n.outputs.some((y) => live.has(y))) continue;
      keep.push(n);
      for (const x of n.inputs) if (x) live.add(x);
    }
    this.nodes.splice(start, this.nodes.length - start, ...keep.reverse());
  }

  /** The composite whose result `node` produces, if any. */
  compositeOf(node: Node): Composite | undefined {
    return this.composites.get(node);
  }

  /** Appends a node; outputs get fresh names unless given. */
  addNode(
    op: string,
    inputs: readonly (Tensor | undefined)[],
    attrs: Record<string, AttrValue>,
    outputs: readonly { dtype: DType; shape: Shape; name?: string }[],
    domain?: string,
  ): Tensor[] {
    const outs = outputs.map((o) => new Tensor(this, o.name ? this.claim(o.name) : this.uniqueName(op.toLowerCase()), o.dtype, o.shape));
    const node: Node = { op, ...(domain ? { domain } : {}), name: this.uniqueName(`n_${op}`), inputs: [...inputs], outputs: outs, attrs };
    this.nodes.push(node);
    for (const t of outs) this.producers.set(t, node);
    return outs;
  }
}
