// Builds the stepper's view model from one traced input: the model's per-step read-out, the
// task's view of the example, the halting decision, and (when there is one) the RASP-L program's
// trace with the learned-vs-program measures. Pure: no vscode, no I/O.
import type { Task, TaskExample } from '../tasks/types';
import type { ModelTrace } from '../infer/modelTrace';
import { attentionAt, checkTrace, decodeStep, mostConfidentStep, negLogMaxProb } from '../infer/modelTrace';
import type { ProgramStepTrace } from '../compare/programTrace';
import { checkProgramTrace } from '../compare/programTrace';
import { answerAgreement } from '../compare/agreement';
import { matchHeads, uniformBaseline } from '../compare/headMatching';
import { SIMILARITY_DEFINITION } from '../compare/selectorSimilarity';
import { PROBE_DEFINITION } from '../compare/linearProbe';
import { probeVariables } from '../compare/probeProgram';
import type { CompareView, HaltingView, ProgramView, StepState, StepperViewModel, TokenCell } from '../../protocol/stepper';
import { STEPPER_PROTOCOL } from '../../protocol/stepper';

export interface StepperHaltingInput {
  adaptiveStep: number | null;
  rule: string;
  note?: string;
}

export interface StepperInput {
  /** Label of the model in the title (e.g. `parity-cpu.onnx`). */
  modelLabel: string;
  /** Path of the model file, kept so a restored panel can rebuild the view; null for in-memory models. */
  modelPath?: string | null;
  /** The text the user typed (as given to task.fromText). */
  inputText: string;
  task: Task;
  example: TaskExample;
  trace: ModelTrace;
  /** The adaptive rule's decision for this input; by default the paper's maximum-confidence score, per example. */
  halting?: StepperHaltingInput;
  /** The task's RASP-L step program run on the same row, when available. */
  program?: ProgramStepTrace | null;
  /** Fit linear probes from hidden states to program variables (default true). */
  probes?: boolean;
  /** Extra notes to show (e.g. why the program could not run). */
  notes?: string[];
}

/** The view model plus host-side access to attention slices (too large to send whole). */
export interface StepperContent {
  viewModel: StepperViewModel;
  /** Attention of every head of `layer` at `step`: float32 [heads, width, width]. */
  attention(step: number, layer: number): Float32Array;
}

const round4 = (x: number) => Math.round(x * 1e4) / 1e4;
const DEFAULT_RULE = 'max confidence (paper’s score), per example';

function tokenCells(task: Task, ex: TaskExample): TokenCell[] {
  return ex.input.map((id, position) => ({
    position,
    id,
    label: task.symbols[id] ?? `<${id}>`,
    scored: ex.mask[position] === 1,
    target: ex.mask[position] === 1 ? (task.symbols[ex.target[position]!] ?? `<${ex.target[position]}>`) : null,
  }));
}

function stepStates(task: Task, ex: TaskExample, trace: ModelTrace, decoded: Int32Array[], program: ProgramStepTrace | null): StepState[] {
  return decoded.map((row, i) => {
    const step = i + 1;
    const nl = negLogMaxProb(trace, step);
    let score = 0;
    let conf = 0;
    let scored = 0;
    let agree = 0;
    let agreeTotal = 0;
    const progRow = program && step <= program.steps ? program.answers[step] : null;
    ex.mask.forEach((m, p) => {
      if (m !== 1) return;
      scored++;
      score += nl[p]!;
      conf += Math.exp(-nl[p]!);
      if (progRow && p < progRow.length) {
        agreeTotal++;
        if (progRow[p] === row[p]) agree++;
      }
    });
    const rendered = task.render(ex, row);
    return {
      step,
      decoded: Array.from(row),
      confidence: Array.from(nl, (x) => round4(Math.exp(-x))),
      score: scored ? score / scored : 0,
      meanConfidence: scored ? conf / scored : 0,
      answerText: rendered.predicted ?? '',
      correct: rendered.correct ?? null,
      programAgreement: progRow && agreeTotal > 0 ? agree / agreeTotal : null,
    };
  });
}

function haltingView(input: StepperInput): HaltingView {
  const { task, example, trace } = input;
  if (input.halting) return { oracleStep: example.steps, ...input.halting };
  const budget = Math.min(trace.steps, task.maxSteps(example.lengths));
  return { oracleStep: example.steps, adaptiveStep: mostConfidentStep(trace, example.mask, budget), rule: DEFAULT_RULE };
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

function compareView(input: StepperInput, program: ProgramStepTrace, decoded: Int32Array[], notes: string[]): CompareView {
  const { trace, example } = input;
  const agreement = answerAgreement(decoded, program.answers, example.mask);
  const sameWidth = program.width === trace.width;
  if (!sameWidth) notes.push(`The program ran on ${program.width} positions and the model on ${trace.width}: head↔selector matching and probes are skipped.`);
  if (program.steps < trace.steps) notes.push(`The program trace has ${program.steps} steps and the model ${trace.steps}: comparisons stop at step ${program.steps}.`);
  return {
    similarityDefinition: SIMILARITY_DEFINITION,
    agreement,
    headMatches: sameWidth ? matchHeads(trace, program.selectors, program.steps) : [],
    uniformBaseline: sameWidth ? uniformBaseline(program.selectors, program.width, Math.min(program.steps, trace.steps)) : [],
    probes: sameWidth && input.probes !== false ? probeVariables(trace, program.variables, program.steps) : [],
    probeDefinition: PROBE_DEFINITION,
  };
}

export function buildStepperContent(input: StepperInput): StepperContent {
  const { task, example, trace } = input;
  checkTrace(trace);
  if (example.input.length !== trace.width) {
    throw new Error(`The traced row has ${trace.width} positions but the example has ${example.input.length}: trace the example's own row.`);
  }
  if (trace.vocab !== task.vocabSize) throw new Error(`The model's vocabulary (${trace.vocab}) is not the ${task.name} task's (${task.vocabSize}).`);
  const program = input.program ? checkProgramTrace(input.program) : null;
  const decoded = Array.from({ length: trace.steps }, (_, i) => decodeStep(trace, i + 1));
  const notes: string[] = [...(input.notes ?? [])];
  const rendered = task.render(example);
  const viewModel: StepperViewModel = {
    protocol: STEPPER_PROTOCOL,
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
    steps: stepStates(task, example, trace, decoded, program),
    halting: haltingView(input),
    attention: { steps: trace.steps, layers: trace.layers, heads: trace.heads, width: trace.width },
    program: program ? programView(program, example.mask) : null,
    compare: program ? compareView(input, program, decoded, notes) : null,
    notes,
  };
  if (example.steps > trace.steps) notes.push(`The trace stops at step ${trace.steps}, before T(n) = ${example.steps}.`);
  return { viewModel, attention: (step, layer) => attentionAt(trace, step, layer) };
}
