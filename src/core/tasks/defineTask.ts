// Builds a full Task from the few facts that differ between tasks: how a prompt is sampled,
// parsed and solved. Row layout, masks, widths and rendering are common to all six tasks.
import type { Rng } from '../util/rng';
import { TaskInputError, type CurriculumSpec, type DistinctInputs, type HardInputs, type RenderedExample, type Task, type TaskCases, type TaskExample, type TaskName, type TaskTokens } from './types';

export interface TaskSpec {
  name: TaskName;
  title: string;
  description: string;
  inputSyntax: string;
  vocabSize: number;
  symbols: readonly string[];
  tokens: TaskTokens;
  readIn: 'linear' | 'embedding';
  paperBlock: { layers: number; heads: number };
  curriculum: CurriculumSpec;
  testLength: number;
  lengthNames: readonly string[];
  adaptiveExtraSteps: number;
  /** Row width as a multiple/offset of max_len (paper's per-task formula). */
  rowWidth(maxLen: number): number;
  horizon(nPoints: number): number;
  steps(lengths: readonly number[]): number;
  /** The length that max_len is measured on (n, or n_b for multiplication). */
  mainLength(lengths: readonly number[]): number;
  /** Prompt length + answer length upper bound, for width checks. */
  minWidth(lengths: readonly number[]): number;
  /** Training lengths at curriculum value nPoints (types.ts Task.sampleLengths). */
  sampleLengths(rng: Rng, nPoints: number, atLongest: boolean): number[];
  /** Prompt tokens, '=' included, for these lengths. */
  samplePrompt(rng: Rng, lengths: readonly number[]): number[];
  /** Lengths recovered from a prompt produced by samplePrompt/parsePrompt. */
  lengthsOf(prompt: readonly number[]): number[];
  /** Answer tokens (no trailing pads) for a prompt. */
  solve(prompt: readonly number[]): number[];
  /** Text → prompt tokens ('=' appended). Throws TaskInputError. */
  parsePrompt(text: string): number[];
  /** Joins display symbols: '' for bit strings, ' ' for unique set. */
  separator: string;
  gloss(prompt: readonly number[], answer: readonly number[]): string;
  /** The task's case split (Task.cases), labelled from the prompt tokens ('=' included). */
  cases?: PromptCases;
  /** The task's hard inputs (Task.hardInputs) as prompts: what they are and how one is sampled. */
  hardPrompts?: InputPrompts;
  /** The task's distinct inputs (Task.distinctInputs) as prompts, and the longest length they exist for. */
  distinctPrompts?: InputPrompts & { maxLength: number };
}

/** A kind of input other than the uniform one, as prompts: what they are and how one is sampled. */
export interface InputPrompts {
  description: string;
  samplePrompt(rng: Rng, lengths: readonly number[]): number[];
}

/** Task.cases as a task spec gives it: the label comes from the prompt alone. */
export interface PromptCases {
  title: string;
  labels: readonly string[];
  of(prompt: readonly number[]): string;
}

/**
 * The length rule of the tasks with one input length n (parity, copy, binary sum, unique set,
 * addition): T(n) = n loops, max_len measured on n, training n drawn from 1..n_points-1, and a
 * training horizon of n_points + 2 loops.
 */
export const oneLengthN = {
  lengthNames: ['n'] as const,
  horizon: (nPoints: number) => nPoints + 2,
  steps: ([n]: readonly number[]) => n!,
  mainLength: ([n]: readonly number[]) => n!,
  sampleLengths: (rng: Rng, nPoints: number, atLongest: boolean) => [atLongest ? nPoints - 1 : rng.int(1, nPoints - 1)],
} satisfies Partial<TaskSpec>;

export const PAPER_D_MODEL = 256;
export const PAPER_D_MLP = 1024;

function checkLengths(spec: TaskSpec, lengths: readonly number[]): void {
  const ok = lengths.length === spec.lengthNames.length && lengths.every((n) => Number.isInteger(n) && n >= 1);
  if (!ok) {
    throw new TaskInputError(`${spec.name} needs ${spec.lengthNames.length} positive integer length(s) (${spec.lengthNames.join(', ')}), got [${lengths.join(', ')}]`);
  }
}

function buildRow(spec: TaskSpec, prompt: number[], width: number): TaskExample {
  const lengths = spec.lengthsOf(prompt);
  const answer = spec.solve(prompt);
  // the answer starts AT '='
  return layOutRow({ task: spec.name, prompt, answerStart: prompt.length - 1, answer, lengths, steps: spec.steps(lengths), tokens: spec.tokens }, width);
}

/** What a row holds before it is laid out to a width. */
export interface RowContent {
  task: string;
  prompt: readonly number[];
  /** Where the answer starts (the position of '='), inside the prompt. */
  answerStart: number;
  /** The answer tokens, trailing pads left off. */
  answer: readonly number[];
  lengths: number[];
  steps: number;
  tokens: Pick<TaskTokens, 'pad' | 'ignore'>;
}

/**
 * The one row layout of every task, built-in or RASP-L: input = prompt then pads; target = the
 * ignored label before answerStart, the answer, then pads; mask = 1 from answerStart to the end.
 */
export function layOutRow(row: RowContent, width: number): TaskExample {
  const { prompt, answerStart, answer, lengths } = row;
  const needed = Math.max(prompt.length, answerStart + Math.max(answer.length, 1));
  if (!Number.isInteger(width) || width < needed) {
    throw new TaskInputError(`${row.task} row for lengths [${lengths.join(', ')}] needs width >= ${needed}, got ${width}`);
  }
  const { pad, ignore } = row.tokens;
  const input = new Array<number>(width).fill(pad);
  const target = new Array<number>(width).fill(pad);
  const mask = new Array<number>(width).fill(0);
  for (let i = 0; i < prompt.length; i++) input[i] = prompt[i]!;
  for (let i = 0; i < answerStart; i++) target[i] = ignore;
  for (let i = 0; i < answer.length; i++) target[answerStart + i] = answer[i]!;
  for (let i = answerStart; i < width; i++) mask[i] = 1;
  return { task: row.task, input, target, mask, lengths, steps: row.steps, answerStart, answerLength: answer.length };
}

export function defineTask(spec: TaskSpec): Task {
  const symbolsOf = (tokens: readonly number[]) => tokens.map((t) => spec.symbols[t] ?? `<${t}>`).join(spec.separator);
  const minWidth = (lengths: readonly number[]) => {
    checkLengths(spec, lengths);
    return spec.minWidth(lengths);
  };
  const widthFor = (lengths: readonly number[]) => Math.max(spec.rowWidth(spec.mainLength(lengths) + 2), minWidth(lengths));

  const task: Task = {
    name: spec.name,
    title: spec.title,
    description: spec.description,
    inputSyntax: spec.inputSyntax,
    vocabSize: spec.vocabSize,
    symbols: spec.symbols,
    tokens: spec.tokens,
    readIn: spec.readIn,
    paperBlock: { ...spec.paperBlock, dModel: PAPER_D_MODEL, dMlp: PAPER_D_MLP },
    curriculum: spec.curriculum,
    testLength: spec.testLength,
    lengthNames: spec.lengthNames,
    adaptiveExtraSteps: spec.adaptiveExtraSteps,
    rowWidth: (maxLen) => {
      if (!Number.isInteger(maxLen) || maxLen < 1) throw new TaskInputError(`max_len must be a positive integer, got ${maxLen}`);
      return spec.rowWidth(maxLen);
    },
    trainingWidth: () => spec.rowWidth(spec.curriculum.end),
    widthFor,
    minWidth,
    horizon: (nPoints) => spec.horizon(nPoints),
    steps: (lengths) => {
      checkLengths(spec, lengths);
      return spec.steps(lengths);
    },
    maxSteps: (lengths) => task.steps(lengths) + spec.adaptiveExtraSteps,
    sampleLengths: (rng, nPoints, atLongest = false) => {
      if (!Number.isInteger(nPoints) || nPoints < 2) throw new TaskInputError(`n_points must be an integer >= 2, got ${nPoints}`);
      return spec.sampleLengths(rng, nPoints, atLongest);
    },
    sampleTraining: (rng, nPoints, width, atLongest = false) => task.sampleAt(rng, task.sampleLengths(rng, nPoints, atLongest), width),
    sampleAt: (rng, lengths, width) => {
      checkLengths(spec, lengths);
      return buildRow(spec, spec.samplePrompt(rng, lengths), width ?? widthFor(lengths));
    },
    fromText: (text, width) => {
      const prompt = spec.parsePrompt(text);
      return buildRow(spec, prompt, width ?? widthFor(spec.lengthsOf(prompt)));
    },
    render: (example, predicted) => renderExample({ name: spec.name, pad: spec.tokens.pad, show: symbolsOf, gloss: (p, a) => spec.gloss(p, a) }, example, predicted),
    ...(spec.cases ? { cases: promptCases(spec.cases) } : {}),
    ...(spec.hardPrompts ? { hardInputs: promptInputsOf(spec, spec.hardPrompts) } : {}),
    ...(spec.distinctPrompts ? { distinctInputs: distinctInputsOf(spec, spec.distinctPrompts) } : {}),
  };
  return task;
}

function promptInputsOf(spec: TaskSpec, prompts: InputPrompts): HardInputs {
  return {
    description: prompts.description,
    sampleAt: (rng, lengths, width) => {
      checkLengths(spec, lengths);
      return buildRow(spec, prompts.samplePrompt(rng, lengths), width);
    },
  };
}

function distinctInputsOf(spec: TaskSpec, prompts: NonNullable<TaskSpec['distinctPrompts']>): DistinctInputs {
  const { sampleAt } = promptInputsOf(spec, prompts);
  return {
    description: prompts.description,
    maxLength: prompts.maxLength,
    sampleAt: (rng, lengths, width) => {
      // Past maxLength no input is without repeats: say so rather than draw a shorter one.
      checkLengths(spec, lengths);
      const n = spec.mainLength(lengths);
      if (n > prompts.maxLength) throw new TaskInputError(`${spec.name} has inputs of distinct elements only up to length ${prompts.maxLength}, not ${n}`);
      return sampleAt(rng, lengths, width);
    },
  };
}

/** A spec's prompt-based split as Task.cases: the prompt of a row is its input up to '=' (answerStart). */
function promptCases(cases: PromptCases): TaskCases {
  return { title: cases.title, labels: cases.labels, of: (ex) => cases.of(ex.input.slice(0, ex.answerStart + 1)) };
}

/** How a task shows its rows: its name, pad id, token display and one-line gloss. */
export interface RowRendering {
  name: string;
  pad: number;
  show: (tokens: readonly number[]) => string;
  gloss: (prompt: number[], answer: number[], ex: TaskExample) => string;
}

/** Renders a row's prompt and answer and, given a predicted row, what it says on the masked positions (trailing pads dropped) and whether it is exactly right. Shared by built-in and RASP-L tasks. */
export function renderExample(r: RowRendering, ex: TaskExample, predicted?: ArrayLike<number>): RenderedExample {
  if (ex.task !== r.name) throw new TaskInputError(`cannot render a ${ex.task} row with the ${r.name} task`);
  const prompt = ex.input.slice(0, ex.answerStart + 1);
  const answer = ex.target.slice(ex.answerStart, ex.answerStart + ex.answerLength);
  const out: RenderedExample = { input: r.show(prompt), answer: r.show(answer), gloss: r.gloss(prompt, answer, ex) };
  if (predicted !== undefined) {
    if (predicted.length !== ex.target.length) throw new TaskInputError(`predicted row has ${predicted.length} positions, the example has ${ex.target.length}`);
    const masked: number[] = [];
    let correct = true;
    for (let i = 0; i < ex.target.length; i++) {
      if (ex.mask[i] !== 1) continue;
      masked.push(predicted[i]!);
      if (predicted[i] !== ex.target[i]) correct = false;
    }
    let end = masked.length;
    while (end > 0 && masked[end - 1] === r.pad) end--;
    out.predicted = r.show(masked.slice(0, end));
    out.correct = correct;
  }
  return out;
}

/**
 * Removes whitespace and one optional trailing '='; rejects empty input. Without `keepSpaces` the
 * task's symbols are written side by side, so whitespace between two of them ("1 0 1") is refused
 * rather than silently joined (it may be a mistake, e.g. a unique-set style list).
 */
export function cleanText(task: TaskName, text: string, syntax: string, keepSpaces = false): string {
  if (!keepSpaces) {
    const sep = /([0-9])([\s,;]+)([0-9])/.exec(text);
    if (sep) {
      const what = /,/.test(sep[2]!) ? 'a comma' : /;/.test(sep[2]!) ? 'a semicolon' : 'a space';
      throw new TaskInputError(`${task} input is written without separators, e.g. ${syntax}; found ${what} between "${sep[1]}" and "${sep[3]}" in "${text.length > 40 ? `${text.slice(0, 40)}…` : text}"`);
    }
  }
  let t = keepSpaces ? text.trim().replace(/\s+/g, ' ') : text.replace(/\s+/g, '');
  if (t.endsWith('=')) t = t.slice(0, -1).trim();
  if (t.length === 0) throw new TaskInputError(`${task} input is empty; expected something like ${syntax}`);
  return t;
}

/** Parses a bit string ('0'/'1' only) into token ids 0/1. */
export function parseBits(task: TaskName, text: string, syntax: string, what = 'input'): number[] {
  if (!/^[01]+$/.test(text)) {
    const bad = [...text].find((c) => c !== '0' && c !== '1');
    throw new TaskInputError(`${task} ${what} must be binary digits 0/1 (e.g. ${syntax}); found "${bad ?? ''}" in "${text}"`);
  }
  return [...text].map((c) => (c === '1' ? 1 : 0));
}
