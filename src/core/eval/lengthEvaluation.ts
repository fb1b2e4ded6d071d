// One test length of an evaluation: draws its batches in order from the length's own stream, adds
// each batch's read-out under every rule (in batch order, whoever ran it), and gives the length's
// result once the last batch is in.
import type { LoopRunner } from '../infer/loopRunner';
import type { LoopedRun } from '../infer/loopedSession';
import { describeRule, predictionsAt, predictionsAtSteps } from '../infer/halting';
import { makeEvalBatch, type Batch } from '../tasks/batches';
import type { Task } from '../tasks/types';
import type { Rng } from '../util/rng';
import { calibratedStep } from './calibration';
import { caseLabels, emptyCaseTally, tallyCases, tallyRule, type CaseCount } from './caseTally';
import type { CalibratedStats, EvaluateOptions, StepCurve } from './evaluate';
import { calibrationInputsRng, evalInputsRng } from './evalInputs';
import { evalLengths } from './evalLimits';
import { ORACLE, type RuleSplit } from './evalRules';
import { firstFailure, type FailureExample } from './failures';
import { LengthConfidence } from './lengthConfidence';
import { LengthReport } from './lengthReport';
import { exactMatch, positionAccuracy, tallyPositions, type PositionTally } from './metrics';
import { scoreRules } from './ruleOutcomes';
import { WrongAnswerTally } from './wrongAnswers';
import { ExampleMissTally } from './wrongExamples';

/** A length's result: its rows of the report, and each option's part for it. */
export interface LengthOutcome {
  n: number;
  report: LengthReport;
  calibrated?: CalibratedStats;
  positions?: PositionTally;
  paperPositions?: PositionTally;
  failure?: FailureExample;
  cases?: CaseCount[];
  byStep?: StepCurve;
  errors?: WrongAnswerTally;
  wrongExamples?: ExampleMissTally;
}

export class LengthEvaluation {
  readonly lengths: number[];
  readonly maxSteps: number;
  readonly batches: number;
  private readonly rng: Rng;
  private readonly calibrationRng: Rng;
  private readonly report = new LengthReport();
  private drawn = 0;
  /** The one calibrated step of the length (calibrationScope 'length'), set before its first batch is added. */
  private lengthStep: number | undefined;
  private readonly calibrated: CalibratedStats | undefined;
  private positions: PositionTally | undefined;
  private failure: FailureExample | undefined;
  private cases: CaseCount[] | undefined;
  private readonly errors: WrongAnswerTally | undefined;
  private readonly wrongExamples: ExampleMissTally | undefined;
  // the paper's rule keeps every example's correctness at every step: the step curve reads it too
  private readonly paperRule: LengthConfidence | null;
  // the case of every example added to paperRule, in add order: its answers come after the last batch
  private readonly paperLabels: string[] = [];

  constructor(
    private readonly task: Task,
    private readonly runner: LoopRunner,
    readonly n: number,
    private readonly o: EvaluateOptions,
    private readonly rules: RuleSplit,
  ) {
    this.rng = evalInputsRng(o.seed ?? 1234, n);
    this.calibrationRng = calibrationInputsRng(o.seed ?? 1234, n);
    this.lengths = evalLengths(task, n);
    this.maxSteps = task.steps(this.lengths) + (o.extraSteps ?? task.adaptiveExtraSteps);
    this.batches = Math.ceil(o.examples / o.batchSize);
    this.calibrated = o.calibration ? { examples: 0, correct: 0, stepSum: 0 } : undefined;
    this.errors = o.errors ? new WrongAnswerTally() : undefined;
    this.wrongExamples = o.errors ? new ExampleMissTally() : undefined;
    this.paperRule = rules.paperRule || o.byStep ? new LengthConfidence(this.maxSteps, { positions: o.positions === true }) : null;
  }

  /** Whether the length-calibrated rule calibrates once for the whole length (calibrationScope 'length'). */
  get calibratesOnce(): boolean {
    return this.calibrated !== undefined && this.o.calibrationScope === 'length';
  }

  /** The length-calibrated rule's step on a calibration batch of its own stream. */
  calibrate(): Promise<number> {
    return calibratedStep(this.task, this.runner, this.lengths, { examples: this.o.calibration ?? 0, rng: this.calibrationRng, maxSteps: this.maxSteps, batchSize: this.o.batchSize });
  }

  setLengthStep(step: number): void {
    this.lengthStep = step;
  }

  /** The next batch's inputs (the last batch may be short); batches must be drawn in order. */
  nextBatch(): Batch {
    const size = Math.min(this.o.batchSize, this.o.examples - this.drawn * this.o.batchSize);
    this.drawn++;
    return makeEvalBatch(this.task, this.rng, this.lengths, size, { horizon: this.maxSteps });
  }

  /** Adds a batch's read-out at every step; batches must be added in the order they were drawn. */
  async add(batch: Batch, logits: LoopedRun): Promise<void> {
    const { o, n, rules } = this;
    const truth = { targets: batch.targets, mask: batch.mask, steps: batch.steps };
    const outcomes = scoreRules(logits, truth, rules.batchRules, { maxSteps: this.maxSteps });
    for (const oc of outcomes) {
      this.report.add(n, oc.rule, oc.correct, oc.steps, batch.steps);
      // the oracle's failure first; else one under another rule (a model right at T(n) but stopped elsewhere)
      if (o.failures && (!this.failure || (oc.rule.kind === 'oracle' && this.failure.rule !== describeRule(ORACLE)))) {
        this.failure = firstFailure(this.task, batch, oc, describeRule(oc.rule)) ?? this.failure;
      }
    }
    this.paperRule?.add(logits, truth);
    // the read-out at T(n), computed once for the case split and the position tally
    let atTPredictions: ReturnType<typeof predictionsAtSteps> | undefined;
    const predictedAtT = () => (atTPredictions ??= predictionsAtSteps(logits, batch.steps));
    const split = o.cases ? this.task.cases : undefined;
    if (split) {
      // the oracle's own flags when it was scored, else exact match at T(n) (what the oracle reads)
      const atT = outcomes.find((oc) => oc.rule.kind === 'oracle')?.correct ?? exactMatch(predictedAtT(), batch.targets, batch.mask, batch.batch, batch.width);
      const tally = tallyCases(this.cases ?? emptyCaseTally(split, rules.caseRules), split, batch.examples, atT);
      const labels = caseLabels(split, batch.examples);
      const perExample = outcomes.find((oc) => oc.rule === rules.perExample);
      if (perExample) tallyRule(tally, split, 'perExample', labels, perExample.correct);
      if (rules.paperRule) this.paperLabels.push(...labels);
      this.cases = tally;
    }
    // with the step accumulator, the tally at T(n) is its tally at that step (read after the last batch)
    if (o.positions && !this.paperRule) {
      this.positions = tallyPositions(this.positions ?? { examples: 0, correct: [], seen: [] }, predictedAtT(), batch.targets, batch.mask, batch.batch, batch.width);
    }
    if (this.errors || this.wrongExamples) {
      const answerStarts = batch.examples.map((e) => e.answerStart);
      this.errors?.addBatch(predictedAtT(), batch.targets, batch.mask, answerStarts, batch.width, this.task.tokens.pad);
      this.wrongExamples?.addBatch(predictedAtT(), batch.targets, batch.mask, answerStarts, batch.width, this.task.tokens.pad);
    }
    if (this.calibrated) {
      const step = this.lengthStep ?? (await this.calibrate());
      const correct = exactMatch(predictionsAt(logits, step), batch.targets, batch.mask, batch.batch, batch.width);
      this.calibrated.examples += batch.batch;
      this.calibrated.correct += correct.reduce((a, c) => a + c, 0);
      this.calibrated.stepSum += step * batch.batch;
    }
  }

  /** The length's result, once its last batch is added. */
  finish(): LengthOutcome {
    const { n, rules, o } = this;
    const out: LengthOutcome = { n, report: this.report, calibrated: this.calibrated, positions: this.positions, failure: this.failure, cases: this.cases, errors: this.errors, wrongExamples: this.wrongExamples };
    if (this.paperRule) {
      const r = this.paperRule.result();
      if (rules.paperRule) {
        this.report.add(n, rules.paperRule, r.correct, r.steps, r.oracleSteps);
        const split = o.cases ? this.task.cases : undefined;
        if (this.cases && split) tallyRule(this.cases, split, 'paperRule', this.paperLabels, r.correct);
      }
      // every example of a length shares its T(n) (evalLengths), so one step's tally holds the oracle's
      if (r.positions) out.positions = copyTally(r.positions[r.oracleSteps[0]! - 1]!);
      if (rules.paperRule && r.positions) out.paperPositions = copyTally(r.positions[r.step - 1]!);
      const stepPositions = r.positions ? { positions: r.positions.map(positionAccuracy) } : {};
      if (o.byStep) out.byStep = { oracleStep: r.oracleSteps[0]!, paperStep: r.step, accuracy: Array.from(r.accuracy), score: Array.from(r.scores), ...stepPositions };
    }
    return out;
  }
}

function copyTally(t: PositionTally): PositionTally {
  return { examples: t.examples, correct: [...t.correct], seen: [...t.seen] };
}
