// Length-generalization evaluation: for each test length, random examples in batches of one length
// (as the paper evaluates), the read-out of every loop step up to T(n) + extra, and exact-match
// accuracy under the oracle rule, the paper's maximum-confidence rule (one step for the whole test
// set of a length, as its released code scores it) and per-example rules. The batches run as many at
// a time as the runner makes (one session, or a pool of one-thread workers) and are added in order.
import { LengthReport } from './lengthReport';
import type { EvalSummary, EvalSummaryRow } from '../model/modelMetadata';
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import type { Task } from '../tasks/types';
import type { Batch } from '../tasks/batches';
import { describeRule, type HaltingRule } from '../infer/halting';
import type { PositionTally } from './metrics';
import type { LoopRunner } from '../infer/loopRunner';
import type { LoopedRun } from '../infer/loopedSession';
import { openEvalRunner, type EvalRunnerSettings } from '../infer/evalRunner';
import { checkEvaluationBudget, evaluationRunsAtOnce, workersWithinBudget } from './evalLimits';
import type { FailureExample } from './failures';
import type { CaseCount } from './caseTally';
import { ORACLE, PER_BATCH, PER_EXAMPLE, perExampleRuleOf, splitRules } from './evalRules';
import { LengthEvaluation, type LengthOutcome } from './lengthEvaluation';
import { inOrder } from '../util/inOrder';

export { ORACLE, PER_BATCH, PER_EXAMPLE, PER_EXAMPLE_VARIANTS } from './evalRules';
export { calibrationInputsRng, evalInputsRng } from './evalInputs';

export interface EvaluateOptions extends EvalRunnerSettings {
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
  /** Also name, per length, what the model wrote at each answer position it got wrong at T(n) (EvaluateResult.errors, wrongAnswers.ts) and the edit that explains each wrong example (EvaluateResult.wrongExamples). */
  errors?: boolean;
  /** Also keep the first example each length gets wrong, under the oracle if any (EvaluateResult.failures), to open in the stepper. */
  failures?: boolean;
  /** Also keep, per length, the accuracy and the paper's confidence score at every loop step (EvaluateResult.byStep). */
  byStep?: boolean;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; length: number }) => void;
  /** Each length's result as soon as its last batch is in (lengths finish in the order given). */
  onLength?: (r: EvaluateResult) => void;
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
  /** Per length, when EvaluateOptions.errors was set: the wrong answer positions at T(n) by what was written there ([text, count], most first). */
  errors?: Map<number, [string, number][]>;
  /** Per length, when EvaluateOptions.errors was set: the wrong examples at T(n) by the one edit that makes each right, where one does ([text, count], most first; wrongExamples.ts). */
  wrongExamples?: Map<number, [string, number][]>;
  /** Per length, when EvaluateOptions.failures was set: the first example wrong under the oracle, else under another per-batch rule (absent: none was). */
  failures?: Map<number, FailureExample>;
  /** Per length, when EvaluateOptions.byStep was set. */
  byStep?: Map<number, StepCurve>;
  /** Per length, when EvaluateOptions.cases was set and the task has cases: right answers per case label, in the labels' order (oracle; paperRule and perExample when scored). */
  cases?: Map<number, CaseCount[]>;
  summary: EvalSummary;
  seconds: number;
}

export class EvaluationCancelled extends Error {
  constructor() {
    super('evaluation cancelled');
    this.name = 'EvaluationCancelled';
  }
}

/** Evaluates parameters: one session of the lean eval graph, or with `workers` on the CPU, one-thread sessions sharing the batches (the same numbers). */
export async function evaluateParams(task: Task, config: LoopedConfig, params: Params, o: EvaluateOptions): Promise<EvaluateResult> {
  // fewer workers where all their batches in flight would not fit the memory budget (the numbers are the same)
  const workers = o.workers === undefined ? undefined : workersWithinBudget(task, config, o, o.workers);
  const runner = await openEvalRunner(config, params, { ...o, workers });
  try {
    return await evaluateWith(task, runner, o);
  } finally {
    await runner.release();
  }
}

/** What one job of an evaluation hands back: a length's calibrated step, or a batch and its read-out. */
type Ran = { length: LengthEvaluation; step: number } | { length: LengthEvaluation; batch: Batch; logits: LoopedRun; last: boolean };

/**
 * Evaluates with `runner`: the lengths' batches (and calibrations) run as many at a time as the
 * runner makes, the lengths in the order given, and are added in order, so the numbers do not
 * depend on how many run at once.
 */
export async function evaluateWith(task: Task, runner: LoopRunner, o: EvaluateOptions): Promise<EvaluateResult> {
  const t0 = Date.now();
  const rules = o.rules ?? [ORACLE, PER_BATCH, PER_EXAMPLE];
  if (o.lengths.length === 0) throw new Error('evaluation needs at least one test length');
  if (!Number.isInteger(o.examples) || o.examples < 1) throw new Error(`examples must be a positive integer, got ${o.examples}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${o.batchSize}`);
  const runsAtOnce = evaluationRunsAtOnce(runner.parallelism ?? 1);
  checkEvaluationBudget(task, runner.config, { ...o, runsAtOnce }); // lengths, widths, steps and memory, before the first batch
  const split = splitRules(rules);
  // a length asked for twice is measured once: its inputs would be the same
  const lengths = [...new Set(o.lengths)].map((n) => new LengthEvaluation(task, runner, n, o, split));
  const checkCancel = () => {
    if (o.signal?.aborted) throw new EvaluationCancelled();
  };
  function* jobs(): Generator<() => Promise<Ran>> {
    for (const length of lengths) {
      if (length.calibratesOnce) yield () => length.calibrate().then((step) => ({ length, step }));
      for (let b = 0; b < length.batches; b++) {
        yield () => {
          checkCancel();
          const batch = length.nextBatch();
          return runner.run(batch.tokens, batch.batch, batch.width, length.maxSteps).then((logits) => ({ length, batch, logits, last: b === length.batches - 1 }));
        };
      }
    }
  }
  const outcomes: LengthOutcome[] = [];
  const total = lengths.reduce((a, l) => a + l.batches, 0);
  const hasCases = o.cases === true && task.cases !== undefined;
  let done = 0;
  for await (const ran of inOrder(jobs(), runsAtOnce)) {
    checkCancel();
    if ('step' in ran) {
      ran.length.setLengthStep(ran.step);
      continue;
    }
    await ran.length.add(ran.batch, ran.logits);
    o.onProgress?.({ done: ++done, total, length: ran.length.n });
    if (!ran.last) continue;
    const outcome = ran.length.finish();
    outcomes.push(outcome);
    o.onLength?.(resultOf([outcome], o, rules, hasCases, t0));
  }
  return resultOf(outcomes, o, rules, hasCases, t0);
}

/** The lengths' outcomes as one result, with a map for each part the options asked for. */
function resultOf(outcomes: LengthOutcome[], o: EvaluateOptions, rules: HaltingRule[], hasCases: boolean, t0: number): EvaluateResult {
  const mapOf = <V>(asked: boolean, pick: (out: LengthOutcome) => V | undefined): Map<number, V> | undefined => {
    if (!asked) return undefined;
    const m = new Map<number, V>();
    for (const out of outcomes) {
      const v = pick(out);
      if (v !== undefined) m.set(out.n, v);
    }
    return m;
  };
  const report = new LengthReport();
  for (const out of outcomes) report.absorb(out.report);
  const calibrated = mapOf(Boolean(o.calibration), (out) => out.calibrated);
  const summary = summarize(report, o, rules);
  for (const row of summary.rows) {
    const st = calibrated?.get(row.length);
    if (st) {
      row.calibrated = st.correct / st.examples;
      row.calibratedStep = st.stepSum / st.examples;
    }
  }
  return {
    report,
    calibrated,
    positions: mapOf(o.positions === true, (out) => out.positions),
    paperPositions: mapOf(o.positions === true && rules.some((r) => r.kind === 'batch-confidence'), (out) => out.paperPositions),
    failures: mapOf(o.failures === true, (out) => out.failure),
    errors: mapOf(o.errors === true, (out) => out.errors?.rows()),
    wrongExamples: mapOf(o.errors === true, (out) => out.wrongExamples?.rows()),
    cases: mapOf(hasCases, (out) => out.cases),
    byStep: mapOf(o.byStep === true, (out) => out.byStep),
    summary,
    seconds: (Date.now() - t0) / 1000,
  };
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
