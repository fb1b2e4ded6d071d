// Starting a LoopLens debug session from a launch configuration: the model file, its task's RASP-L
// program and one input, each checked with a message that says what to fix. The session starts
// from a quick trace (no length-calibrated stop, no probes: it must be up in about a second); the
// full content (calibrated stop, probes over random inputs) follows and replaces it. The input can
// change during the session (the stepper panel traces another one): same model, program and
// breakpoints, the new input from iteration 1.
import * as fs from 'node:fs';
import type { LoopStateSession } from '../infer/stateSession';
import type { LoadedModel } from '../model/modelFile';
import { RaspError } from '../rasp/errors';
import { LIMITS } from '../util/limits';
import { readRegularTextFileSync } from '../util/safeRead';
import { ProbeCancelled, ProbeSet, type ProbeSetOptions } from '../programs/source/probeSet';
import { raspProgramSource } from '../programs/source/raspProgramSource';
import type { TraceSessions } from '../trace/traceInput';
import { contentOf, probeProgramVariables, traceWithProgram, type StepperContentOptions, type TracedWithProgram } from '../view/stepperContent';
import type { StepperContent } from '../view/stepperViewModel';
import type { TaskExample } from '../tasks/types';
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
  /** The state graph for probes; null: no probes. */
  stateSession: () => Promise<LoopStateSession | null>;
  calibratedStops?: Map<string, number>;
}

export interface DebugLaunch {
  target: DebugTarget;
  model: LoadedModel;
  /** The configuration as checked, with the input the session now shows. */
  readonly launch: CheckedLaunch;
  /**
   * The full content (length-calibrated stop, probes) of the current input, computed in the
   * background from the first call on (the adapter starts it after the first stop, so the session
   * is up first); resolves after the target was updated with it.
   */
  full(): Promise<StepperContent>;
  /** Abandons the background work (the session ended). */
  cancel(): void;
  /**
   * Moves the session to another input: traced, checked (DebugUserError for a bad one), the target
   * back at iteration 1 with its breakpoints, the old input's background work abandoned.
   */
  setInput(text: string): Promise<StepperContent>;
  /** What the session keeps in memory, in bytes. */
  memory(): Promise<DebugMemory>;
}

export interface DebugMemory {
  /** The probes' kept hidden states (and read-out) of their random inputs. */
  probeStates: number;
  /** The traced input's logits, attention and hidden states. */
  trace: number;
}

export interface DebugLaunchOptions {
  probes?: ProbeSetOptions;
}

/** The background work of one input: started on the first full() call, abandoned by cancel(). */
interface InputRun {
  probes: Promise<ProbeSet | null>;
  full(): Promise<StepperContent>;
  cancel(): void;
}

/** Opens a session. Throws DebugUserError for a bad configuration: missing model, wrong task, bad input, broken program. */
export async function launchDebugTarget(config: LooplensLaunchConfig, open: (modelPath: string) => Promise<DebugModelSessions>, o: DebugLaunchOptions = {}): Promise<DebugLaunch> {
  let launch = checkLaunchConfig(config);
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
  const options = (text: string): StepperContentOptions => ({
    sessions: { trace: opened.sessions.trace },
    task: model.task,
    text,
    modelLabel: model.source.split(/[\\/]/).pop() ?? model.source,
    modelPath: model.source,
    program,
    calibration: 0,
  });
  const quickTrace = async (text: string) => {
    try {
      model.task.fromText(text);
    } catch (e) {
      throw new DebugUserError(`Bad input "${text}" for ${model.task.title}: ${(e as Error).message} (e.g. ${model.task.inputSyntax})`);
    }
    const quick = await traceWithProgram(options(text));
    if (!quick.program) throw new DebugUserError(`The program ${launch.program} cannot run on this input: ${quick.notes.join(' ')}`);
    return quick;
  };
  const stateSession = opened.stateSession().catch(() => null);
  // Probes depend on the input's lengths and width only: another input of the same shape keeps its set (and the states it kept).
  const probeSets = new Map<string, Promise<ProbeSet | null>>();
  const probeSetFor = (example: TaskExample) => {
    const key = `${example.lengths.join(',')}|${example.input.length}`;
    let set = probeSets.get(key);
    if (!set) {
      probeSets.clear();
      set = stateSession.then((s) => (s ? new ProbeSet(model.task, s, program, example, o.probes) : null));
      probeSets.set(key, set);
    }
    return set;
  };
  const startRun = (text: string, quick: TracedWithProgram): InputRun => {
    const probes = probeSetFor(quick.traced.example);
    let cancelled = false;
    let full: Promise<StepperContent> | null = null;
    const computeFull = async () => {
      await o.probes?.pause?.();
      const fullOptions: StepperContentOptions = { ...options(text), sessions: opened.sessions, calibration: undefined, calibratedStops: opened.calibratedStops, probeOptions: o.probes };
      const traced = await traceWithProgram(fullOptions);
      if (cancelled) throw new ProbeCancelled();
      const content = contentOf(fullOptions, traced, await probeProgramVariables(fullOptions, traced, (await probes) ?? undefined, () => cancelled));
      if (cancelled) throw new ProbeCancelled();
      target.update(content);
      return content;
    };
    return {
      probes,
      full: () => (full ??= computeFull()),
      cancel: () => {
        cancelled = true;
      },
    };
  };
  const quick = await quickTrace(launch.input);
  let run = startRun(launch.input, quick);
  const target = new DebugTarget({ content: contentOf(options(launch.input), quick, 'pending'), program, probes: run.probes });
  let switching: Promise<unknown> = Promise.resolve();
  return {
    target,
    model,
    get launch() {
      return launch;
    },
    full: () => run.full(),
    cancel: () => run.cancel(),
    setInput: (text) => {
      // one switch at a time, in the order asked: inputs typed in quick succession end on the last one
      const switched = switching.then(async () => {
        const next = await quickTrace(text);
        run.cancel();
        run = startRun(text, next);
        launch = { ...launch, input: text };
        target.retarget(contentOf(options(text), next, 'pending'), run.probes);
        return target.content;
      });
      switching = switched.catch(() => undefined);
      return switched;
    },
    memory: async () => {
      const t = target.content.traced.trace;
      return { probeStates: (await run.probes)?.keptBytes ?? 0, trace: t.logits.byteLength + t.attention.byteLength + t.hidden.byteLength };
    },
  };
}
