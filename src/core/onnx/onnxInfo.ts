// What any ONNX file is, read without running it: producer, IR version, opsets, the graph's inputs
// and outputs with their types and shapes, its operators and metadata keys. The model editor shows
// this for ONNX files that are not LoopLens models; nothing here depends on LoopLens's format.
import { decodeModelProto } from './onnxSchema';

export interface OnnxValueInfo {
  name: string;
  /** "float32", "int64", … or "unknown". */
  type: string;
  /** Dimensions: a number, a symbolic name ("batch"), or "?" when unknown; null when the rank is unknown. */
  shape: (number | string)[] | null;
}

export interface OnnxInfo {
  irVersion: number | null;
  producer: string;
  /** Operator sets, e.g. [{ domain: 'ai.onnx', version: 17 }]. */
  opsets: { domain: string; version: number }[];
  graphName: string;
  docString: string;
  inputs: OnnxValueInfo[];
  outputs: OnnxValueInfo[];
  nodeCount: number;
  /** Operator types by count, most used first. */
  operators: { op: string; count: number }[];
  initializerCount: number;
  /** Scalar count of the initializers (weights), where their dims are known. */
  parameterCount: number;
  metadataKeys: string[];
}

/** Why bytes are not an ONNX model at all. */
export class NotOnnxError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotOnnxError';
  }
}

const ELEM_TYPES: Record<number, string> = {
  1: 'float32', 2: 'uint8', 3: 'int8', 4: 'uint16', 5: 'int16', 6: 'int32', 7: 'int64', 8: 'string', 9: 'bool',
  10: 'float16', 11: 'float64', 12: 'uint32', 13: 'uint64', 14: 'complex64', 15: 'complex128', 16: 'bfloat16',
};

interface RawValueInfo {
  name?: string;
  type?: { tensor_type?: { elem_type?: number; shape?: { dim?: { dim_value?: number; dim_param?: string }[] } } };
}

interface RawModel {
  ir_version?: number;
  producer_name?: string;
  producer_version?: string;
  opset_import?: { domain?: string; version?: number }[];
  doc_string?: string;
  graph?: {
    name?: string;
    doc_string?: string;
    node?: { op_type?: string }[];
    input?: RawValueInfo[];
    output?: RawValueInfo[];
    initializer?: { name?: string; dims?: number[] }[];
  };
  metadata_props?: { key?: string }[];
}

function valueInfo(v: RawValueInfo, initializers: Set<string>): OnnxValueInfo | null {
  const name = v.name ?? '';
  if (initializers.has(name)) return null; // older exporters list weights as inputs too
  const t = v.type?.tensor_type;
  const dims = t?.shape?.dim;
  return {
    name,
    type: t?.elem_type !== undefined ? (ELEM_TYPES[t.elem_type] ?? `type ${t.elem_type}`) : 'unknown',
    shape: dims === undefined ? null : dims.map((d) => (d.dim_value !== undefined ? Number(d.dim_value) : d.dim_param ? d.dim_param : '?')),
  };
}

/** Reads an ONNX file's description. Throws NotOnnxError when the bytes are no ONNX model (no graph, or undecodable). */
export function inspectOnnx(bytes: Uint8Array): OnnxInfo {
  if (bytes.length === 0) throw new NotOnnxError('the file is empty (0 bytes)');
  let raw: RawModel;
  try {
    raw = decodeModelProto(bytes) as RawModel;
  } catch (err) {
    throw new NotOnnxError(`it is not a readable ONNX model: truncated, corrupt or another kind of file (${(err as Error).message})`);
  }
  const g = raw.graph;
  if (!g || !Array.isArray(g.node) || g.node.length === 0) throw new NotOnnxError('it holds no ONNX graph');
  const inits = g.initializer ?? [];
  const initNames = new Set(inits.map((i) => i.name ?? ''));
  const ops = new Map<string, number>();
  for (const n of g.node) ops.set(n.op_type ?? '?', (ops.get(n.op_type ?? '?') ?? 0) + 1);
  const producer = [raw.producer_name, raw.producer_version].filter((s) => s).join(' ');
  return {
    irVersion: raw.ir_version === undefined ? null : Number(raw.ir_version),
    producer,
    opsets: (raw.opset_import ?? []).map((o) => ({ domain: o.domain || 'ai.onnx', version: Number(o.version ?? 0) })),
    graphName: g.name ?? '',
    docString: (raw.doc_string || g.doc_string || '').trim(),
    inputs: (g.input ?? []).map((v) => valueInfo(v, initNames)).filter((v): v is OnnxValueInfo => v !== null),
    outputs: (g.output ?? []).map((v) => valueInfo(v, new Set())).filter((v): v is OnnxValueInfo => v !== null),
    nodeCount: g.node.length,
    operators: [...ops.entries()].map(([op, count]) => ({ op, count })).sort((a, b) => b.count - a.count || a.op.localeCompare(b.op)),
    initializerCount: inits.length,
    parameterCount: inits.reduce((n, i) => n + (i.dims ?? []).reduce((a, b) => a * Number(b), 1), 0),
    metadataKeys: (raw.metadata_props ?? []).map((p) => p.key ?? '').filter((k) => k !== ''),
  };
}

/** "int64 [batch, 12]", "float32 (shape unknown)" */
export function formatValueInfo(v: OnnxValueInfo): string {
  return `${v.type} ${v.shape === null ? '(shape unknown)' : `[${v.shape.join(', ')}]`}`;
}
