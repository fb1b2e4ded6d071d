// `looplens raspl run FILE --input …` runs a RASP-L program (or task file) and prints its trace:
// one table per loop step, positions as columns, every variable as a row, plus the selectors.
// `looplens raspl check FILE` only reports errors.
import { resolve } from 'node:path';
import { formatTrace, MAX_STEPS, parsePlainInput, RaspError, runProgram, type ProgramTrace } from '../../core/rasp';
import { analyze } from '../../core/programs/tasks/analyze';
import type { RaspTask } from '../../core/programs/tasks/raspTask';
import { getTask, isTaskName } from '../../core/tasks';
import { LIMITS } from '../../core/util/limits';
import { Rng } from '../../core/util/rng';
import { FileReadError, readRegularTextFileSync } from '../../core/util/safeRead';
import { defineCommand, type CliContext } from '../framework/command';
import { UsageError } from '../framework/errors';

/** `file:line:col: kind error: message`, the source line, and a caret under the column. */
export function formatRaspError(e: RaspError, file: string, source: string): string {
  const text = source.split(/\r?\n/)[e.line - 1];
  const lines = [e.format(file)];
  if (text !== undefined && text.trim() !== '') lines.push(`    ${text}`, `    ${' '.repeat(Math.max(0, e.column - 1))}^`);
  return lines.join('\n');
}

/** Input that does not parse or does not fit @input is a usage error (exit 2), not a program error. */
function inputOrUsage<T>(parse: () => T): T {
  try {
    return parse();
  } catch (err) {
    if (err instanceof RaspError) throw new UsageError(`--input: ${err.message}`);
    throw err;
  }
}

function traceJson(trace: ProgramTrace): string {
  const n = trace.width;
  const rows = (m: Uint8Array) => Array.from({ length: n }, (_, q) => Array.from(m.subarray(q * n, q * n + n)));
  return JSON.stringify({ ...trace, records: trace.records.map((r) => ({ ...r, selectors: r.selectors.map((s) => ({ ...s, matrix: rows(s.matrix) })) })) });
}

/** For the six paper tasks: the built-in generator's answer, to show next to the program's. */
function builtInCheck(task: RaspTask, row: number[], answer: number[] | undefined, answerStart: number): string | null {
  if (!isTaskName(task.name) || answer === undefined || answerStart < 0) return null;
  const generator = getTask(task.name);
  if (generator.vocabSize !== task.vocabSize) return null;
  const prompt = row.slice(0, answerStart);
  let expected: number[];
  try {
    expected = generator.fromText(prompt.map((t) => generator.symbols[t]).join(task.name === 'unique_set' ? ' ' : ''), row.length).target;
  } catch {
    return null;
  }
  const same = expected.every((t, i) => i < answerStart || t === answer[i]);
  const sym = (t: number) => generator.symbols[t] ?? String(t);
  return `built-in ${task.name} generator expects ${expected.slice(answerStart).map(sym).join(' ')}: ${same ? 'the program agrees' : 'the program DISAGREES'}`;
}

function runTask(task: RaspTask, args: { input?: string; lengths?: number[]; seed: number; steps?: number }, ctx: CliContext): ProgramTrace & { answerStart: number; row: number[] } {
  let row: number[];
  if (args.input !== undefined) row = inputOrUsage(() => task.rowFromInput(args.input!));
  else {
    const lengths = args.lengths ?? task.lengthRanges.map((r) => r.min);
    if (lengths.length !== task.lengthRanges.length) throw new UsageError(`--lengths needs ${task.lengthRanges.length} value(s) (${task.lengthNames.join(', ')})`);
    const rng = new Rng(args.seed);
    row = task.padRow(task.samplePrompt(rng, lengths), lengths);
  }
  const r = task.run(row, args.steps === undefined ? {} : { steps: args.steps });
  ctx.print(`${task.name}: lengths ${task.lengthNames.map((n, i) => `${n}=${r.match.lengths[i]}`).join(', ')} · T = ${r.steps}${args.steps !== undefined ? ' (--steps)' : ''} · answer from position ${r.match.answerStart}`);
  return { ...r.trace, answerStart: r.match.answerStart, row };
}

export const rasplCommand = defineCommand({
  name: 'raspl',
  summary: 'Run a RASP-L program or task file and print its step-by-step trace (or check it for errors).',
  usage: 'looplens raspl run FILE [--input TOKENS | --lengths N[,M]] [--steps T] [--selectors summary|full|none] [--json]\n       looplens raspl check FILE',
  positionals: [
    { name: 'ACTION', description: 'run (print the trace) or check (report errors only)', required: true },
    { name: 'FILE', description: 'a .raspl program or task file', required: true },
  ],
  options: {
    input: { type: 'string', valueName: 'TOKENS', description: 'the input row: token ids (and @symbols) separated by spaces, e.g. "0 1 1 2" or 0111= ; a task row is padded to its @width' },
    lengths: { type: 'string', valueName: 'N[,M]', description: 'task files: a random row with these lengths (one per @lengths variable)' },
    seed: { type: 'string', valueName: 'S', description: 'seed for --lengths', defaultText: '0' },
    steps: { type: 'string', valueName: 'T', description: 'loop steps (default: the task\'s T(n), or 1 for a plain program with step:)' },
    selectors: { type: 'string', valueName: 'MODE', description: 'summary, full (every row) or none', defaultText: 'summary' },
    json: { type: 'boolean', description: 'print the trace as JSON (selector matrices as rows of 0/1)' },
  },
  examples: [
    'looplens raspl run models/tasks/parity.raspl --input 01111=',
    'looplens raspl run models/tasks/addition.raspl --input "1110+0101="',
    'looplens raspl run models/tasks/multiplication.raspl --lengths 2,3 --seed 4',
    'looplens raspl run my.raspl --input "3 1 3 2" --steps 2',
    'looplens raspl check models/tasks/unique_set.raspl',
  ],
  run(args, ctx) {
    const action = args.requiredPositional(0, 'ACTION');
    if (action !== 'run' && action !== 'check') throw new UsageError(`unknown action "${action}": use run or check`);
    const file = args.requiredPositional(1, 'FILE');
    let source: string;
    try {
      source = readRegularTextFileSync(resolve(ctx.cwd, file), { what: 'RASP-L file', maxBytes: LIMITS.raspSourceBytes });
    } catch (err) {
      throw new Error(`cannot read ${file}: ${err instanceof FileReadError && err.code === 'missing' ? 'no such file' : (err as Error).message}`, { cause: err });
    }
    const analysis = analyze(source, file);
    if (analysis.errors.length > 0) {
      for (const e of analysis.errors) ctx.warn(formatRaspError(e, file, source));
      ctx.warn(`${analysis.errors.length} error${analysis.errors.length === 1 ? '' : 's'} in ${file}`);
      return 1;
    }
    if (action === 'check') {
      ctx.print(`${file}: no errors${analysis.task ? ` (task "${analysis.task.name}", lengths ${analysis.task.lengthRanges.map((r) => `${r.name} in ${r.min}..${r.max}`).join(', ')})` : ''}`);
      return 0;
    }
    const mode = args.choice('selectors', ['summary', 'full', 'none'] as const) ?? 'summary';
    const steps = args.int('steps', { min: 0, max: MAX_STEPS });
    const input = args.string('input');
    if (input !== undefined && input.length > LIMITS.inputChars) throw new UsageError(`--input has ${input.length} characters; at most ${LIMITS.inputChars} are allowed`);
    const lengths = args.intList('lengths', { min: 1, max: LIMITS.length });
    if (input !== undefined && lengths !== undefined) throw new UsageError('give --input or --lengths, not both');
    try {
      let trace: ProgramTrace;
      let answerStart: number | undefined;
      let check: string | null = null;
      const task = analysis.task;
      if (task !== null) {
        const t = runTask(task, { input, lengths, seed: args.intOr('seed', 0), steps }, ctx);
        trace = t;
        answerStart = t.answerStart;
        check = builtInCheck(task, t.row, t.records.at(-1)?.answer, t.answerStart);
      } else {
        if (lengths !== undefined) throw new UsageError('--lengths needs a task file (one with @input and @lengths)');
        if (input === undefined) throw new UsageError('--input is required for a plain program, e.g. --input "0 1 1 2"');
        const tokens = inputOrUsage(() => parsePlainInput(input));
        trace = runProgram(analysis.program, tokens, steps === undefined ? {} : { steps }).trace;
      }
      if (args.flag('json')) {
        ctx.print(traceJson(trace));
        return 0;
      }
      ctx.print(formatTrace(trace, { symbols: task?.symbols ?? undefined, answerStart, fullSelectors: mode === 'full', hideSelectors: mode === 'none' }));
      if (check !== null) ctx.print(`\n${check}`);
      return 0;
    } catch (err) {
      if (err instanceof RaspError) {
        ctx.warn(formatRaspError(err, file, source));
        return 1;
      }
      throw err;
    }
  },
});
