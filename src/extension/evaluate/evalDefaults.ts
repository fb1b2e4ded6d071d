// Default test lengths and the training range of a model, shared by Train (final evaluation) and
// Evaluate Length Generalization. No vscode import.
import type { Task } from '../../core/tasks/types';
import { recordedLongestLength } from '../../core/train/trainRecord';

/** Longest training length of a recipe, typed or as a model file stores it (its last stage's, n_b for multiplication), else the task's. */
export function maxTrainLengthOf(recipe: unknown, task: Task): number {
  return recordedLongestLength(recipe) ?? task.curriculum.end - 1;
}

/** Half the training range, its end, half-way to the test length, the test length (parity: 10, 20, 30, 40). */
export function defaultTestLengths(task: Task, maxTrainLength: number): number[] {
  const test = Math.max(task.testLength, maxTrainLength + 1);
  const picks = [Math.max(1, Math.round(maxTrainLength / 2)), maxTrainLength, Math.round((maxTrainLength + test) / 2), test];
  return [...new Set(picks)].sort((a, b) => a - b);
}

/** "10, 20,30" → [10, 20, 30]; throws an Error whose message can be shown as input validation. */
export function parseLengths(text: string, max = 500): number[] {
  const items = text.split(/[\s,]+/).filter((s) => s !== '');
  if (items.length === 0) throw new Error('give at least one length, e.g. 10, 20, 30, 40');
  const out: number[] = [];
  for (const item of items) {
    const range = /^(\d+)\s*(?:\.\.|-)\s*(\d+)$/.exec(item);
    if (range) {
      const [a, b] = [Number(range[1]), Number(range[2])];
      if (a < 1 || b < a) throw new Error(`"${item}" is not a range of lengths like 5..10`);
      for (let n = a; n <= b; n++) out.push(n);
      continue;
    }
    if (!/^\d+$/.test(item) || Number(item) < 1) throw new Error(`"${item}" is not a positive whole number`);
    out.push(Number(item));
  }
  const bad = out.find((n) => n > max);
  if (bad !== undefined) throw new Error(`length ${bad} is too long (at most ${max})`);
  if (out.length > 60) throw new Error(`${out.length} lengths is too many for one evaluation (at most 60)`);
  return [...new Set(out)].sort((a, b) => a - b);
}
