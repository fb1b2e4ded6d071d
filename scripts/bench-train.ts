// Benchmark of one LoopLens training step (parity, batch 64 of lengths 1-20, row width 21, each
// example read at T(n) = n, horizon 22) against the same step in PyTorch, in the same run:
//   engine-for-engine: PyTorch given LoopLens's exact work saving (examples stop at T(n)), so both do
//                      the same arithmetic and only the engines differ;
//   total:             PyTorch as the paper's code trains (every example runs all 22 iterations).
// Each ratio compares the best wall time over the thread counts tried on each side. Each
// measurement runs in its own process so its peak RSS is its own. PyTorch's OpenMP threads are
// told to yield (OMP_WAIT_POLICY=PASSIVE), as LoopLens's training threads do, so that neither side
// spins on a shared machine. PyTorch comes from $LOOPLENS_PYTHON, else `python3` on PATH.
// Usage: npm run bench:train [-- --steps N] [--configs a,b] [--ep auto|cpu|cuda] [--threads 1,2] [--no-torch]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Rng } from '../src/core/util/rng';
import { initParams } from '../src/core/model/params';
import { TrainStepRunner } from '../src/core/train/trainStep';
import { parseExecutionProvider } from '../src/core/infer/executionProvider';
import { arg, loadavg, median, positiveInt } from './support/benchArgs';
import { BATCH, BENCH_CONFIGS, benchBatch, benchConfig, HORIZON, MAX_LEN, WIDTH } from './support/trainBenchSetup';

interface Measured {
  ms: number[];
  /** CPU time per step (all threads): less sensitive to other processes than wall time. */
  cpuMs: number[];
  peakRssMB?: number;
  compileMs?: number;
  provider?: string;
}

const PYTHON = process.env.LOOPLENS_PYTHON || 'python3';

/** Child process: time LoopLens steps for one configuration and thread count. */
async function child(key: string, threads: number, steps: number, ep: string): Promise<void> {
  const config = benchConfig(key);
  const rng = new Rng(0);
  const runner = TrainStepRunner.create(config, initParams(config, () => rng.float()), { provider: parseExecutionProvider(ep), cpuThreads: threads });
  let t = performance.now();
  await runner.prepare(BATCH, WIDTH, HORIZON);
  const compileMs = performance.now() - t;
  await runner.step(benchBatch(rng), 1e-4); // warm-up: first run allocates
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const b = benchBatch(rng);
    const c0 = process.cpuUsage();
    t = performance.now();
    await runner.step(b, 1e-4);
    ms.push(performance.now() - t);
    const c = process.cpuUsage(c0);
    cpuMs.push((c.user + c.system) / 1000);
  }
  const peakRssMB = process.resourceUsage().maxRSS / 1024;
  console.log(JSON.stringify({ ms, cpuMs, peakRssMB, compileMs, provider: runner.provider }));
  await runner.release();
}

function runJson(cmd: string, args: string[], env: NodeJS.ProcessEnv = process.env): Measured | string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24, env });
  const line = r.stdout?.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return (r.stderr || r.stdout || r.error?.message || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
  return JSON.parse(line) as Measured;
}

function torchMissing(): string | undefined {
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.status === 0) return undefined;
  return `no PyTorch in ${PYTHON} (install python3-torch and libopenblas0-pthread, or point LOOPLENS_PYTHON at a Python that has torch, e.g. LOOPLENS_PYTHON=/usr/bin/python3)`;
}

const fmt = (xs: number[]): string => xs.map((x) => x.toFixed(0)).join(', ');

/** The best (lowest) median wall and CPU time over thread counts, with the thread count of the wall time. */
class Best {
  wall = Infinity;
  cpu = Infinity;
  threads = 0;
  add(m: Measured, threads: number): void {
    if (median(m.ms) < this.wall) [this.wall, this.threads] = [median(m.ms), threads];
    this.cpu = Math.min(this.cpu, median(m.cpuMs));
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    await child(arg('child', 'b'), Number(arg('threads', '2')), Number(arg('steps', '10')), arg('ep', 'auto'));
    return;
  }
  const steps = positiveInt('steps', '10');
  const keys = arg('configs', 'a,b').split(',');
  const threadList = arg('threads', '1,2').split(',').map(Number);
  const ep = arg('ep', 'auto');
  const noTorch = process.argv.includes('--no-torch') ? 'disabled by --no-torch' : torchMissing();
  const self = join(__dirname, 'bench-train.ts');
  const script = join(__dirname, '..', 'test', 'reference', 'bench_step.py');
  const torchEnv = { ...process.env, OMP_WAIT_POLICY: 'PASSIVE' };
  console.log(`LoopLens training-step benchmark: parity, batch ${BATCH}, lengths 1-${MAX_LEN}, width ${WIDTH}, T(n)=n, horizon ${HORIZON}; median of ${steps} timed steps after a warm-up step`);
  console.log(`load average before: ${loadavg()} (other processes on this machine slow every figure; the ratios come from this one run)`);
  const totals: string[] = [];
  for (const key of keys) {
    const c = BENCH_CONFIGS[key];
    if (!c) throw new Error(`unknown config "${key}" (a or b)`);
    console.log(`\n${c.label}`);
    const ours = new Best();
    const same = new Best();
    const paper = new Best();
    let usedCuda = false;
    let peak = 0;
    for (const th of threadList) {
      const m = runJson(process.execPath, ['--import', 'tsx', self, '--child', key, '--threads', String(th), '--steps', String(steps), '--ep', ep]);
      if (typeof m === 'string') {
        console.log(`  LoopLens ${th} thread(s): failed: ${m}`);
        continue;
      }
      ours.add(m, th);
      peak = Math.max(peak, m.peakRssMB ?? 0);
      usedCuda ||= m.provider === 'cuda';
      console.log(`  LoopLens (${m.provider}) ${th} thread(s): ${median(m.ms).toFixed(0)} ms/step median [${fmt(m.ms)}], cpu ${median(m.cpuMs).toFixed(0)} ms/step, peak RSS ${m.peakRssMB!.toFixed(0)} MB, compile ${(m.compileMs! / 1000).toFixed(1)} s`);
      if (noTorch) continue;
      // With CUDA, PyTorch runs on the GPU too (and fails visibly when its build has no CUDA).
      const torchArgs = [script, '--d', String(c.d), '--heads', String(c.heads), '--layers', String(c.layers), '--threads', String(th), '--steps', String(steps), ...(usedCuda ? ['--device', 'cuda'] : [])];
      const pre = runJson(PYTHON, [...torchArgs, '--mode', 'prefix'], torchEnv);
      if (typeof pre === 'string') console.log(`  PyTorch with LoopLens's work saving, ${th} thread(s): failed: ${pre}`);
      else {
        same.add(pre, th);
        console.log(`  PyTorch with LoopLens's work saving (examples stop at T(n)), ${th} thread(s): ${median(pre.ms).toFixed(0)} ms/step median [${fmt(pre.ms)}], cpu ${median(pre.cpuMs).toFixed(0)} ms/step`);
      }
    }
    if (noTorch) {
      console.log(`  PyTorch: skipped (${noTorch})`);
      console.log(`  LoopLens best: ${ours.wall.toFixed(0)} ms/step (${ours.threads} thread(s)), peak RSS ${peak.toFixed(0)} MB`);
      continue;
    }
    for (const th of threadList) {
      const m = runJson(PYTHON, [script, '--d', String(c.d), '--heads', String(c.heads), '--layers', String(c.layers), '--threads', String(th), '--steps', String(steps), ...(usedCuda ? ['--device', 'cuda'] : [])], torchEnv);
      if (typeof m === 'string') {
        console.log(`  PyTorch (paper's step) ${th} thread(s): failed: ${m}`);
        continue;
      }
      paper.add(m, th);
      console.log(`  PyTorch${usedCuda ? ' (cuda)' : ''} (paper's step: all examples x all ${HORIZON} iterations) ${th} thread(s): ${median(m.ms).toFixed(0)} ms/step median [${fmt(m.ms)}], cpu ${median(m.cpuMs).toFixed(0)} ms/step`);
    }
    // a side whose every run failed has no time: no ratio
    const times = (a: number, b: number): string => (Number.isFinite(a) && Number.isFinite(b) ? `${(a / b).toFixed(2)}x` : 'n/a');
    const ratio = (theirs: Best): string => times(theirs.wall, ours.wall);
    console.log(`  LoopLens best: ${ours.wall.toFixed(0)} ms/step (${ours.threads} thread(s)), peak RSS ${peak.toFixed(0)} MB`);
    console.log(`  engine-for-engine: ${ratio(same)} (PyTorch with the same work saving: ${same.wall.toFixed(0)} ms/step, ${same.threads} thread(s); by CPU time ${times(same.cpu, ours.cpu)}; target >= 2x)`);
    console.log(`  total: ${ratio(paper)} (PyTorch as the paper's code trains: ${paper.wall.toFixed(0)} ms/step, ${paper.threads} thread(s); by CPU time ${times(paper.cpu, ours.cpu)})`);
    totals.push(`${c.label}: engine-for-engine ${ratio(same)}, total ${ratio(paper)}, LoopLens ${ours.wall.toFixed(0)} ms/step, peak RSS ${peak.toFixed(0)} MB`);
  }
  if (totals.length > 0) console.log(`\n${totals.join('\n')}`);
  console.log(`\nload average after: ${loadavg()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
