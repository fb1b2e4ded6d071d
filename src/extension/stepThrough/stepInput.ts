// The Step Through input box's default and validation. No vscode import (unit-tested).
import type { Task } from '../../core/tasks/types';
import { Rng } from '../../core/util/rng';

/** A random input at the task's test length, as typed (e.g. 40 bits for parity; n_a = 2 for multiplication). */
export function sampleInput(task: Task, seed = Date.now()): string {
  const lengths = task.lengthNames.length === 2 ? [2, task.testLength] : [task.testLength];
  const row = task.sampleAt(new Rng(seed >>> 0), lengths);
  return task.render(row).input.replace(/\s*=\s*$/, '');
}

/** Validation message for typed input, or undefined when it parses. */
export function inputProblem(task: Task, text: string): string | undefined {
  try {
    task.fromText(text);
    return undefined;
  } catch (e) {
    return (e as Error).message;
  }
}
