// The shared vocabulary of the six built-in tasks (Fan et al. 2024, full-answer prediction format).
//
// A row is one training/evaluation example of fixed `width`:
//   input : the prompt (operands, operator, '=') then pad/EOS filler to the end of the row
//   target: an "ignored" label on every prompt position before '=', then the answer starting AT
//           the position of '=', then pad/EOS to the end of the row
//   mask  : 1 from '=' to the end of the row (answer + trailing pads), 0 before.
// The model reads the whole row once per loop iteration; the output is read after T(n) iterations.
//
// Token ids (binary tasks, vocabulary 6): 0, 1 = bits; 2 = '=' (parity, copy) or the operator
// '+'/'x' (addition, multiplication); 3 = pad/EOS; 4 = ignored label (parity: 5); 5 = '=' for
// addition, binary sum, multiplication. Unique set (vocabulary 60): 0..49 elements, 51 '=',
// 52 ignored label, 53 pad.

import type { Rng } from '../util/rng';

export type TaskName = 'parity' | 'copy' | 'addition' | 'binary_sum' | 'multiplication' | 'unique_set';

/** One row. All arrays have length `width`. */
export interface TaskExample {
  task: string;
  /** Input token ids (prompt then pad filler). */
  input: number[];
  /** Class ids to predict; positions outside the mask hold the task's ignored label (still a valid id). */
  target: number[];
  /** 1 on positions '=' .. end of row, else 0. */
  mask: number[];
  /** [n] for one-operand tasks and addition (operand length); [n_a, n_b] for multiplication. */
  lengths: number[];
  /** T(n): the loop step at which the answer is read (oracle). */
  steps: number;
  /** Index of '=' (first masked position, where the answer starts). */
  answerStart: number;
  /** Number of answer tokens before the trailing pads (0 for a binary sum of 0). */
  answerLength: number;
}

/** Token ids with a fixed role in a task. */
export interface TaskTokens {
  pad: number;
  equals: number;
  ignore: number;
  /** '+', 'x' (addition, multiplication); absent otherwise. */
  operator?: number;
}

/** The length curriculum: n_points starts at `start`, +1 every `interval` steps, up to `end`. Lengths are uniform in [1, n_points-1]. */
export interface CurriculumSpec {
  start: number;
  interval: number;
  end: number;
}

/** A row rendered for people: `1011=` → `1`. */
export interface RenderedExample {
  /** The prompt as typed, e.g. `1011=`, `1110+0101=`, `26 22 2 2 1 =`. */
  input: string;
  /** The expected answer (no trailing pads), e.g. `1`, `10011`. Empty for an empty answer. */
  answer: string;
  /** A plain-language reading, e.g. `14 + 5 = 19 (answer MSB first)`. */
  gloss: string;
  /** The predicted answer: symbols at masked positions with trailing pads trimmed (only when predictions were given). */
  predicted?: string;
  /** Exact match over every masked position, trailing pads included (only when predictions were given). */
  correct?: boolean;
}

export interface Task {
  readonly name: string;
  /** Set for a task built from a RASP-L task file: the file's source, so models and checkpoints can rebuild it. */
  readonly raspl?: RaspSourceRef;
  readonly title: string;
  readonly description: string;
  /** Example of the `fromText` syntax, e.g. `1110+0101`. */
  readonly inputSyntax: string;
  readonly vocabSize: number;
  /** Display symbol per token id (length vocabSize). */
  readonly symbols: readonly string[];
  readonly tokens: TaskTokens;
  /** Paper: one-hot + linear read-in for the binary tasks, an embedding table for unique set. */
  readonly readIn: 'linear' | 'embedding';
  /** The paper's looped block for this task (d = 256, MLP 1024). */
  readonly paperBlock: { layers: number; heads: number; dModel: number; dMlp: number };
  /** The paper's length curriculum for this task. */
  readonly curriculum: CurriculumSpec;
  /** The released evaluation's test length (n; n_b for multiplication, with n_a = 2). */
  readonly testLength: number;
  /** Names of the entries of `lengths`: ['n'] or ['n_a', 'n_b']. */
  readonly lengthNames: readonly string[];
  /** Extra steps the adaptive rule may run past T(n): 20, or 30 for multiplication and unique set. */
  readonly adaptiveExtraSteps: number;
  /** Set for the fixed-depth baseline (fixedDepth.ts): every example is read at this step instead of its T(n). */
  readonly fixedSteps?: number;
  /** A split of the inputs by what makes them hard (e.g. repeated elements), for `eval --cases`; absent when no split is informative. */
  readonly cases?: TaskCases;
  /** Inputs that stress what uniform inputs seldom show (unique set: many repeats), for a recipe's hardShare; absent when the task has none. */
  readonly hardInputs?: HardInputs;
  /** Inputs without repeats, so every answer slot is filled (unique set), for a recipe's distinctShare; absent when the task has none. */
  readonly distinctInputs?: DistinctInputs;

  /** Row width for a given max_len (paper: max_len = n_max+1 when training, test_len+2 when testing). */
  rowWidth(maxLen: number): number;
  /** Fixed training width: rowWidth(curriculum.end), i.e. max_len = (largest training length) + 1. */
  trainingWidth(): number;
  /** Test-style width for these lengths: rowWidth(n + 2) (n = n_b for multiplication), never below minWidth. */
  widthFor(lengths: readonly number[]): number;
  /** Smallest width that holds the prompt and the full answer. */
  minWidth(lengths: readonly number[]): number;
  /** Loop horizon of a training batch: n_points + 2 (2 * n_points for multiplication). */
  horizon(nPoints: number): number;
  /** T(n). */
  steps(lengths: readonly number[]): number;
  /** Step budget of the adaptive rule: T(n) + adaptiveExtraSteps. */
  maxSteps(lengths: readonly number[]): number;
  /**
   * Lengths for one training example: n uniform in [1, nPoints-1] (multiplication: n_a uniform in
   * {1,2}); `atLongest` pins n at nPoints-1, the curriculum's longest (a recipe's longShare).
   */
  sampleLengths(rng: Rng, nPoints: number, atLongest?: boolean): number[];
  /** A fresh random training row: sampleAt(rng, sampleLengths(rng, nPoints, atLongest), width). */
  sampleTraining(rng: Rng, nPoints: number, width: number, atLongest?: boolean): TaskExample;
  /** A random row with exactly these lengths; width defaults to widthFor(lengths). */
  sampleAt(rng: Rng, lengths: readonly number[], width?: number): TaskExample;
  /** A row from typed text (see inputSyntax); throws TaskInputError with a usable message. */
  fromText(text: string, width?: number): TaskExample;
  /** Human-readable form; `predicted` is a full row of predicted class ids (length width). */
  render(example: TaskExample, predicted?: ArrayLike<number>): RenderedExample;
}

/**
 * Accuracy by length alone hides which inputs a model fails on (a unique-set model can be right on
 * inputs without repeats and wrong on most with them); a case split labels each row by such a property.
 */
export interface TaskCases {
  /** What the labels count, e.g. 'repeated elements'. */
  readonly title: string;
  /** Every label `of` returns, in display order. */
  readonly labels: readonly string[];
  /** The label of a row, read from its prompt. */
  of(example: TaskExample): string;
}

/**
 * Uniform random inputs can leave the hard part of a task rare (a unique-set input of 19 elements
 * over 50 symbols repeats about 3 of them), so a model may learn a shortcut that long inputs break.
 * A recipe's hardShare draws that share of each training batch from these instead.
 */
export interface HardInputs {
  /** What these inputs are, in words, e.g. 'inputs over a random alphabet of 1 to 50 elements (many repeats)'. */
  readonly description: string;
  /** A random row with exactly these lengths, as sampleAt but from the hard inputs. */
  sampleAt(rng: Rng, lengths: readonly number[], width: number): TaskExample;
}

/**
 * Uniform inputs seldom fill the late answer slots of a unique-set answer, which holds one slot per
 * distinct element (19 elements over 50 symbols have about 16 distinct), so those slots are seldom
 * trained; inputs without repeats fill every slot. A recipe's distinctShare draws that share of
 * each training batch from these instead.
 */
export interface DistinctInputs extends HardInputs {
  /** The longest length such an input exists for (unique set: 50, its number of elements). */
  readonly maxLength: number;
}

/** Bad user input to a task (text that does not parse, lengths or width that do not fit). */
export class TaskInputError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TaskInputError';
  }
}

/** A RASP-L task file carried with a model or recipe (name for messages, source to rebuild the task). */
export interface RaspSourceRef {
  file: string;
  source: string;
}
