// Inference graphs of a trained looped transformer, weights stored as initializers:
//   trace: per loop iteration the logits, every layer's and head's attention probabilities and the
//          hidden state — what the stepper shows;
//   eval:  per loop iteration the logits only — for fast batched evaluation and halting rules.
// (Linear probes over many inputs use the resumable state graph, stateGraph.ts.)
// Inputs: tokens int64 [batch, width] (both dynamic) and num_steps int64 scalar (the loop count,
// dynamic: an ONNX Loop whose scan outputs stack the per-iteration values).
import { Graph } from '../onnx/graph';
import type { Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { toModelBytes } from '../onnx/serialize';
import type { ModelOptions } from '../onnx/serialize';
import { validateConfig } from './config';
import type { LoopedConfig } from './config';
import { attentionFrame, loopIteration, prepareLoopParams, readIn, readOut } from './forward';
import { checkParams, paramSpecs } from './params';
import type { Params } from './params';

export type InferenceKind = 'trace' | 'eval';

/** Names of the inference graphs' inputs and outputs. */
export const inferenceNames = {
  tokens: 'tokens',
  numSteps: 'num_steps',
  /** [T, batch, width, vocab] */
  logits: 'logits',
  /** [T, layers, batch, heads, width (query), width (key)] (trace only) */
  attention: 'attention',
  /** [T, batch, width, d], the state after ln_f (trace only) */
  hidden: 'hidden',
} as const;

export function buildInferenceGraph(config: LoopedConfig, params: Params, kind: InferenceKind): Graph {
  const c = validateConfig(config);
  checkParams(c, params);
  const n = inferenceNames;
  const g = new Graph(`looplens_${kind}`);
  const p: Record<string, Tensor> = {};
  for (const s of paramSpecs(c)) p[s.name] = g.initializer(s.name, 'float32', s.shape, params[s.name]!);
  const tokens = g.input(n.tokens, 'int64', ['batch', 'width']);
  const numSteps = g.input(n.numSteps, 'int64', []);
  const e = readIn(c, p, tokens); // [batch, width, d]
  const lp = prepareLoopParams(c, p);
  const frame = attentionFrame(g, c, 'width', e);
  const h0 = c.inputInjection ? op.mul(e, 0) : e;
  const { scans } = op.loop(g, numSteps, [h0], 'steps', (_iter, [h]) => {
    const probs: Tensor[] = [];
    const x = c.inputInjection ? op.add(h!, e) : h!;
    const next = loopIteration(c, lp, x, frame, kind === 'trace' ? probs : undefined);
    const logits = readOut(p, next);
    if (kind === 'eval') return { carried: [next], scans: [logits] };
    const attention = op.concat(probs.map((t) => op.unsqueeze(t, [0])), 0);
    return { carried: [next], scans: [logits, attention, next] };
  });
  g.output(scans[0]!, n.logits);
  if (kind === 'trace') {
    g.output(scans[1]!, n.attention);
    g.output(scans[2]!, n.hidden);
  }
  return g;
}

/** ONNX bytes of the trace or eval graph; `options.metadata` goes to metadata_props. */
export function inferenceModelBytes(config: LoopedConfig, params: Params, kind: InferenceKind, options: ModelOptions = {}): Uint8Array {
  return toModelBytes(buildInferenceGraph(config, params, kind), options);
}
