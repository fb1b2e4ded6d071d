// Evaluation in a child process (bundled to dist/eval-worker.js; no vscode import): loads the model
// file, then for each test length runs random examples under the oracle, the paper's per-batch
// maximum-confidence rule and the per-example rule, streaming one row per length. Protocol:
// evalWorkerProtocol.ts. Each length has its own seeded generator (core/infer/evaluate.ts), so a
// row does not depend on which other lengths were asked for.
import * as readline from 'node:readline';
import { CALIBRATION_EXAMPLES, evaluateWith, EvaluationCancelled, ORACLE, PER_BATCH, PER_EXAMPLE } from '../../core/infer/evaluate';
import { describeRule } from '../../core/infer/halting';
import { LoopedSession } from '../../core/infer/loopedSession';
import { loadModel } from '../../core/model/modelFile';
import type { EvalSummaryRow } from '../../core/model/modelMetadata';
import type { EvalWorkerInbound, EvalWorkerOptions, EvalWorkerOutbound } from './evalWorkerProtocol';

const stdoutWrite = process.stdout.write.bind(process.stdout);
console.log = (...a: unknown[]) => process.stderr.write(`${a.map(String).join(' ')}\n`);
console.info = console.log;

function send(m: EvalWorkerOutbound): void {
  stdoutWrite(`${JSON.stringify(m, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v))}\n`);
}

function check(o: EvalWorkerOptions): void {
  if (!o || typeof o.modelPath !== 'string') throw new Error('start options need a modelPath');
  if (!Array.isArray(o.lengths) || o.lengths.length === 0 || !o.lengths.every((n) => Number.isInteger(n) && n >= 1)) throw new Error('lengths must be positive whole numbers');
  for (const [k, v] of Object.entries({ examples: o.examples, batchSize: o.batchSize })) {
    if (!Number.isInteger(v) || v < 1) throw new Error(`${k} must be a positive whole number, got ${v}`);
  }
}

async function evaluate(o: EvalWorkerOptions, signal: AbortSignal): Promise<void> {
  check(o);
  const t0 = Date.now();
  const model = await loadModel(o.modelPath);
  const session = await LoopedSession.fromParams(model.config, model.params, 'eval', { provider: o.provider, cpuThreads: o.cpuThreads, log: (message) => send({ type: 'log', message }) });
  const perLength = Math.ceil(o.examples / o.batchSize);
  const total = perLength * o.lengths.length;
  const rows: EvalSummaryRow[] = [];
  let perExampleRule = describeRule(PER_EXAMPLE);
  try {
    for (const [i, n] of o.lengths.entries()) {
      const r = await evaluateWith(model.task, session, {
        lengths: [n],
        examples: o.examples,
        batchSize: o.batchSize,
        seed: o.seed,
        rules: [ORACLE, PER_BATCH, PER_EXAMPLE],
        // The stepper's stop: one length-calibrated step per length (nearly free, see evaluate.ts).
        calibration: CALIBRATION_EXAMPLES,
        calibrationScope: 'length',
        signal,
        onProgress: (p) => send({ type: 'progress', done: i * perLength + p.done, total, length: n }),
      });
      perExampleRule = r.summary.perExampleRule;
      const row = r.summary.rows[0]!;
      rows.push(row);
      send({ type: 'row', row });
    }
  } finally {
    await session.release();
  }
  send({ type: 'result', rows, perExampleRule, seconds: (Date.now() - t0) / 1000 });
}

function main(): void {
  const abort = new AbortController();
  let job: Promise<number> | undefined;
  const exit = (code: number) => stdoutWrite('', () => process.exit(code));
  const rl = readline.createInterface({ input: process.stdin });
  rl.on('line', (line) => {
    if (line.trim() === '') return;
    let m: EvalWorkerInbound;
    try {
      m = JSON.parse(line) as EvalWorkerInbound;
    } catch {
      send({ type: 'error', message: `not a JSON line: ${line.slice(0, 80)}` });
      return;
    }
    if (m.type === 'cancel') {
      abort.abort();
      if (!job) exit(0);
      return;
    }
    if (m.type !== 'start' || job) {
      send({ type: 'error', message: job ? 'one evaluation per worker' : `unknown message type ${JSON.stringify((m as { type?: unknown }).type)}` });
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
      rl.close();
      exit(code);
    });
  });
  rl.on('close', () => {
    abort.abort();
    if (!job) exit(0);
  });
  send({ type: 'ready', pid: process.pid });
}

main();
