// Length-generalization evaluation: for each test length, random examples in batches of one length
// (as the paper evaluates), the read-out of every loop step up to T(n) + extra, and exact-match
// accuracy under the oracle rule, the paper's per-batch maximum-confidence rule and per-example rules.
import { evaluateRules } from '../eval/evaluateBatch';
import { LengthReport } from '../eval/lengthReport';
import type { EvalSummary, EvalSummaryRow } from '../model/modelMetadata';
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import type { Task } from '../tasks/types';
import { makeEvalBatch } from '../train/batches';
import { Rng } from '../util/rng';
import { describeRule, type HaltingRule } from './halting';
import { LoopedSession, type SessionSettings } from './loopedSession';

export const ORACLE: HaltingRule = { kind: 'oracle' };
export const PER_BATCH: HaltingRule = { kind: 'batch-confidence' };
/** The paper's per-example variant: each example stops at its own lowest mean -log(max prob). */
export const PER_EXAMPLE: HaltingRule = { kind: 'example-confidence', score: 'mean' };
/** Per-example variants measured next to the paper's (see issue 5). */
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
  /** Examples per batch; the per-batch rule picks one step per batch. */
  batchSize: number;
  seed?: number;
  /** Rules to score; default oracle, per-batch, per-example (paper score). */
  rules?: HaltingRule[];
  /** Loop steps past T(n) the adaptive rules may use (default: the task's, 20 or 30). */
  extraSteps?: number;
  signal?: AbortSignal;
  onProgress?: (p: { done: number; total: number; length: number }) => void;
}

export interface EvaluateResult {
  report: LengthReport;
  summary: EvalSummary;
  seconds: number;
}

/** Lengths of an evaluation example at main length n. */
export function evalLengths(task: Task, n: number): number[] {
  return task.lengthNames.length === 2 ? [2, n] : [n];
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
  if (o.lengths.length === 0) throw new Error('evaluation needs at least one test length');
  if (!Number.isInteger(o.examples) || o.examples < 1) throw new Error(`examples must be a positive integer, got ${o.examples}`);
  if (!Number.isInteger(o.batchSize) || o.batchSize < 1) throw new Error(`batch size must be a positive integer, got ${o.batchSize}`);
  const report = new LengthReport();
  const batches = Math.ceil(o.examples / o.batchSize);
  const total = batches * o.lengths.length;
  let done = 0;
  for (const n of o.lengths) {
    // One generator per length: a length's examples do not depend on which other lengths are asked for.
    const rng = new Rng(((o.seed ?? 1234) * 1000003 + n) >>> 0);
    const lengths = evalLengths(task, n);
    const maxSteps = task.steps(lengths) + (o.extraSteps ?? task.adaptiveExtraSteps);
    for (let b = 0; b < batches; b++) {
      if (o.signal?.aborted) throw new EvaluationCancelled();
      const size = Math.min(o.batchSize, o.examples - b * o.batchSize);
      const batch = makeEvalBatch(task, rng, lengths, size, { horizon: maxSteps });
      const logits = await session.run(batch.tokens, batch.batch, batch.width, maxSteps);
      const outcomes = evaluateRules(logits, { targets: batch.targets, mask: batch.mask, steps: batch.steps }, rules, { maxSteps });
      for (const oc of outcomes) report.add(n, oc.rule, oc.correct, oc.steps, batch.steps);
      o.onProgress?.({ done: ++done, total, length: n });
    }
  }
  return { report, summary: summarize(report, o, rules), seconds: (Date.now() - t0) / 1000 };
}

function summarize(report: LengthReport, o: EvaluateOptions, rules: HaltingRule[]): EvalSummary {
  const perExample = rules.find((r) => r.kind === 'example-confidence' || r.kind === 'stable') ?? PER_EXAMPLE;
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
