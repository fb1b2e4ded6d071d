// The paper's adaptive rule as its released code applies it: ONE step for every test example of a
// length, the step whose confidence score, summed over all of them, is lowest. Batches are added
// one at a time (logits of a whole test set do not fit in memory); each example's correctness at
// every step is kept, so the accuracy at the step chosen last is exact, and so is the accuracy at
// every other step (how the answer forms and decays over the loop), and, when asked, of every answer
// position at every step (which slot forms when).
import { batchUncertainty, predictionsAt, type StepLogits } from '../infer/halting';
import type { BatchTruth } from './ruleOutcomes';
import { exactMatch, tallyPositions, type PositionTally } from './metrics';

export interface LengthConfidenceResult {
  /** The chosen 1-based step. */
  step: number;
  /** [examples] 0/1 exact match at that step. */
  correct: Uint8Array;
  /** [examples] the chosen step (all equal) and T(n_i), for LengthReport.add. */
  steps: Int32Array;
  oracleSteps: Int32Array;
  /** Mean score per step over every scored position of the length (lower = more confident). */
  scores: Float64Array;
  /** Exact-match accuracy at every step, accuracy[t - 1] over every example of the length. */
  accuracy: Float64Array;
  /** When built with positions: positions[t - 1] tallies each masked position at step t. */
  positions?: PositionTally[];
}

export class LengthConfidence {
  private readonly scoreSum: Float64Array;
  private positions = 0;
  /** correctAt[t - 1] holds one 0/1 per example added so far. */
  private readonly correctAt: number[][];
  private readonly oracle: number[] = [];
  private readonly positionsAt: PositionTally[] | undefined;

  constructor(private readonly maxSteps: number, o: { positions?: boolean } = {}) {
    if (!Number.isInteger(maxSteps) || maxSteps < 1) throw new Error(`maxSteps must be a positive integer, got ${maxSteps}`);
    this.scoreSum = new Float64Array(maxSteps);
    this.correctAt = Array.from({ length: maxSteps }, () => []);
    this.positionsAt = o.positions ? Array.from({ length: maxSteps }, () => ({ examples: 0, correct: [], seen: [] })) : undefined;
  }

  add(logits: StepLogits, truth: BatchTruth): void {
    if (logits.steps < this.maxSteps) throw new Error(`the batch has ${logits.steps} steps of logits, the rule looks at ${this.maxSteps}`);
    let scored = 0;
    for (let i = 0; i < truth.mask.length; i++) if (truth.mask[i]) scored++;
    const mean = batchUncertainty(logits, truth.mask);
    for (let t = 1; t <= this.maxSteps; t++) {
      this.scoreSum[t - 1]! += mean[t - 1]! * scored;
      const predicted = predictionsAt(logits, t);
      const correct = exactMatch(predicted, truth.targets, truth.mask, logits.batch, logits.width);
      for (const c of correct) this.correctAt[t - 1]!.push(c);
      if (this.positionsAt) tallyPositions(this.positionsAt[t - 1]!, predicted, truth.targets, truth.mask, logits.batch, logits.width);
    }
    this.positions += scored;
    for (let b = 0; b < logits.batch; b++) this.oracle.push(Number(truth.steps[b]));
  }

  result(): LengthConfidenceResult {
    if (this.oracle.length === 0) throw new Error('no examples were added');
    const scores = this.scoreSum.map((s) => (this.positions === 0 ? 0 : s / this.positions));
    let step = 1;
    for (let t = 2; t <= this.maxSteps; t++) if (scores[t - 1]! < scores[step - 1]!) step = t;
    const n = this.oracle.length;
    const accuracy = Float64Array.from(this.correctAt, (c) => c.reduce((a, x) => a + x, 0) / n);
    return {
      step,
      correct: Uint8Array.from(this.correctAt[step - 1]!),
      steps: new Int32Array(n).fill(step),
      oracleSteps: Int32Array.from(this.oracle),
      scores,
      accuracy,
      ...(this.positionsAt ? { positions: this.positionsAt } : {}),
    };
  }
}
