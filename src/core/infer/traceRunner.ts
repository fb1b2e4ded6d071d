// One input through a saved model: the trace (logits, attention, hidden per loop step) with, for
// every step, the decoded answer, whether it is right and how confident the read-out is, plus the
// step each halting rule would choose.
import type { LoadedModel } from '../model/modelFile';
import type { RenderedExample, Task, TaskExample } from '../tasks/types';
import { Rng } from '../util/rng';
import { CALIBRATION_EXAMPLES, calibratedStep } from './evaluate';
import { haltPerExample, haltStable, type StepLogits } from './halting';
import { LoopedSession, type SessionSettings } from './loopedSession';
import { confidenceStep, decodeStep, paperScore, traceFromBatch, type ModelTrace } from './modelTrace';

export interface TraceStep {
  /** 1-based loop step. */
  step: number;
  /** The decoded answer at this step (masked positions, trailing pads trimmed). */
  predicted: string;
  /** Exact match over every masked position. */
  correct: boolean;
  /** Mean over masked positions of the maximum softmax probability. */
  confidence: number;
  /** Maximum softmax probability at the answer's first position ('='). */
  answerConfidence: number;
  /** The paper's halting score: mean over masked positions of -log(max prob); lower = more confident. */
  score: number;
}

export interface TraceResult {
  task: Task;
  example: TaskExample;
  rendered: RenderedExample;
  /** T(n): where the oracle reads. */
  oracleStep: number;
  trace: ModelTrace;
  steps: TraceStep[];
  /**
   * Steps chosen by the rules for this one input: oracle T(n); confidence = the paper's score, this
   * example alone; stable = first prediction that holds 3 steps; calibrated = the per-batch rule on
   * random inputs of the same length (evaluate.ts calibratedStep; absent when calibration is 0).
   */
  chosen: { oracle: number; confidence: number; stable: number; calibrated?: number };
}

export interface TraceOptions extends SessionSettings {
  /** Loop steps to run (default T(n) + the task's adaptive budget). */
  steps?: number;
  /** Reuse an open trace session (from openTraceSession) instead of opening one per call. */
  session?: LoopedSession;
  /** Random inputs for the length-calibrated rule (default 256; 0 = skip it). */
  calibration?: number;
  /** Reuse an eval-graph session for the calibration (LoopedSession.fromParams(..., 'eval')). */
  evalSession?: LoopedSession;
  /** Seed of the calibration inputs (default 1). */
  seed?: number;
}

/** Opens the model file's own trace graph in a fresh ONNX Runtime session. */
export function openTraceSession(model: LoadedModel, s: SessionSettings = {}): Promise<LoopedSession> {
  return LoopedSession.fromBytes(model.bytes, model.config, 'trace', s);
}

/** Traces one typed input (task syntax, e.g. `1011` for parity). Throws TaskInputError on bad text. */
export async function traceInput(model: LoadedModel, text: string, o: TraceOptions = {}): Promise<TraceResult> {
  return traceExample(model, model.task.fromText(text), o);
}

export async function traceExample(model: LoadedModel, example: TaskExample, o: TraceOptions = {}): Promise<TraceResult> {
  const task = model.task;
  const T = o.steps ?? task.maxSteps(example.lengths);
  if (!Number.isInteger(T) || T < 1) throw new Error(`steps must be a positive integer, got ${T}`);
  const session = o.session ?? (await openTraceSession(model, o));
  try {
    const W = example.input.length;
    const run = await session.run(BigInt64Array.from(example.input.map(BigInt)), 1, W, T);
    const c = model.config;
    const trace = traceFromBatch(LoopedSession.traceOutputs(run), { steps: T, layers: c.layers, heads: c.heads, width: W, vocab: c.vocabSize, dModel: c.d, batch: 1 }, 0);
    const steps: TraceStep[] = [];
    for (let t = 1; t <= T; t++) {
      const pred = decodeStep(trace, t);
      const r = task.render(example, Array.from(pred));
      const conf = confidenceStep(trace, t);
      let sum = 0;
      let n = 0;
      for (let p = 0; p < W; p++) {
        if (example.mask[p]) {
          sum += conf[p]!;
          n++;
        }
      }
      steps.push({ step: t, predicted: r.predicted ?? '', correct: r.correct === true, confidence: sum / n, answerConfidence: conf[example.answerStart]!, score: paperScore(trace, t, example.mask) });
    }
    const logits: StepLogits = { data: run.data, steps: T, batch: 1, width: W, vocab: c.vocabSize };
    const oracle = Math.min(example.steps, T);
    let calibrated: number | undefined;
    const nCal = o.calibration ?? CALIBRATION_EXAMPLES;
    if (nCal > 0) {
      const evalSession = o.evalSession ?? (await LoopedSession.fromParams(model.config, model.params, 'eval', o));
      try {
        calibrated = await calibratedStep(task, evalSession, example.lengths, { examples: nCal, rng: new Rng(o.seed ?? 1), maxSteps: T, width: W });
      } finally {
        if (!o.evalSession) await evalSession.release();
      }
    }
    return {
      task,
      example,
      rendered: task.render(example),
      oracleStep: example.steps,
      trace,
      steps,
      chosen: {
        oracle,
        confidence: haltPerExample(logits, example.mask, 'mean').steps[0]!,
        stable: haltStable(logits, example.mask, 3).steps[0]!,
        ...(calibrated === undefined ? {} : { calibrated }),
      },
    };
  } finally {
    if (!o.session) await session.release();
  }
}
