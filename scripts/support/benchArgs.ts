// What the benchmark and diagnosis scripts share: reading `--name value` options (among them the inputs
// a diagnosis draws), medians, and saying how busy the machine was, since other processes slow every
// figure a benchmark prints.
import { readFileSync } from 'node:fs';
import { evalInputsRng } from '../../src/core/eval/evaluate';
import { isTaskName, taskNames } from '../../src/core/tasks';
import type { TaskName } from '../../src/core/tasks/types';
import { isPresetName, presetNames, type PresetName } from '../../src/core/train/presets';
import type { Rng } from '../../src/core/util/rng';

/** The value after `--name` on the command line, else `dflt`. */
export function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1]! : dflt;
}

/** `--name` as a positive integer; anything else is an error that names the option. */
export function positiveInt(name: string, dflt: string): number {
  const v = Number(arg(name, dflt));
  if (!Number.isInteger(v) || v < 1) throw new Error(`--${name} must be a positive integer`);
  return v;
}

/** `--name` as an integer >= 0; anything else is an error that names the option. */
export function nonNegativeInt(name: string, dflt: string): number {
  const v = Number(arg(name, dflt));
  if (!Number.isInteger(v) || v < 0) throw new Error(`--${name} must be an integer >= 0`);
  return v;
}

/** --length (required), --examples, --threads and --seed, and the draw of the inputs `looplens eval --seed` reads at that length. */
export function drawOptions(defaultExamples: string): { length: number; examples: number; threads: number; seed: number; rng: Rng } {
  const length = positiveInt('length', '0');
  const examples = positiveInt('examples', defaultExamples);
  const threads = positiveInt('threads', '1');
  const seed = Number(arg('seed', '1234'));
  return { length, examples, threads, seed, rng: evalInputsRng(seed, length) };
}

/** `--task` and `--preset`, checked against the built-in tasks and presets. */
export function taskAndPreset(defaultPreset: string): { taskName: TaskName; preset: PresetName } {
  const taskName = arg('task', 'addition');
  const preset = arg('preset', defaultPreset);
  if (!isTaskName(taskName)) throw new Error(`unknown task "${taskName}"; valid tasks: ${taskNames.join(', ')}`);
  if (!isPresetName(preset)) throw new Error(`unknown preset "${preset}"; valid presets: ${presetNames.join(', ')}`);
  return { taskName, preset };
}

/** The 1, 5 and 15-minute load averages, or 'n/a' where /proc is missing. */
export function loadavg(): string {
  try {
    return readFileSync('/proc/loadavg', 'utf8').split(' ').slice(0, 3).join(' ');
  } catch {
    return 'n/a';
  }
}

export function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}
