// When each answer slot forms over the loop: the first step at which a position is right on nearly
// every test example. A looped model that learned an iterative step fills its answer a slot or a few
// at a time (copy, unique set); the slots that never form show where the step stops generalizing.

/** A position at least this accurate at a step counts as formed there. */
export const FORMED_ACCURACY = 0.95;

/**
 * formedAt[k]: the first 1-based loop step at which position k is at least `threshold` right, or
 * null if it never is within the steps given. `positions[t - 1][k]` is position k's accuracy at step t.
 */
export function slotFormation(positions: number[][], threshold = FORMED_ACCURACY): (number | null)[] {
  const width = positions[0]?.length ?? 0;
  return Array.from({ length: width }, (_, k) => {
    const t = positions.findIndex((row) => row[k]! >= threshold);
    return t < 0 ? null : t + 1;
  });
}
