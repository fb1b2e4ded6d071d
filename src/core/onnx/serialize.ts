// Graph -> ONNX ModelProto bytes, through the protobufjs schema in onnxSchema.ts.
import { encodeModelProto } from './onnxSchema';
import { ONNX_DTYPE } from './graph';
import type { AttrValue, Graph, Tensor, TensorData } from './graph';
import { littleEndianBytes } from '../util/littleEndian';

/** Opset of the standard domain used by every LoopLens graph (20: Gelu with approximate='tanh'). */
export const OPSET = 20;
/** IR version 9 goes with opset 20. */
export const IR_VERSION = 9;

export interface ModelOptions {
  /** Key/value strings stored in ModelProto.metadata_props. */
  metadata?: Readonly<Record<string, string>>;
  docString?: string;
}

function tensorProto(name: string, dtype: Tensor['dtype'], dims: readonly number[], data: TensorData): object {
  return { name, dims: [...dims], data_type: ONNX_DTYPE[dtype], raw_data: littleEndianBytes(data) };
}

function valueInfo(t: Tensor, withShape: boolean): object {
  const tensorType: Record<string, unknown> = { elem_type: ONNX_DTYPE[t.dtype] };
  if (withShape) {
    tensorType.shape = { dim: t.shape.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) };
  }
  return { name: t.name, type: { tensor_type: tensorType } };
}

const encoder = new TextEncoder();

function attribute(name: string, a: AttrValue, domains: Set<string>): object {
  switch (a.type) {
    case 'int':
      return { name, type: 2, i: a.value };
    case 'float':
      return { name, type: 1, f: a.value };
    case 'ints':
      return { name, type: 7, ints: [...a.value] };
    case 'floats':
      return { name, type: 6, floats: [...a.value] };
    case 'string':
      return { name, type: 3, s: encoder.encode(a.value) };
    case 'graph':
      return { name, type: 5, g: graphProto(a.value, false, domains) };
    case 'tensor':
      return { name, type: 4, t: tensorProto('', a.value.dtype, a.value.dims, a.value.data) };
  }
}

function graphProto(g: Graph, isMain: boolean, domains: Set<string>): object {
  return {
    name: g.name,
    node: g.nodes.map((n) => ({
      name: n.name,
      op_type: n.op,
      ...(n.domain ? (domains.add(n.domain), { domain: n.domain }) : {}),
      input: n.inputs.map((t) => (t ? t.name : '')),
      output: n.outputs.map((t) => t.name),
      attribute: Object.entries(n.attrs).map(([k, v]) => attribute(k, v, domains)),
    })),
    initializer: isMain ? g.initializers.map((i) => tensorProto(i.tensor.name, i.tensor.dtype, i.tensor.shape as number[], i.data)) : [],
    // Body graphs declare only element types: their dims are whatever the outer values are.
    input: g.inputs.map((t) => valueInfo(t, isMain || t.rank === 0)),
    output: g.outputs.map((t) => valueInfo(t, isMain)),
  };
}

/** Serializes the root graph (with its initializers) to ONNX bytes. */
export function toModelBytes(g: Graph, options: ModelOptions = {}): Uint8Array {
  if (g.parent) throw new Error('toModelBytes needs the root graph');
  if (g.outputs.length === 0) throw new Error('the graph has no outputs');
  const domains = new Set<string>();
  const graph = graphProto(g, true, domains);
  const model: Record<string, unknown> = {
    ir_version: IR_VERSION,
    opset_import: [{ domain: '', version: OPSET }, ...[...domains].map((domain) => ({ domain, version: 1 }))],
    producer_name: 'looplens',
    graph,
  };
  if (options.docString) model.doc_string = options.docString;
  if (options.metadata) model.metadata_props = Object.entries(options.metadata).map(([key, value]) => ({ key, value }));
  return encodeModelProto(model);
}
