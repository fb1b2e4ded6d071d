// Levenshtein's distance between two sequences: the checker's "did you mean" over names, and the
// evaluation's count of how far a wrong answer list is from the right one.

/** The fewest elements left out, added or replaced that turn `a` into `b`. */
export function editDistance<T>(a: ArrayLike<T>, b: ArrayLike<T>): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0]!;
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = prev[j]!;
      prev[j] = Math.min(above + 1, prev[j - 1]! + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = above;
    }
  }
  return prev[b.length]!;
}
