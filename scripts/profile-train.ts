// Where a training step's time goes: runs bench:train's workload with ONNX Runtime's profiler on
// and prints, per configuration, the op types (and the single nodes) that take the most time.
// Usage: npm run profile:train [-- --configs a,b] [--steps 5] [--threads 1] [--top 15] [--keep DIR]
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/util/rng';
import { initParams } from '../src/core/model/params';
import { TrainStepRunner } from '../src/core/train/trainStep';
import { arg, loadavg, positiveInt } from './support/benchArgs';
import { BATCH, BENCH_CONFIGS, benchBatch, benchConfig, HORIZON, WIDTH } from './support/trainBenchSetup';

interface ProfileEvent {
  cat: string;
  name: string;
  /** Start and duration in microseconds. */
  ts: number;
  dur: number;
  args?: { op_name?: string };
}

interface Tally {
  us: number;
  calls: number;
}

function add(m: Map<string, Tally>, key: string, us: number): void {
  const t = m.get(key) ?? { us: 0, calls: 0 };
  t.us += us;
  t.calls++;
  m.set(key, t);
}

function table(title: string, m: Map<string, Tally>, steps: number, totalUs: number, top: number): void {
  console.log(`  ${title}`);
  const rows = [...m.entries()].sort((a, b) => b[1].us - a[1].us).slice(0, top);
  for (const [k, t] of rows) {
    const ms = t.us / 1000 / steps;
    console.log(`    ${ms.toFixed(1).padStart(8)} ms/step ${((100 * t.us) / totalUs).toFixed(1).padStart(5)}%  ${String(t.calls / steps).padStart(5)} runs/step  ${k}`);
  }
}

async function profile(key: string, steps: number, threads: number, top: number, dir: string): Promise<void> {
  const config = benchConfig(key);
  const rng = new Rng(0);
  const prefix = join(dir, `train-${key}`);
  const runner = TrainStepRunner.create(config, initParams(config, () => rng.float()), { provider: 'cpu', cpuThreads: threads, profileFilePrefix: prefix });
  await runner.prepare(BATCH, WIDTH, HORIZON);
  await runner.step(benchBatch(rng), 1e-4); // warm-up (profiled too; dropped below by run count)
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await runner.step(benchBatch(rng), 1e-4);
  const wallMs = (performance.now() - t0) / steps;
  await runner.endProfiling();
  await runner.release();
  // the newest: a --keep folder may hold earlier runs' profiles (ONNX Runtime names them <prefix>_<date and time>.json)
  const file = readdirSync(dir)
    .filter((f) => f.startsWith(`train-${key}_`) && f.endsWith('.json'))
    .sort()
    .pop();
  if (!file) throw new Error(`ONNX Runtime wrote no profile under ${dir}`);
  const events = JSON.parse(readFileSync(join(dir, file), 'utf8')) as ProfileEvent[];
  const runs = events.filter((e) => e.cat === 'Session' && e.name === 'model_run');
  const firstTimed = runs.length - steps; // the warm-up run is skipped
  const kernels = events.filter((e) => e.cat === 'Node' && e.name.endsWith('_kernel_time'));
  const timedStart = runs[firstTimed]?.ts ?? 0;
  const timed = kernels.filter((e) => e.ts >= timedStart);
  const byOp = new Map<string, Tally>();
  const byNode = new Map<string, Tally>();
  let total = 0;
  for (const e of timed) {
    const op = e.args?.op_name ?? '?';
    add(byOp, op, e.dur);
    add(byNode, `${op} ${e.name.replace(/_kernel_time$/, '')}`, e.dur);
    total += e.dur;
  }
  const runMs = runs.slice(firstTimed).reduce((s, r) => s + r.dur, 0) / 1000 / steps;
  console.log(`\n${BENCH_CONFIGS[key]!.label}: ${wallMs.toFixed(0)} ms/step wall, ${runMs.toFixed(0)} ms in session.run, ${(total / 1000 / steps).toFixed(0)} ms in kernels, ${timed.length / steps} kernel runs/step`);
  table('by op type', byOp, steps, total, top);
  table('by node', byNode, steps, total, top);
}

async function main(): Promise<void> {
  const keys = arg('configs', 'a,b').split(',');
  const steps = positiveInt('steps', '5');
  const threads = positiveInt('threads', '1');
  const top = positiveInt('top', '15');
  const keep = arg('keep', '');
  const dir = keep || mkdtempSync(join(tmpdir(), 'looplens-profile-'));
  console.log(`ONNX Runtime profile of one training step (bench:train's workload), ${steps} steps after a warm-up, ${threads} thread(s); load average ${loadavg()}`);
  try {
    for (const key of keys) await profile(key, steps, threads, top, dir);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nload average after: ${loadavg()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
