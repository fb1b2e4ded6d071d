// Builds the stepper's view model from one traced input (core/trace): the model's per-step
// read-out, the task's view of the example, the stop the trace chose, and (when there is one) the
// RASP-L program's trace with the learned-vs-program measures. Pure: no vscode, no I/O.
import type { Task, TaskExample } from '../tasks/types';
import { attentionAt, checkTrace } from '../infer/modelTrace';
import type { TracedInput, TracedStep } from '../trace/tracedInput';
import type { ProgramStepTrace } from '../programs/compare/programSteps';
import { checkProgramTrace } from '../programs/compare/programSteps';
import { answerAgreement } from '../programs/compare/agreement';
import { matchHeads, uniformBaseline } from '../programs/compare/headMatching';
import { SIMILARITY_DEFINITION } from '../programs/compare/selectorSimilarity';
import { PROBE_DEFINITION } from '../programs/compare/linearProbe';
import type { StepProbes } from '../programs/source/probeSet';
import { headLabels } from './headLabels';
import { logitLens } from './lens';
import { hiddenStates } from './hiddenStates';
import { STEPPER_VIEW_VERSION, type CompareView, type HaltingView, type ProbeView, type ProgramView, type StepState, type StepperViewModel, type TokenCell } from './stepperView';

export interface StepperInput {
  /** Label of the model in the title (e.g. `parity-cpu.onnx`). */
  modelLabel: string;
  /** Path of the model file, kept so a restored panel can rebuild the view; null for in-memory models. */
  modelPath?: string | null;
  /** The text the user typed (as given to task.fromText). */
  inputText: string;
  /** The input traced through the model, with its stops (core/trace traceText or summarizeTrace). */
  traced: TracedInput;
  /** The task's RASP-L step program run on the same row, when available. */
  program?: ProgramStepTrace | null;
  /** Linear probes of the program's variables over random inputs of this input's lengths (ProbeSet.probeVariables); none when absent; 'pending' while they are fitted (the view says so). */
  probes?: StepProbes | null | 'pending';
  /** Extra notes to show (e.g. why the program could not run). */
  notes?: string[];
}

/** The view model plus host-side access to attention slices (too large to send whole). */
export interface StepperContent {
  viewModel: StepperViewModel;
  /** The traced input behind the view (for exports: core/export/traceExport.ts). */
  traced: TracedInput;
  /** The program's trace on the same row, when it ran. */
  program: ProgramStepTrace | null;
  /** Attention of every head of `layer` at `step`: float32 [heads, width, width]. */
  attention(step: number, layer: number): Float32Array;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;

function tokenCells(task: Task, ex: TaskExample): TokenCell[] {
  return ex.input.map((id, position) => ({
    position,
    id,
    label: task.symbols[id] ?? `<${id}>`,
    scored: ex.mask[position] === 1,
    target: ex.mask[position] === 1 ? (task.symbols[ex.target[position]!] ?? `<${ex.target[position]}>`) : null,
  }));
}

/** Fraction of scored positions where the model's decoded token equals the program's read-out; null without one. */
function programAgreement(ex: TaskExample, decoded: Int32Array, programRow: ArrayLike<number> | null | undefined): number | null {
  if (!programRow) return null;
  let agree = 0;
  let total = 0;
  ex.mask.forEach((m, p) => {
    if (m !== 1 || p >= programRow.length) return;
    total++;
    if (programRow[p] === decoded[p]) agree++;
  });
  return total > 0 ? agree / total : null;
}

function stepState(ex: TaskExample, s: TracedStep, program: ProgramStepTrace | null): StepState {
  return {
    step: s.step,
    decoded: Array.from(s.decoded),
    confidence: Array.from(s.confidence, round4),
    score: s.score,
    meanConfidence: s.meanConfidence,
    answerText: s.answerText,
    correct: s.correct,
    programAgreement: program && s.step <= program.steps ? programAgreement(ex, s.decoded, program.answers[s.step]) : null,
  };
}

function haltingView(t: TracedInput): HaltingView {
  return { oracleStep: t.example.steps, adaptiveStep: t.shownStop.step, rule: t.shownStop.rule };
}

function programView(p: ProgramStepTrace, mask: number[]): ProgramView {
  return {
    file: p.file,
    source: p.source,
    steps: p.steps,
    variables: p.variables.map((v) => ({ name: v.name, line: v.line, values: v.values.map((r) => (r ? Array.from(r) : new Array<null>(p.width).fill(null))) })),
    selectors: p.selectors.map((s) => ({ name: s.name, line: s.line })),
    answers: p.answers.map((r) => (r ? Array.from(r, (x, i) => (mask[i] === 1 ? x : null)) : new Array<null>(p.width).fill(null))),
  };
}

/** The probes as the view shows them, with a plain sentence when there are none or none beats its baseline. */
function probeView(p: StepProbes | null | 'pending', sameWidth: boolean): Pick<CompareView, 'probes' | 'probeExamples' | 'probeNote'> {
  if (sameWidth && p === 'pending') return { probes: [], probeExamples: 0, probeNote: 'Fitting the probes over random inputs of this length…' };
  if (!sameWidth || !p || p === 'pending') return { probes: [], probeExamples: 0, probeNote: sameWidth ? 'No probes were run for this view.' : 'The program and the model read rows of different widths: no probes.' };
  const probes: ProbeView[] = p.probes.map((x) => ({ variable: x.variable, step: x.step, heldOutAccuracy: x.heldOutAccuracy, baselineAccuracy: x.baselineAccuracy, beatsBaseline: x.beatsBaseline, trainSamples: x.trainSamples, testSamples: x.testSamples }));
  const probeNote =
    probes.length === 0
      ? `No program variable takes two values at any step on the ${p.examples} random inputs: nothing to probe.`
      : probes.some((x) => x.beatsBaseline)
        ? null
        : `No linear probe beats its majority baseline at any step (${p.examples} random inputs): the hidden state does not linearly encode the program's variables.`;
  return { probes, probeExamples: p.examples, probeNote };
}

function compareView(input: StepperInput, program: ProgramStepTrace, decoded: Int32Array[], notes: string[]): CompareView {
  const { trace, example } = input.traced;
  const agreement = answerAgreement(decoded, program.answers, example.mask);
  const sameWidth = program.width === trace.width;
  if (!sameWidth) notes.push(`The program ran on ${program.width} positions and the model on ${trace.width}: head↔selector matching and probes are skipped.`);
  if (program.steps < trace.steps) notes.push(`The program trace has ${program.steps} steps and the model ${trace.steps}: comparisons stop at step ${program.steps}.`);
  const headMatches = sameWidth ? matchHeads(trace, program.selectors, program.steps) : [];
  const baseline = sameWidth ? uniformBaseline(program.selectors, program.width, Math.min(program.steps, trace.steps)) : [];
  return {
    similarityDefinition: SIMILARITY_DEFINITION,
    agreement,
    headMatches,
    uniformBaseline: baseline,
    headLabels: headLabels(headMatches, baseline),
    ...probeView(input.probes ?? null, sameWidth),
    probeDefinition: PROBE_DEFINITION,
  };
}

export function buildStepperContent(input: StepperInput): StepperContent {
  const { task, example, trace, rendered } = input.traced;
  checkTrace(trace);
  const program = input.program ? checkProgramTrace(input.program) : null;
  const decoded = input.traced.steps.map((s) => s.decoded);
  const notes: string[] = [...(input.notes ?? []), ...(input.traced.shownStop.note ? [input.traced.shownStop.note] : [])];
  const viewModel: StepperViewModel = {
    protocol: STEPPER_VIEW_VERSION,
    title: `${task.title} · ${rendered.input} · ${input.modelLabel}`,
    origin: { modelPath: input.modelPath ?? null, inputText: input.inputText },
    task: {
      name: task.name,
      inputText: rendered.input,
      lengths: task.lengthNames.map((name, i) => ({ name, value: example.lengths[i]! })),
      gloss: rendered.gloss,
      targetText: rendered.answer,
    },
    model: {
      label: input.modelLabel,
      steps: trace.steps,
      layers: trace.layers,
      heads: trace.heads,
      width: trace.width,
      dModel: trace.dModel,
      vocab: trace.vocab,
      symbols: [...task.symbols],
    },
    tokens: tokenCells(task, example),
    steps: input.traced.steps.map((s) => stepState(example, s, program)),
    halting: haltingView(input.traced),
    attention: { steps: trace.steps, layers: trace.layers, heads: trace.heads, width: trace.width },
    lens: logitLens(trace, example),
    hidden: hiddenStates(trace, example.mask),
    program: program ? programView(program, example.mask) : null,
    compare: program ? compareView(input, program, decoded, notes) : null,
    notes,
  };
  if (example.steps > trace.steps) notes.push(`The trace stops at step ${trace.steps}, before T(n) = ${example.steps}.`);
  return { viewModel, traced: input.traced, program, attention: (step, layer) => attentionAt(trace, step, layer) };
}
