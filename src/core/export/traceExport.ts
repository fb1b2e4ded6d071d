// A traced input as one JSON document a notebook can load (json.load, then numpy.array on any
// field): the model's dimensions, the input row, every step's read-out, attention and hidden state
// as nested arrays, the stops, and the RASP-L program's variables when it ran. The fields are
// documented in README.md ("Exporting"); `format` and `version` name this layout. Pure.
import type { ProgramStepTrace } from '../programs/compare/programSteps';
import type { TracedInput } from '../trace/tracedInput';
import { roundTo } from './table';

export const TRACE_FORMAT = 'looplens-trace';
export const TRACE_FORMAT_VERSION = 1;

export interface TraceExport {
  format: typeof TRACE_FORMAT;
  version: typeof TRACE_FORMAT_VERSION;
  model: { label: string; path: string | null; steps: number; layers: number; heads: number; width: number; dModel: number; vocab: number };
  task: { name: string; input: string; answer: string; gloss: string; lengths: Record<string, number> };
  /** Display symbol of each token id. */
  symbols: string[];
  /** The row fed to the model: token ids, target ids, loss mask (1 = scored), and where the answer starts. */
  tokens: number[];
  target: number[];
  mask: number[];
  answerStart: number;
  /** T(n), and the step every halting rule stops at (1-based). */
  oracleStep: number;
  stops: { oracle: number; perExample: number; stable: number; calibrated: number | null };
  shownStop: { step: number; rule: string };
  /** steps[t - 1]: the read-out after step t. */
  steps: { step: number; decoded: number[]; answer: string; correct: boolean | null; score: number; meanConfidence: number; confidence: number[] }[];
  /** [steps][width][vocab] read-out logits. */
  logits: number[][][];
  /** [steps][layers][heads][query][key] attention probabilities (causal: key <= query). */
  attention: number[][][][][];
  /** [steps][width][dModel] the state after each step (after the final layer norm). */
  hidden: number[][][];
  /** The task's RASP-L program on the same row: variables[name][s][p] after s program steps (s = 0: before the first). */
  program: { file: string; steps: number; variables: Record<string, (number | null)[][]>; answers: (number | null)[][] } | null;
}

function nest(a: Float32Array, dims: number[], digits: number): unknown[] {
  const build = (off: number, d: number): unknown[] => {
    const n = dims[d]!;
    if (d === dims.length - 1) return Array.from(a.subarray(off, off + n), (x) => roundTo(x, digits));
    const stride = dims.slice(d + 1).reduce((p, x) => p * x, 1);
    return Array.from({ length: n }, (_, i) => build(off + i * stride, d + 1));
  };
  return build(0, 0);
}

export function traceExport(traced: TracedInput, o: { modelLabel: string; modelPath: string | null; program?: ProgramStepTrace | null; digits?: number }): TraceExport {
  const { task, example, trace, rendered } = traced;
  const digits = o.digits ?? 6;
  const { steps: T, layers: L, heads: H, width: W, vocab: V, dModel: d } = trace;
  const p = o.program ?? null;
  return {
    format: TRACE_FORMAT,
    version: TRACE_FORMAT_VERSION,
    model: { label: o.modelLabel, path: o.modelPath, steps: T, layers: L, heads: H, width: W, dModel: d, vocab: V },
    task: { name: task.name, input: rendered.input, answer: rendered.answer, gloss: rendered.gloss, lengths: Object.fromEntries(task.lengthNames.map((n, i) => [n, example.lengths[i]!])) },
    symbols: [...task.symbols],
    tokens: [...example.input],
    target: [...example.target],
    mask: [...example.mask],
    answerStart: example.answerStart,
    oracleStep: example.steps,
    stops: { ...traced.stops },
    shownStop: { step: traced.shownStop.step, rule: traced.shownStop.rule },
    steps: traced.steps.map((s) => ({ step: s.step, decoded: Array.from(s.decoded), answer: s.answerText, correct: s.correct, score: s.score, meanConfidence: s.meanConfidence, confidence: Array.from(s.confidence, (x) => roundTo(x, digits)) })),
    logits: nest(trace.logits, [T, W, V], digits) as number[][][],
    attention: nest(trace.attention, [T, L, H, W, W], digits) as number[][][][][],
    hidden: nest(trace.hidden, [T, W, d], digits) as number[][][],
    program: p
      ? {
          file: p.file,
          steps: p.steps,
          variables: Object.fromEntries(p.variables.map((v) => [v.name, v.values.map((r) => (r ? Array.from(r) : new Array<null>(p.width).fill(null)))])),
          answers: p.answers.map((r) => (r ? Array.from(r) : new Array<null>(p.width).fill(null))),
        }
      : null,
  };
}
