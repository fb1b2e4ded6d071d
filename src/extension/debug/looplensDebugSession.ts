// The LoopLens debug adapter (Debug Adapter Protocol, @vscode/debugadapter): one loop iteration of
// a looped model beside its RASP-L program is one step. VS Code runs it inline in the extension
// host (DebugAdapterInlineImplementation); the tests drive the same class over a socket with
// @vscode/debugadapter-testsupport's DebugClient. No vscode import: what it needs from the editor
// (the model's sessions, the stepper panel) comes through DebugSessionHost.
//
// Where to stop and what to show is decided by core/debug (DebugTarget): this class only speaks
// the protocol. Launch: the target is opened at once (in parallel with the client's breakpoints);
// the entry stop is sent once the configuration is done.
import * as path from 'node:path';
import { ContinuedEvent, DebugSession, Handles, InitializedEvent, InvalidatedEvent, OutputEvent, Scope, Source, StackFrame, StoppedEvent, TerminatedEvent, Thread } from '@vscode/debugadapter';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { DebugUserError, type DebugTarget, type StopInfo } from '../../core/debug/debugTarget';
import type { DebugVariable } from '../../core/debug/debugVariables';
import { IdleGate } from '../../core/debug/idleGate';
import { launchDebugTarget, type DebugLaunch, type DebugModelSessions, type LooplensLaunchConfig } from '../../core/debug/launch';
import { ProbeCancelled, type ProbeSetOptions } from '../../core/programs/source/probeSet';
import type { StepperContent } from '../../core/view/stepperViewModel';

export const DEBUG_TYPE = 'looplens';

export interface LooplensLaunchArguments extends DebugProtocol.LaunchRequestArguments, LooplensLaunchConfig {
  /** Stop at iteration 1 (default true); false: run to the first breakpoint or the adaptive stop. */
  stopOnEntry?: boolean;
}

/** What the adapter needs from its host (the extension, or a test). */
export interface DebugSessionHost {
  /** Loads a model file and opens its sessions. Throws with a user-facing message. */
  open(modelPath: string): Promise<DebugModelSessions>;
  /** After every stop (the stepper panel follows the session). */
  onStop?(session: LooplensDebugSession, stop: StopInfo): void;
  /** The session stopped for the first time (the host may show the stepper with the quick content). */
  onStart?(session: LooplensDebugSession, content: StepperContent): void;
  /** The full content (length-calibrated stop, probes) is ready (the stepper shows it). */
  onContent?(session: LooplensDebugSession, content: StepperContent): void;
  /** The session ended. */
  onEnd?(session: LooplensDebugSession): void;
  probes?: ProbeSetOptions;
}

const THREAD_ID = 1;
const ERROR = 3001;

function deferred<T>(): { promise: Promise<T>; resolve: (v: T) => void } {
  let resolve!: (v: T) => void;
  const promise = new Promise<T>((r) => (resolve = r));
  return { promise, resolve };
}

export class LooplensDebugSession extends DebugSession {
  private launched: DebugLaunch | null = null;
  private readonly ready = deferred<DebugLaunch | null>();
  private readonly configured = deferred<void>();
  private handles = new Handles<() => DebugVariable[]>();
  private invalidatedEvents = false;
  private ended = false;
  /** The background work waits while requests come in (someone is stepping). */
  private readonly idle = new IdleGate(300);

  constructor(private readonly host: DebugSessionHost) {
    super();
    this.setDebuggerLinesStartAt1(true);
    this.setDebuggerColumnsStartAt1(true);
  }

  /** The session's target once launched (null before, or when the launch failed). */
  get target(): DebugTarget | null {
    return this.launched?.target ?? null;
  }

  get launch(): DebugLaunch | null {
    return this.launched;
  }

  /** Launched and not ended. */
  get active(): boolean {
    return this.launched !== null && !this.ended;
  }

  private fail(response: DebugProtocol.Response, e: unknown): void {
    const message = e instanceof DebugUserError ? e.message : `LoopLens debugger: ${(e as Error).message ?? String(e)}`;
    this.sendErrorResponse(response, { id: ERROR, format: message, showUser: true });
  }

  protected override dispatchRequest(request: DebugProtocol.Request): void {
    this.idle.touch();
    super.dispatchRequest(request);
  }

  protected override initializeRequest(response: DebugProtocol.InitializeResponse, args: DebugProtocol.InitializeRequestArguments): void {
    this.invalidatedEvents = args.supportsInvalidatedEvent === true;
    response.body = {
      ...response.body,
      supportsConfigurationDoneRequest: true,
      supportsStepBack: true,
      supportsConditionalBreakpoints: true,
      supportsEvaluateForHovers: true,
      supportsTerminateRequest: true,
      supportsGotoTargetsRequest: false,
      supportsRestartRequest: false,
    };
    this.sendResponse(response);
    this.sendEvent(new InitializedEvent());
  }

  protected override configurationDoneRequest(response: DebugProtocol.ConfigurationDoneResponse): void {
    this.sendResponse(response);
    this.configured.resolve();
  }

  protected override async launchRequest(response: DebugProtocol.LaunchResponse, args: LooplensLaunchArguments): Promise<void> {
    let launched: DebugLaunch;
    try {
      launched = await launchDebugTarget(args, (p) => this.host.open(p), { probes: { ...this.host.probes, pause: () => this.idle.wait() } });
    } catch (e) {
      this.ready.resolve(null);
      this.fail(response, e);
      return;
    }
    this.launched = launched;
    this.ready.resolve(launched);
    this.sendResponse(response);
    const m = launched.model;
    this.output(`LoopLens: ${path.basename(m.source)} (${m.task.title}) on ${launched.launch.input} beside ${launched.launch.program}: ${launched.target.steps} iterations, T(n) = ${launched.target.oracle}. F10 next iteration, Step Back the previous one, F5 to a breakpoint or the adaptive stop. Debug Console: a RASP-L expression, or probe <expr>.\n`);
    await this.configured.promise;
    if (this.ended) return;
    const t = launched.target;
    const first = args.stopOnEntry === false ? t.runFromStart() : t.entry();
    this.host.onStart?.(this, t.content);
    this.report(first);
    this.background(launched);
  }

  /** In the background: the length-calibrated stop and the probes of the current input (the stepper panel shows them). */
  private background(launched: DebugLaunch): void {
    launched.full().then(
      (content) => {
        if (this.ended) return;
        this.output(`LoopLens: adaptive stop at iteration ${content.viewModel.halting.adaptiveStep ?? '?'} (${content.viewModel.halting.rule}); probes fitted over ${content.viewModel.compare?.probeExamples ?? 0} random inputs.\n`);
        if (this.invalidatedEvents) this.sendEvent(new InvalidatedEvent(['variables']));
        this.host.onContent?.(this, content);
      },
      (e) => {
        // an input left for another one: its work was abandoned on purpose
        if (!this.ended && !(e instanceof ProbeCancelled)) this.output(`LoopLens: the length-calibrated stop and the probes could not be computed: ${(e as Error).message}\n`, 'stderr');
      },
    );
  }

  /**
   * Debugs another input of the same model and program (typed in the stepper panel): the session
   * stops at its iteration 1 with the same breakpoints. Throws DebugUserError for a bad input.
   */
  async setInput(text: string): Promise<StepperContent> {
    const l = this.launched;
    if (!l || this.ended) throw new DebugUserError('the debug session has ended');
    const content = await l.setInput(text.trim());
    if (this.ended) throw new DebugUserError('the debug session has ended');
    this.output(`LoopLens: now debugging ${l.launch.input}: ${l.target.steps} iterations, T(n) = ${l.target.oracle}.\n`);
    this.sendEvent(new ContinuedEvent(THREAD_ID)); // a fresh stop for the editor, as after a continue
    const t = l.target;
    const stop = t.entry();
    this.report({ ...stop, description: `input ${l.launch.input}: ${stop.description}` });
    this.background(l);
    return content;
  }

  private output(text: string, category = 'stdout'): void {
    this.sendEvent(new OutputEvent(text, category));
  }

  /** Sends the stop to the client (and the host). */
  private report(stop: StopInfo): void {
    this.handles.reset();
    for (const m of stop.messages) this.output(`${m}\n`, 'stderr');
    const ev = new StoppedEvent(stop.reason, THREAD_ID) as DebugProtocol.StoppedEvent;
    ev.body.description = stop.description;
    ev.body.allThreadsStopped = true;
    if (stop.hitBreakpointIds.length) ev.body.hitBreakpointIds = stop.hitBreakpointIds;
    this.sendEvent(ev);
    this.host.onStop?.(this, stop);
  }

  /** Runs a stepping command on the target, answering the request first (as clients expect). */
  private move(response: DebugProtocol.Response, how: (t: DebugTarget) => StopInfo): void {
    const t = this.target;
    if (!t) {
      this.fail(response, new DebugUserError('the session has not started'));
      return;
    }
    this.sendResponse(response);
    this.report(how(t));
  }

  protected override nextRequest(response: DebugProtocol.NextResponse): void {
    this.move(response, (t) => t.next());
  }

  protected override stepInRequest(response: DebugProtocol.StepInResponse): void {
    this.move(response, (t) => t.next());
  }

  protected override stepOutRequest(response: DebugProtocol.StepOutResponse): void {
    this.move(response, (t) => t.stepOut());
  }

  protected override stepBackRequest(response: DebugProtocol.StepBackResponse): void {
    this.move(response, (t) => t.back());
  }

  protected override continueRequest(response: DebugProtocol.ContinueResponse): void {
    response.body = { allThreadsContinued: true };
    this.move(response, (t) => t.continue());
  }

  protected override reverseContinueRequest(response: DebugProtocol.ReverseContinueResponse): void {
    this.move(response, (t) => t.reverseContinue());
  }

  protected override pauseRequest(response: DebugProtocol.PauseResponse): void {
    this.sendResponse(response); // never running: every command stops at once
  }

  /** Moves the session to an iteration (the stepper panel moved); answers with the iteration. */
  gotoStep(step: number): StopInfo | null {
    const t = this.target;
    if (!t || this.ended || t.step === step) return null;
    const stop = t.goto(step);
    this.sendEvent(new ContinuedEvent(THREAD_ID)); // a fresh stop for the editor, as after a continue
    this.report(stop);
    return stop;
  }

  protected override async setBreakPointsRequest(response: DebugProtocol.SetBreakpointsResponse, args: DebugProtocol.SetBreakpointsArguments): Promise<void> {
    const asked: DebugProtocol.SourceBreakpoint[] = args.breakpoints ?? (args.lines ?? []).map((line) => ({ line }));
    const launched = await this.ready.promise;
    const file = args.source.path ? path.resolve(args.source.path) : null;
    if (!launched || !file || file !== path.resolve(launched.launch.program)) {
      const why = !launched ? 'the session did not start' : `this session debugs ${launched.launch.program}; breakpoints of other files do not stop it`;
      response.body = { breakpoints: asked.map((b) => ({ verified: false, line: b.line, message: why })) };
      this.sendResponse(response);
      return;
    }
    const states = launched.target.setBreakpoints(asked.map((b) => ({ line: b.line, condition: b.condition })));
    response.body = { breakpoints: states.map((s) => ({ id: s.id, verified: s.verified, line: s.line, message: s.message, source: args.source })) };
    this.sendResponse(response);
  }

  protected override threadsRequest(response: DebugProtocol.ThreadsResponse): void {
    const l = this.launched;
    response.body = { threads: [new Thread(THREAD_ID, l ? `${l.model.task.name} · ${l.launch.input.length > 24 ? `${l.launch.input.slice(0, 24)}…` : l.launch.input}` : 'loop')] };
    this.sendResponse(response);
  }

  protected override stackTraceRequest(response: DebugProtocol.StackTraceResponse): void {
    const l = this.launched;
    if (!l) {
      response.body = { stackFrames: [], totalFrames: 0 };
      this.sendResponse(response);
      return;
    }
    const t = l.target;
    const source = new Source(path.basename(l.launch.program), path.resolve(l.launch.program));
    response.body = { stackFrames: [new StackFrame(t.step, t.frameName(), source, t.frameLine, 1)], totalFrames: 1 };
    this.sendResponse(response);
  }

  protected override scopesRequest(response: DebugProtocol.ScopesResponse): void {
    const t = this.target;
    if (!t) {
      response.body = { scopes: [] };
      this.sendResponse(response);
      return;
    }
    const step = t.step;
    response.body = {
      scopes: [new Scope('Program', this.handles.create(() => t.programScope(step)), false), new Scope('Model', this.handles.create(() => t.modelScope(step)), false), new Scope('Comparison', this.handles.create(() => t.comparisonScope(step)), false)],
    };
    this.sendResponse(response);
  }

  private toProtocol(v: DebugVariable): DebugProtocol.Variable {
    const out: DebugProtocol.Variable = { name: v.name, value: v.value, variablesReference: v.children ? this.handles.create(v.children) : 0 };
    if (v.type) out.type = v.type;
    if (v.evaluateName) out.evaluateName = v.evaluateName;
    return out;
  }

  protected override variablesRequest(response: DebugProtocol.VariablesResponse, args: DebugProtocol.VariablesArguments): void {
    const make = this.handles.get(args.variablesReference);
    let vars: DebugVariable[];
    try {
      vars = make ? make() : [];
    } catch (e) {
      vars = [{ name: 'error', value: (e as Error).message }];
    }
    const start = args.start ?? 0;
    const count = args.count ?? vars.length;
    response.body = { variables: vars.slice(start, start + count).map((v) => this.toProtocol(v)) };
    this.sendResponse(response);
  }

  protected override async evaluateRequest(response: DebugProtocol.EvaluateResponse, args: DebugProtocol.EvaluateArguments): Promise<void> {
    const t = this.target;
    if (!t) {
      this.fail(response, new DebugUserError('the session has not started'));
      return;
    }
    const text = args.expression.trim();
    const probe = /^probe\s+(.+)$/s.exec(text);
    try {
      // the background work waits while a probe runs the model
      const v = probe ? await this.idle.during(t.probe(probe[1]!.trim())) : t.evaluate(text);
      response.body = { result: v.value, variablesReference: v.children ? this.handles.create(v.children) : 0, ...(v.type ? { type: v.type } : {}) };
      this.sendResponse(response);
    } catch (e) {
      if (args.context === 'hover') {
        // a hover over something that is not an expression (a keyword, a comment) shows nothing
        this.sendErrorResponse(response, { id: ERROR, format: (e as Error).message, showUser: false });
        return;
      }
      this.fail(response, e);
    }
  }

  protected override customRequest(command: string, response: DebugProtocol.Response, args: unknown): void {
    const t = this.target;
    if (command === 'looplens/inlineValues') {
      response.body = t ? { step: t.step, program: this.launched!.launch.program, values: t.inlineValues() } : { step: null, values: [] };
      this.sendResponse(response);
      return;
    }
    if (command === 'looplens/full') {
      // answers once the full content (length-calibrated stop, probes) is in: for tests and the benchmark
      const l = this.launched;
      if (!l) {
        this.fail(response, new DebugUserError('the session has not started'));
        return;
      }
      l.full().then(
        (c) => {
          response.body = { adaptiveStop: c.viewModel.halting.adaptiveStep, probeExamples: c.viewModel.compare?.probeExamples ?? 0, steps: c.viewModel.steps.length };
          this.sendResponse(response);
        },
        (e) => this.fail(response, e),
      );
      return;
    }
    if (command === 'looplens/memory') {
      const l = this.launched;
      if (!l) {
        this.fail(response, new DebugUserError('the session has not started'));
        return;
      }
      l.memory().then(
        (m) => {
          response.body = m;
          this.sendResponse(response);
        },
        (e) => this.fail(response, e),
      );
      return;
    }
    if (command === 'looplens/setInput') {
      // what the stepper panel does when the user types another input: for tests and the benchmark
      const input = (args as { input?: unknown } | undefined)?.input;
      if (typeof input !== 'string') {
        this.fail(response, new DebugUserError('looplens/setInput needs an input'));
        return;
      }
      this.setInput(input).then(
        (c) => {
          response.body = { input: c.viewModel.origin.inputText, steps: c.viewModel.steps.length };
          this.sendResponse(response);
        },
        (e) => this.fail(response, e),
      );
      return;
    }
    if (command === 'looplens/goto') {
      const step = (args as { step?: unknown } | undefined)?.step;
      try {
        if (typeof step !== 'number') throw new DebugUserError('looplens/goto needs a step');
        this.gotoStep(step);
        this.sendResponse(response);
      } catch (e) {
        this.fail(response, e);
      }
      return;
    }
    super.customRequest(command, response, args);
  }

  private end(): void {
    if (this.ended) return;
    this.ended = true;
    this.launched?.cancel();
    this.configured.resolve();
    this.host.onEnd?.(this);
  }

  protected override terminateRequest(response: DebugProtocol.TerminateResponse): void {
    this.sendResponse(response);
    this.end();
    this.sendEvent(new TerminatedEvent());
  }

  protected override disconnectRequest(response: DebugProtocol.DisconnectResponse): void {
    this.end();
    this.sendResponse(response);
  }
}
