// Shared helpers for the RASP-L tests: load the shipped task files, run small programs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runProgram, type RunResult } from '../../../src/core/rasp';
import { analyze } from '../../../src/core/programs/tasks/analyze';
import type { RaspTask } from '../../../src/core/programs/tasks/raspTask';

export const TASKS_DIR = join(__dirname, '..', '..', '..', 'models', 'tasks');

export function loadShippedTask(name: string): RaspTask {
  const file = join(TASKS_DIR, `${name}.raspl`);
  const a = analyze(readFileSync(file, 'utf8'), file);
  if (a.errors.length > 0) throw new Error(a.errors.map((e) => e.format(file)).join('\n'));
  if (a.task === null) throw new Error(`${file} is not a task file`);
  return a.task;
}

/** Parses + checks + runs a program; throws the first static error. */
export function run(source: string, input: number[], steps?: number): RunResult {
  const a = analyze(source, 'test.raspl');
  if (a.errors.length > 0) throw a.errors[0]!;
  return runProgram(a.program, input, steps === undefined ? {} : { steps });
}

/** The final value of a variable. */
export function valueOf(source: string, input: number[], name: string, steps?: number): number[] {
  const v = run(source, input, steps).variables.get(name);
  if (v === undefined) throw new Error(`no variable ${name}`);
  return v;
}
