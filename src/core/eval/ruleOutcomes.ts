// Applies halting rules to one batch's per-step logits and scores them: the glue between an
// inference run (logits for every loop step) and the LengthReport.
import { chooseSteps, predictionsAtSteps, type HaltingLimits, type HaltingRule, type StepLogits } from '../infer/halting';
import { exactMatch } from './metrics';

export interface BatchTruth {
  /** [batch, width] class ids. */
  targets: ArrayLike<number | bigint>;
  /** [batch, width] 1 on '=' .. end. */
  mask: ArrayLike<number>;
  /** [batch] T(n_i). */
  steps: ArrayLike<number | bigint>;
}

export interface RuleOutcome {
  rule: HaltingRule;
  /** [batch] chosen 1-based step. */
  steps: Int32Array;
  /** [batch] exact match 0/1 at the chosen step. */
  correct: Uint8Array;
  /** [batch, width] predictions at the chosen step. */
  predictions: Int32Array;
}

export function scoreRules(logits: StepLogits, truth: BatchTruth, rules: readonly HaltingRule[], limits: HaltingLimits = {}): RuleOutcome[] {
  return rules.map((rule) => {
    const { steps } = chooseSteps(rule, logits, truth.mask, truth.steps, limits);
    const predictions = predictionsAtSteps(logits, steps);
    const correct = exactMatch(predictions, truth.targets, truth.mask, logits.batch, logits.width);
    return { rule, steps, correct, predictions };
  });
}
