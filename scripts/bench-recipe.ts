// What one whole training run of a preset would cost on this machine, before spending it: times
// a few real training steps at several points of the task's curriculum (and at each later stage's
// lengths) and adds them up over the run. Between two measured points a step's cost is interpolated
// linearly; after the curriculum ends every step costs what its last point cost, and a stage's
// steps what its lengths cost. The projection uses CPU time per step (one
// thread by default), which other processes on the machine disturb far less than wall time.
// Usage: npm run bench:recipe -- --task addition [--preset paper|cpu] [--points 5] [--steps 2]
//        [--threads 1] [--ep auto|cpu|cuda]
import { getTask, isTaskName, taskNames } from '../src/core/tasks';
import { isPresetName, presetNames } from '../src/core/train/presets';
import { makeRecipe } from '../src/core/train/recipePlan';
import { batchShape } from '../src/core/train/recipe';
import { makeTrainingBatch } from '../src/core/tasks/batches';
import { nPointsAt } from '../src/core/train/curriculum';
import { nPointsOf, stageAt } from '../src/core/train/stages';
import { recordedStagesText } from '../src/core/train/trainRecord';
import { TrainStepRunner } from '../src/core/train/trainStep';
import { initParams } from '../src/core/model/params';
import { parseExecutionProvider } from '../src/core/infer/executionProvider';
import { Rng } from '../src/core/util/rng';
import { arg, loadavg, positiveInt } from './support/benchArgs';

function hours(ms: number): string {
  const h = ms / 3_600_000;
  return h >= 1 ? `${h.toFixed(1)} h` : `${(h * 60).toFixed(0)} min`;
}

async function main(): Promise<void> {
  const taskName = arg('task', 'addition');
  const preset = arg('preset', 'paper');
  if (!isTaskName(taskName)) throw new Error(`unknown task "${taskName}"; valid tasks: ${taskNames.join(', ')}`);
  if (!isPresetName(preset)) throw new Error(`unknown preset "${preset}"; valid presets: ${presetNames.join(', ')}`);
  const points = positiveInt('points', '5');
  const timed = positiveInt('steps', '2');
  const threads = positiveInt('threads', '1');
  const task = getTask(taskName);
  const recipe = makeRecipe(task, preset);
  const { start, interval, end } = recipe.curriculum;
  const m = recipe.model;
  console.log(`${taskName} · ${preset} preset: d ${m.d}, ${m.layers} layer(s), ${m.heads} heads, batch ${recipe.batchSize}, ${recipe.steps} steps, curriculum ${start}..${end} every ${interval} steps${recipe.stages ? `, ${recordedStagesText(recipe)}` : ''}`);
  console.log(`${timed} timed step(s) after a warm-up at ${points} curriculum points, ${threads} thread(s); load average before: ${loadavg()}`);

  const rng = new Rng(0);
  const runner = TrainStepRunner.create(m, initParams(m, () => rng.float()), { provider: parseExecutionProvider(arg('ep', 'auto')), cpuThreads: threads });
  // Measured points, evenly spread over the curriculum's values (first and last included), and each stage's.
  const spread = Array.from({ length: points }, (_, i) => Math.round(start + ((end - start) * i) / Math.max(1, points - 1)));
  const nValues = [...new Set([...spread, ...(recipe.stages ?? []).map((s) => s.maxLength + 1)])];
  const cost = new Map<number, number>();
  for (const nPoints of nValues) {
    const shape = batchShape(recipe, nPoints);
    await runner.prepare(recipe.batchSize, shape.width, shape.horizon);
    const batch = () => {
      const b = makeTrainingBatch(task, rng, { batchSize: recipe.batchSize, nPoints, width: shape.width });
      b.horizon = shape.horizon;
      return b;
    };
    await runner.step(batch(), 0); // warm-up: the first run of a shape allocates
    const cpu: number[] = [];
    const wall: number[] = [];
    for (let i = 0; i < timed; i++) {
      const b = batch();
      const c0 = process.cpuUsage();
      const t0 = performance.now();
      await runner.step(b, 0);
      wall.push(performance.now() - t0);
      const c = process.cpuUsage(c0);
      cpu.push((c.user + c.system) / 1000);
    }
    const ms = Math.min(...cpu);
    cost.set(nPoints, ms);
    console.log(`  n_points ${String(nPoints).padStart(3)} (lengths 1..${nPoints - 1}, width ${shape.width}, horizon ${shape.horizon}): cpu ${ms.toFixed(0)} ms/step, wall ${Math.min(...wall).toFixed(0)} ms/step`);
  }
  await runner.release();

  const measured = [...cost.keys()].sort((a, b) => a - b);
  const at = (n: number): number => {
    const hi = measured.find((x) => x >= n) ?? measured[measured.length - 1]!;
    const lo = [...measured].reverse().find((x) => x <= n) ?? measured[0]!;
    if (hi === lo) return cost.get(hi)!;
    return cost.get(lo)! + ((cost.get(hi)! - cost.get(lo)!) * (n - lo)) / (hi - lo);
  };
  let total = 0;
  let curriculumMs = 0;
  let stagesMs = 0;
  for (let step = 0; step < recipe.steps; step++) {
    const ms = at(nPointsOf(recipe, step));
    total += ms;
    if (stageAt(recipe, step).index >= 0) stagesMs += ms;
    else if (nPointsAt(recipe.curriculum, step) < end) curriculumMs += ms;
  }
  const staged = recipe.stages ? `, ${hours(stagesMs)} in its stages` : '';
  console.log(`projected run: ${hours(total)} of CPU time on ${threads} thread(s) (${hours(curriculumMs)} while the curriculum grows${staged}, the rest at the curriculum's full length); checkpoints and evaluations not counted`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
