// A task file is a RASP-L program with a declarative header saying how its rows look and how
// long to loop, so LoopLens can run it on any row and generate training data with it:
//
//   @task parity               name (default: the file name)
//   @vocab 6                   token ids 0..5 (default: largest id used + 1)
//   @symbols "0" "1" "=" "."   display symbol per token id (optional)
//   @input [0 1]*n 2           row layout: n random tokens from {0,1}, then token 2; pad fills the rest
//   @pad 3                     filler after the prompt (and the target after the answer)
//   @ignore 5                  target label before the answer (default: the pad id)
//   @answer from 2             the answer starts at the first position holding token 2, runs to the row's end
//   @lengths n in 1..20        length variables and their (training) range
//   @steps n                   T(n): loop steps, an expression in the length variables
//   @width n + 2               default row width, an expression in the length variables
//   @output out                variable holding the answer (default: out)
//
// The target of a row is the output variable after top level + pre:, T(n) x step:, post:.
import type { AlphabetRange, Directive, DirectiveKind, Expr, LayoutSegment, Program } from './ast';
import { scalarBinary } from './builtins';
import { RaspError, type SourceSpan } from './errors';
import { runProgram, type RunResult } from './interpreter';
import type { TaskExample } from '../tasks/types';
import type { Rng } from '../util/rng';

/** One generated row: exactly a built-in task's row (src/core/tasks/types.ts), so both train the same way. */
export type RaspExample = TaskExample;

export interface RowMatch {
  lengths: number[];
  /** Tokens in the prompt (up to and including the last layout segment). */
  promptLength: number;
  answerStart: number;
}

const REQUIRED: DirectiveKind[] = ['input', 'lengths', 'steps', 'answer', 'pad'];

export class RaspTask {
  constructor(
    readonly program: Program,
    readonly name: string,
    readonly vocabSize: number,
    readonly pad: number,
    readonly ignore: number,
    readonly answerToken: number,
    readonly outputVar: string,
    readonly layout: LayoutSegment[],
    readonly lengthRanges: { name: string; min: number; max: number }[],
    readonly symbols: readonly string[] | null,
    private readonly stepsExpr: Expr,
    private readonly widthExpr: Expr | null,
  ) {}

  get lengthNames(): string[] {
    return this.lengthRanges.map((r) => r.name);
  }

  private vars(lengths: readonly number[]): Map<string, number> {
    if (lengths.length !== this.lengthRanges.length || !lengths.every((n) => Number.isInteger(n) && n >= 1)) {
      throw new RaspError('task', `${this.name} needs ${this.lengthRanges.length} positive integer length(s) (${this.lengthNames.join(', ')}), got [${lengths.join(', ')}]`, this.program.directives[0]?.span ?? span0());
    }
    return new Map(this.lengthRanges.map((r, i) => [r.name, lengths[i]!]));
  }

  /** T(lengths). */
  steps(lengths: readonly number[]): number {
    return evalLengthExpr(this.stepsExpr, this.vars(lengths), '@steps');
  }

  promptLength(lengths: readonly number[]): number {
    const vars = this.vars(lengths);
    return this.layout.reduce((sum, s) => sum + (s.kind === 'literal' ? 1 : vars.get(s.count)!), 0);
  }

  /** Default row width: @width, else twice the prompt; never below the prompt. */
  widthFor(lengths: readonly number[]): number {
    const prompt = this.promptLength(lengths);
    const w = this.widthExpr === null ? 2 * prompt : evalLengthExpr(this.widthExpr, this.vars(lengths), '@width');
    return Math.max(w, prompt);
  }

  /** Lengths uniform in each declared @lengths range. */
  sampleLengths(rng: Rng): number[] {
    return this.lengthRanges.map((r) => rng.int(r.min, r.max));
  }

  samplePrompt(rng: Rng, lengths: readonly number[]): number[] {
    const vars = this.vars(lengths);
    const out: number[] = [];
    for (const s of this.layout) {
      if (s.kind === 'literal') out.push(s.token);
      else for (let i = 0; i < vars.get(s.count)!; i++) out.push(pickFrom(rng, s.alphabet));
    }
    return out;
  }

  /** Recovers the lengths from a row (prompt, optionally followed by pads); throws RaspError('task') when it does not fit @input. */
  matchRow(row: readonly number[]): RowMatch {
    const found = new Map<string, number>();
    let pos = 0;
    const sym = (t: number | undefined) => (t === undefined ? 'the end of the row' : `${t}${this.symbols?.[t] !== undefined && this.symbols[t] !== String(t) ? ` ("${this.symbols[t]}")` : ''}`);
    const fail = (msg: string): never => {
      throw new RaspError('task', msg, this.directiveSpan('input'));
    };
    for (const s of this.layout) {
      if (s.kind === 'literal') {
        if (row[pos] !== s.token) fail(`the row does not match @input: expected token ${sym(s.token)} at position ${pos}, found ${sym(row[pos])}`);
        pos++;
        continue;
      }
      const start = pos;
      while (pos < row.length && inAlphabet(row[pos]!, s.alphabet)) pos++;
      const len = pos - start;
      if (len === 0) fail(`the row does not match @input: expected at least one token from [${formatAlphabet(s.alphabet)}] at position ${start} (for ${s.count}), found ${sym(row[start])}`);
      const before = found.get(s.count);
      if (before !== undefined && before !== len) fail(`the row does not match @input: ${s.count} is ${before} in one place and ${len} in another (those runs must have the same length)`);
      found.set(s.count, len);
    }
    const promptLength = pos;
    for (; pos < row.length; pos++) if (row[pos] !== this.pad) fail(`the row does not match @input: after the prompt (${promptLength} tokens) only pad ${sym(this.pad)} may follow, found ${sym(row[pos])} at position ${pos}`);
    const answerStart = row.indexOf(this.answerToken);
    return { lengths: this.lengthNames.map((n) => found.get(n)!), promptLength, answerStart };
  }

  /** The prompt padded to a full row (width defaults to widthFor). */
  padRow(prompt: readonly number[], lengths: readonly number[], width?: number): number[] {
    const w = width ?? this.widthFor(lengths);
    if (!Number.isInteger(w) || w < prompt.length) throw new RaspError('task', `${this.name}: a row for lengths [${lengths.join(', ')}] needs width >= ${prompt.length}, got ${w}`, this.directiveSpan('width'));
    return [...prompt, ...new Array<number>(w - prompt.length).fill(this.pad)];
  }

  /** Runs the program on a full row for T(lengths) steps (or `steps`). */
  run(row: readonly number[], options: { steps?: number; trace?: boolean; budget?: number } = {}): RunResult & { match: RowMatch; steps: number } {
    const match = this.matchRow(row);
    const steps = options.steps ?? this.steps(match.lengths);
    const result = runProgram(this.program, row, { steps, trace: options.trace, outputVar: this.outputVar, budget: options.budget });
    return { ...result, match, steps };
  }

  /** The training row for `row`: the program's answer at masked positions, the ignored label elsewhere. */
  example(row: readonly number[], budget?: number): RaspExample {
    const r = this.run(row, { trace: false, budget });
    const out = r.output!;
    const { answerStart } = r.match;
    const target = row.map((_, i) => (i < answerStart ? this.ignore : out[i]!));
    for (let i = answerStart; i < row.length; i++) {
      const v = target[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.vocabSize) {
        throw new RaspError('task', `the program's answer has ${v} at position ${i}, outside the vocabulary 0..${this.vocabSize - 1}`, this.directiveSpan('output'));
      }
    }
    let end = row.length;
    while (end > answerStart && target[end - 1] === this.pad) end--;
    return {
      task: this.name,
      input: [...row],
      target,
      mask: row.map((_, i) => (i >= answerStart ? 1 : 0)),
      lengths: r.match.lengths,
      steps: r.steps,
      answerStart,
      answerLength: end - answerStart,
    };
  }

  /** A random row with these lengths, labelled by running the program. */
  sampleAt(rng: Rng, lengths: readonly number[], width?: number): RaspExample {
    return this.example(this.padRow(this.samplePrompt(rng, lengths), lengths, width));
  }

  /** Parses typed input: token ids and/or @symbols, separated by spaces or commas; "1011=" splits into characters. */
  parseInput(text: string): number[] {
    const items = text.trim().split(/[\s,]+/).filter((s) => s !== '');
    if (items.length === 0) throw new RaspError('task', 'the input is empty', span0());
    const out: number[] = [];
    for (const item of items) {
      const id = /^\d+$/.test(item) ? Number(item) : NaN;
      if (id < this.vocabSize) {
        out.push(id);
        continue;
      }
      const symbolId = this.symbols?.indexOf(item) ?? -1;
      if (symbolId >= 0) {
        out.push(symbolId);
        continue;
      }
      const chars = [...item].map((c) => this.symbols?.indexOf(c) ?? -1);
      if (chars.every((c) => c >= 0)) {
        out.push(...chars);
        continue;
      }
      throw new RaspError('task', `unknown token "${item}": use token ids 0..${this.vocabSize - 1}${this.symbols ? ` or the symbols ${this.symbols.map((s) => `"${s}"`).join(' ')}` : ''}`, span0());
    }
    return out;
  }

  /** Typed input → a full row: pads to the default width when only the prompt was given. */
  rowFromInput(text: string): number[] {
    const tokens = this.parseInput(text);
    const match = this.matchRow(tokens);
    return match.promptLength === tokens.length ? this.padRow(tokens, match.lengths) : tokens;
  }

  private directiveSpan(kind: DirectiveKind): SourceSpan {
    return this.program.directives.find((d) => d.kind === kind)?.span ?? this.program.directives[0]?.span ?? span0();
  }
}

/** Typed input for a plain program: integer token ids separated by spaces or commas. */
export function parsePlainInput(text: string): number[] {
  const items = text.trim().split(/[\s,]+/).filter((s) => s !== '');
  if (items.length === 0) throw new RaspError('task', 'the input is empty: give token ids separated by spaces, e.g. 0 1 1 2', span0());
  return items.map((s) => {
    if (!/^-?\d+$/.test(s)) throw new RaspError('task', `"${s}" is not a token id (this program has no @symbols; use integers like 0 1 2)`, span0());
    return Number(s);
  });
}

function span0(): SourceSpan {
  return { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
}

function pickFrom(rng: Rng, alphabet: AlphabetRange[]): number {
  const total = alphabet.reduce((s, r) => s + r.hi - r.lo + 1, 0);
  let k = rng.below(total);
  for (const r of alphabet) {
    const size = r.hi - r.lo + 1;
    if (k < size) return r.lo + k;
    k -= size;
  }
  throw new Error('unreachable');
}

function inAlphabet(t: number, alphabet: AlphabetRange[]): boolean {
  return alphabet.some((r) => t >= r.lo && t <= r.hi);
}

function formatAlphabet(alphabet: AlphabetRange[]): string {
  return alphabet.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}..${r.hi}`)).join(' ');
}

/** Evaluates @steps/@width: integers, the length variables, + - * // % and min/max. */
export function evalLengthExpr(e: Expr, vars: Map<string, number>, what: string): number {
  const fail = (msg: string, at: SourceSpan): never => {
    throw new RaspError('task', `${what}: ${msg}`, at);
  };
  const ev = (x: Expr): number => {
    switch (x.kind) {
      case 'int':
        return x.value;
      case 'name': {
        const v = vars.get(x.name);
        if (v === undefined) fail(`"${x.name}" is not a length variable (declared: ${[...vars.keys()].join(', ') || 'none'})`, x.span);
        return v!;
      }
      case 'unary':
        return x.op === '-' ? -ev(x.operand) : ev(x.operand) === 0 ? 1 : 0;
      case 'binary': {
        const v = scalarBinary(x.op, ev(x.left), ev(x.right));
        if (Number.isNaN(v)) fail('division by zero', x.span);
        return v;
      }
      case 'cond':
        return ev(x.test) !== 0 ? ev(x.then) : ev(x.otherwise);
      case 'call':
        if (x.callee.kind === 'name' && (x.callee.name === 'min' || x.callee.name === 'max') && x.args.length === 2 && x.kwargs.length === 0) {
          const [a, b] = x.args.map(ev);
          return x.callee.name === 'min' ? Math.min(a!, b!) : Math.max(a!, b!);
        }
        return fail('only min(a, b) and max(a, b) can be called here', x.span);
      case 'lambda':
        return fail('a lambda is not allowed here', x.span);
    }
  };
  const v = ev(e);
  if (!Number.isInteger(v) || v < 0) fail(`must be a non-negative integer, got ${v}`, e.span);
  return v;
}

/** Reads a program's directives. A program without directives is not a task: `task` is null and there are no errors. */
export function taskFromProgram(program: Program): { task: RaspTask | null; errors: RaspError[] } {
  const errors: RaspError[] = [];
  const ds = program.directives;
  if (ds.length === 0) return { task: null, errors };
  const err = (msg: string, at: SourceSpan) => errors.push(new RaspError('task', msg, at));
  const byKind = new Map<DirectiveKind, Directive>();
  for (const d of ds) {
    if (byKind.has(d.kind)) err(`@${d.kind} is given twice`, d.span);
    else byKind.set(d.kind, d);
  }
  const first = ds[0]!.span;
  const missing = REQUIRED.filter((k) => !byKind.has(k));
  if (missing.length > 0) err(`a task file needs ${missing.map((k) => '@' + k).join(', ')} (see the header of models/tasks/parity.raspl for an example)`, first);
  if (program.blocks.step === undefined) err('a task file needs a "step:" block: the program that is looped T times', first);
  const get = <K extends DirectiveKind>(k: K) => byKind.get(k) as Extract<Directive, { kind: K }> | undefined;

  const input = get('input');
  const lengths = get('lengths');
  const pad = get('pad');
  const answer = get('answer');
  const steps = get('steps');
  const width = get('width');
  const output = get('output');
  const symbols = get('symbols');

  const declared = new Set(lengths?.ranges.map((r) => r.name) ?? []);
  const tokensUsed: number[] = [];
  if (input !== undefined) {
    const counted = new Set<string>();
    for (const s of input.segments) {
      if (s.kind === 'literal') tokensUsed.push(s.token);
      else {
        counted.add(s.count);
        tokensUsed.push(...s.alphabet.map((r) => r.hi));
        if (lengths !== undefined && !declared.has(s.count)) err(`"${s.count}" is not declared in @lengths`, s.span);
        for (const t of [pad?.value, answer?.token]) {
          if (t !== undefined && inAlphabet(t, s.alphabet)) err(`token ${t} (${t === pad?.value ? 'the pad' : 'the answer start'}) is also in this alphabet, so rows would be ambiguous`, s.span);
        }
      }
    }
    for (const r of lengths?.ranges ?? []) if (!counted.has(r.name)) err(`length "${r.name}" is declared but not used in @input`, r.span);
    if (answer !== undefined && !input.segments.some((s) => s.kind === 'literal' && s.token === answer.token)) {
      err(`@answer from ${answer.token}: token ${answer.token} is not a literal of @input, so the answer would have no start`, answer.span);
    }
  }
  if (pad !== undefined) tokensUsed.push(pad.value);
  const ignore = get('ignore');
  if (ignore !== undefined) tokensUsed.push(ignore.value);
  const vocab = get('vocab');
  const vocabSize = vocab?.value ?? Math.max(0, ...tokensUsed) + 1;
  if (vocab !== undefined) {
    const over = tokensUsed.find((t) => t >= vocab.value);
    if (vocab.value < 1) err('@vocab must be at least 1', vocab.span);
    else if (over !== undefined) err(`token ${over} is used but @vocab ${vocab.value} only allows 0..${vocab.value - 1}`, vocab.span);
  }
  if (symbols !== undefined && symbols.symbols.length > vocabSize) err(`@symbols lists ${symbols.symbols.length} symbols but the vocabulary has ${vocabSize} tokens`, symbols.span);
  const outputVar = output?.name ?? 'out';
  const assigned = [...program.top, ...(program.blocks.pre?.body ?? []), ...(program.blocks.step?.body ?? []), ...(program.blocks.post?.body ?? [])].some((s) => s.kind === 'assign' && s.target === outputVar);
  if (!assigned) err(`the output variable "${outputVar}" is never assigned${output === undefined ? ' (name another one with @output)' : ''}`, output?.span ?? first);

  // Evaluate @steps/@width at the smallest lengths to catch bad expressions now.
  if (lengths !== undefined) {
    const vars = new Map(lengths.ranges.map((r) => [r.name, r.min]));
    for (const d of [steps, width]) {
      if (d === undefined) continue;
      try {
        evalLengthExpr(d.expr, vars, `@${d.kind}`);
      } catch (e) {
        if (e instanceof RaspError) errors.push(e);
        else throw e;
      }
    }
  }
  if (errors.length > 0 || input === undefined || lengths === undefined || pad === undefined || answer === undefined || steps === undefined) return { task: null, errors };
  const name = get('task')?.name ?? (program.file.split(/[\\/]/).pop() ?? 'task').replace(/\.raspl$/, '');
  const task = new RaspTask(
    program,
    name,
    vocabSize,
    pad.value,
    ignore?.value ?? pad.value,
    answer.token,
    outputVar,
    input.segments,
    lengths.ranges.map((r) => ({ name: r.name, min: r.min, max: r.max })),
    symbols?.symbols ?? null,
    steps.expr,
    width?.expr ?? null,
  );
  return { task, errors };
}
