// How a wrong answer differs from the right one, example by example: one answer left out (the rest
// in order, each a slot early: a step that skipped one element), one answer too many (the rest a slot
// late), one answer replaced (by its neighbour's, or another token), two neighbours swapped, or more
// than one edit, counted (a near miss of two edits reads differently from an answer lost in full).
// wrongAnswers.ts says what stands at each wrong position; this says whether one edit explains a whole
// row. Pure.
import { editDistance } from '../util/editDistance';
import { sliceOf } from './wrongAnswers';

export type ExampleMiss =
  | { kind: 'left-out'; index: number }
  | { kind: 'too-many'; index: number; repeat: boolean }
  | { kind: 'replaced'; index: number; by: 'before' | 'after' | 'other' }
  | { kind: 'swapped'; index: number }
  | { kind: 'more'; edits: number };

/** The answer as a list: the tokens at scored positions from the answer's start, trailing pads dropped. */
export function answerTokens(tokens: ArrayLike<number | bigint>, mask: ArrayLike<number>, answerStart: number, pad: number): number[] {
  const out: number[] = [];
  for (let p = answerStart; p < tokens.length; p++) if (mask[p]) out.push(Number(tokens[p]));
  let end = out.length;
  while (end > 0 && out[end - 1] === pad) end--;
  return out.slice(0, end);
}

/** How one row's written tokens miss its target (both the row's full width); undefined when every scored position is right. */
export function rowMiss(target: ArrayLike<number | bigint>, mask: ArrayLike<number>, answerStart: number, written: ArrayLike<number>, pad: number): ExampleMiss | undefined {
  let wrong = false;
  for (let p = answerStart; p < target.length && !wrong; p++) wrong = Boolean(mask[p]) && written[p] !== Number(target[p]);
  return wrong ? exampleMiss(answerTokens(target, mask, answerStart, pad), answerTokens(written, mask, answerStart, pad)) : undefined;
}

/** Whether `longer` is `shorter` with the one element at `index` inserted. */
function insertedAt(longer: readonly number[], shorter: readonly number[], index: number): boolean {
  for (let i = 0; i < shorter.length; i++) if (shorter[i] !== longer[i < index ? i : i + 1]) return false;
  return true;
}

/** The first index where two lists differ (their common length when one is the other's start). */
function firstDifference(a: readonly number[], b: readonly number[]): number {
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  return i;
}

/**
 * The one edit that turns the right answer `right` into the written one `written`, where one does;
 * `index` is the answer's place (0 = the first answer). Both as answerTokens gives them. Where none
 * does, how many it takes (two or more).
 */
export function exampleMiss(right: readonly number[], written: readonly number[]): ExampleMiss {
  const more = (): ExampleMiss => ({ kind: 'more', edits: editDistance(right, written) });
  const i = firstDifference(right, written);
  if (written.length === right.length - 1) return insertedAt(right, written, i) ? { kind: 'left-out', index: i } : more();
  if (written.length === right.length + 1) {
    return insertedAt(written, right, i) ? { kind: 'too-many', index: i, repeat: right.includes(written[i]!) } : more();
  }
  if (written.length !== right.length || i === right.length) return more();
  const rest = (from: number) => right.slice(from).every((v, k) => v === written[from + k]);
  if (rest(i + 1)) return { kind: 'replaced', index: i, by: written[i] === right[i - 1] ? 'before' : written[i] === right[i + 1] ? 'after' : 'other' };
  if (i + 1 < right.length && right[i] === written[i + 1] && right[i + 1] === written[i] && rest(i + 2)) return { kind: 'swapped', index: i };
  return more();
}

const REPLACED_BY = { before: 'the answer before it again', after: 'the answer after it', other: 'another token' };

/** The names of two, three and four edits; five or more share one row. */
const NAMED_EDITS = ['two', 'three', 'four'];

/** "one answer left out (the rest in order, a slot early)", "one answer replaced by the answer before it again (the rest right)", … */
export function exampleMissText(miss: ExampleMiss): string {
  switch (miss.kind) {
    case 'left-out':
      return 'one answer left out (the rest in order, a slot early)';
    case 'too-many':
      return 'one answer too many (the rest in order, a slot late)';
    case 'replaced':
      return `one answer replaced by ${REPLACED_BY[miss.by]} (the rest right)`;
    case 'swapped':
      return 'two neighbouring answers swapped';
    case 'more':
      return `${NAMED_EDITS[miss.edits - 2] ?? `${NAMED_EDITS.length + 2} or more`} edits from the right answer`;
  }
}

/** Wrong examples counted by their edit, and where in the answer the one edit falls. */
export class ExampleMissTally {
  private readonly texts = new Map<string, number>();
  private readonly places = new Map<ExampleMiss['kind'], number[]>();
  repeats = 0;
  total = 0;

  add(miss: ExampleMiss): void {
    this.total++;
    const text = exampleMissText(miss);
    this.texts.set(text, (this.texts.get(text) ?? 0) + 1);
    if (miss.kind === 'more') return;
    const at = this.places.get(miss.kind) ?? [];
    at[miss.index] = (at[miss.index] ?? 0) + 1;
    this.places.set(miss.kind, at);
    if (miss.kind === 'too-many' && miss.repeat) this.repeats++;
  }

  /** Every wrong row of a batch ([batch, width] row-major; answerStarts[b] is row b's first answer position). */
  addBatch(predictions: ArrayLike<number>, targets: ArrayLike<number | bigint>, mask: ArrayLike<number>, answerStarts: readonly number[], width: number, pad: number): void {
    answerStarts.forEach((answerStart, b) => {
      const row = <T>(a: ArrayLike<T>) => sliceOf(a, b * width, width);
      const miss = rowMiss(row(targets), row(mask), answerStart, row(predictions), pad);
      if (miss) this.add(miss);
    });
  }

  /** [text, count], most frequent first. */
  rows(): [string, number][] {
    return [...this.texts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }

  /** How many examples of `kind` have their one edit at each answer index, summed in bins of `bin`: [first index of the bin, count]. */
  placesOf(kind: Exclude<ExampleMiss['kind'], 'more'>, bin: number): [number, number][] {
    const bins = new Map<number, number>();
    (this.places.get(kind) ?? []).forEach((n, index) => {
      const from = Math.floor(index / bin) * bin;
      bins.set(from, (bins.get(from) ?? 0) + n);
    });
    return [...bins.entries()].sort((a, b) => a[0] - b[0]);
  }
}
