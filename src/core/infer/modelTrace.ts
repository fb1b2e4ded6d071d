// One traced input: what the looped model's read-out, attention and hidden state were after every
// loop iteration, as flat Float32Arrays, plus the pure per-step helpers the stepper and the
// halting rules need (argmax decode, confidence, the paper's score).
// Steps are 1-based: step t is the output after t iterations (index t - 1 in the arrays).
import { maskedMean, uncertaintyAt } from './confidenceScore';
import type { StepLogits } from './halting';

export interface ModelTraceDims {
  steps: number;
  layers: number;
  heads: number;
  width: number;
  vocab: number;
  dModel: number;
}

export interface ModelTrace extends ModelTraceDims {
  /** [steps, width, vocab] read-out logits. */
  logits: Float32Array;
  /** [steps, layers, heads, width (query), width (key)] attention probabilities; each row sums to 1 over keys <= query. */
  attention: Float32Array;
  /** [steps, width, dModel] the state h_t after ln_f. */
  hidden: Float32Array;
}

/** The trace graph's batched outputs: logits [T,B,W,V], attention [T,L,B,H,W,W], hidden [T,B,W,d]. */
export interface BatchedTraceOutputs {
  logits: Float32Array;
  attention: Float32Array;
  hidden: Float32Array;
}

const DIM_NAMES = ['steps', 'layers', 'heads', 'width', 'vocab', 'dModel'] as const;

function dimsCheck(d: ModelTraceDims & { batch?: number }): void {
  for (const k of [...DIM_NAMES, ...(d.batch === undefined ? [] : (['batch'] as const))]) {
    const v = d[k];
    if (v === undefined || !Number.isInteger(v) || v < 1) throw new Error(`ModelTrace: ${k} must be a positive integer, got ${v}`);
  }
}

/** Throws a clear error when the arrays do not have the sizes their dims promise. */
export function checkTrace(trace: ModelTrace): ModelTrace {
  dimsCheck(trace);
  const { steps: T, layers: L, heads: H, width: W, vocab: V, dModel: d } = trace;
  const want = { logits: T * W * V, attention: T * L * H * W * W, hidden: T * W * d };
  for (const [k, n] of Object.entries(want)) {
    const got = trace[k as keyof typeof want].length;
    if (got !== n) throw new Error(`ModelTrace: ${k} has ${got} values, expected ${n} for steps=${T} layers=${L} heads=${H} width=${W} vocab=${V} dModel=${d}`);
  }
  return trace;
}

/** Copies example `b` out of the trace graph's batched outputs (layout documented on BatchedTraceOutputs). */
export function traceFromBatch(out: BatchedTraceOutputs, dims: ModelTraceDims & { batch: number }, b: number): ModelTrace {
  const { steps: T, layers: L, heads: H, width: W, vocab: V, dModel: d, batch: B } = dims;
  dimsCheck(dims);
  if (!Number.isInteger(b) || b < 0 || b >= B) throw new Error(`traceFromBatch: example ${b} is outside the batch of ${B}`);
  const expect = (name: string, arr: Float32Array, n: number) => {
    if (arr.length !== n) throw new Error(`traceFromBatch: ${name} has ${arr.length} values, expected ${n}`);
  };
  expect('logits', out.logits, T * B * W * V);
  expect('attention', out.attention, T * L * B * H * W * W);
  expect('hidden', out.hidden, T * B * W * d);
  const logits = new Float32Array(T * W * V);
  const hidden = new Float32Array(T * W * d);
  const attention = new Float32Array(T * L * H * W * W);
  for (let t = 0; t < T; t++) {
    logits.set(out.logits.subarray((t * B + b) * W * V, (t * B + b + 1) * W * V), t * W * V);
    hidden.set(out.hidden.subarray((t * B + b) * W * d, (t * B + b + 1) * W * d), t * W * d);
    for (let l = 0; l < L; l++) {
      const src = ((t * L + l) * B + b) * H * W * W;
      attention.set(out.attention.subarray(src, src + H * W * W), (t * L + l) * H * W * W);
    }
  }
  return { steps: T, layers: L, heads: H, width: W, vocab: V, dModel: d, logits, attention, hidden };
}

function stepIndex(trace: ModelTraceDims, step: number): number {
  if (!Number.isInteger(step) || step < 1 || step > trace.steps) throw new Error(`step ${step} is outside 1..${trace.steps}`);
  return step - 1;
}

/** Logits of one step: a [width, vocab] view (no copy). */
export function logitsAt(trace: ModelTrace, step: number): Float32Array {
  const n = trace.width * trace.vocab;
  const t = stepIndex(trace, step);
  return trace.logits.subarray(t * n, (t + 1) * n);
}

/** Attention of every head of one layer at one step: a [heads, width, width] view (no copy). */
export function attentionAt(trace: ModelTrace, step: number, layer: number): Float32Array {
  if (!Number.isInteger(layer) || layer < 0 || layer >= trace.layers) throw new Error(`layer ${layer} is outside 0..${trace.layers - 1}`);
  const n = trace.heads * trace.width * trace.width;
  const off = (stepIndex(trace, step) * trace.layers + layer) * n;
  return trace.attention.subarray(off, off + n);
}

/** Attention of one head: a [width (query), width (key)] view (no copy). */
export function headAttention(trace: ModelTrace, step: number, layer: number, head: number): Float32Array {
  if (!Number.isInteger(head) || head < 0 || head >= trace.heads) throw new Error(`head ${head} is outside 0..${trace.heads - 1}`);
  const n = trace.width * trace.width;
  return attentionAt(trace, step, layer).subarray(head * n, (head + 1) * n);
}

/** Hidden state of one step: a [width, dModel] view (no copy). */
export function hiddenAt(trace: ModelTrace, step: number): Float32Array {
  const n = trace.width * trace.dModel;
  const t = stepIndex(trace, step);
  return trace.hidden.subarray(t * n, (t + 1) * n);
}

/** Argmax token per position at one step (ties go to the lowest id). */
export function decodeStep(trace: ModelTrace, step: number): Int32Array {
  const z = logitsAt(trace, step);
  const { width: W, vocab: V } = trace;
  const out = new Int32Array(W);
  for (let p = 0; p < W; p++) {
    let best = 0;
    for (let v = 1; v < V; v++) if (z[p * V + v]! > z[p * V + best]!) best = v;
    out[p] = best;
  }
  return out;
}

/** -log(max softmax probability) per position (confidenceScore.ts's uncertainty). */
export function negLogMaxProb(trace: ModelTrace, step: number): Float64Array {
  const z = logitsAt(trace, step);
  const out = new Float64Array(trace.width);
  for (let p = 0; p < trace.width; p++) out[p] = uncertaintyAt(z, p * trace.vocab, trace.vocab);
  return out;
}

/** Confidence per position at one step: the maximum softmax probability. */
export function confidenceStep(trace: ModelTrace, step: number): Float64Array {
  return negLogMaxProb(trace, step).map((x) => Math.exp(-x));
}

/**
 * The paper's halting score at one step: the mean over scored positions of -log(max softmax prob).
 * The adaptive rule stops at the step with the LOWEST score (paper.md, "Inference").
 */
export function paperScore(trace: ModelTrace, step: number, mask: ArrayLike<boolean | number>): number {
  if (mask.length !== trace.width) throw new Error(`paperScore: mask has ${mask.length} positions, the trace has ${trace.width}`);
  const score = maskedMean(negLogMaxProb(trace, step), mask);
  if (Number.isNaN(score)) throw new Error('paperScore: the mask scores no position');
  return score;
}

/** The trace's read-out as halting rules take it: a batch of one. */
export function traceLogits(trace: ModelTrace): StepLogits {
  return { data: trace.logits, steps: trace.steps, batch: 1, width: trace.width, vocab: trace.vocab };
}
