// Runs the model file's "trace" inference graph on one input row and returns its ModelTrace.
// Graph outputs (src/core/model/inferenceGraph.ts, inferenceNames): logits [T,B,W,V],
// attention [T,L,B,H,W,W], hidden [T,B,W,d]; inputs tokens int64 [B,W] and num_steps int64 [].
// Dimensions are read off the output tensors, so no model configuration is needed here.
import * as ort from 'onnxruntime-node';
import type { ModelTrace } from './modelTrace';
import { traceFromBatch } from './modelTrace';

export interface TraceGraphNames {
  tokens: string;
  numSteps: string;
  logits: string;
  attention: string;
  hidden: string;
}

/** The names inferenceGraph.ts gives the trace graph's inputs and outputs. */
export const TRACE_GRAPH_NAMES: TraceGraphNames = { tokens: 'tokens', numSteps: 'num_steps', logits: 'logits', attention: 'attention', hidden: 'hidden' };

function floats(outputs: Record<string, ort.Tensor>, name: string, rank: number): { data: Float32Array; dims: number[] } {
  const t = outputs[name];
  if (!t) throw new Error(`the trace graph has no output "${name}": is this a LoopLens trace model?`);
  if (t.type !== 'float32' || t.dims.length !== rank) throw new Error(`trace output "${name}" is ${t.type} [${t.dims.join(', ')}], expected float32 of rank ${rank}`);
  return { data: t.data as Float32Array, dims: t.dims.map(Number) };
}

/** Example `b` of the trace graph's outputs as a ModelTrace (dimensions checked against each other). */
export function traceFromOutputs(outputs: Record<string, ort.Tensor>, b = 0, names: TraceGraphNames = TRACE_GRAPH_NAMES): ModelTrace {
  const logits = floats(outputs, names.logits, 4);
  const attention = floats(outputs, names.attention, 6);
  const hidden = floats(outputs, names.hidden, 4);
  const [steps, batch, width, vocab] = logits.dims as [number, number, number, number];
  const [aSteps, layers, aBatch, heads, q, k] = attention.dims as [number, number, number, number, number, number];
  const [hSteps, hBatch, hWidth, dModel] = hidden.dims as [number, number, number, number];
  if (aSteps !== steps || hSteps !== steps || aBatch !== batch || hBatch !== batch || q !== width || k !== width || hWidth !== width) {
    throw new Error(`trace outputs disagree: logits [${logits.dims}], attention [${attention.dims}], hidden [${hidden.dims}]`);
  }
  return traceFromBatch({ logits: logits.data, attention: attention.data, hidden: hidden.data }, { steps, layers, heads, width, vocab, dModel, batch }, b);
}

/** Runs `steps` loop iterations of the trace graph on one token row. */
export async function runTrace(session: ort.InferenceSession, row: ArrayLike<number>, steps: number, names: TraceGraphNames = TRACE_GRAPH_NAMES): Promise<ModelTrace> {
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`runTrace: steps must be a positive integer, got ${steps}`);
  const tokens = new ort.Tensor('int64', BigInt64Array.from(Array.from(row, (x) => BigInt(x))), [1, row.length]);
  const numSteps = new ort.Tensor('int64', BigInt64Array.from([BigInt(steps)]), []);
  const out = await session.run({ [names.tokens]: tokens, [names.numSteps]: numSteps });
  return traceFromOutputs(out as Record<string, ort.Tensor>);
}
