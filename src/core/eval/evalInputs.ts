// The random streams of an evaluation's inputs: one per test length, so a length's examples do not
// depend on which other lengths are asked for, and a script that draws the same inputs can.
import { Rng } from '../util/rng';

/** The random stream of an evaluation's inputs at length n. */
export function evalInputsRng(seed: number, n: number): Rng {
  return new Rng((seed * 1000003 + n) >>> 0);
}

/** The random stream of the length-calibrated rule's inputs at length n: a stream of its own, apart from the test inputs'. */
export function calibrationInputsRng(seed: number, n: number): Rng {
  return evalInputsRng(seed, n + 500009);
}
