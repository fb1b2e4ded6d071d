// Memory a run of the inference graphs will need, estimated from its shape before it runs, so a
// request over LIMITS is refused with the estimate instead of exhausting the machine. float32
// outputs of every loop step are kept (ONNX Loop scan outputs), so they grow with
// steps x batch x width, and attention with steps x layers x heads x width².
import { largestFitting } from '../util/largestFitting';
import type { LoopedConfig } from '../model/config';
import { mlpWidth } from '../model/config';
import { formatBytes, LIMITS, ResourceLimitError } from '../util/limits';

export interface RunShape {
  batch: number;
  width: number;
  steps: number;
}

/** Bytes of the trace graph's outputs: read-out, attention of every layer and head, hidden state, for every step. */
export function traceOutputBytes(c: LoopedConfig, s: RunShape): number {
  const { batch: B, width: W, steps: T } = s;
  return 4 * T * B * (c.layers * c.heads * W * W + W * c.vocabSize + W * c.d);
}

/** The largest activations of one loop iteration (attention scores and probabilities, the MLP), for a batch. */
export function stepActivationBytes(c: LoopedConfig, s: Pick<RunShape, 'batch' | 'width'>): number {
  const { batch: B, width: W } = s;
  return 4 * B * (3 * c.heads * W * W + W * (mlpWidth(c) * 2 + 8 * c.d));
}

/** Bytes of one eval-graph run: its read-out of every step (kept twice while ONNX Runtime stacks it) and one step's activations. */
export function evalRunBytes(c: LoopedConfig, s: RunShape): number {
  return 2 * 4 * s.steps * s.batch * s.width * c.vocabSize + stepActivationBytes(c, s);
}

/** The largest batch, at most `most`, whose eval-graph run of this width and depth needs at most `limit` bytes; 0 when not even one example fits. */
export function largestEvalBatch(c: LoopedConfig, s: Omit<RunShape, 'batch'>, most: number, limit: number): number {
  return largestFitting(most, (batch) => evalRunBytes(c, { ...s, batch }) <= limit);
}

/** Throws ResourceLimitError unless a run of this shape stays within the row width and step limits. */
export function checkRunShape(s: RunShape, what: string): void {
  if (!Number.isSafeInteger(s.width) || s.width < 1 || s.width > LIMITS.rowWidth) {
    throw new ResourceLimitError(`${what} needs rows of ${s.width} positions; LoopLens allows at most ${LIMITS.rowWidth}`);
  }
  if (!Number.isSafeInteger(s.steps) || s.steps < 1 || s.steps > LIMITS.steps) {
    throw new ResourceLimitError(`${what} needs ${s.steps} loop steps; LoopLens allows at most ${LIMITS.steps}`);
  }
}

/** Throws ResourceLimitError stating the estimate and the limit when `bytes` is over `limit`. */
export function checkBytes(bytes: number, limit: number, what: string, hint: string): void {
  if (bytes > limit) throw new ResourceLimitError(`${what} would need about ${formatBytes(bytes)}, more than the ${formatBytes(limit)} LoopLens allows; ${hint}`);
}
