// Benchmark of one LoopLens training step (parity, batch 64 of lengths 1-20, row width 21, each
// example read at T(n) = n, horizon 22) against the same step in PyTorch when /usr/bin/python3 has
// torch. Each measurement runs in its own process so its peak RSS is its own.
// Usage: npm run bench:train [-- --steps N] [--configs a,b] [--ep auto|cpu|cuda] [--threads 1,2] [--no-torch]
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { Rng } from '../src/core/util/rng';
import { getTask } from '../src/core/tasks';
import { packBatch } from '../src/core/tasks/batches';
import { initParams } from '../src/core/model/params';
import type { LoopedConfig } from '../src/core/model/config';
import { TrainStepRunner } from '../src/core/train/trainStep';
import { parseExecutionProvider } from '../src/core/infer/executionProvider';
import { arg, loadavg } from './support/benchArgs';

const CONFIGS: Record<string, { label: string; d: number; heads: number; layers: number }> = {
  a: { label: '(a) d=256, 1 layer, 64 heads', d: 256, heads: 64, layers: 1 },
  b: { label: '(b) d=64, 1 layer, 4 heads', d: 64, heads: 4, layers: 1 },
};
const [BATCH, WIDTH, HORIZON, MAX_LEN] = [64, 21, 22, 20];

interface Measured {
  ms: number[];
  /** CPU time per step (all threads): less sensitive to other processes than wall time. */
  cpuMs?: number[];
  peakRssMB?: number;
  compileMs?: number;
  provider?: string;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

/** Child process: time LoopLens steps for one configuration and thread count. */
async function child(key: string, threads: number, steps: number, ep: string): Promise<void> {
  const c = CONFIGS[key]!;
  const config: LoopedConfig = { vocabSize: 6, d: c.d, layers: c.layers, heads: c.heads, readIn: 'linear', inputInjection: true };
  const rng = new Rng(0);
  const parity = getTask('parity');
  const batch = () => packBatch(Array.from({ length: BATCH }, () => parity.sampleAt(rng, [rng.int(1, MAX_LEN)], WIDTH)), HORIZON);
  const runner = TrainStepRunner.create(config, initParams(config, () => rng.float()), { provider: parseExecutionProvider(ep), cpuThreads: threads });
  let t = performance.now();
  await runner.prepare(BATCH, WIDTH, HORIZON);
  const compileMs = performance.now() - t;
  await runner.step(batch(), 1e-4); // warm-up: first run allocates
  const ms: number[] = [];
  const cpuMs: number[] = [];
  for (let i = 0; i < steps; i++) {
    const b = batch();
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

function runJson(cmd: string, args: string[]): Measured | string {
  const r = spawnSync(cmd, args, { encoding: 'utf8', maxBuffer: 1 << 24 });
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 || !line.startsWith('{')) return (r.stderr || r.stdout || `exit ${r.status}`).trim().split('\n').slice(-3).join(' | ');
  return JSON.parse(line) as Measured;
}

function torchMissing(): string | undefined {
  const r = spawnSync('/usr/bin/python3', ['-c', 'import torch'], { encoding: 'utf8' });
  return r.status === 0 ? undefined : 'PyTorch not found in /usr/bin/python3 (install python3-torch and libopenblas0-pthread)';
}

async function main(): Promise<void> {
  if (process.argv.includes('--child')) {
    await child(arg('child', 'b'), Number(arg('threads', '2')), Number(arg('steps', '3')), arg('ep', 'auto'));
    return;
  }
  const steps = Number(arg('steps', '3'));
  const keys = arg('configs', 'a,b').split(',');
  const threadList = arg('threads', '1,2').split(',').map(Number);
  const ep = arg('ep', 'auto');
  const noTorch = process.argv.includes('--no-torch') ? 'disabled by --no-torch' : torchMissing();
  const self = join(__dirname, 'bench-train.ts');
  console.log(`LoopLens training-step benchmark: parity, batch ${BATCH}, lengths 1-${MAX_LEN}, width ${WIDTH}, T(n)=n, horizon ${HORIZON}; ${steps} timed steps after a warm-up step`);
  console.log(`load average before: ${loadavg()} (other processes on this machine slow every figure)`);
  for (const key of keys) {
    const c = CONFIGS[key];
    if (!c) throw new Error(`unknown config "${key}" (a or b)`);
    console.log(`\n${c.label}`);
    let best = Infinity;
    let bestCpu = Infinity;
    let usedCuda = false;
    for (const th of threadList) {
      const m = runJson(process.execPath, ['--import', 'tsx', self, '--child', key, '--threads', String(th), '--steps', String(steps), '--ep', ep]);
      if (typeof m === 'string') {
        console.log(`  LoopLens ${th} thread(s): failed: ${m}`);
        continue;
      }
      const med = median(m.ms);
      best = Math.min(best, med);
      bestCpu = Math.min(bestCpu, median(m.cpuMs!));
      usedCuda ||= m.provider === 'cuda';
      console.log(`  LoopLens (${m.provider}) ${th} thread(s): ${med.toFixed(0)} ms/step median [${m.ms.map((x) => x.toFixed(0)).join(', ')}], cpu ${median(m.cpuMs!).toFixed(0)} ms/step, peak RSS ${m.peakRssMB!.toFixed(0)} MB, compile ${(m.compileMs! / 1000).toFixed(1)} s`);
    }
    if (noTorch) {
      console.log(`  PyTorch: skipped (${noTorch})`);
      continue;
    }
    let torchBest = Infinity;
    let torchBestCpu = Infinity;
    const script = join(__dirname, '..', 'test', 'reference', 'bench_step.py');
    // With CUDA, PyTorch runs on the GPU too (and fails visibly when its build has no CUDA).
    const device = usedCuda ? ['--device', 'cuda'] : [];
    for (const th of [1, 2]) {
      const m = runJson('/usr/bin/python3', [script, '--d', String(c.d), '--heads', String(c.heads), '--layers', String(c.layers), '--threads', String(th), '--steps', String(steps), ...device]);
      if (typeof m === 'string') {
        console.log(`  PyTorch ${th} thread(s): failed: ${m}`);
        continue;
      }
      torchBest = Math.min(torchBest, median(m.ms));
      torchBestCpu = Math.min(torchBestCpu, median(m.cpuMs!));
      console.log(`  PyTorch${usedCuda ? ' (cuda)' : ''} (paper's step: all examples x all ${HORIZON} iterations) ${th} thread(s): ${median(m.ms).toFixed(0)} ms/step median [${m.ms.map((x) => x.toFixed(0)).join(', ')}], cpu ${median(m.cpuMs!).toFixed(0)} ms/step`);
    }
    const pre = runJson('/usr/bin/python3', [script, '--d', String(c.d), '--heads', String(c.heads), '--layers', String(c.layers), '--threads', '1', '--steps', String(steps), '--mode', 'prefix', ...device]);
    if (typeof pre !== 'string') console.log(`  PyTorch with LoopLens's exact work saving (examples stop at T(n)), 1 thread: ${median(pre.ms).toFixed(0)} ms/step median, cpu ${median(pre.cpuMs!).toFixed(0)} ms/step`);
    console.log(`  => LoopLens is ${(torchBest / best).toFixed(2)}x faster than PyTorch's best by wall time (target >= 1.5x); ${(torchBestCpu / bestCpu).toFixed(2)}x by CPU time`);
  }
  console.log(`\nload average after: ${loadavg()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
