// A RASP-L task file (models/tasks/*.raspl) as a core Task, so the trainer, model files and
// evaluation treat a user's own program like a built-in task. The program labels every row; the
// length curriculum, widths and horizons follow from its @lengths, @width and @steps directives.
import { RaspError } from '../../rasp/errors';
import { renderExample } from '../../tasks/defineTask';
import { isTaskName } from '../../tasks';
import { TaskInputError, type RenderedExample, type Task, type TaskExample } from '../../tasks/types';
import { Rng } from '../../util/rng';
import { dryRunTask, loadTask } from './analyze';
import type { RaspTask } from './raspTask';

/** Loop steps the adaptive rule may run past T (as for most built-in tasks). */
const ADAPTIVE_EXTRA_STEPS = 20;
/** Vocabularies up to this size use the paper's one-hot linear read-in, larger ones an embedding table. */
const LINEAR_READ_IN_MAX_VOCAB = 16;
/** cpu-sized curriculum pace: n_points + 1 every this many steps. */
const CURRICULUM_INTERVAL = 100;

/** Runs `f`, turning a RaspError into a TaskInputError that names the file, line and column. */
function asTaskError<T>(file: string, f: () => T): T {
  try {
    return f();
  } catch (e) {
    if (e instanceof RaspError) throw new TaskInputError(e.format(file));
    throw e;
  }
}

/**
 * Parses and checks a task file, runs it on a couple of small rows (so runtime errors surface now,
 * not mid-training) and adapts it. A bad program throws RaspError (use .format(file)).
 */
export function taskFromRaspl(source: string, file: string): Task {
  const rt = loadTask(source, file);
  const failure = dryRunTask(rt);
  if (failure !== null) throw failure;
  return adaptRaspTask(rt, { file, source });
}

/** Display separator: '' when every real symbol is one character (bit strings), else ' '. Placeholders like "<4>" don't count. */
export function symbolSeparator(symbols: readonly string[]): string {
  return symbols.every((s) => s.length === 1 || /^<.*>$/.test(s)) ? '' : ' ';
}

export function adaptRaspTask(rt: RaspTask, ref: { file: string; source: string }): Task {
  const { file } = ref;
  // Never shadow a built-in: code that special-cases e.g. 'multiplication' must not fire for a custom file.
  const name = isTaskName(rt.name) ? `${rt.name}-raspl` : rt.name;
  const ranges = rt.lengthRanges;
  const symbols = Array.from({ length: rt.vocabSize }, (_, i) => rt.symbols?.[i] ?? String(i));
  const separator = symbolSeparator(symbols);
  const show = (tokens: readonly number[]) => tokens.map((t) => symbols[t] ?? `<${t}>`).join(separator);
  const maxLength = Math.max(...ranges.map((r) => r.max));
  const minLength = Math.min(...ranges.map((r) => r.min));
  /** Every length at m (never below its declared minimum): the widest row of curriculum value m + 1. */
  const lengthsAt = (m: number) => ranges.map((r) => Math.max(r.min, m));
  const convert = (ex: TaskExample): TaskExample => ({ ...ex, task: name });
  const widthFor = (lengths: readonly number[]) => asTaskError(file, () => Math.max(rt.widthFor(lengths), rt.promptLength(lengths)));
  const steps = (lengths: readonly number[]) => asTaskError(file, () => rt.steps(lengths));

  const task: Task = {
    name,
    raspl: { file: ref.file, source: ref.source },
    title: `${rt.name} (${file})`,
    description: `Your RASP-L task from ${file}: rows are labelled by running its program for T = @steps loop iterations.`,
    inputSyntax: show(rt.samplePrompt(new Rng(1), lengthsAt(Math.min(maxLength, Math.max(minLength, 4))))),
    vocabSize: rt.vocabSize,
    symbols,
    tokens: { pad: rt.pad, equals: rt.answerToken, ignore: rt.ignore },
    readIn: rt.vocabSize <= LINEAR_READ_IN_MAX_VOCAB ? 'linear' : 'embedding',
    paperBlock: { layers: 1, heads: 4, dModel: 256, dMlp: 1024 },
    curriculum: { start: Math.max(2, minLength + 1), interval: CURRICULUM_INTERVAL, end: Math.max(2, minLength + 1, maxLength + 1) },
    testLength: 2 * maxLength,
    lengthNames: rt.lengthNames,
    adaptiveExtraSteps: ADAPTIVE_EXTRA_STEPS,
    rowWidth: (maxLen) => {
      if (!Number.isInteger(maxLen) || maxLen < 1) throw new TaskInputError(`max_len must be a positive integer, got ${maxLen}`);
      return widthFor(lengthsAt(maxLen - 1));
    },
    trainingWidth: () => task.rowWidth(task.curriculum.end),
    widthFor,
    minWidth: (lengths) => asTaskError(file, () => rt.promptLength(lengths)),
    horizon: (nPoints) => steps(lengthsAt(nPoints - 1)) + 2,
    steps,
    maxSteps: (lengths) => steps(lengths) + ADAPTIVE_EXTRA_STEPS,
    sampleLengths: (rng, nPoints, atLongest = false) => {
      if (!Number.isInteger(nPoints) || nPoints < 2) throw new TaskInputError(`n_points must be an integer >= 2, got ${nPoints}`);
      return ranges.map((r) => {
        const longest = Math.max(r.min, Math.min(r.max, nPoints - 1));
        return atLongest ? longest : rng.int(r.min, longest);
      });
    },
    sampleTraining: (rng, nPoints, width, atLongest = false) => task.sampleAt(rng, task.sampleLengths(rng, nPoints, atLongest), width),
    sampleAt: (rng, lengths, width) => asTaskError(file, () => convert(rt.sampleAt(rng, lengths, width ?? widthFor(lengths)))),
    fromText: (text, width) => asTaskError(file, () => convert(rt.example(rowFromText(rt, text, width, widthFor)))),
    render: (ex, predicted) => renderRow(name, show, rt.pad, ex, predicted),
  };
  return task;
}

/** Typed input → full row: the prompt (the answer token may be left off) padded to `width`. */
function rowFromText(rt: RaspTask, text: string, width: number | undefined, widthFor: (l: readonly number[]) => number): number[] {
  const { tokens, match } = rt.matchInput(text);
  if (match.promptLength < tokens.length && width === undefined) return tokens;
  return rt.padRow(tokens.slice(0, match.promptLength), match.lengths, width ?? widthFor(match.lengths));
}

function renderRow(name: string, show: (t: readonly number[]) => string, pad: number, ex: TaskExample, predicted?: ArrayLike<number>): RenderedExample {
  const gloss = (prompt: number[], answer: number[], e: TaskExample) => `${name}: ${show(prompt)} → ${show(answer)} (lengths ${e.lengths.join(', ')}, T = ${e.steps})`;
  return renderExample({ name, pad, show, gloss }, ex, predicted);
}
