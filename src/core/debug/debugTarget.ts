// What the LoopLens debugger steps through: one input traced through a looped model beside its
// task's RASP-L program. One loop iteration is one step (1 .. traced steps); the state after
// iteration t is the model's read-out after t applications of the block and the program's
// variables after t runs of its step: block. No DAP here: the adapter
// (src/extension/debug) asks this object where to stop and what to show, so it is unit-tested
// without an editor. Its numbers come from the stepper's content (core/view) for the same input.
import type { Expr } from '../rasp/ast';
import { RaspError } from '../rasp/errors';
import { parseExpression } from '../rasp/parser';
import { isTrue, type WatchValue } from '../rasp/watch';
import { ITERATION_NAMES, ITERATION_NAMES_HELP, iterationNames } from '../programs/source/iterationNames';
import type { ProbeSet } from '../programs/source/probeSet';
import type { ProgramSource } from '../programs/source/raspProgramSource';
import type { StepperContent } from '../view/stepperViewModel';
import { comparisonScope, modelScope, probeText, programScope, rowText, watchVariable, type DebugVariable } from './debugVariables';
import { loopVariables, programLines, type ProgramLines } from './programLines';

export type StopReason = 'entry' | 'step' | 'breakpoint' | 'goto' | 'adaptive stop' | 'end';

export interface StopInfo {
  step: number;
  reason: StopReason;
  /** Shown by the editor beside the reason. */
  description: string;
  /** Ids of the breakpoints that stopped here. */
  hitBreakpointIds: number[];
  /** Problems met on the way (a condition that failed to evaluate): shown in the Debug Console. */
  messages: string[];
  /** The source line the editor shows: the hit breakpoint's line, else the step: block's. */
  line: number;
}

export interface BreakpointSpec {
  line: number;
  condition?: string;
}

export interface BreakpointState {
  id: number;
  /** The line asked for, or the step: block assignment it moved to. */
  line: number;
  verified: boolean;
  /** Why it cannot stop (unverified) or what it stops on (verified). */
  message: string;
  variable: string | null;
  condition: string | null;
}

interface ArmedBreakpoint extends BreakpointState {
  expr: Expr | null;
}

export interface InlineValue {
  line: number;
  text: string;
}

/** An error meant for the user as it stands (a bad expression, a bad launch configuration). */
export class DebugUserError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DebugUserError';
  }
}

export interface DebugTargetInit {
  /** The stepper's content for this input (the numbers the panel shows). */
  content: StepperContent;
  /** The RASP-L task program behind content.program (for its lines and for expressions). */
  program: ProgramSource & Required<Pick<ProgramSource, 'evaluate' | 'task' | 'file'>>;
  /** Random inputs for `probe <expr>` (may still be opening); null when probes are not available. */
  probes?: ProbeSet | Promise<ProbeSet | null> | null;
}

let nextBreakpointId = 1;

export class DebugTarget {
  private contentNow: StepperContent;
  readonly program: DebugTargetInit['program'];
  private probes: Promise<ProbeSet | null>;
  readonly lines: ProgramLines;
  private readonly loopVars: Set<string>;
  private current = 1;
  private currentLine: number | null = null;
  private breakpoints: ArmedBreakpoint[] = [];

  constructor(init: DebugTargetInit) {
    this.contentNow = init.content;
    this.program = init.program;
    this.probes = Promise.resolve(init.probes ?? null);
    this.lines = programLines(init.program.task.program);
    this.loopVars = loopVariables(this.lines);
    if (!init.content.program) throw new DebugUserError(`the program ${init.program.file} did not run on this input: ${init.content.viewModel.notes.join(' ')}`);
  }

  get content(): StepperContent {
    return this.contentNow;
  }

  /** The same input's content with more computed (the length-calibrated stop, the probes): same steps, same trace. */
  update(content: StepperContent): void {
    if (content.viewModel.steps.length !== this.steps) throw new Error(`update: ${content.viewModel.steps.length} steps, the session has ${this.steps}`);
    this.contentNow = content;
  }

  /** Another input of the same model and program: back to iteration 1, breakpoints (ids, lines, conditions) kept. */
  retarget(content: StepperContent, probes: DebugTargetInit['probes']): void {
    if (!content.program) throw new DebugUserError(`the program ${this.program.file} did not run on this input: ${content.viewModel.notes.join(' ')}`);
    this.contentNow = content;
    this.probes = Promise.resolve(probes ?? null);
    this.current = 1;
    this.currentLine = null;
  }

  get step(): number {
    return this.current;
  }

  /** Traced loop iterations. */
  get steps(): number {
    return this.contentNow.viewModel.steps.length;
  }

  /** T(n), capped at the traced steps. */
  get oracle(): number {
    return Math.min(this.contentNow.viewModel.halting.oracleStep ?? this.steps, this.steps);
  }

  get adaptiveStop(): number | null {
    return this.contentNow.viewModel.halting.adaptiveStep;
  }

  /** `iteration 3 of T(n) = 40`, the call stack's frame name. */
  frameName(step = this.current): string {
    const extra = step > this.oracle ? ` (${step - this.oracle} past T(n))` : '';
    return `iteration ${step} of T(n) = ${this.oracle}${extra}`;
  }

  /** The source line the call stack shows: the program's step: block, or the line of the breakpoint that stopped here. */
  get frameLine(): number {
    return this.currentLine ?? this.lines.stepLine ?? 1;
  }

  private stop(step: number, reason: StopReason, description: string, hits: number[] = [], messages: string[] = []): StopInfo {
    this.current = step;
    this.currentLine = hits.length ? (this.breakpoints.find((b) => b.id === hits[0])?.line ?? null) : null;
    return { step, reason, description, hitBreakpointIds: hits, messages, line: this.frameLine };
  }

  entry(): StopInfo {
    return this.stop(1, 'entry', `${this.frameName(1)}: the model's read-out after one loop iteration beside the program after one step`);
  }

  /** Step Over / Step Into: the next iteration. */
  next(): StopInfo {
    if (this.current >= this.steps) return this.stop(this.current, 'end', `${this.frameName()} is the last traced iteration`);
    return this.stop(this.current + 1, 'step', this.frameName(this.current + 1));
  }

  /** Step Back: the previous iteration. */
  back(): StopInfo {
    if (this.current <= 1) return this.stop(1, 'entry', 'iteration 1 is the first');
    return this.stop(this.current - 1, 'step', this.frameName(this.current - 1));
  }

  /** Jumps to an iteration (the stepper panel moved). */
  goto(step: number): StopInfo {
    if (!Number.isInteger(step) || step < 1 || step > this.steps) throw new DebugUserError(`iteration ${step} is outside 1..${this.steps}`);
    return this.stop(step, 'goto', this.frameName(step));
  }

  /** Continue: the next iteration where a breakpoint hits, else the adaptive stop (when ahead), else the last iteration. */
  continue(): StopInfo {
    return this.forwardFrom(this.current);
  }

  /** A launch without a stop on entry: from before iteration 1 to the first breakpoint, else the adaptive stop. */
  runFromStart(): StopInfo {
    return this.forwardFrom(0);
  }

  private forwardFrom(from: number): StopInfo {
    const messages: string[] = [];
    for (let t = from + 1; t <= this.steps; t++) {
      const hits = this.hitsAt(t, messages);
      if (hits.length) return this.stop(t, 'breakpoint', this.hitDescription(t, hits), hits, messages);
    }
    const a = this.adaptiveStop;
    if (a !== null && a > from) return this.stop(a, 'adaptive stop', `${this.frameName(a)}: the adaptive stop (${this.contentNow.viewModel.halting.rule})`, [], messages);
    return this.stop(this.steps, 'end', `${this.frameName(this.steps)}: the last traced iteration`, [], messages);
  }

  /** Reverse Continue: the previous iteration where a breakpoint hits, else iteration 1. */
  reverseContinue(): StopInfo {
    const messages: string[] = [];
    for (let t = this.current - 1; t >= 1; t--) {
      const hits = this.hitsAt(t, messages);
      if (hits.length) return this.stop(t, 'breakpoint', this.hitDescription(t, hits), hits, messages);
    }
    return this.stop(1, 'entry', 'iteration 1: the first');
  }

  /** Step Out: straight to the adaptive stop (or the last iteration), past any breakpoint. */
  stepOut(): StopInfo {
    const a = this.adaptiveStop;
    if (a !== null && a > this.current) return this.stop(a, 'adaptive stop', `${this.frameName(a)}: the adaptive stop (${this.contentNow.viewModel.halting.rule})`);
    return this.stop(this.steps, 'end', `${this.frameName(this.steps)}: the last traced iteration`);
  }

  // ---- breakpoints ------------------------------------------------------------------------------

  /** Replaces the breakpoints of the program file. Lines must be in the step: block; conditions must parse and evaluate. */
  setBreakpoints(specs: BreakpointSpec[]): BreakpointState[] {
    this.breakpoints = specs.map((s) => this.arm(s));
    return this.breakpoints.map(({ expr: _expr, ...b }) => b);
  }

  private arm(s: BreakpointSpec): ArmedBreakpoint {
    const id = nextBreakpointId++;
    const condition = s.condition?.trim() ? s.condition.trim() : null;
    const base = { id, line: s.line, condition, variable: null, expr: null };
    const { stepLine, stepEnd } = this.lines;
    const assign = this.lines.assigns.find((a) => a.line === s.line);
    if (assign && assign.phase === 'before') {
      const again = this.loopVars.has(assign.variable) ? ` (${assign.variable} is assigned again in the step: block: put the breakpoint there)` : '';
      return { ...base, verified: false, message: `line ${s.line} assigns ${assign.variable} before the loop: it runs once, not per iteration${again}` };
    }
    if (assign && assign.phase === 'post') return { ...base, verified: false, message: `line ${s.line} is in post:, which runs only when the answer is read out, not per iteration` };
    let target = assign;
    if (!target) {
      const inStep = stepLine !== null && stepEnd !== null && s.line >= stepLine && s.line <= stepEnd;
      if (!inStep) return { ...base, verified: false, message: `line ${s.line} is not in the step: block${stepLine !== null ? ` (lines ${stepLine + 1}..${stepEnd})` : ''}: only its assignments run once per iteration` };
      // a comment or blank line inside the block: the next assignment
      target = this.lines.assigns.find((a) => a.phase === 'step' && a.line >= s.line);
      if (!target) return { ...base, verified: false, message: `no assignment at or after line ${s.line} in the step: block` };
    }
    let expr: Expr | null = null;
    if (condition) {
      try {
        expr = parseExpression(condition);
        isTrue(this.evaluateParsed(expr, this.current));
      } catch (e) {
        return { ...base, line: target.line, verified: false, message: `condition \`${condition}\`: ${this.expressionError(e)}` };
      }
    }
    const what = condition ? `stops where \`${condition}\` holds` : `stops where ${target.variable} changes`;
    return { ...base, line: target.line, variable: target.variable, expr, verified: true, message: `${what} (line ${target.line})` };
  }

  /** Whether `variable` differs after step t from after step t - 1. */
  private changed(variable: string, t: number): boolean {
    const v = this.contentNow.viewModel.program?.variables.find((x) => x.name === variable);
    if (!v) return false;
    const a = v.values[t - 1] ?? null;
    const b = v.values[t] ?? null;
    if (!a || !b) return a !== b;
    return a.some((x, p) => x !== b[p]);
  }

  private hitsAt(t: number, messages: string[]): number[] {
    const hits: number[] = [];
    for (const b of this.breakpoints) {
      if (!b.verified || !b.variable) continue;
      if (b.expr) {
        try {
          if (isTrue(this.evaluateParsed(b.expr, t))) hits.push(b.id);
        } catch (e) {
          messages.push(`The condition \`${b.condition}\` of the breakpoint on line ${b.line} failed at iteration ${t}: ${this.expressionError(e)}. Stopped there.`);
          hits.push(b.id);
        }
      } else if (this.changed(b.variable, t)) hits.push(b.id);
    }
    return hits;
  }

  private hitDescription(t: number, hits: number[]): string {
    const parts = hits.map((id) => {
      const b = this.breakpoints.find((x) => x.id === id)!;
      return b.condition ? `\`${b.condition}\` holds (line ${b.line})` : `${b.variable} changed (line ${b.line})`;
    });
    return `${this.frameName(t)}: ${parts.join('; ')}`;
  }

  // ---- expressions ------------------------------------------------------------------------------

  /** The names an expression at iteration t sees besides the program's own. */
  private names(t: number): Map<string, number | number[]> {
    const vm = this.contentNow.viewModel;
    const s = vm.steps[t - 1]!;
    return iterationNames({ step: t, decoded: s.decoded, confidence: s.confidence, answer: this.contentNow.program?.answers[t] ?? null, mask: this.contentNow.traced.example.mask });
  }

  private evaluateParsed(expr: Expr, t: number): WatchValue {
    return this.program.evaluate(this.contentNow.traced.example.input, t, [expr], this.names(t))[0]!;
  }

  private expressionError(e: unknown): string {
    if (!(e instanceof RaspError)) throw e;
    const where = e.kind === 'syntax' ? `syntax error at column ${e.column}: ` : '';
    const unknown = /^"([^"]+)" has no value yet/.exec(e.message);
    if (unknown) {
      const vars = this.contentNow.viewModel.program?.variables.map((v) => v.name) ?? [];
      return `"${unknown[1]}" is not defined here. Names: the program's variables (${vars.join(', ')}), tokens, indices, its constants and functions, the RASP-L library, and ${ITERATION_NAMES.join(', ')} (${ITERATION_NAMES_HELP})`;
    }
    return where + e.message;
  }

  /** A RASP-L expression at iteration `step` (default: the current one). Throws DebugUserError with a readable message. */
  evaluate(source: string, step = this.current): DebugVariable {
    let value: WatchValue;
    try {
      value = this.evaluateParsed(parseExpression(source), step);
    } catch (e) {
      throw new DebugUserError(this.expressionError(e));
    }
    return watchVariable(this.contentNow, source, value);
  }

  /** `probe <expr>`: a linear probe of the expression's value from the hidden state at iteration `step`. */
  async probe(source: string, step = this.current): Promise<DebugVariable> {
    const probes = await this.probes;
    if (!probes) throw new DebugUserError('probes are not available in this session (the model’s state graph could not be opened)');
    let expr: Expr;
    try {
      expr = parseExpression(source);
    } catch (e) {
      throw new DebugUserError(this.expressionError(e));
    }
    try {
      const r = await probes.probeExpression(step, expr);
      const n = probes.examples;
      const held = n - probes.trainCount;
      const verdict = r.distinctValues < 2 ? ' The value is the same on every training input: a constant says nothing about the state.' : r.beatsBaseline ? '' : ' Nothing here is read out better than always guessing the most frequent value.';
      return {
        name: `probe ${source}`,
        value: `${probeText(r)} at iteration ${step} (${n} random inputs: fitted on ${n - held}, scored on ${held} held out).${verdict}`,
        children: () => [
          { name: 'held-out accuracy', value: `${(100 * r.heldOutAccuracy).toFixed(1)}% of ${r.testSamples} positions` },
          { name: 'majority baseline', value: `${(100 * r.baselineAccuracy).toFixed(1)}%` },
          { name: 'standard error', value: `${(100 * r.standardError).toFixed(1)} points (over held-out inputs)` },
          { name: 'distinct values', value: String(r.distinctValues) },
        ],
      };
    } catch (e) {
      throw new DebugUserError(this.expressionError(e));
    }
  }

  // ---- views ------------------------------------------------------------------------------------

  programScope(step = this.current): DebugVariable[] {
    return programScope(this.contentNow, step);
  }

  modelScope(step = this.current): DebugVariable[] {
    return modelScope(this.contentNow, step);
  }

  comparisonScope(step = this.current): DebugVariable[] {
    return comparisonScope(this.contentNow, step);
  }

  /**
   * What each assignment line of the program shows in the editor at iteration `step`: the variable's
   * values after that many steps and its value where the answer starts. Lines before the loop show
   * their (constant) value unless the step: block assigns the variable again; post: shows nothing.
   */
  inlineValues(step = this.current): InlineValue[] {
    const vm = this.contentNow.viewModel;
    const at = this.contentNow.traced.example.answerStart;
    const label = vm.tokens[at]?.label ?? '?';
    const out: InlineValue[] = [];
    for (const a of this.lines.assigns) {
      if (a.phase === 'post' || (a.phase === 'before' && this.loopVars.has(a.variable))) continue;
      const row = vm.program?.variables.find((v) => v.name === a.variable)?.values[step];
      if (!row) continue;
      out.push({ line: a.line, text: `${a.variable} = ${rowText(row, 16)} · at ${label} (${at}): ${row[at] ?? '·'}` });
    }
    return out;
  }
}
