// Evaluation on several cores: worker threads (evalShareWorker.ts) on one thread each take a test
// length's batches and calibration as they come free, longest lengths first, and each length's
// accuracy under the oracle, the paper's rule and the length-calibrated rule (one calibration per
// length) is its batches' scores added in batch order: the numbers evaluateParams gives with
// rules [ORACLE, PER_BATCH] and calibrationScope 'length'.
import { Worker } from 'node:worker_threads';
import type { LoopedConfig } from '../model/config';
import type { Params } from '../model/params';
import { isTaskName } from '../tasks';
import type { Task } from '../tasks/types';
import { WorkerRequests } from '../util/workerRequests';
import { checkEvaluationBudget, evalLengths } from './evalLimits';
import { batchCount, type EvalShareReply, type EvalShareRequest, type LengthPlan } from './evalShares';
import { LengthConfidence, type ScoredBatch } from './lengthConfidence';

export interface PooledEvalOptions {
  lengths: number[];
  /** Examples per length. */
  examples: number;
  batchSize: number;
  seed: number;
  /** Random inputs of the length-calibrated rule's one calibration per length (0: not scored). */
  calibration: number;
  onProgress?: (p: { done: number; total: number }) => void;
}

export interface PooledRow {
  length: number;
  oracleStep: number;
  examples: number;
  oracle: number;
  /** The paper's rule: accuracy at the one step it picks for the length, and that step. */
  paper: number;
  paperStep: number;
  /** The length-calibrated rule (NaN when not scored). */
  calibrated: number;
  calibratedStep: number;
}

type Job = { plan: LengthPlan; index: number } | { plan: LengthPlan; calibrate: number };

export class EvalPool {
  private constructor(
    private readonly requests: WorkerRequests<EvalShareReply>,
    private readonly task: Task,
    private readonly config: LoopedConfig,
  ) {}

  /** `workers` threads from the bundled `script` (dist/eval-share-worker.js), each holding the model. */
  static start(script: string, task: Task, config: LoopedConfig, params: Params, workers: number): EvalPool {
    if (!Number.isInteger(workers) || workers < 1) throw new Error(`evaluation needs a positive whole number of workers, got ${workers}`);
    if (task.raspl !== undefined || !isTaskName(task.name)) throw new Error(`pooled evaluation runs the built-in tasks; ${task.name} is not one`);
    const ws = Array.from({ length: workers }, () => new Worker(script));
    for (const w of ws) w.postMessage({ type: 'init', task: task.name, config, params } satisfies EvalShareRequest);
    return new EvalPool(new WorkerRequests(ws, 'eval worker'), task, config);
  }

  /** One row per length, shortest first. */
  async measure(o: PooledEvalOptions): Promise<PooledRow[]> {
    checkEvaluationBudget(this.task, this.config, o);
    const plans = o.lengths.map((n): LengthPlan => ({ n, examples: o.examples, batchSize: o.batchSize, seed: o.seed, maxSteps: this.task.maxSteps(evalLengths(this.task, n)) }));
    // the longest lengths first, so that no long batch starts last while the other workers idle
    const jobs: Job[] = [...plans]
      .sort((a, b) => b.maxSteps - a.maxSteps || b.n - a.n)
      .flatMap((plan) => [...(o.calibration > 0 ? [{ plan, calibrate: o.calibration }] : []), ...Array.from({ length: batchCount(plan) }, (_, index) => ({ plan, index }))]);
    const scored = new Map<number, ScoredBatch[]>(plans.map((p) => [p.n, []]));
    const calibrated = new Map<number, number>();
    let next = 0;
    let done = 0;
    let failed = false;
    const work = async (w: Worker) => {
      while (next < jobs.length && !failed) {
        const job = jobs[next++]!;
        try {
          if ('calibrate' in job) {
            const r = await this.requests.ask(w, (id) => ({ type: 'calibrate', id, plan: job.plan, examples: job.calibrate }) satisfies EvalShareRequest);
            if (!('step' in r)) throw new Error(`eval worker: a calibration of length ${job.plan.n} was answered without a step`);
            calibrated.set(job.plan.n, r.step);
          } else {
            const r = await this.requests.ask(w, (id) => ({ type: 'batch', id, plan: job.plan, index: job.index }) satisfies EvalShareRequest);
            if (!('scored' in r)) throw new Error(`eval worker: batch ${job.index} of length ${job.plan.n} was answered without its scores`);
            scored.get(job.plan.n)![job.index] = r.scored;
          }
        } catch (e) {
          failed = true;
          throw e;
        }
        o.onProgress?.({ done: ++done, total: jobs.length });
      }
    };
    await Promise.all(this.requests.workers.map(work));
    return plans.map((plan) => rowOf(plan, scored.get(plan.n)!, calibrated.get(plan.n))).sort((a, b) => a.length - b.length);
  }

  release(): Promise<void> {
    return this.requests.release();
  }
}

function rowOf(plan: LengthPlan, batches: ScoredBatch[], calibratedStep: number | undefined): PooledRow {
  const rule = new LengthConfidence(plan.maxSteps);
  for (const b of batches) rule.addScored(b);
  const r = rule.result();
  // every example of a length shares its T(n) (evalLengths)
  const oracleStep = r.oracleSteps[0]!;
  return {
    length: plan.n,
    oracleStep,
    examples: r.oracleSteps.length,
    oracle: r.accuracy[oracleStep - 1]!,
    paper: r.accuracy[r.step - 1]!,
    paperStep: r.step,
    calibrated: calibratedStep === undefined ? NaN : r.accuracy[calibratedStep - 1]!,
    calibratedStep: calibratedStep ?? NaN,
  };
}
