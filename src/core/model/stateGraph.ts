// The resumable state graph of a looped model, for probes over many inputs: it runs `num_steps`
// loop iterations from a given state (or from the start) and returns only what a probe reads, the
// hidden state after each of those iterations and the read-out of the last one. Starting from a
// kept state, a probe at iteration t runs a few iterations instead of t (core/programs/source/
// probeStates.ts keeps one state every few iterations). No attention, no per-step logits.
// Inputs:  tokens int64 [batch, width]; num_steps int64 scalar; start float32 [batch, width, d],
//          the state after some iterations; resume bool scalar (false: start from iteration 0, as
//          the inference graphs do; `start` is then ignored).
// Outputs: hidden [num_steps, batch, width, d] (after ln_f, as the trace graph's); logits
//          [batch, width, vocab] of the last iteration run.
import { Graph } from '../onnx/graph';
import type { Tensor } from '../onnx/graph';
import * as op from '../onnx/ops';
import { toModelBytes } from '../onnx/serialize';
import { validateConfig, type LoopedConfig } from './config';
import { attentionFrame, loopIteration, prepareLoopParams, readIn, readOut } from './forward';
import { checkParams, paramSpecs, type Params } from './params';

export const stateGraphNames = {
  tokens: 'tokens',
  numSteps: 'num_steps',
  start: 'start',
  resume: 'resume',
  hidden: 'hidden',
  logits: 'logits',
} as const;

export function buildStateGraph(config: LoopedConfig, params: Params): Graph {
  const c = validateConfig(config);
  checkParams(c, params);
  const n = stateGraphNames;
  const g = new Graph('looplens_state');
  const p: Record<string, Tensor> = {};
  for (const s of paramSpecs(c)) p[s.name] = g.initializer(s.name, 'float32', s.shape, params[s.name]!);
  const tokens = g.input(n.tokens, 'int64', ['batch', 'width']);
  const numSteps = g.input(n.numSteps, 'int64', []);
  const start = g.input(n.start, 'float32', ['batch', 'width', c.d]);
  const resume = g.input(n.resume, 'bool', []);
  const e = readIn(c, p, tokens);
  const lp = prepareLoopParams(c, p);
  const frame = attentionFrame(g, c, 'width', e);
  const h0 = op.where(resume, start, c.inputInjection ? op.mul(e, 0) : e);
  const { final, scans } = op.loop(g, numSteps, [h0], 'steps', (_iter, [h]) => {
    // layer norms as elementwise ops: ONNX Runtime's LayerNormalization kernel is the slowest part at small d
    const next = loopIteration(c, lp, c.inputInjection ? op.add(h!, e) : h!, frame, undefined, 'decomposed');
    return { carried: [next], scans: [next] };
  });
  g.output(scans[0]!, n.hidden);
  g.output(readOut(p, final[0]!), n.logits);
  return g;
}

export function stateModelBytes(config: LoopedConfig, params: Params): Uint8Array {
  return toModelBytes(buildStateGraph(config, params));
}
