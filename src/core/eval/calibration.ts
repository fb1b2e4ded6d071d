// The length-calibrated stopping rule: the step the paper's rule picks on fresh random
// inputs of one input's lengths. The stepper, `looplens trace`, `eval --calibrated` and the
// Evaluate panel all use it.
import { haltPerBatch } from '../infer/halting';
import type { LoopedSession } from '../infer/loopedSession';
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
 * score does single out the right step.
 */
export async function calibratedStep(task: Task, session: LoopedSession, lengths: readonly number[], o: { examples: number; rng: Rng; maxSteps?: number; width?: number }): Promise<number> {
  const maxSteps = o.maxSteps ?? task.maxSteps(lengths);
  const batch = makeEvalBatch(task, o.rng, lengths, o.examples, { horizon: maxSteps, width: o.width });
  const logits = await session.run(batch.tokens, batch.batch, batch.width, maxSteps);
  return haltPerBatch(logits, batch.mask, { maxSteps }).step;
}
