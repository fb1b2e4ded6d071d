// One call from "model session + task + typed text" to the stepper's content: builds the row,
// runs the trace graph up to the adaptive rule's budget (T(n) + the task's extra steps), applies
// the chosen halting rule to this one example, runs the RASP-L program on the same row, and
// builds the view model. What the host (StepperPanel's provider) and tests call.
import type * as ort from 'onnxruntime-node';
import type { Task } from '../tasks/types';
import { runTrace } from '../infer/runTrace';
import { chooseSteps, describeRule, type HaltingRule } from '../infer/halting';
import type { ProgramStepTrace } from '../compare/programTrace';
import { buildStepperContent, type StepperContent } from './stepperViewModel';

export interface StepperProgramSource {
  /** Runs the task's step program on `row` for `steps` loop steps (e.g. RASP-L runProgram + programStepTraceFromRasp). */
  run(row: readonly number[], steps: number): ProgramStepTrace;
}

export interface TraceStepperOptions {
  /** A session of the model file's trace graph. */
  session: ort.InferenceSession;
  task: Task;
  /** The input as typed (task.fromText syntax). Throws TaskInputError when it does not parse. */
  text: string;
  modelLabel: string;
  modelPath?: string | null;
  /** The per-example stopping rule shown as "adaptive stop" (default: the paper's score, per example). */
  rule?: HaltingRule;
  program?: StepperProgramSource | null;
  /** Row width (default task.widthFor(lengths), the test-style width). */
  width?: number;
}

export const DEFAULT_STEPPER_RULE: HaltingRule = { kind: 'example-confidence', score: 'mean' };

export async function traceStepperContent(o: TraceStepperOptions): Promise<StepperContent> {
  const example = o.task.fromText(o.text, o.width);
  const steps = o.task.maxSteps(example.lengths);
  const trace = await runTrace(o.session, example.input, steps);
  const rule = o.rule ?? DEFAULT_STEPPER_RULE;
  const logits = { data: trace.logits, steps: trace.steps, batch: 1, width: trace.width, vocab: trace.vocab };
  const chosen = chooseSteps(rule, logits, example.mask, [example.steps], { maxSteps: steps });
  const notes: string[] = [];
  let program: ProgramStepTrace | null = null;
  if (o.program) {
    try {
      program = o.program.run(example.input, steps);
    } catch (e) {
      notes.push(`The RASP-L program could not run on this input: ${(e as Error).message}`);
    }
  }
  return buildStepperContent({
    modelLabel: o.modelLabel,
    modelPath: o.modelPath ?? null,
    inputText: o.text,
    task: o.task,
    example,
    trace,
    halting: { adaptiveStep: chosen.steps[0]!, rule: describeRule(rule) },
    program,
    notes,
  });
}
