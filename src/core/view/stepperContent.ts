// From "model sessions + task + typed text" to the stepper's content: traces the input (core/trace,
// which decides the stop shown), runs the task's RASP-L program on the same row for as many steps,
// fits the linear probes over random inputs of the same lengths (core/programs/source/probeSet),
// and builds the view model. What the hosts (StepThrough, the debugger) and tests call.
import type { Task } from '../tasks/types';
import type { LoopStateSession } from '../infer/stateSession';
import type { ProgramStepTrace } from '../programs/compare/programSteps';
import type { ProgramSource } from '../programs/source/raspProgramSource';
import { ProbeCancelled, ProbeSet, type ProbeSetOptions, type StepProbes } from '../programs/source/probeSet';
import { traceText, type TraceInputOptions, type TraceSessions } from '../trace/traceInput';
import type { TracedInput } from '../trace/tracedInput';
import { buildStepperContent, type StepperContent } from './stepperViewModel';

export interface StepperContentOptions extends TraceInputOptions {
  sessions: TraceSessions;
  task: Task;
  /** The input as typed (task.fromText syntax). Throws TaskInputError when it does not parse. */
  text: string;
  modelLabel: string;
  modelPath?: string | null;
  program?: ProgramSource | null;
  /** The model's resumable state graph for the probes; without it no probes are fitted. */
  probeSession?: LoopStateSession | null;
  probeOptions?: ProbeSetOptions;
}

/** An input traced and its program run on the same row: what every view of one input starts from. */
export interface TracedWithProgram {
  traced: TracedInput;
  program: ProgramStepTrace | null;
  /** Why the program could not run, when it could not. */
  notes: string[];
}

export async function traceWithProgram(o: StepperContentOptions): Promise<TracedWithProgram> {
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
  return { traced, program, notes };
}

/** The probes of every program variable at every compared step; null (with a note) when they cannot be fitted. */
export async function probeProgramVariables(o: StepperContentOptions, t: TracedWithProgram, probeSet?: ProbeSet, cancelled?: () => boolean): Promise<StepProbes | null> {
  if (!t.program || !o.program || t.program.width !== t.traced.trace.width) return null;
  const set = probeSet ?? (o.probeSession ? new ProbeSet(o.task, o.probeSession, o.program, t.traced.example, o.probeOptions) : null);
  if (!set) return null;
  try {
    return await set.probeVariables(Math.min(t.program.steps, t.traced.trace.steps), cancelled);
  } catch (e) {
    if (e instanceof ProbeCancelled) throw e;
    t.notes.push(`The linear probes could not be fitted: ${(e as Error).message}`);
    return null;
  }
}

export function contentOf(o: StepperContentOptions, t: TracedWithProgram, probes: StepProbes | null | 'pending'): StepperContent {
  return buildStepperContent({ modelLabel: o.modelLabel, modelPath: o.modelPath ?? null, inputText: o.text, traced: t.traced, program: t.program, probes, notes: [...t.notes] });
}

export async function stepperContent(o: StepperContentOptions): Promise<StepperContent> {
  const t = await traceWithProgram(o);
  return contentOf(o, t, await probeProgramVariables(o, t));
}
