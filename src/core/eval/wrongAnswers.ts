// What a model writes at an answer position it gets wrong: the answer of a neighbouring position
// (the answer shifted by d, as a count or a pointer one off writes it), the pad where an answer was
// due, an answer where the pad was due, or something else. For tasks with few symbols (bits) a
// neighbour holds a wrong token by chance about half the time, so the shifts say something only
// where they stand out against each other. Pure.

export type WrongAnswer = { kind: 'shifted'; by: number } | { kind: 'pad-for-answer' } | { kind: 'answer-for-pad' } | { kind: 'other' };

export interface AnswerRow {
  /** Target tokens of the row, pads included. */
  target: ArrayLike<number | bigint>;
  /** 1 where a position is scored. */
  mask: ArrayLike<number>;
  answerStart: number;
}

/**
 * The kind of the wrong token `written` at position `p` of `row`: the nearest scored answer position
 * within `maxShift` whose target it is (the nearer before the later one at equal distance), else
 * whether it is a pad for an answer, an answer for a pad, or other.
 */
export function wrongAnswerKind(row: AnswerRow, p: number, written: number, pad: number, maxShift = 3): WrongAnswer {
  const { target, mask, answerStart } = row;
  if (written === pad) return { kind: 'pad-for-answer' };
  for (let d = 1; d <= maxShift; d++) {
    for (const by of [-d, d]) {
      const q = p + by;
      if (q >= answerStart && q < target.length && mask[q] && Number(target[q]) === written) return { kind: 'shifted', by };
    }
  }
  return Number(target[p]) === pad ? { kind: 'answer-for-pad' } : { kind: 'other' };
}

/** "the answer 1 position later", "a pad where an answer was due", … */
export function wrongAnswerText(w: WrongAnswer): string {
  switch (w.kind) {
    case 'shifted':
      return `the answer ${Math.abs(w.by)} position${Math.abs(w.by) === 1 ? '' : 's'} ${w.by < 0 ? 'earlier' : 'later'}`;
    case 'pad-for-answer':
      return 'a pad where an answer was due';
    case 'answer-for-pad':
      return 'an answer token where a pad was due (none of its neighbours)';
    case 'other':
      return 'another token (none of its neighbours)';
  }
}

/** Counts of wrong positions by kind, keyed by wrongAnswerText. */
export class WrongAnswerTally {
  private readonly counts = new Map<string, number>();
  total = 0;

  add(w: WrongAnswer): void {
    const key = wrongAnswerText(w);
    this.counts.set(key, (this.counts.get(key) ?? 0) + 1);
    this.total++;
  }

  /** Every wrong masked position of a batch's rows ([batch, width] row-major; answerStarts[b] is row b's first answer position). */
  addBatch(predictions: ArrayLike<number>, targets: ArrayLike<number | bigint>, mask: ArrayLike<number>, answerStarts: readonly number[], width: number, pad: number): void {
    answerStarts.forEach((answerStart, b) => {
      const at = b * width;
      let row: AnswerRow | undefined; // copied out only for a row with a wrong position
      for (let p = 0; p < width; p++) {
        const written = predictions[at + p]!;
        if (!mask[at + p] || written === Number(targets[at + p])) continue;
        row ??= { target: sliceOf(targets, at, width), mask: sliceOf(mask, at, width), answerStart };
        this.add(wrongAnswerKind(row, p, written, pad));
      }
    });
  }

  /** [text, count], most frequent first. */
  rows(): [string, number][] {
    return [...this.counts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  }
}

/** Positions [at, at + width) of a flat row-major array, as an array-like of their own. */
export function sliceOf<T>(a: ArrayLike<T>, at: number, width: number): ArrayLike<T> {
  return Array.from({ length: width }, (_, i) => a[at + i]!);
}
