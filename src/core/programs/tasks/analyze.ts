// Parse + check + read the task header in one call, and a quick dry run of a task file.
import type { Program } from '../../rasp/ast';
import { checkProgram } from '../../rasp/check';
import { RaspError } from '../../rasp/errors';
import { parseProgram } from '../../rasp/parser';
import { LIMITS } from '../../util/limits';
import { Rng } from '../../util/rng';
import type { RaspTask } from './raspTask';
import { taskFromProgram } from './taskFile';

export interface Analysis {
  program: Program;
  /** The task declared by the file's @ directives; null for a plain program or when there are errors. */
  task: RaspTask | null;
  /** Syntax, check and task errors, sorted by position. Empty means the file can run. */
  errors: RaspError[];
}

/** Parses and checks a .raspl source. Never throws on bad input. */
export function analyze(source: string, file = '<input>'): Analysis {
  if (source.length > LIMITS.raspSourceBytes) {
    const empty = parseProgram('', file).program;
    const at = { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } };
    return { program: { ...empty, source }, task: null, errors: [new RaspError('syntax', `the file has ${source.length} characters; LoopLens checks RASP-L files of at most ${LIMITS.raspSourceBytes}`, at)] };
  }
  try {
    return analyzeUnguarded(source, file);
  } catch (e) {
    // Nesting limits keep recursion bounded; a stack overflow here would be a bug, not a crash.
    if (!(e instanceof RangeError)) throw e;
    const empty = parseProgram('', file).program;
    return { program: { ...empty, source }, task: null, errors: [new RaspError('syntax', 'the file nests too deeply to analyze', { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } })] };
  }
}

function analyzeUnguarded(source: string, file: string): Analysis {
  const { program, errors } = parseProgram(source, file);
  if (errors.length > 0) return { program, task: null, errors };
  const checkErrors = checkProgram(program);
  const { task, errors: taskErrors } = taskFromProgram(program);
  const all = [...checkErrors, ...taskErrors].sort((a, b) => a.line - b.line || a.column - b.column);
  return { program, task: all.length === 0 ? task : null, errors: all };
}

/**
 * Loads a task file; throws the first error (formatted with the file name) when it has any.
 * Use analyze() to get every error instead.
 */
export function loadTask(source: string, file: string): RaspTask {
  const a = analyze(source, file);
  if (a.errors.length > 0) throw a.errors[0]!;
  if (a.task === null) throw new RaspError('task', `${file} has no @ directives, so it is a plain program, not a task file`, { start: { line: 1, column: 1 }, end: { line: 1, column: 1 } });
  return a.task;
}

/**
 * Runs a task file on small random rows to surface runtime errors (index arithmetic, looking at
 * future positions, bad values) while editing. Returns the first error, or null.
 */
export function dryRunTask(task: RaspTask, seed = 1, lengths?: number[], budget?: number): RaspError | null {
  const rng = new Rng(seed);
  const tries = lengths !== undefined ? [lengths] : [task.lengthRanges.map((r) => r.min), task.lengthRanges.map((r) => Math.min(r.max, Math.max(r.min, 3)))];
  try {
    for (const ls of tries) task.example(task.padRow(task.samplePrompt(rng, ls), ls), budget);
    return null;
  } catch (e) {
    if (e instanceof RaspError) return e;
    throw e;
  }
}
