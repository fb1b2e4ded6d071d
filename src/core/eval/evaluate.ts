// Length-generalization evaluation: for each test length, random examples in batches of one length
// (as the paper evaluates), the read-out of every loop step up to T(n) + extra, and exact-match
// accuracy under the oracle rule, the paper's maximum-confidence rule (one step for the whole test
// set of a length, as its released code scores it) and per-example rules.
import { scoreRules } from './ruleOutcomes';
import { LengthReport } from './lengthReport';
import type { EvalSummary, EvalSummaryRow } from '../model/modelMetadata';
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import type { Task } from '../tasks/types';
import { makeEvalBatch } from '../tasks/batches';
import { Rng } from '../util/rng';
import { describeRule, predictionsAt, predictionsAtSteps, type HaltingRule } from '../infer/halting';
import { exactMatch, positionAccuracy, tallyPositions, type PositionTally } from './metrics';
import { LoopedSession, type SessionSettings } from '../infer/loopedSession';
import { calibratedStep } from './calibration';
import { checkEvaluationBudget, evalLengths } from './evalLimits';
import { LengthConfidence } from './lengthConfidence';
import { firstFailure, type FailureExample } from './failures';
import { caseLabels, emptyCaseTally, tallyCases, tallyRule, type CaseCount, type CaseRule } from './caseTally';

export const ORACLE: HaltingRule = { kind: 'oracle' };
/** The paper's rule: evaluateWith applies it to every test example of a length at once (LengthConfidence). */
export const PER_BATCH: HaltingRule = { kind: 'batch-confidence' };
/** The paper's per-example variant: each example stops at its own lowest mean -log(max prob). */
export const PER_EXAMPLE: HaltingRule = { kind: 'example-confidence', score: 'mean' };
/** Per-example scores measured next to the paper's, to see whether any stops one input well (on parity none did). */
export const PER_EXAMPLE_VARIANTS: HaltingRule[] = [
  PER_EXAMPLE,
  { kind: 'example-confidence', score: 'answer' },
  { kind: 'example-confidence', score: 'min' },
  { kind: 'stable', hold: 3 },
];

export interface EvaluateOptions extends SessionSettings {
  /** Test lengths: n (n_b for multiplication, with n_a = 2). */
  lengths: number[];
  /** Examples per length (rounded up to whole batches). */
  examples: number;
  /** Examples per inference batch (the paper's rule still picks one step for the whole length). */
  batchSize: number;
  seed?: number;
  /** Rules to score; default oracle, the paper's rule, per-example (paper score). */
  rules?: HaltingRule[];
  /**
   * Also score the length-calibrated per-example rule with calibration batches of this many random
   * inputs (0/absent: off). See calibratedStep(): it decides each example's step without T(n) and
   * without looking at the other test examples.
   */
  calibration?: number;
  /**
   * 'batch' (default): a fresh calibration batch for every test batch, so the accuracy averages over
   * calibration draws (costs calibration/batchSize extra runs per batch). 'length': one calibration
   * per length, shared by all its test batches: nearly free, the accuracy of one draw (the stepper's case).
   */
  calibrationScope?: 'batch' | 'length';
  /**
   * Also count, per length, how often each answer position is right: under the oracle
   * (EvaluateResult.positions), at the paper rule's step when it is scored (paperPositions), and at
   * every loop step when byStep is set (StepCurve.positions).
   */
  positions?: boolean;
  /** Loop steps past T(n) the adaptive rules may use (default: the task's, 20 or 30). */
  extraSteps?: number;
  /** Also split the accuracy by the task's case labels (EvaluateResult.cases): the oracle's, and the paper's and per-example rules' when scored; ignored for a task without Task.cases. */
  cases?: boolean;
  /** Also keep the first example each length gets wrong, under the oracle if any (EvaluateResult.failures), to open in the stepper. */
  failures?: boolean;
  /** Also keep, per length, the accuracy and the paper's confidence score at every loop step (EvaluateResult.byStep). */
  byStep?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; length: number }) => void;
}

/** One length's read-out at every loop step 1 .. T(n) + extra, over all its test examples. */
export interface StepCurve {
  /** T(n): the step the oracle reads. */
  oracleStep: number;
  /** The step the paper's rule picks for the length (the lowest score). */
  paperStep: number;
  /** accuracy[t - 1]: exact match at step t. */
  accuracy: number[];
  /** score[t - 1]: mean -log(max softmax probability) over the answer positions at step t (lower = more confident). */
  score: number[];
  /** When EvaluateOptions.positions was set too: positions[t - 1][k], the accuracy of masked position k (+0 is '=') at step t. */
  positions?: number[][];
}

/** Accuracy of the length-calibrated rule at one length. */
export interface CalibratedStats {
  examples: number;
  correct: number;
  stepSum: number;
}

export interface EvaluateResult {
  report: LengthReport;
  /** Per length, when EvaluateOptions.calibration was set. */
  calibrated?: Map<number, CalibratedStats>;
  /** Per length, when EvaluateOptions.positions was set: accuracy per masked position at T(n). */
  positions?: Map<number, PositionTally>;
  /** Per length, when EvaluateOptions.positions was set and the paper's rule scored: accuracy per masked position at the step it picks. */
  paperPositions?: Map<number, PositionTally>;
  /** Per length, when EvaluateOptions.failures was set: the first example wrong under the oracle, else under another per-batch rule (absent: none was). */
  failures?: Map<number, FailureExample>;
  /** Per length, when EvaluateOptions.byStep was set. */
  byStep?: Map<number, StepCurve>;
  /** Per length, when EvaluateOptions.cases was set and the task has cases: right answers per case label, in the labels' order (oracle; paperRule and perExample when scored). */
  cases?: Map<number, CaseCount[]>;
  summary: EvalSummary;
  seconds: number;
}

/** The random stream of an evaluation's inputs at length n: a script that draws the same inputs uses it too. */
export function evalInputsRng(seed: number, n: number): Rng {
  return new Rng((seed * 1000003 + n) >>> 0);
}

/** The random stream of the length-calibrated rule's inputs at length n: a stream of its own, apart from the test inputs'. */
export function calibrationInputsRng(seed: number, n: number): Rng {
  return evalInputsRng(seed, n + 500009);
}

export class EvaluationCancelled extends Error {
  constructor() {
    super('evaluation cancelled');
    this.name = 'EvaluationCancelled';
  }
}

/** Evaluates parameters (builds the lean eval graph once). */
export async function evaluateParams(task: Task, config: LoopedConfig, params: Params, o: EvaluateOptions): Promise<EvaluateResult> {
  const session = await LoopedSession.fromParams(config, params, 'eval', o);
  try {
    return await evaluateWith(task, session, o);
  } finally {
    await session.release();
  }
}

export async function evaluateWith(task: Task, session: LoopedSession, o: EvaluateOptions): Promise<EvaluateResult> {
  const t0 = Date.now();
  const rules = o.rules ?? [ORACLE, PER_BATCH, PER_EXAMPLE];
  // The paper's rule sees the whole test set of a length at once (LengthConfidence); the others decide per batch.
  const paperRuleOf = rules.find((r) => r.kind === 'batch-confidence');
  const batchRules = rules.filter((r) => r !== paperRuleOf);
  const perExampleOf = perExampleRuleOf(rules);
  if (o.lengths.length === 0) throw new Error('evaluation needs at least one test length');
  if (!Number.isInteger(o.examples) || o.examples < 1) throw new Error(`examples must be a positive integer, got ${o.examples}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${o.batchSize}`);
  checkEvaluationBudget(task, session.config, o); // lengths, widths, steps and memory, before the first batch
  const report = new LengthReport();
  const calibrated = o.calibration ? new Map<number, CalibratedStats>() : undefined;
  const positions = o.positions ? new Map<number, PositionTally>() : undefined;
  const paperPositions = o.positions && paperRuleOf ? new Map<number, PositionTally>() : undefined;
  const failures = o.failures ? new Map<number, FailureExample>() : undefined;
  const split = o.cases ? task.cases : undefined;
  const cases = split ? new Map<number, CaseCount[]>() : undefined;
  const byStep = o.byStep ? new Map<number, StepCurve>() : undefined;
  const caseRules: CaseRule[] = [...(paperRuleOf ? ['paperRule' as const] : []), ...(perExampleOf ? ['perExample' as const] : [])];
  const batches = Math.ceil(o.examples / o.batchSize);
  const total = batches * o.lengths.length;
  let done = 0;
  for (const n of o.lengths) {
    // One generator per length: a length's examples do not depend on which other lengths are asked for.
    const rng = evalInputsRng(o.seed ?? 1234, n);
    const calibrationRng = calibrationInputsRng(o.seed ?? 1234, n);
    const lengths = evalLengths(task, n);
    const maxSteps = task.steps(lengths) + (o.extraSteps ?? task.adaptiveExtraSteps);
    const calibrate = () => calibratedStep(task, session, lengths, { examples: o.calibration ?? 0, rng: calibrationRng, maxSteps, batchSize: o.batchSize });
    const lengthStep = calibrated && o.calibration && o.calibrationScope === 'length' ? await calibrate() : undefined;
    // the paper's rule keeps every example's correctness at every step: the step curve reads it too
    const paperRule = paperRuleOf || byStep ? new LengthConfidence(maxSteps, { positions: o.positions === true }) : null;
    // the case of every example added to paperRule, in add order: its answers come after the last batch
    const paperLabels: string[] = [];
    for (let b = 0; b < batches; b++) {
      if (o.signal?.aborted) throw new EvaluationCancelled();
      const size = Math.min(o.batchSize, o.examples - b * o.batchSize);
      const batch = makeEvalBatch(task, rng, lengths, size, { horizon: maxSteps });
      const logits = await session.run(batch.tokens, batch.batch, batch.width, maxSteps);
      const truth = { targets: batch.targets, mask: batch.mask, steps: batch.steps };
      const outcomes = scoreRules(logits, truth, batchRules, { maxSteps });
      for (const oc of outcomes) {
        report.add(n, oc.rule, oc.correct, oc.steps, batch.steps);
        // the oracle's failure first; else one under another rule (a model right at T(n) but stopped elsewhere)
        const had = failures?.get(n);
        if (failures && (!had || (oc.rule.kind === 'oracle' && had.rule !== describeRule(ORACLE)))) {
          const f = firstFailure(task, batch, oc, describeRule(oc.rule));
          if (f) failures.set(n, f);
        }
      }
      paperRule?.add(logits, truth);
      // the read-out at T(n), computed once for the case split and the position tally
      let atTPredictions: ReturnType<typeof predictionsAtSteps> | undefined;
      const predictedAtT = () => (atTPredictions ??= predictionsAtSteps(logits, batch.steps));
      if (cases && split) {
        // the oracle's own flags when it was scored, else exact match at T(n) (what the oracle reads)
        const atT = outcomes.find((oc) => oc.rule.kind === 'oracle')?.correct ?? exactMatch(predictedAtT(), batch.targets, batch.mask, batch.batch, batch.width);
        const tally = tallyCases(cases.get(n) ?? emptyCaseTally(split, caseRules), split, batch.examples, atT);
        const labels = caseLabels(split, batch.examples);
        const perExample = outcomes.find((oc) => oc.rule === perExampleOf);
        if (perExample) tallyRule(tally, split, 'perExample', labels, perExample.correct);
        if (paperRuleOf) paperLabels.push(...labels);
        cases.set(n, tally);
      }
      // with the step accumulator, the tally at T(n) is its tally at that step (read after the last batch)
      if (positions && !paperRule) {
        const tally = positions.get(n) ?? { examples: 0, correct: [], seen: [] };
        positions.set(n, tallyPositions(tally, predictedAtT(), batch.targets, batch.mask, batch.batch, batch.width));
      }
      if (calibrated && o.calibration) {
        const step = lengthStep ?? (await calibrate());
        const correct = exactMatch(predictionsAt(logits, step), batch.targets, batch.mask, batch.batch, batch.width);
        const st = calibrated.get(n) ?? { examples: 0, correct: 0, stepSum: 0 };
        st.examples += batch.batch;
        st.correct += correct.reduce((a, c) => a + c, 0);
        st.stepSum += step * batch.batch;
        calibrated.set(n, st);
      }
      o.onProgress?.({ done: ++done, total, length: n });
    }
    if (paperRule) {
      const r = paperRule.result();
      if (paperRuleOf) {
        report.add(n, paperRuleOf, r.correct, r.steps, r.oracleSteps);
        const tally = cases?.get(n);
        if (tally && split) tallyRule(tally, split, 'paperRule', paperLabels, r.correct);
      }
      // every example of a length shares its T(n) (evalLengths), so one step's tally holds the oracle's
      if (r.positions) positions?.set(n, copyTally(r.positions[r.oracleSteps[0]! - 1]!));
      if (paperRuleOf && r.positions) paperPositions?.set(n, copyTally(r.positions[r.step - 1]!));
      const stepPositions = r.positions ? { positions: r.positions.map(positionAccuracy) } : {};
      byStep?.set(n, { oracleStep: r.oracleSteps[0]!, paperStep: r.step, accuracy: Array.from(r.accuracy), score: Array.from(r.scores), ...stepPositions });
    }
  }
  const summary = summarize(report, o, rules);
  if (calibrated) {
    for (const row of summary.rows) {
      const st = calibrated.get(row.length);
      if (st) {
        row.calibrated = st.correct / st.examples;
        row.calibratedStep = st.stepSum / st.examples;
      }
    }
  }
  return { report, calibrated, positions, paperPositions, failures, cases, byStep, summary, seconds: (Date.now() - t0) / 1000 };
}

function copyTally(t: PositionTally): PositionTally {
  return { examples: t.examples, correct: [...t.correct], seen: [...t.seen] };
}

/** The per-example rule the summary (and the case split) reports: the first one asked for. */
function perExampleRuleOf(rules: HaltingRule[]): HaltingRule | undefined {
  return rules.find((r) => r.kind === 'example-confidence' || r.kind === 'stable');
}

function summarize(report: LengthReport, o: EvaluateOptions, rules: HaltingRule[]): EvalSummary {
  const perExample = perExampleRuleOf(rules) ?? PER_EXAMPLE;
  const rows: EvalSummaryRow[] = report.table().map((row) => ({
    length: row.length,
    oracleStep: row.oracleStep,
    examples: row.rules[0]?.examples ?? 0,
    oracle: report.accuracy(row.length, ORACLE) ?? NaN,
    perBatch: report.accuracy(row.length, PER_BATCH) ?? NaN,
    perBatchStep: report.meanStep(row.length, PER_BATCH) ?? NaN,
    perExample: report.accuracy(row.length, perExample) ?? NaN,
    perExampleStep: report.meanStep(row.length, perExample) ?? NaN,
  }));
  return { examplesPerLength: o.examples, seed: o.seed ?? 1234, perExampleRule: describeRule(perExample), rows };
}
