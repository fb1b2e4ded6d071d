// Runs a checked RASP-L program on one input row and records its trace. Top-level statements
// and `pre:` run once, `step:` runs T times, `post:` once. Execution is bounded: every element
// operation is charged against a work budget, calls nest at most MAX_DEPTH deep, and there are
// no loops or recursion in the language, so a run always ends.
import type { BinaryOp, Expr, Program, Stmt } from './ast';
import { checkInt, kindOf, makeSeq, MEAN, PREDICATES, scalarBinary, SCALAR_FUNCTIONS, selectorBinary, selectorNot, SEQUENCE_FUNCTIONS } from './builtins';
import { callKind, type CallKindSite } from './callKinds';
import { Env } from './env';
import { RaspError, type SourceSpan } from './errors';
import { binaryKind, condKind, IndexRuleError, unaryKind, type Kind } from './kinds';
import { preludeProgram } from './prelude';
import type { ProgramTrace, TracePhase, TraceRecord, TraceSelector } from './trace';
import { describeValue, functionName, isFunction, MAX_VALUE, Selector, Seq, type FunctionValue, type Runtime, type UserFunction, type Value } from './values';

export interface RunOptions {
  /** Loop steps T (default 1 when the file has a step: block, else 0). */
  steps?: number;
  /** Record variables and selectors (default true). */
  trace?: boolean;
  /** Read the answer out of this variable after every record (task files). */
  outputVar?: string;
  /** Work budget in element operations (default 400 million). */
  budget?: number;
}

export interface RunResult {
  trace: ProgramTrace;
  /** Every sequence variable after the run. */
  variables: Map<string, number[]>;
  /** The output variable after the run (post applied), when outputVar was given. */
  output?: number[];
}

export const MAX_DEPTH = 48;
export const MAX_STEPS = 10_000;
export const MAX_WIDTH = 4096;
const DEFAULT_BUDGET = 400_000_000;
/** Most values one traced run records (about 400 MB as JavaScript numbers); past it the run stops with a RaspError. */
export const MAX_TRACE_VALUES = 50_000_000;

interface Frame {
  name: string;
  callSpan: SourceSpan;
  callerInPrelude: boolean;
}

let builtinEnvCache: Env | null = null;

/** The environment every program starts from: primitives, predicates and the RASP-L prelude. */
export function builtinEnv(): Env {
  if (builtinEnvCache !== null) return builtinEnvCache;
  const env = new Env(null);
  for (const f of [...SEQUENCE_FUNCTIONS, ...PREDICATES, ...SCALAR_FUNCTIONS]) env.set(f.name, f);
  env.set('mean', MEAN);
  for (const def of preludeProgram().defs) env.set(def.name, { type: 'def', def, fromPrelude: true } satisfies UserFunction);
  builtinEnvCache = env;
  return env;
}

/** Names the language defines before any program runs (not assignable). */
export function reservedNames(): Set<string> {
  const names = new Set<string>(['tokens', 'indices']);
  for (const [name] of builtinEnv().entries()) names.add(name);
  return names;
}

class Interpreter implements Runtime, CallKindSite {
  readonly n: number;
  private budget: number;
  readonly globals: Env;
  readonly maxDepth = MAX_DEPTH;
  private frames: Frame[] = [];
  private inPrelude = false;
  private site: Expr | null = null;
  private stmtTarget = '';
  private stmtSpan: SourceSpan | null = null;
  private recording: TraceSelector[] | null = null;
  private readonly siteCounts = new Map<string, number>();

  constructor(
    private readonly program: Program,
    input: readonly number[],
    budget: number,
  ) {
    this.n = input.length;
    this.budget = budget;
    this.globals = new Env(builtinEnv());
    const idx = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) idx[i] = i;
    this.globals.set('tokens', new Seq(Int32Array.from(input)));
    this.globals.set('indices', new Seq(idx, true, 0));
    for (const def of program.defs) this.globals.set(def.name, { type: 'def', def, fromPrelude: false });
  }

  // ---- Runtime (used by the builtins) -----------------------------------------------------
  spend(units: number): void {
    this.budget -= units;
    if (this.budget < 0) this.fail('the work budget is spent: the program does too much work for this input (is T or the input very large?)');
  }

  fail(message: string): never {
    throw new RaspError('runtime', message, this.errorSpan(this.site?.span ?? null), this.frames.map((f) => f.name));
  }

  failAt(message: string, span: SourceSpan | null): never {
    throw new RaspError('runtime', message, span ?? this.errorSpan(null), this.frames.map((f) => f.name));
  }

  /** Where an error is shown: in user code, the failing expression; in the prelude, the user's call into it. */
  private errorSpan(span: SourceSpan | null): SourceSpan {
    if (!this.inPrelude && span !== null) return span;
    for (let i = this.frames.length - 1; i >= 0; i--) if (!this.frames[i]!.callerInPrelude) return this.frames[i]!.callSpan;
    return span ?? this.stmtSpan ?? { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  }

  toSeq(v: Value, what: string): Seq {
    if (v instanceof Seq) return v;
    if (typeof v === 'number') {
      checkInt(this, v, what);
      return new Seq(new Int32Array(this.n).fill(v));
    }
    this.fail(`${what} must be a sequence or an integer, got ${describeValue(v)}`);
  }

  applyScalar(f: FunctionValue, args: number[]): number {
    if (f.type === 'builtin') {
      if (f.scalar === undefined) this.fail(`${f.name} works on whole sequences; tok_map/seq_map and select need a per-position function (a lambda, a def, or e.g. xor, equals)`);
      if (f.params.length !== args.length) this.fail(`${f.name} takes ${f.params.length} argument(s) but is applied to ${args.length} per position`);
      this.budget--;
      return f.scalar(args);
    }
    if (f.type === 'lambda' && f.params.length !== args.length) this.fail(`this lambda takes ${f.params.length} argument(s) but is applied to ${args.length} per position`);
    const v = this.call(f, args, [], null);
    if (typeof v !== 'number') this.fail(`a per-position function must return an integer, but ${functionName(f)} returned ${describeValue(v)}`);
    return v;
  }

  kindOfCall(f: FunctionValue, kinds: Kind[]): Kind {
    return callKind(this, f, kinds);
  }

  recordSelector(sel: Selector, reads?: Uint8Array): void {
    if (this.recording === null) return;
    const chain = this.frames.map((f) => f.name);
    const callee = this.site?.kind === 'call' && this.site.callee.kind === 'name' ? this.site.callee.name : 'select';
    const path = [...this.frames.map((f) => `${f.callSpan.start.line}:${f.callSpan.start.column}`), `${this.site?.span.start.line}:${this.site?.span.start.column}`];
    const baseId = `${this.stmtSpan?.start.line}:${this.stmtSpan?.start.column}/${path.join('/')}`;
    const seen = this.siteCounts.get(baseId) ?? 0;
    this.siteCounts.set(baseId, seen + 1);
    const id = seen === 0 ? baseId : `${baseId}#${seen + 1}`;
    const label = [this.stmtTarget, [...chain, callee].join(' › ')].filter((s) => s !== '').join(' · ');
    const dup = this.recording.filter((s) => s.name === label || s.name.startsWith(`${label} (`)).length;
    const span = this.errorSpanForTrace();
    this.recording.push({ id, name: dup === 0 ? label : `${label} (${dup + 1})`, line: span.start.line, column: span.start.column, stack: chain, matrix: sel.m, ...(reads === undefined ? {} : { reads }) });
  }

  private errorSpanForTrace(): SourceSpan {
    const outer = this.frames.find((f) => !f.callerInPrelude);
    return outer?.callSpan ?? this.site?.span ?? this.stmtSpan!;
  }

  // ---- statements ---------------------------------------------------------------------------
  /**
   * Runs the top level, pre: and `steps` loop steps (no post:, no trace), then evaluates `exprs` in
   * the program's global scope; `extra` names are visible where the program and the library do not
   * define the same name.
   */
  evaluateAfter(steps: number, exprs: Expr[], extra: ReadonlyMap<string, Value>): Value[] {
    this.recording = null;
    this.execTop(this.program.top);
    if (this.program.blocks.pre) this.execTop(this.program.blocks.pre.body);
    const stepBlock = this.program.blocks.step;
    for (let t = 1; t <= steps; t++) this.execTop(stepBlock!.body);
    const env = new Env(this.globals);
    for (const [name, v] of extra) if (this.globals.lookup(name) === undefined) env.set(name, v);
    this.stmtTarget = '';
    this.stmtSpan = null;
    return exprs.map((e) => this.eval(e, env));
  }

  run(options: RunOptions): RunResult {
    const steps = options.steps ?? (this.program.blocks.step !== undefined ? 1 : 0);
    const tracing = options.trace !== false;
    const records: TraceRecord[] = [];
    const phase = (name: TracePhase, step: number, body: () => void) => {
      this.recording = tracing ? [] : null;
      this.siteCounts.clear();
      body();
      if (tracing) {
        const record: TraceRecord = { phase: name, step, variables: this.snapshot(), selectors: this.recording ?? [] };
        if (options.outputVar !== undefined) record.answer = this.readOut(options.outputVar);
        records.push(record);
        this.chargeRecord(record);
      }
      this.recording = null;
    };
    phase('init', 0, () => {
      this.execTop(this.program.top);
      if (this.program.blocks.pre) this.execTop(this.program.blocks.pre.body);
    });
    const stepBlock = this.program.blocks.step;
    for (let t = 1; t <= steps; t++) phase('step', t, () => this.execTop(stepBlock!.body));
    const post = this.program.blocks.post;
    if (post !== undefined) phase('post', steps + 1, () => this.execTop(post.body));

    const variables = new Map<string, number[]>();
    for (const [name, v] of this.globals.entries()) if (v instanceof Seq && name !== 'tokens' && name !== 'indices') variables.set(name, Array.from(v.values));
    const trace: ProgramTrace = { file: this.program.file, input: Array.from((this.globals.lookup('tokens') as Seq).values), width: this.n, steps, records };
    const result: RunResult = { trace, variables };
    if (options.outputVar !== undefined) {
      trace.outputVar = options.outputVar;
      const out = this.globals.lookup(options.outputVar);
      if (!(out instanceof Seq)) {
        throw new RaspError('runtime', `the output variable "${options.outputVar}" ${out === undefined ? 'is never assigned' : `holds ${describeValue(out)}, not a sequence`}`, { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
      }
      result.output = Array.from(out.values);
    }
    return result;
  }

  /** The answer the task would read now: the output variable after running post: on a scratch copy. */
  private readOut(outputVar: string): number[] | undefined {
    const post = this.program.blocks.post;
    let env = this.globals;
    if (post !== undefined) {
      env = new Env(this.globals);
      const saved = this.recording;
      this.recording = null;
      try {
        for (const s of post.body) this.execStmt(s, env);
      } catch (e) {
        if (!(e instanceof RaspError)) throw e;
        return undefined; // post may need state that is not there yet (e.g. before the first step)
      } finally {
        this.recording = saved;
      }
    }
    const v = env.lookup(outputVar);
    return v instanceof Seq ? Array.from(v.values) : undefined;
  }

  /** Values a trace has recorded so far (variables and selector matrices, every step): bounded by MAX_TRACE_VALUES. */
  private recorded = 0;

  private chargeRecord(r: TraceRecord): void {
    for (const v of r.variables) this.recorded += v.values.length;
    for (const sel of r.selectors) this.recorded += sel.matrix.length + (sel.reads?.length ?? 0);
    if (this.recorded > MAX_TRACE_VALUES) {
      throw new RaspError(
        'runtime',
        `the trace of this run would record more than ${MAX_TRACE_VALUES / 1e6} million values (every variable and selector at every step, ${this.n} positions): use a shorter input or fewer steps`,
        { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } },
      );
    }
  }

  private snapshot(): TraceRecord['variables'] {
    const out: TraceRecord['variables'] = [];
    for (const [name, v] of this.globals.entries()) {
      if (!(v instanceof Seq) || name === 'tokens' || name === 'indices') continue;
      out.push({ name, line: this.firstAssignLine(name), values: Array.from(v.values) });
    }
    return out;
  }

  private lineCache: Map<string, number> | null = null;

  private firstAssignLine(name: string): number {
    if (this.lineCache === null) {
      this.lineCache = new Map();
      const all = [...this.program.top, ...(this.program.blocks.pre?.body ?? []), ...(this.program.blocks.step?.body ?? []), ...(this.program.blocks.post?.body ?? [])];
      for (const s of all) if (s.kind === 'assign' && !this.lineCache.has(s.target)) this.lineCache.set(s.target, s.span.start.line);
    }
    return this.lineCache.get(name) ?? 0;
  }

  private execTop(stmts: Stmt[]): void {
    for (const s of stmts) {
      this.stmtTarget = s.kind === 'assign' ? s.target : '';
      this.stmtSpan = s.span;
      this.execStmt(s, this.globals);
    }
  }

  /** Runs one statement; returns the value of a `return`. */
  private execStmt(s: Stmt, env: Env): Value | undefined {
    if (s.kind === 'assign') {
      env.set(s.target, this.eval(s.value, env));
      return undefined;
    }
    if (s.kind === 'return') return this.eval(s.value, env);
    return undefined;
  }

  // ---- expressions --------------------------------------------------------------------------
  private eval(e: Expr, env: Env): Value {
    this.budget--;
    switch (e.kind) {
      case 'int':
        return e.value;
      case 'name': {
        const v = env.lookup(e.name);
        if (v === undefined) {
          this.site = e;
          this.fail(`"${e.name}" has no value yet (it is assigned later, or never)`);
        }
        return v;
      }
      case 'lambda':
        return { type: 'lambda', params: e.params, body: e.body, env, fromPrelude: this.inPrelude };
      case 'unary': {
        const v = this.eval(e.operand, env);
        this.site = e;
        return this.unary(e.op, v);
      }
      case 'binary': {
        const l = this.eval(e.left, env);
        if ((e.op === 'and' || e.op === 'or') && typeof l === 'number') {
          // Python-style short circuit on integers (per-position code)
          if (e.op === 'and' && l === 0) return 0;
          if (e.op === 'or' && l !== 0) return 1;
        }
        const r = this.eval(e.right, env);
        this.site = e;
        return this.binary(e.op, l, r);
      }
      case 'cond': {
        const test = this.eval(e.test, env);
        if (typeof test === 'number') return this.eval(test !== 0 ? e.then : e.otherwise, env);
        const a = this.eval(e.then, env);
        const b = this.eval(e.otherwise, env);
        this.site = e;
        return this.where(test, a, b);
      }
      case 'call': {
        const callee = this.eval(e.callee, env);
        const args = e.args.map((a) => this.eval(a, env));
        const kwargs = e.kwargs.map((k) => ({ name: k.name, value: this.eval(k.value, env), span: k.span }));
        this.site = e;
        if (!isFunction(callee)) this.fail(`${e.callee.kind === 'name' ? `"${e.callee.name}" is ${describeValue(callee)}, which` : `${describeValue(callee)}`} cannot be called`);
        return this.call(callee, args, kwargs, e);
      }
    }
  }

  private rule<T>(f: () => T): T {
    try {
      return f();
    } catch (err) {
      if (err instanceof IndexRuleError) this.fail(err.message);
      throw err;
    }
  }

  private unary(op: string, v: Value): Value {
    if (typeof v === 'number') return op === '-' ? -v : v === 0 ? 1 : 0;
    if (v instanceof Selector) {
      if (op === 'not') return selectorNot(v);
      this.fail('"-" cannot be applied to a selector');
    }
    if (!(v instanceof Seq)) this.fail(`"${op}" cannot be applied to ${describeValue(v)}`);
    const kind = this.rule(() => unaryKind(op, kindOf(v)));
    this.spend(this.n);
    const out = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = op === '-' ? -v.values[i]! : v.values[i] === 0 ? 1 : 0;
    return makeSeq(this, out, kind, op);
  }

  private binary(op: BinaryOp, l: Value, r: Value): Value {
    if (typeof l === 'number' && typeof r === 'number') {
      const v = scalarBinary(op, l, r);
      checkInt(this, v, `${l} ${op} ${r}`);
      return v;
    }
    if (l instanceof Selector || r instanceof Selector) {
      if (l instanceof Selector && r instanceof Selector) {
        const s = selectorBinary(op, l, r);
        if (s !== null) return s;
        this.fail(`"${op}" cannot combine selectors: use & (both select) or | (either selects)`);
      }
      this.fail(`"${op}" cannot combine a selector with ${describeValue(l instanceof Selector ? r : l)}`);
    }
    if (!(l instanceof Seq || typeof l === 'number') || !(r instanceof Seq || typeof r === 'number')) {
      this.fail(`"${op}" cannot be applied to ${describeValue(l instanceof Seq || typeof l === 'number' ? r : l)}`);
    }
    const kind = this.rule(() => binaryKind(op, kindOf(l), kindOf(r)));
    const a = this.toSeq(l, `left side of "${op}"`).values;
    const b = this.toSeq(r, `right side of "${op}"`).values;
    this.spend(this.n);
    const out = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) {
      const v = scalarBinary(op, a[i]!, b[i]!);
      if (!(Number.isInteger(v) && Math.abs(v) <= MAX_VALUE)) checkInt(this, v, `"${op}"`, i);
      out[i] = v;
    }
    return makeSeq(this, out, kind, op);
  }

  private where(test: Value, a: Value, b: Value): Value {
    if (!(test instanceof Seq)) this.fail(`a condition must be an integer or a sequence, got ${describeValue(test)}`);
    for (const v of [a, b]) if (!(v instanceof Seq) && typeof v !== 'number') this.fail(`the branches of "a if cond else b" must be sequences or integers, got ${describeValue(v)}`);
    const kind = this.rule(() => condKind(kindOf(test), kindOf(a), kindOf(b)));
    const x = this.toSeq(a, 'the "if" branch').values;
    const y = this.toSeq(b, 'the "else" branch').values;
    this.spend(this.n);
    const out = new Int32Array(this.n);
    for (let i = 0; i < this.n; i++) out[i] = test.values[i] !== 0 ? x[i]! : y[i]!;
    return makeSeq(this, out, kind, 'if/else');
  }

  // ---- calls ----------------------------------------------------------------------------------
  private bind(f: FunctionValue, args: Value[], kwargs: { name: string; value: Value }[]): Value[] {
    const name = functionName(f);
    // Each parameter with a thunk for its default (builtins: a value; defs: an expression).
    const params: { name: string; fallback?: () => Value }[] =
      f.type === 'builtin'
        ? f.params.map((p) => (p.default === undefined ? { name: p.name } : { name: p.name, fallback: () => p.default! }))
        : f.type === 'def'
          ? f.def.params.map((p) => (p.default === undefined ? { name: p.name } : { name: p.name, fallback: () => this.eval(p.default!, this.globals) }))
          : f.params.map((p) => ({ name: p }));
    const required = params.filter((p) => p.fallback === undefined).length;
    if (args.length > params.length) {
      this.fail(`${name}() takes ${required === params.length ? params.length : `${required} to ${params.length}`} argument${params.length === 1 ? '' : 's'} but ${args.length} were given`);
    }
    const bound: (Value | undefined)[] = [...args];
    for (const k of kwargs) {
      const at = params.findIndex((p) => p.name === k.name);
      if (at < 0) this.fail(`${name}() has no parameter "${k.name}"${params.length ? ` (parameters: ${params.map((p) => p.name).join(', ')})` : ''}`);
      if (bound[at] !== undefined) this.fail(`${name}() got two values for "${k.name}"`);
      bound[at] = k.value;
    }
    return params.map((p, i) => {
      const v = bound[i];
      if (v !== undefined) return v;
      if (p.fallback === undefined) this.fail(`${name}() is missing the argument "${p.name}"`);
      return p.fallback();
    });
  }

  private call(f: FunctionValue, args: Value[], kwargs: { name: string; value: Value }[], site: Expr | null): Value {
    // Lambdas applied per position (the hot path of tok_map/select) skip the general binding.
    const bound = f.type === 'lambda' && kwargs.length === 0 && args.length === f.params.length ? args : this.bind(f, args, kwargs);
    if (f.type === 'builtin') {
      if (f.call === undefined) return this.applyScalar(f, bound as number[]);
      return f.call(bound, this);
    }
    if (this.frames.length >= MAX_DEPTH) this.fail(`calls nested more than ${MAX_DEPTH} deep: RASP-L has no recursion`);
    const calleeInPrelude = f.fromPrelude;
    this.frames.push({ name: functionName(f), callSpan: (site ?? this.site)?.span ?? this.stmtSpan!, callerInPrelude: this.inPrelude });
    const savedPrelude = this.inPrelude;
    const savedSite = this.site;
    this.inPrelude = calleeInPrelude;
    try {
      if (f.type === 'lambda') {
        const env = new Env(f.env);
        f.params.forEach((p, i) => env.set(p, bound[i]!));
        return this.eval(f.body, env);
      }
      const env = new Env(this.globals);
      f.def.params.forEach((p, i) => env.set(p.name, bound[i]!));
      for (const s of f.def.body) {
        const v = this.execStmt(s, env);
        if (v !== undefined) return v;
      }
      this.fail(`${f.def.name}() ended without "return"`);
    } finally {
      this.frames.pop();
      this.inPrelude = savedPrelude;
      this.site = savedSite;
    }
  }
}

function checkRunInput(program: Program, input: readonly number[], steps: number): void {
  const at = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  if (input.length === 0) throw new RaspError('runtime', 'the input is empty: give at least one token', at);
  if (input.length > MAX_WIDTH) throw new RaspError('runtime', `the input has ${input.length} tokens; at most ${MAX_WIDTH} are supported`, at);
  const bad = input.findIndex((v) => !Number.isInteger(v) || Math.abs(v) > MAX_VALUE);
  if (bad >= 0) throw new RaspError('runtime', `input token ${bad} is ${input[bad]}: tokens must be small integers`, at);
  if (!Number.isInteger(steps) || steps < 0 || steps > MAX_STEPS) throw new RaspError('runtime', `the number of steps must be an integer in 0..${MAX_STEPS}, got ${steps}`, at);
  if (steps > 0 && program.blocks.step === undefined) throw new RaspError('runtime', `asked for ${steps} loop step(s) but the program has no "step:" block`, at);
}

/**
 * Runs `program` (checked) on `input` for `steps` loop steps and evaluates `exprs` in its state then
 * (the debugger's watches and conditions): top level, pre: and the steps run, post: does not.
 * `extra` adds names the program does not define (e.g. the model's decoded tokens). Throws RaspError.
 */
export function evaluateAfterSteps(program: Program, input: readonly number[], steps: number, exprs: Expr[], extra: ReadonlyMap<string, Value> = new Map(), budget = DEFAULT_BUDGET): Value[] {
  checkRunInput(program, input, steps);
  try {
    return new Interpreter(program, input, budget).evaluateAfter(steps, exprs, extra);
  } catch (e) {
    if (e instanceof RangeError) throw new RaspError('runtime', 'the program nests calls or expressions too deeply to run', { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
    throw e;
  }
}

/** Runs `program` (which must have passed checkProgram) on `input`. Throws RaspError on runtime errors. */
export function runProgram(program: Program, input: readonly number[], options: RunOptions = {}): RunResult {
  const at = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
  const steps = options.steps ?? (program.blocks.step !== undefined ? 1 : 0);
  checkRunInput(program, input, steps);
  try {
    return new Interpreter(program, input, options.budget ?? DEFAULT_BUDGET).run({ ...options, steps });
  } catch (e) {
    // Bounded by MAX_DEPTH and the parser's nesting limits; this is the last line of defence.
    if (e instanceof RangeError) throw new RaspError('runtime', 'the program nests calls or expressions too deeply to run', at);
    throw e;
  }
}
