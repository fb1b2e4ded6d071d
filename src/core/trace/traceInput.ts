// The one trace call: an input through a model's trace graph, every loop step recorded, with every
// halting rule's stop. The CLI's `trace`, the stepper and the debugger call it; hosts only forward.
import { CALIBRATION_EXAMPLES, calibratedStep } from '../eval/calibration';
import { LoopedSession, type SessionSettings } from '../infer/loopedSession';
import { checkBytes, checkRunShape, evalRunBytes, largestEvalBatch, traceOutputBytes } from '../infer/memoryEstimate';
import { traceFromBatch } from '../infer/modelTrace';
import type { LoadedModel } from '../model/modelFile';
import type { Task, TaskExample } from '../tasks/types';
import { formatBytes, LIMITS, ResourceLimitError } from '../util/limits';
import { Rng } from '../util/rng';
import { TaskInputError } from '../tasks/types';
import { summarizeTrace, type CalibrationOutcome, type TracedInput } from './tracedInput';

export interface TraceSessions {
  /** The model's trace graph (read-out, attention and hidden state of every step), built from its checked config and weights. */
  trace: LoopedSession;
  /** The lean eval graph, for the length-calibrated stop; without it that stop is not computed. */
  eval?: LoopedSession;
}

export interface TraceInputOptions {
  /** Loop steps to run (default T(n) + the task's adaptive budget). */
  steps?: number;
  /** Row width (default: the task's test-style width for the input's lengths). */
  width?: number;
  /** Random inputs behind the length-calibrated stop (default CALIBRATION_EXAMPLES; 0 = skip it). */
  calibration?: number;
  /** Seed of the calibration inputs (default 1). */
  seed?: number;
  /** Memory the calibration's batches may take (default LIMITS.calibrationBytes): more inputs than fit run in several batches. */
  calibrationBytes?: number;
  /** Calibrated stops already computed for this model, by lengths, width, steps and examples: filled as they are computed. */
  calibratedStops?: Map<string, number>;
}

/**
 * Opens a model's trace graph and (unless `withEval` is false) its eval graph. Both are built from
 * the model's checked config and weights (the file's own graph is covered by its integrity
 * checksum too), so the trace and the evaluation always run the same model.
 */
export async function openTraceSessions(model: LoadedModel, s: SessionSettings = {}, withEval = true): Promise<TraceSessions> {
  const trace = await LoopedSession.fromParams(model.config, model.params, 'trace', s);
  return withEval ? { trace, eval: await LoopedSession.fromParams(model.config, model.params, 'eval', s) } : { trace };
}

export async function releaseTraceSessions(s: TraceSessions): Promise<void> {
  await s.trace.release();
  await s.eval?.release();
}

async function calibrate(task: Task, sessions: TraceSessions, example: TaskExample, steps: number, o: TraceInputOptions): Promise<CalibrationOutcome | null> {
  const examples = o.calibration ?? CALIBRATION_EXAMPLES;
  if (examples === 0 || !sessions.eval) return null;
  const width = example.input.length;
  const key = `${example.lengths.join(',')}|${width}|${steps}|${examples}|${o.seed ?? 1}`;
  const known = o.calibratedStops?.get(key);
  if (known !== undefined) return { step: known, examples };
  // in batches as large as the budget allows: the step is the same, the memory bounded
  const budget = o.calibrationBytes ?? LIMITS.calibrationBytes;
  const batchSize = largestEvalBatch(sessions.eval.config, { width, steps }, examples, budget);
  if (batchSize === 0) {
    const need = evalRunBytes(sessions.eval.config, { batch: 1, width, steps });
    return { step: null, examples, error: `not computed: one random input of this length would need about ${formatBytes(need)}, more than the ${formatBytes(budget)} allowed` };
  }
  try {
    const step = await calibratedStep(task, sessions.eval, example.lengths, { examples, rng: new Rng(o.seed ?? 1), maxSteps: steps, width, batchSize });
    o.calibratedStops?.set(key, step);
    return { step, examples };
  } catch (e) {
    return { step: null, examples, error: (e as Error).message };
  }
}

/** Traces one task example. */
export async function traceExample(task: Task, sessions: TraceSessions, example: TaskExample, o: TraceInputOptions = {}): Promise<TracedInput> {
  const steps = o.steps ?? task.maxSteps(example.lengths);
  if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
  const W = example.input.length;
  checkTraceBudget(sessions.trace.config, W, steps);
  const run = await sessions.trace.run(BigInt64Array.from(example.input, BigInt), 1, W, steps);
  const c = sessions.trace.config;
  const trace = traceFromBatch(LoopedSession.traceOutputs(run), { steps, layers: c.layers, heads: c.heads, width: W, vocab: c.vocabSize, dModel: c.d, batch: 1 }, 0);
  return summarizeTrace(task, example, trace, await calibrate(task, sessions, example, steps, o));
}

/**
 * Throws ResourceLimitError, stating the estimate and the limit, when tracing a row of `width`
 * positions for `steps` loop steps would go over LIMITS (checked before anything runs).
 */
export function checkTraceBudget(config: LoadedModel['config'], width: number, steps: number): void {
  const shape = { batch: 1, width, steps };
  checkRunShape(shape, 'this trace');
  checkBytes(
    traceOutputBytes(config, shape),
    LIMITS.traceBytes,
    `tracing ${width} positions for ${steps} loop steps (attention of ${config.layers} layer(s) × ${config.heads} heads at every step)`,
    'trace a shorter input or fewer steps',
  );
}

/** Traces one typed input (the task's syntax, e.g. `1011` for parity). Throws TaskInputError on bad text, ResourceLimitError on one too large. */
export async function traceText(task: Task, sessions: TraceSessions, text: string, o: TraceInputOptions = {}): Promise<TracedInput> {
  if (text.length > LIMITS.inputChars) throw new TaskInputError(`the input has ${text.length} characters; LoopLens traces inputs of at most ${LIMITS.inputChars}`);
  let example: TaskExample;
  try {
    example = task.fromText(text, o.width);
  } catch (e) {
    // An input far too long for the task's own limits (e.g. a RASP-L @width) is a usage problem, not a crash.
    if (e instanceof RangeError) throw new ResourceLimitError(`this input is too large to lay out as a row (${e.message})`);
    throw e;
  }
  return traceExample(task, sessions, example, o);
}
