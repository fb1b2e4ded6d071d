// One traced input, summarised: per loop step what the read-out decodes to, how confident it is and
// whether it is right, and the step every halting rule stops at. The one place that decides which
// stop a user is shown (`shownStop`): the CLI's `trace`, the stepper and the debugger all read it.
import { haltPerExample, haltStable } from '../infer/halting';
import { decodeStep, negLogMaxProb, traceLogits, type ModelTrace } from '../infer/modelTrace';
import { maskedMean } from '../infer/confidenceScore';
import type { RenderedExample, Task, TaskExample } from '../tasks/types';

export interface TracedStep {
  /** 1-based loop step. */
  step: number;
  /** Argmax token id per position (the whole row). */
  decoded: Int32Array;
  /** Maximum softmax probability per position. */
  confidence: Float64Array;
  /** The paper's halting score: mean over scored positions of -log(max prob); lower = more confident. */
  score: number;
  /** Mean of `confidence` over scored positions. */
  meanConfidence: number;
  /** Maximum softmax probability at the answer's first position ('='). */
  answerConfidence: number;
  /** The decoded answer as the task renders it (trailing pads trimmed). */
  answerText: string;
  /** Exact match over every scored position; null when the example has no target. */
  correct: boolean | null;
}

/** The step each rule stops at for this input (1-based). */
export interface HaltingStops {
  /** T(n), capped at the traced steps. */
  oracle: number;
  /** The paper's score on this one input (its per-batch rule on a batch of one). */
  perExample: number;
  /** First prediction that holds for 3 steps. */
  stable: number;
  /** The paper's per-batch rule on random inputs of this input's lengths; null when not computed. */
  calibrated: number | null;
}

export interface ShownStop {
  step: number;
  /** The rule, in words. */
  rule: string;
  /** Why this rule, and where the others would stop. */
  note: string | null;
}

export interface TracedInput {
  task: Task;
  example: TaskExample;
  rendered: RenderedExample;
  trace: ModelTrace;
  steps: TracedStep[];
  stops: HaltingStops;
  shownStop: ShownStop;
  /** How the length-calibrated stop was computed, when it was asked for. */
  calibration: CalibrationOutcome | null;
}

/** The length-calibrated rule's outcome: its step, or why it is missing. */
export interface CalibrationOutcome {
  step: number | null;
  /** Random inputs it used. */
  examples: number;
  error?: string;
}

function tracedSteps(task: Task, example: TaskExample, trace: ModelTrace): TracedStep[] {
  if (!Array.from(example.mask).some(Boolean)) throw new Error('paperScore: the mask scores no position');
  return Array.from({ length: trace.steps }, (_, i) => {
    const step = i + 1;
    const decoded = decodeStep(trace, step);
    // One pass over the logits per step: the score and the confidences both come from -log max p.
    const uncertainty = negLogMaxProb(trace, step);
    const confidence = uncertainty.map((u) => Math.exp(-u));
    const rendered = task.render(example, Array.from(decoded));
    return {
      step,
      decoded,
      confidence,
      score: maskedMean(uncertainty, example.mask),
      meanConfidence: maskedMean(confidence, example.mask),
      answerConfidence: confidence[example.answerStart]!,
      answerText: rendered.predicted ?? '',
      correct: rendered.correct ?? null,
    };
  });
}

function shownStopOf(stops: HaltingStops, calibration: CalibrationOutcome | null): ShownStop {
  const perExample = `the paper's score on this one input alone would stop at step ${stops.perExample}`;
  if (stops.calibrated !== null && calibration) {
    return {
      step: stops.calibrated,
      rule: `length-calibrated: the paper's rule on ${calibration.examples} random inputs of this length`,
      note: `Stop = ${stops.calibrated} is the length-calibrated rule: the paper's confidence rule applied to ${calibration.examples} random inputs of this length, which needs neither T(n) nor other test inputs; ${perExample}.`,
    };
  }
  const why = calibration?.error ? `The length-calibrated stop could not be computed (${calibration.error}); ` : '';
  return { step: stops.perExample, rule: 'max confidence (the paper’s score), per example', note: why ? `${why}the stop shown is the paper's score on this input.` : null };
}

/** Summarises a trace of `example` (pure). `calibration` is the length-calibrated rule's outcome, when it was run. */
export function summarizeTrace(task: Task, example: TaskExample, trace: ModelTrace, calibration: CalibrationOutcome | null = null): TracedInput {
  if (example.input.length !== trace.width) throw new Error(`The traced row has ${trace.width} positions but the example has ${example.input.length}: trace the example's own row.`);
  if (trace.vocab !== task.vocabSize) throw new Error(`The model's vocabulary (${trace.vocab}) is not the ${task.name} task's (${task.vocabSize}).`);
  const logits = traceLogits(trace);
  const stops: HaltingStops = {
    oracle: Math.min(example.steps, trace.steps),
    perExample: haltPerExample(logits, example.mask, 'mean').steps[0]!,
    stable: haltStable(logits, example.mask, 3).steps[0]!,
    calibrated: calibration?.step ?? null,
  };
  return { task, example, rendered: task.render(example), trace, steps: tracedSteps(task, example, trace), stops, shownStop: shownStopOf(stops, calibration), calibration };
}
