// Starting a LoopLens debug session from a launch configuration: the model file, its task's RASP-L
// program and one input, each checked with a message that says what to fix. The session starts
// from a quick trace (no length-calibrated stop, no probes: it must be up in about a second); the
// full content (calibrated stop, probes over random inputs) follows and replaces it.
import * as fs from 'node:fs';
import type { LoopedSession } from '../infer/loopedSession';
import type { LoadedModel } from '../model/modelFile';
import { RaspError } from '../rasp/errors';
import { LIMITS } from '../util/limits';
import { readRegularTextFileSync } from '../util/safeRead';
import { ProbeCancelled, ProbeSet, type ProbeSetOptions } from '../programs/source/probeSet';
import { raspProgramSource } from '../programs/source/raspProgramSource';
import type { TraceSessions } from '../trace/traceInput';
import { contentOf, probeProgramVariables, traceWithProgram, type StepperContentOptions } from '../view/stepperContent';
import type { StepperContent } from '../view/stepperViewModel';
import { DebugTarget, DebugUserError } from './debugTarget';

/** The launch configuration's attributes (package.json contributes.debuggers documents them). */
export interface LooplensLaunchConfig {
  /** Path of the looped model (.onnx). */
  model?: unknown;
  /** Path of the task's RASP-L program (.raspl): a workspace file. */
  program?: unknown;
  /** The input as the task types it (e.g. `1011` for parity). */
  input?: unknown;
  /** Open the stepper panel beside the session (default true; the host decides). */
  openStepper?: unknown;
}

export interface CheckedLaunch {
  model: string;
  program: string;
  input: string;
}

function text(v: unknown): string | null {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : null;
}

/** Checks the attributes' presence and types (not the files' contents). Throws DebugUserError. */
export function checkLaunchConfig(c: LooplensLaunchConfig): CheckedLaunch {
  const model = text(c.model);
  if (!model) throw new DebugUserError('The launch configuration needs "model": the path of a looped model (.onnx), e.g. "${workspaceFolder}/models/parity.onnx".');
  const program = text(c.program);
  if (!program) throw new DebugUserError('The launch configuration needs "program": the path of the task’s RASP-L program (.raspl) in the workspace, e.g. "${workspaceFolder}/models/tasks/parity.raspl".');
  if (!/\.raspl$/i.test(program)) throw new DebugUserError(`"program" must be a RASP-L file (.raspl), got ${program}.`);
  const input = text(c.input);
  if (input === null) throw new DebugUserError('The launch configuration needs "input": one input as the task types it, e.g. "1011" for parity.');
  return { model, program, input };
}

/** What the host provides: the model's sessions (the extension reuses the current model's). */
export interface DebugModelSessions {
  model: LoadedModel;
  /** The trace graph, and the eval graph for the length-calibrated stop. */
  sessions: TraceSessions;
  /** The hidden graph for probes; null: no probes. */
  hidden: () => Promise<LoopedSession | null>;
  calibratedStops?: Map<string, number>;
}

export interface DebugLaunch {
  target: DebugTarget;
  model: LoadedModel;
  launch: CheckedLaunch;
  /**
   * The full content (length-calibrated stop, probes), computed in the background from the first
   * call on (the adapter starts it after the first stop, so the session is up first); resolves
   * after the target was updated with it.
   */
  full(): Promise<StepperContent>;
  /** Abandons the background work (the session ended). */
  cancel(): void;
}

export interface DebugLaunchOptions {
  probes?: ProbeSetOptions;
}

/** Opens a session. Throws DebugUserError for a bad configuration: missing model, wrong task, bad input, broken program. */
export async function launchDebugTarget(config: LooplensLaunchConfig, open: (modelPath: string) => Promise<DebugModelSessions>, o: DebugLaunchOptions = {}): Promise<DebugLaunch> {
  const launch = checkLaunchConfig(config);
  let opened: DebugModelSessions;
  try {
    opened = await open(launch.model);
  } catch (e) {
    throw new DebugUserError(`Cannot debug ${launch.model}: ${(e as Error).message}`);
  }
  const { model } = opened;
  let source: string;
  if (!fs.existsSync(launch.program)) throw new DebugUserError(`The program file ${launch.program} does not exist.`);
  try {
    // A FIFO or device as the program would block the adapter: read regular files only, within the limit.
    source = readRegularTextFileSync(launch.program, { what: 'RASP-L program', maxBytes: LIMITS.raspSourceBytes });
  } catch (e) {
    throw new DebugUserError(`Cannot read the program ${launch.program}: ${(e as Error).message}`);
  }
  let program: ReturnType<typeof raspProgramSource>;
  try {
    program = raspProgramSource(source, launch.program);
  } catch (e) {
    if (e instanceof RaspError) throw new DebugUserError(`The program has an error: ${e.format(launch.program)}`);
    throw e;
  }
  if (program.task.name !== model.task.name) {
    throw new DebugUserError(`Wrong task: ${launch.program} is the "${program.task.name}" task, but ${launch.model} was trained on "${model.task.name}". Use that task’s program (e.g. models/tasks/${model.task.name}.raspl).`);
  }
  try {
    model.task.fromText(launch.input);
  } catch (e) {
    throw new DebugUserError(`Bad input "${launch.input}" for ${model.task.title}: ${(e as Error).message} (e.g. ${model.task.inputSyntax})`);
  }
  const base: StepperContentOptions = {
    sessions: { trace: opened.sessions.trace },
    task: model.task,
    text: launch.input,
    modelLabel: model.source.split(/[\\/]/).pop() ?? model.source,
    modelPath: model.source,
    program,
    calibration: 0,
  };
  const quick = await traceWithProgram(base);
  if (!quick.program) throw new DebugUserError(`The program ${launch.program} cannot run on this input: ${quick.notes.join(' ')}`);
  const probeSet = opened
    .hidden()
    .catch(() => null)
    .then((hidden) => (hidden ? new ProbeSet(model.task, hidden, program, quick.traced.example, o.probes) : null));
  const target = new DebugTarget({ content: contentOf(base, quick, 'pending'), program, probes: probeSet });
  let cancelled = false;
  let full: Promise<StepperContent> | null = null;
  const computeFull = async () => {
    await o.probes?.pause?.();
    const fullOptions: StepperContentOptions = { ...base, sessions: opened.sessions, calibration: undefined, calibratedStops: opened.calibratedStops, probeOptions: o.probes };
    const traced = await traceWithProgram(fullOptions);
    if (cancelled) throw new ProbeCancelled();
    const content = contentOf(fullOptions, traced, await probeProgramVariables(fullOptions, traced, (await probeSet) ?? undefined, () => cancelled));
    target.update(content);
    return content;
  };
  return {
    target,
    model,
    launch,
    full: () => {
      full ??= computeFull();
      return full;
    },
    cancel: () => {
      cancelled = true;
    },
  };
}
