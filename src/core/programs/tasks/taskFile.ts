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
// taskFromProgram reads and checks this header; the RaspTask it returns (raspTask.ts) makes the rows.
import type { Directive, DirectiveKind, Program } from '../../rasp/ast';
import { RaspError, type SourceSpan } from '../../rasp/errors';
import { LIMITS } from '../../util/limits';
import { evalLengthExpr } from './lengthExpr';
import { inAlphabet, RaspTask } from './raspTask';

const REQUIRED: DirectiveKind[] = ['input', 'lengths', 'steps', 'answer', 'pad'];

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

  // Lengths, rows and loop counts within LoopLens's limits: @lengths at most LIMITS.length, and
  // @steps/@width evaluated at the smallest and the largest lengths (bad expressions and values that
  // are too large are found now, at their line and column, not when a row is laid out).
  if (lengths !== undefined) {
    for (const r of lengths.ranges) {
      if (r.max > LIMITS.length) err(`length range ${r.name} in ${r.min}..${r.max}: lengths may be at most ${LIMITS.length}`, r.span);
    }
    const corners = [new Map(lengths.ranges.map((r) => [r.name, r.min])), new Map(lengths.ranges.map((r) => [r.name, Math.min(r.max, LIMITS.length)]))];
    for (const d of [steps, width]) {
      if (d === undefined) continue;
      for (const vars of corners) {
        try {
          evalLengthExpr(d.expr, vars, `@${d.kind}`);
        } catch (e) {
          if (e instanceof RaspError) errors.push(e);
          else throw e;
          break;
        }
      }
    }
    if (input !== undefined) {
      const longest = new Map(lengths.ranges.map((r) => [r.name, Math.min(r.max, LIMITS.length)]));
      const prompt = input.segments.reduce((n, s) => n + (s.kind === 'literal' ? 1 : (longest.get(s.count) ?? 0)), 0);
      if (prompt > LIMITS.rowWidth) err(`@input is ${prompt} tokens long at the longest lengths; a row may have at most ${LIMITS.rowWidth} positions`, input.span);
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
