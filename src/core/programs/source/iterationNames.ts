// The names a watch, a breakpoint condition or a probed expression may use besides the program's
// own, at one loop iteration: the model's read-out and the program's answer as RASP-L sequences.
// The debugger and the probes build them here, so an expression means the same thing in both.

export const ITERATION_NAMES = ['decoded', 'confidence', 'answer', 'scored', 'step'] as const;

/** One line per name, for help texts and error messages. */
export const ITERATION_NAMES_HELP =
  'decoded: the model’s argmax token per position at this iteration; confidence: its max softmax probability in percent (0..100, rounded); answer: the program’s read-out at this iteration; scored: 1 where the answer is scored; step: the iteration number';

export interface IterationValues {
  step: number;
  /** The model's argmax token per position. */
  decoded: ArrayLike<number>;
  /** Max softmax probability per position, in [0, 1]. */
  confidence: ArrayLike<number>;
  /** The program's read-out after this many steps (the whole row); null when it has none. */
  answer: ArrayLike<number> | null;
  /** 1 on scored positions. */
  mask: ArrayLike<number>;
}

/** The extra names of one iteration (names the program itself defines win over these). */
export function iterationNames(v: IterationValues): Map<string, number | number[]> {
  const names = new Map<string, number | number[]>([
    ['decoded', Array.from(v.decoded)],
    ['confidence', Array.from(v.confidence, (c) => Math.round(c * 100))],
    ['scored', Array.from(v.mask, (m) => (m ? 1 : 0))],
    ['step', v.step],
  ]);
  if (v.answer) names.set('answer', Array.from(v.answer));
  return names;
}

/** Argmax per position and max softmax probability per position of one step's [width, vocab] logits. */
export function readOutRow(logits: ArrayLike<number>, width: number, vocab: number): { decoded: Int32Array; confidence: Float64Array } {
  const decoded = new Int32Array(width);
  const confidence = new Float64Array(width);
  for (let p = 0; p < width; p++) {
    const o = p * vocab;
    let best = 0;
    for (let v = 1; v < vocab; v++) if (logits[o + v]! > logits[o + best]!) best = v;
    let z = 0;
    const top = logits[o + best]!;
    for (let v = 0; v < vocab; v++) z += Math.exp(logits[o + v]! - top);
    decoded[p] = best;
    confidence[p] = 1 / z;
  }
  return { decoded, confidence };
}
