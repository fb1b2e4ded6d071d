// An evaluation on the CPU's cores, three ways, on a shipped model's lengths: one session on one
// thread, one session on --threads threads, and --threads one-thread worker sessions sharing the
// batches (what `looplens eval`, the Evaluation panel and check:models run by default). Each runs the
// same inputs in the same batches; prints wall and CPU seconds, the ratio to one thread, and whether
// every number equals one thread's, and what the estimate made before the run said it would take: as
// the Evaluation panel makes it, timed on one session (on --threads threads for the workers, whose
// batches it times one at a time), without the panel's 2 s for its worker's start-up, which this
// process has paid before it times anything. Needs the bundled worker: `npm run build` first.
// Usage: npm run bench:eval [-- --model models/addition.onnx] [--lengths 19,30,38] [--examples 256]
//        [--batch 64] [--threads 2]
import * as path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { evaluateParams, ORACLE, PER_BATCH, type EvaluateOptions } from '../src/core/eval/evaluate';
import { evaluationRunsAtOnce, fittingBatchSize } from '../src/core/eval/evalLimits';
import { estimateSeconds, evaluationPlan, measureCost } from '../src/core/eval/estimate';
import { LoopedSession } from '../src/core/infer/loopedSession';
import { loadModel } from '../src/core/model/modelFile';
import { arg, loadavg, positiveInt } from './support/benchArgs';

const signedPercent = (x: number) => `${x >= 0 ? '+' : ''}${(100 * x).toFixed(0)}%`;

async function main(): Promise<void> {
  const model = await loadModel(path.resolve(arg('model', 'models/addition.onnx')));
  const lengths = arg('lengths', '19,30,38').split(',').map(Number);
  const examples = positiveInt('examples', '256');
  const threads = positiveInt('threads', '2');
  // one batch size for all three, fitting the memory budget with the workers' batches in flight
  const batchSize = fittingBatchSize(model.task, model.config, { lengths, examples, batchSize: positiveInt('batch', '64'), runsAtOnce: evaluationRunsAtOnce(threads) });
  console.log(`${model.source}: lengths ${lengths.join(', ')}, ${examples} examples in batches of ${batchSize}, oracle and the paper's rule; load average ${loadavg()}`);
  const o: EvaluateOptions = { lengths, examples, batchSize, seed: 1234, rules: [ORACLE, PER_BATCH], provider: 'cpu' };
  const ways: [string, Partial<EvaluateOptions>][] = [
    ['one session, 1 thread', { cpuThreads: 1 }],
    [`one session, ${threads} threads`, { cpuThreads: threads }],
    [`${threads} one-thread workers`, { cpuThreads: 1, workers: threads }],
  ];
  let first: { wall: number; summary: unknown } | undefined;
  const plan = evaluationPlan(model.task, { lengths, examples, batchSize, dModel: model.config.d });
  for (const [label, way] of ways) {
    const timer = await LoopedSession.fromParams(model.config, model.params, 'eval', { provider: 'cpu', cpuThreads: way.workers ? threads : way.cpuThreads });
    const estimate = estimateSeconds(plan, await measureCost(model.task, timer, { lengths, examples: batchSize, batchSize, dModel: model.config.d }), 0);
    await timer.release();
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const r = await evaluateParams(model.task, model.config, model.params, { ...o, ...way });
    const wall = (performance.now() - t0) / 1000;
    const c = process.cpuUsage(c0);
    first ??= { wall, summary: r.summary };
    const same = isDeepStrictEqual(r.summary, first.summary) ? 'the same numbers' : 'DIFFERENT numbers';
    console.log(`${label.padEnd(26)} ${wall.toFixed(1).padStart(7)} s wall  ${((c.user + c.system) / 1e6).toFixed(1).padStart(7)} s CPU  ${(first.wall / wall).toFixed(2)}x  ${same}  estimated ${estimate.toFixed(1)} s (${signedPercent(estimate / wall - 1)})`);
  }
  console.log(`load average after: ${loadavg()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
