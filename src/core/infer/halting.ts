// Stopping rules: at which loop step to read the output. Input is the read-out of every step,
// logits [T, B, W, V] (row-major; block t-1 holds the output after t loop iterations), and the
// answer mask [B, W]. Steps are 1-based loop counts everywhere in this module.
//
// Rules:
//   oracle             read at T(n) (known from the input length for the built-in tasks)
//   batch-confidence   the paper's maximum-confidence rule, per batch: at each step the mean over
//                      every masked position of the batch of -log(max softmax prob); pick the step
//                      with the LOWEST value (argmin, as the released code does; the paper prints argmax)
//   example-confidence the same idea per example, with a choice of score:
//                        'mean'   mean over the example's masked positions (the paper's score)
//                        'answer' the first masked position only (where '=' is)
//                        'min'    the least confident masked position (max of -log p)
//   stable             the first step whose prediction over the masked positions stays identical
//                      for `hold` consecutive steps (falls back to the last allowed step)
// Ties go to the earliest step. The score itself is confidenceScore.ts's.
import { maskedMean, uncertaintyAt } from './confidenceScore';

export interface StepLogits {
  /** [steps, batch, width, vocab], row-major. */
  data: Float32Array;
  steps: number;
  batch: number;
  width: number;
  vocab: number;
}

export type ConfidenceScore = 'mean' | 'answer' | 'min';

export type HaltingRule =
  | { kind: 'oracle' }
  | { kind: 'batch-confidence' }
  | { kind: 'example-confidence'; score: ConfidenceScore }
  | { kind: 'stable'; hold: number };

export interface HaltingLimits {
  /** Largest step a rule may choose: one value, or one per example (e.g. T(n_i) + 20). Default: all computed steps. */
  maxSteps?: number | ArrayLike<number>;
  /** Smallest step a rule may choose (default 1). */
  minStep?: number;
}

export interface HaltingResult {
  /** [batch] chosen 1-based step per example (all equal for the per-batch rule). */
  steps: Int32Array;
  /** Confidence-rule scores: [steps] for the per-batch rule, [steps, batch] for per-example rules (lower = more confident). */
  scores?: Float64Array;
}

export function checkLogits(l: StepLogits): void {
  const { steps, batch, width, vocab } = l;
  for (const [k, v] of Object.entries({ steps, batch, width, vocab })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`logits ${k} must be a positive integer, got ${v}`);
  }
  if (l.data.length !== steps * batch * width * vocab) {
    throw new Error(`logits hold ${l.data.length} values, expected steps*batch*width*vocab = ${steps}*${batch}*${width}*${vocab}`);
  }
}

function checkMask(l: StepLogits, mask: ArrayLike<number>): void {
  if (mask.length !== l.batch * l.width) throw new Error(`mask has ${mask.length} values, expected batch*width = ${l.batch * l.width}`);
}

/** -log(max softmax) at every position of one 1-based step: Float64Array [batch * width]. */
function stepUncertainty(l: StepLogits, step: number): Float64Array {
  const n = l.batch * l.width;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = uncertaintyAt(l.data, ((step - 1) * n + i) * l.vocab, l.vocab);
  return out;
}

/** One example's score at one step from its positions' uncertainties `u` (mask row starts at `maskOffset`). */
function exampleScore(u: Float64Array, mask: ArrayLike<number>, maskOffset: number, score: ConfidenceScore): number {
  if (score === 'mean') return maskedMean(u, mask, maskOffset);
  let acc = NaN;
  for (let w = 0; w < u.length; w++) {
    if (!mask[maskOffset + w]) continue;
    if (score === 'answer') return u[w]!; // the first masked position ('=')
    acc = Number.isNaN(acc) ? u[w]! : Math.max(acc, u[w]!);
  }
  return acc;
}

/** Per-step, per-example uncertainty [steps, batch] for a score variant (lower = more confident; 0 for an example with no masked position). */
export function exampleUncertainty(l: StepLogits, mask: ArrayLike<number>, score: ConfidenceScore = 'mean'): Float64Array {
  checkLogits(l);
  checkMask(l, mask);
  const { steps: T, batch: B, width: W } = l;
  const out = new Float64Array(T * B);
  const scored = Array.from({ length: B }, (_, b) => Array.from({ length: W }, (_, w) => mask[b * W + w]).some(Boolean));
  for (let t = 1; t <= T; t++) {
    const u = stepUncertainty(l, t);
    for (let b = 0; b < B; b++) out[(t - 1) * B + b] = scored[b] ? exampleScore(u.subarray(b * W, (b + 1) * W), mask, b * W, score) : 0;
  }
  return out;
}

/** Per-step uncertainty of the whole batch [steps]: mean over every masked position of every example. */
export function batchUncertainty(l: StepLogits, mask: ArrayLike<number>): Float64Array {
  checkLogits(l);
  checkMask(l, mask);
  const out = new Float64Array(l.steps);
  const scored = Array.from(mask).some(Boolean);
  for (let t = 1; t <= l.steps; t++) out[t - 1] = scored ? maskedMean(stepUncertainty(l, t), mask) : 0;
  return out;
}

function limitFor(limits: HaltingLimits, b: number, T: number): [number, number] {
  const min = limits.minStep ?? 1;
  const m = limits.maxSteps;
  const max = m === undefined ? T : typeof m === 'number' ? m : m[b]!;
  if (!Number.isInteger(min) || min < 1) throw new Error(`minStep must be an integer >= 1, got ${min}`);
  if (!Number.isInteger(max) || max < min) throw new Error(`maxSteps must be an integer >= minStep (${min}), got ${max}`);
  if (max > T) throw new Error(`maxSteps ${max} is beyond the ${T} steps whose logits were computed`);
  return [min, max];
}

/** Earliest step in [min, max] with the lowest score; `at(t)` gives the score of 1-based step t. */
export function lowestScoreStep(at: (t: number) => number, min: number, max: number): number {
  let best = min;
  for (let t = min + 1; t <= max; t++) if (at(t) < at(best)) best = t;
  return best;
}

/** The paper's rule: one step for the whole batch (use batches of one length, as the paper does). */
export function haltPerBatch(l: StepLogits, mask: ArrayLike<number>, limits: HaltingLimits = {}): HaltingResult & { step: number; scores: Float64Array } {
  const scores = batchUncertainty(l, mask);
  if (limits.maxSteps !== undefined && typeof limits.maxSteps !== 'number') throw new Error('the per-batch rule takes one maxSteps for the whole batch');
  const [min, max] = limitFor(limits, 0, l.steps);
  const step = lowestScoreStep((t) => scores[t - 1]!, min, max);
  return { step, steps: new Int32Array(l.batch).fill(step), scores };
}

/** Each example stops at its own most confident step under `score`. */
export function haltPerExample(l: StepLogits, mask: ArrayLike<number>, score: ConfidenceScore = 'mean', limits: HaltingLimits = {}): HaltingResult & { scores: Float64Array } {
  const scores = exampleUncertainty(l, mask, score);
  const steps = new Int32Array(l.batch);
  for (let b = 0; b < l.batch; b++) {
    const [min, max] = limitFor(limits, b, l.steps);
    steps[b] = lowestScoreStep((t) => scores[(t - 1) * l.batch + b]!, min, max);
  }
  return { steps, scores };
}

/** Argmax class per position at one 1-based step: Int32Array [batch, width]. */
export function predictionsAt(l: StepLogits, step: number): Int32Array {
  checkLogits(l);
  if (!Number.isInteger(step) || step < 1 || step > l.steps) throw new Error(`step must be in 1..${l.steps}, got ${step}`);
  return predictionsAtSteps(l, new Int32Array(l.batch).fill(step));
}

/** Argmax class per position, each example at its own 1-based step: Int32Array [batch, width]. */
export function predictionsAtSteps(l: StepLogits, steps: ArrayLike<number | bigint>): Int32Array {
  checkLogits(l);
  const { batch: B, width: W, vocab: V } = l;
  if (steps.length !== B) throw new Error(`need one step per example (${B}), got ${steps.length}`);
  const out = new Int32Array(B * W);
  for (let b = 0; b < B; b++) {
    const t = Number(steps[b]);
    if (!Number.isInteger(t) || t < 1 || t > l.steps) throw new Error(`step for example ${b} must be in 1..${l.steps}, got ${t}`);
    for (let w = 0; w < W; w++) {
      const off = (((t - 1) * B + b) * W + w) * V;
      let best = 0;
      for (let v = 1; v < V; v++) if (l.data[off + v]! > l.data[off + best]!) best = v;
      out[b * W + w] = best;
    }
  }
  return out;
}

/** First step whose masked predictions stay identical for `hold` consecutive steps (else the last allowed step). */
export function haltStable(l: StepLogits, mask: ArrayLike<number>, hold: number, limits: HaltingLimits = {}): HaltingResult {
  checkLogits(l);
  checkMask(l, mask);
  if (!Number.isInteger(hold) || hold < 1) throw new Error(`hold must be an integer >= 1, got ${hold}`);
  const { batch: B, width: W } = l;
  const preds: Int32Array[] = [];
  for (let t = 1; t <= l.steps; t++) preds.push(predictionsAt(l, t));
  const same = (b: number, t1: number, t2: number) => {
    for (let w = 0; w < W; w++) if (mask[b * W + w] && preds[t1 - 1]![b * W + w] !== preds[t2 - 1]![b * W + w]) return false;
    return true;
  };
  const steps = new Int32Array(B);
  for (let b = 0; b < B; b++) {
    const [min, max] = limitFor(limits, b, l.steps);
    steps[b] = max;
    for (let t = min; t + hold - 1 <= max; t++) {
      let ok = true;
      for (let k = 1; k < hold && ok; k++) ok = same(b, t, t + k);
      if (ok) {
        steps[b] = t;
        break;
      }
    }
  }
  return { steps };
}

/** Steps chosen by any rule. `oracleSteps` are T(n_i); `limits.maxSteps` bounds the adaptive rules. */
export function chooseSteps(rule: HaltingRule, l: StepLogits, mask: ArrayLike<number>, oracleSteps: ArrayLike<number | bigint>, limits: HaltingLimits = {}): HaltingResult {
  switch (rule.kind) {
    case 'oracle': {
      checkLogits(l);
      if (oracleSteps.length !== l.batch) throw new Error(`need one T(n) per example (${l.batch}), got ${oracleSteps.length}`);
      const steps = Int32Array.from(oracleSteps, Number);
      steps.forEach((t, b) => {
        if (t < 1 || t > l.steps) throw new Error(`T(n) = ${t} of example ${b} is beyond the ${l.steps} computed steps`);
      });
      return { steps };
    }
    case 'batch-confidence':
      return haltPerBatch(l, mask, limits);
    case 'example-confidence':
      return haltPerExample(l, mask, rule.score, limits);
    case 'stable':
      return haltStable(l, mask, rule.hold, limits);
  }
}

export function describeRule(rule: HaltingRule): string {
  switch (rule.kind) {
    case 'oracle':
      return 'oracle T(n)';
    case 'batch-confidence':
      return 'max-confidence over the test set (paper)';
    case 'example-confidence':
      return `max-confidence per example (${rule.score === 'mean' ? 'mean over answer' : rule.score === 'answer' ? "'=' position" : 'least confident position'})`;
    case 'stable':
      return `first prediction stable for ${rule.hold} steps`;
  }
}
