// Evaluation in a child process (bundled to dist/eval-worker.js; no vscode import): loads the model
// file, then for each test length runs random examples under the oracle, the paper's per-batch
// maximum-confidence rule and the per-example rule, streaming one row per length (with its accuracy
// at every loop step, and each answer position's). Protocol:
// evalWorkerProtocol.ts. Each length has its own seeded generator (core/eval/evaluate.ts), so a
// row does not depend on which other lengths were asked for.
import { CALIBRATION_EXAMPLES } from '../../core/eval/calibration';
import { evaluateWith, EvaluationCancelled, ORACLE, PER_BATCH, PER_EXAMPLE, type EvaluateResult, type StepCurve } from '../../core/eval/evaluate';
import { openEvalRunner } from '../../core/infer/evalRunner';
import { loadModel } from '../../core/model/modelFile';
import { readJsonLines } from '../../core/util/jsonLines';
import { workerStdout } from '../../core/util/workerStdout';
import { parseEvalInbound, type EvalWorkerOptions, type EvalWorkerOutbound } from './evalWorkerProtocol';

const { send, exitAfterFlush } = workerStdout<EvalWorkerOutbound>();

/** Each position's accuracy to 4 decimals (0.01%, finer than the panel shows): the panel keeps steps x positions per length, and 17-digit fractions would bloat its saved state. */
function withRoundedPositions(c: StepCurve): StepCurve {
  return c.positions ? { ...c, positions: c.positions.map((row) => row.map((x) => Math.round(x * 1e4) / 1e4)) } : c;
}

function check(o: EvalWorkerOptions): void {
  if (!o || typeof o.modelPath !== 'string') throw new Error('start options need a modelPath');
  if (!Array.isArray(o.lengths) || o.lengths.length === 0 || !o.lengths.every((n) => Number.isInteger(n) && n >= 1)) throw new Error('lengths must be positive whole numbers');
  for (const [k, v] of Object.entries({ examples: o.examples, batchSize: o.batchSize, ...(o.workers === undefined ? {} : { workers: o.workers }) })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive whole number, got ${v}`);
  }
}

async function evaluate(o: EvalWorkerOptions, signal: AbortSignal): Promise<void> {
  check(o);
  const t0 = Date.now();
  const model = await loadModel(o.modelPath);
  const runner = await openEvalRunner(model.config, model.params, { provider: o.provider, cpuThreads: o.cpuThreads, workers: o.workers, log: (message) => send({ type: 'log', message }) });
  let r: EvaluateResult;
  try {
    r = await evaluateWith(model.task, runner, {
      lengths: o.lengths,
      examples: o.examples,
      batchSize: o.batchSize,
      seed: o.seed,
      rules: [ORACLE, PER_BATCH, PER_EXAMPLE],
      // The stepper's stop: one length-calibrated step per length (nearly free, see evaluate.ts).
      calibration: CALIBRATION_EXAMPLES,
      calibrationScope: 'length',
      failures: true,
      // the split by what makes an input hard, for the tasks that define one
      cases: model.task.cases !== undefined,
      // accuracy at every loop step: read from the paper rule's kept correctness, no extra inference;
      // with positions, each answer position's too (where the answer fails, and when each slot forms)
      byStep: true,
      positions: true,
      signal,
      onProgress: (p) => send({ type: 'progress', done: p.done, total: p.total, length: p.length }),
      onLength: (one) => {
        const n = one.summary.rows[0]!.length;
        const failure = one.failures?.get(n);
        const cases = one.cases?.get(n);
        const curve = one.byStep?.get(n);
        const byStep = curve ? withRoundedPositions(curve) : undefined;
        send({ type: 'row', row: one.summary.rows[0]!, ...(failure ? { failure } : {}), ...(cases ? { cases } : {}), ...(byStep ? { byStep } : {}) });
      },
    });
  } finally {
    await runner.release();
  }
  // rows in the order asked (the result's table is sorted by length)
  const rows = o.lengths.map((n) => r.summary.rows.find((row) => row.length === n)!);
  send({ type: 'result', rows, perExampleRule: r.summary.perExampleRule, seconds: (Date.now() - t0) / 1000 });
}

function main(): void {
  const abort = new AbortController();
  let job: Promise<number> | undefined;
  const stopReading = readJsonLines(process.stdin, parseEvalInbound, {
    onBadLine: (err) => send({ type: 'error', message: err.message }),
    onMessage: (m) => {
      if (m.type === 'cancel') {
        abort.abort();
        if (!job) exitAfterFlush(0);
        return;
      }
      if (job) {
        send({ type: 'error', message: 'one evaluation per worker' });
        return;
      }
      job = evaluate(m.options, abort.signal).then(
        () => 0,
        (err: unknown) => {
          if (err instanceof EvaluationCancelled) {
            send({ type: 'cancelled' });
            return 0;
          }
          send({ type: 'error', message: (err as Error).message ?? String(err) });
          return 1;
        },
      );
      void job.then((code) => {
        stopReading();
        exitAfterFlush(code);
      });
    },
    onEnd: () => {
      abort.abort();
      if (!job) exitAfterFlush(0);
    },
  });
  send({ type: 'ready', pid: process.pid });
}

main();
