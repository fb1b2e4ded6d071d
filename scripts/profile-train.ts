// Where a training step's time goes: runs bench:train's workload, or a preset's own step at one
// step of its run (--task), with ONNX Runtime's profiler on and prints, per workload, the op types
// (and the single nodes) that take the most time.
// Usage: npm run profile:train [-- --configs a,b] [--steps 5] [--threads 1] [--top 15] [--keep DIR]
//        npm run profile:train -- --task addition [--preset cpu] --at 27500   (the batch step 27500 trains on)
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Rng } from '../src/core/util/rng';
import { initParams } from '../src/core/model/params';
import { TrainStepRunner } from '../src/core/train/trainStep';
import type { LoopedConfig } from '../src/core/model/config';
import type { Batch } from '../src/core/tasks/batches';
import { getTask, isTaskName, taskNames } from '../src/core/tasks';
import { isPresetName, presetNames } from '../src/core/train/presets';
import { makeRecipe } from '../src/core/train/recipePlan';
import { recipeSummaryText } from '../src/core/train/recipeSummary';
import { batchKindAt, kindShape, makeRecipeBatch } from '../src/core/train/recipeBatch';
import { arg, loadavg, nonNegativeInt, positiveInt } from './support/benchArgs';
import { BATCH, BENCH_CONFIGS, benchBatch, benchConfig, HORIZON, WIDTH } from './support/trainBenchSetup';

/** What one profiled step trains: a network and a source of batches of one shape. */
interface Workload {
  key: string;
  label: string;
  config: LoopedConfig;
  batchSize: number;
  width: number;
  horizon: number;
  batch: (rng: Rng) => Batch;
}

function benchWorkload(key: string): Workload {
  return { key, label: BENCH_CONFIGS[key]!.label, config: benchConfig(key), batchSize: BATCH, width: WIDTH, horizon: HORIZON, batch: benchBatch };
}

/** The batches a preset's run trains on at 0-based step `at` (its curriculum or stage there). */
function presetWorkload(taskName: string, preset: string, at: number): Workload {
  if (!isTaskName(taskName)) throw new Error(`unknown task "${taskName}"; valid tasks: ${taskNames.join(', ')}`);
  if (!isPresetName(preset)) throw new Error(`unknown preset "${preset}"; valid presets: ${presetNames.join(', ')}`);
  const task = getTask(taskName);
  const recipe = makeRecipe(task, preset);
  if (at >= recipe.steps) throw new Error(`--at ${at}: the ${preset} preset of ${taskName} has ${recipe.steps} steps (0..${recipe.steps - 1})`);
  const kind = batchKindAt(recipe, at);
  const { width, horizon } = kindShape(recipe, kind);
  const share = kind.longShare > 0 ? `, ${kind.longShare} of each batch at ${kind.nPoints - 1}` : '';
  return {
    key: `${taskName}-${at}`,
    label: `${recipeSummaryText(recipe)}\n  its step ${at}: lengths 1..${kind.nPoints - 1}${share}, width ${width}, horizon ${horizon}`,
    config: recipe.model,
    batchSize: recipe.batchSize,
    width,
    horizon,
    batch: (rng) => makeRecipeBatch(task, recipe, rng, kind),
  };
}

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

async function profile(w: Workload, steps: number, threads: number, top: number, dir: string): Promise<void> {
  const { key, config } = w;
  const rng = new Rng(0);
  const prefix = join(dir, `train-${key}`);
  const runner = TrainStepRunner.create(config, initParams(config, () => rng.float()), { provider: 'cpu', cpuThreads: threads, profileFilePrefix: prefix });
  await runner.prepare(w.batchSize, w.width, w.horizon);
  await runner.step(w.batch(rng), 1e-4); // warm-up (profiled too; dropped below by run count)
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) await runner.step(w.batch(rng), 1e-4);
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
  console.log(`\n${w.label}\n  ${wallMs.toFixed(0)} ms/step wall, ${runMs.toFixed(0)} ms in session.run, ${(total / 1000 / steps).toFixed(0)} ms in kernels, ${timed.length / steps} kernel runs/step`);
  table('by op type', byOp, steps, total, top);
  table('by node', byNode, steps, total, top);
}

async function main(): Promise<void> {
  const taskName = arg('task', '');
  const workloads = taskName ? [presetWorkload(taskName, arg('preset', 'cpu'), nonNegativeInt('at', '0'))] : arg('configs', 'a,b').split(',').map(benchWorkload);
  const steps = positiveInt('steps', '5');
  const threads = positiveInt('threads', '1');
  const top = positiveInt('top', '15');
  const keep = arg('keep', '');
  const dir = keep || mkdtempSync(join(tmpdir(), 'looplens-profile-'));
  console.log(`ONNX Runtime profile of one training step (${taskName ? `${taskName}'s preset` : "bench:train's workload"}), ${steps} steps after a warm-up, ${threads} thread(s); load average ${loadavg()}`);
  try {
    for (const w of workloads) await profile(w, steps, threads, top, dir);
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
  console.log(`\nload average after: ${loadavg()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
