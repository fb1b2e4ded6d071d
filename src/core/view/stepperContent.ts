// From "model sessions + task + typed text" to the stepper's content: traces the input (core/trace,
// which decides the stop shown), runs the task's RASP-L program on the same row for as many steps,
// and builds the view model. What the host (StepThrough) and tests call.
import type { Task } from '../tasks/types';
import type { ProgramStepTrace } from '../programs/compare/programSteps';
import type { ProgramSource } from '../programs/source/raspProgramSource';
import { traceText, type TraceInputOptions, type TraceSessions } from '../trace/traceInput';
import { buildStepperContent, type StepperContent } from './stepperViewModel';

export interface StepperContentOptions extends TraceInputOptions {
  sessions: TraceSessions;
  task: Task;
  /** The input as typed (task.fromText syntax). Throws TaskInputError when it does not parse. */
  text: string;
  modelLabel: string;
  modelPath?: string | null;
  program?: ProgramSource | null;
}

export async function stepperContent(o: StepperContentOptions): Promise<StepperContent> {
  const traced = await traceText(o.task, o.sessions, o.text, o);
  const notes: string[] = [];
  let program: ProgramStepTrace | null = null;
  if (o.program) {
    try {
      program = o.program.run(traced.example.input, traced.trace.steps);
    } catch (e) {
      notes.push(`The RASP-L program could not run on this input: ${(e as Error).message}`);
    }
  }
  return buildStepperContent({ modelLabel: o.modelLabel, modelPath: o.modelPath ?? null, inputText: o.text, traced, program, notes });
}
