// The length-calibrated stopping rule: the step the paper's rule picks on fresh random
// inputs of one input's lengths. The stepper, `looplens trace`, `eval --calibrated` and the
// Evaluate panel all use it.
import { batchUncertainty, lowestScoreStep } from '../infer/halting';
import type { LoopRunner } from '../infer/loopRunner';
import { makeEvalBatch } from '../tasks/batches';
import type { Task } from '../tasks/types';
import type { Rng } from '../util/rng';

/** Random inputs behind one length-calibrated step. */
export const CALIBRATION_EXAMPLES = 256;

/**
 * The length-calibrated rule: the step the paper's rule picks on `examples` fresh random
 * inputs of the same lengths. It needs the task's input generator but neither T(n) nor the other
 * test inputs, so it applies to one input on its own (the stepper's case). Per-example confidence
 * rules fail on parity because the read-out is confident at every step; averaged over a batch the
 * score does single out the right step. The inputs run in batches of at most `batchSize` (default:
 * all at once) and their scores add up to the whole set's, so memory bounds the batch, not the rule.
 */
export async function calibratedStep(task: Task, session: LoopRunner, lengths: readonly number[], o: { examples: number; rng: Rng; maxSteps?: number; width?: number; batchSize?: number }): Promise<number> {
  const maxSteps = o.maxSteps ?? task.maxSteps(lengths);
  const batchSize = Math.min(o.examples, o.batchSize ?? o.examples);
  if (!Number.isInteger(batchSize) || batchSize < 1) throw new Error(`calibration needs a positive whole batch size, got ${batchSize}`);
  // the paper's score over the whole set: per step, the masked positions' uncertainty summed, then divided by their count
  const sums = new Float64Array(maxSteps);
  let scored = 0;
  for (let done = 0; done < o.examples; done += batchSize) {
    // the run reads maxSteps steps, fewer than T(n) when a trace shows only those: the batch keeps its own horizon
    const batch = makeEvalBatch(task, o.rng, lengths, Math.min(batchSize, o.examples - done), { width: o.width });
    const logits = await session.run(batch.tokens, batch.batch, batch.width, maxSteps);
    const masked = batch.mask.reduce((a, m) => a + (m ? 1 : 0), 0);
    const means = batchUncertainty(logits, batch.mask);
    for (let t = 0; t < maxSteps; t++) sums[t] += means[t]! * masked;
    scored += masked;
  }
  return lowestScoreStep((t) => (scored === 0 ? 0 : sums[t - 1]! / scored), 1, maxSteps);
}
