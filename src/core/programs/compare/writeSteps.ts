// When a task's RASP-L program writes each answer position: the first loop step from which the
// position's read-out keeps its final value. Beside a model's accuracy per position it separates
// two reasons a looped model can fail past its training lengths: a slot the program writes at a
// loop step later than any trained (a count of loop steps), or a slot later in the answer than any
// trained (a count of the answer's own). On uniform inputs the two are the same slots; on inputs
// with many repeats (unique set) they are not.

/**
 * writeStep[p]: the first step s (0 .. T) such that answers[s .. T][p] all equal answers[T][p], where
 * answers[s] is the read-out after s loop steps (null before the program has one); empty when the
 * program has no read-out after its last step.
 */
export function programWriteSteps(answers: readonly (ArrayLike<number> | null)[]): number[] {
  const last = answers[answers.length - 1];
  if (!last) return [];
  return Array.from({ length: last.length }, (_, p) => {
    let s = answers.length - 1;
    while (s > 0 && answers[s - 1]?.[p] === last[p]) s--;
    return s;
  });
}

/** Right and total counts under two keys (e.g. write step and answer slot), for the tables that cross them. */
export class CrossTally {
  private readonly cells = new Map<string, { right: number; total: number }>();
  readonly rowKeys = new Set<number>();
  readonly columnKeys = new Set<number>();

  add(row: number, column: number, right: boolean): void {
    const key = `${row}:${column}`;
    const cell = this.cells.get(key) ?? { right: 0, total: 0 };
    cell.total++;
    if (right) cell.right++;
    this.cells.set(key, cell);
    this.rowKeys.add(row);
    this.columnKeys.add(column);
  }

  /** The counts of one cell, or of a whole row when `column` is omitted. */
  get(row: number, column?: number): { right: number; total: number } {
    if (column !== undefined) return this.cells.get(`${row}:${column}`) ?? { right: 0, total: 0 };
    let right = 0;
    let total = 0;
    for (const c of this.columnKeys) {
      const cell = this.get(row, c);
      right += cell.right;
      total += cell.total;
    }
    return { right, total };
  }
}
