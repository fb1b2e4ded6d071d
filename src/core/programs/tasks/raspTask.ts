// A task file's program with its header read: samples and checks rows laid out as @input says,
// runs the program on them for T = @steps loop steps, and labels them with its answer.
import type { AlphabetRange, DirectiveKind, Expr, LayoutSegment, Program } from '../../rasp/ast';
import { RaspError, type SourceSpan } from '../../rasp/errors';
import { runProgram, type RunResult } from '../../rasp/interpreter';
import { layOutRow } from '../../tasks/defineTask';
import type { TaskExample } from '../../tasks/types';
import type { Rng } from '../../util/rng';
import { LIMITS } from '../../util/limits';
import { evalLengthExpr } from './lengthExpr';

export interface RowMatch {
  lengths: number[];
  /** Tokens in the prompt (up to and including the last layout segment). */
  promptLength: number;
  answerStart: number;
}

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
    if (lengths.length !== this.lengthRanges.length || !lengths.every((n) => Number.isInteger(n) && n >= 1 && n <= LIMITS.rowWidth)) {
      throw new RaspError('task', `${this.name} needs ${this.lengthRanges.length} positive integer length(s) (${this.lengthNames.join(', ')}) of at most ${LIMITS.rowWidth}, got [${lengths.join(', ')}]`, this.program.directives[0]?.span ?? span0());
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
  example(row: readonly number[], budget?: number): TaskExample {
    const r = this.run(row, { trace: false, budget });
    const out = r.output!;
    const { answerStart, promptLength, lengths } = r.match;
    for (let i = answerStart; i < row.length; i++) {
      const v = out[i]!;
      if (!Number.isInteger(v) || v < 0 || v >= this.vocabSize) {
        throw new RaspError('task', `the program's answer has ${v} at position ${i}, outside the vocabulary 0..${this.vocabSize - 1}`, this.directiveSpan('output'));
      }
    }
    let end = row.length;
    while (end > answerStart && out[end - 1] === this.pad) end--;
    // matchRow allows only pads after the prompt, so the laid-out input is `row` itself.
    return layOutRow({ task: this.name, prompt: row.slice(0, promptLength), answerStart, answer: out.slice(answerStart, end), lengths, steps: r.steps, tokens: { pad: this.pad, ignore: this.ignore } }, row.length);
  }

  /** A random row with these lengths, labelled by running the program. */
  sampleAt(rng: Rng, lengths: readonly number[], width?: number): TaskExample {
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

  /**
   * Typed input and the row it matches. The answer token may be left off ("1011" for a prompt laid
   * out as bits then '='): it is appended when that makes the row match. One format everywhere.
   */
  matchInput(text: string): { tokens: number[]; match: RowMatch } {
    const tokens = this.parseInput(text);
    try {
      return { tokens, match: this.matchRow(tokens) };
    } catch (e) {
      if (!(e instanceof RaspError) || tokens.includes(this.answerToken)) throw e;
      const withAnswer = [...tokens, this.answerToken];
      try {
        return { tokens: withAnswer, match: this.matchRow(withAnswer) };
      } catch {
        throw e; // the first complaint is about what the user typed
      }
    }
  }

  /** Typed input (with or without the trailing answer token) → a full row: pads to the default width when only the prompt was given. */
  rowFromInput(text: string): number[] {
    const { tokens, match } = this.matchInput(text);
    return match.promptLength === tokens.length ? this.padRow(tokens, match.lengths) : tokens;
  }

  private directiveSpan(kind: DirectiveKind): SourceSpan {
    return this.program.directives.find((d) => d.kind === kind)?.span ?? this.program.directives[0]?.span ?? span0();
  }
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

export function inAlphabet(t: number, alphabet: AlphabetRange[]): boolean {
  return alphabet.some((r) => t >= r.lo && t <= r.hi);
}

function formatAlphabet(alphabet: AlphabetRange[]): string {
  return alphabet.map((r) => (r.lo === r.hi ? `${r.lo}` : `${r.lo}..${r.hi}`)).join(' ');
}
