// Time to accuracy: trains parity with the cpu preset, the same recipe and trainer as
// `looplens train --task parity`, evaluates the oracle accuracy at length 40 on 640 examples every
// --every steps (the trainer's quick evaluation, as --eval-every runs it), and prints the training
// time at which it first reaches --target, and the whole run's time. Evaluation time is measured
// and left out of the training times (it is printed on its own).
// Usage: npm run bench:tta [-- --every 250] [--target 0.99] [--threads 0] [--steps N] [--stop] [--seed S]
import { makeRecipe } from '../src/core/train/recipePlan';
import { train } from '../src/core/train/trainer';
import type { RecipeOverrides } from '../src/core/train/recipePlan';
import type { TrainEvent } from '../src/core/train/trainEvents';
import { arg, loadavg, positiveInt } from './support/benchArgs';

const LENGTH = 40;
const EXAMPLES = 640;

function minutes(ms: number): string {
  return `${(ms / 60_000).toFixed(2)} min`;
}

async function main(): Promise<void> {
  const every = positiveInt('every', '250');
  const target = Number(arg('target', '0.99'));
  if (!(target > 0 && target <= 1)) throw new Error('--target must be an accuracy in (0, 1]');
  const threads = Number(arg('threads', '0'));
  if (!Number.isInteger(threads) || threads < 0) throw new Error('--threads must be 0 (ONNX Runtime decides) or a positive integer');
  const stop = process.argv.includes('--stop');
  const overrides: RecipeOverrides = {};
  if (process.argv.includes('--steps')) overrides.steps = positiveInt('steps', '6000');
  if (process.argv.includes('--seed')) overrides.seed = Number(arg('seed', '1'));
  const recipe = makeRecipe('parity', 'cpu', overrides);
  const m = recipe.model;
  console.log(`time to accuracy: parity, cpu preset (d ${m.d}, ${m.layers} layer, ${m.heads} heads, ${recipe.steps} steps, seed ${recipe.seed}), ${threads === 0 ? 'ONNX Runtime decides the threads' : `${threads} thread(s)`}`);
  console.log(`oracle accuracy at n = ${LENGTH} on ${EXAMPLES} examples every ${every} steps; target ${(100 * target).toFixed(0)}%${stop ? ', stop once reached' : ''}`);
  console.log(`load average at start: ${loadavg()}`);

  const t0 = performance.now();
  const cpu0 = process.cpuUsage();
  let evalMs = 0;
  let evalCpuMs = 0;
  let evalStart = 0;
  let evalCpu = cpu0;
  let reached: { step: number; trainMs: number; accuracy: number } | undefined;
  const curve: { step: number; trainMs: number; accuracy: number }[] = [];
  const controller = new AbortController();
  const trainMs = (): number => performance.now() - t0 - evalMs;
  const onEvent = (e: TrainEvent): void => {
    if (e.type === 'phase' && e.phase === 'evaluating') {
      evalStart = performance.now();
      evalCpu = process.cpuUsage();
    } else if (e.type === 'eval') {
      evalMs += performance.now() - evalStart;
      const c = process.cpuUsage(evalCpu);
      evalCpuMs += (c.user + c.system) / 1000;
      const acc = e.entry.rows.find((r) => r.length === LENGTH)?.oracle ?? 0;
      console.log(`  step ${String(e.entry.step).padStart(5)}: ${(100 * acc).toFixed(1).padStart(5)}% at n = ${LENGTH}, training time ${minutes(trainMs())}`);
      curve.push({ step: e.entry.step, trainMs: trainMs(), accuracy: acc });
      if (!reached && acc >= target) {
        reached = { step: e.entry.step, trainMs: trainMs(), accuracy: acc };
        if (stop) controller.abort();
      }
    }
  };
  const r = await train({ recipe, quickEval: { every, lengths: [LENGTH], examples: EXAMPLES }, cpuThreads: threads === 0 ? undefined : threads, provider: 'cpu', signal: controller.signal, onEvent });
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const trainCpuMs = (cpu.user + cpu.system) / 1000 - evalCpuMs;

  console.log(`load average at end: ${loadavg()}`);
  if (reached) console.log(`reached ${(100 * reached.accuracy).toFixed(1)}% at n = ${LENGTH} at step ${reached.step}: ${minutes(reached.trainMs)} of training (target: under 5 min)`);
  else console.log(`never reached ${(100 * target).toFixed(0)}% at n = ${LENGTH} in ${r.step} steps`);
  // During the curriculum the accuracy at n = 40 can reach the target and fall back: also say from when it held.
  let from = curve.length;
  while (from > 0 && curve[from - 1]!.accuracy >= target) from--;
  const held = curve[from];
  if (held && !stop) console.log(`held ${(100 * target).toFixed(0)}% or more at every evaluation from step ${held.step} on: ${minutes(held.trainMs)} of training`);
  console.log(`whole run: ${r.step} steps (${r.status}) in ${minutes(wallMs - evalMs)} of training, ${(trainCpuMs / 60_000).toFixed(2)} min of CPU; evaluations ${minutes(evalMs)} more`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
