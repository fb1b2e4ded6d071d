// A data-parallel training step against one session on the same cores: at chosen steps of a preset's
// run, the same batches (drawn as the trainer draws them there) go to a runner with one session on
// --threads threads and to runners whose gradient two one-thread workers compute in shares (one per
// --piece-bytes value: each worker trains its share in pieces whose attention scores fit that many
// bytes, `none` in one piece), alternating step by step so all see the same machine. Prints the
// median wall time of each and the ratio to one session per row width. Needs the bundled worker:
// `npm run build` first.
// Usage: npm run bench:data-parallel [-- --task addition] [--preset cpu] [--run-steps N --stages TEXT]
//        [--at 15000,22000,24000,26000] [--steps 6] [--threads 2] [--piece-bytes none,3000000]
//        (--run-steps and --stages as looplens train's --steps and --stages)
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Rng } from '../src/core/util/rng';
import { initParams } from '../src/core/model/params';
import { TrainStepRunner } from '../src/core/train/trainStep';
import { DATA_PARALLEL_PIECE_BYTES } from '../src/core/train/dataParallel';
import { getTask } from '../src/core/tasks';
import { makeRecipe } from '../src/core/train/recipePlan';
import { parseStages } from '../src/core/train/stages';
import { batchKindAt, kindShape, makeRecipeBatch } from '../src/core/train/recipeBatch';
import { recipeSummaryText } from '../src/core/train/recipeSummary';
import { arg, loadavg, median, positiveInt, taskAndPreset } from './support/benchArgs';

async function main(): Promise<void> {
  const { taskName, preset } = taskAndPreset('cpu');
  const steps = positiveInt('steps', '6');
  const threads = positiveInt('threads', '2');
  const script = join(__dirname, '..', 'dist', 'gradient-worker.js');
  if (!existsSync(script)) throw new Error(`no ${script}: run \`npm run build\` first`);
  const task = getTask(taskName);
  const runSteps = arg('run-steps', '');
  const stages = arg('stages', '');
  const recipe = makeRecipe(task, preset, { ...(runSteps ? { steps: positiveInt('run-steps', runSteps) } : {}), ...(stages ? { stages: parseStages(stages) } : {}) });
  const ats = arg('at', '15000,22000,24000,26000').split(',').map(Number);
  const pieces = arg('piece-bytes', `none,${DATA_PARALLEL_PIECE_BYTES}`).split(',').map((t) => (t === 'none' ? undefined : Number(t)));
  if (pieces.some((b) => b !== undefined && !(Number.isInteger(b) && b > 0))) throw new Error('--piece-bytes takes positive whole numbers of bytes or none, comma-separated');
  const bad = ats.find((s) => !Number.isInteger(s) || s < 0 || s >= recipe.steps);
  if (bad !== undefined) throw new Error(`--at ${bad}: the ${preset} preset of ${taskName} has steps 0..${recipe.steps - 1}`);
  const workersText = (b: number | undefined) => `two workers${b === undefined ? '' : ` in ${b}-byte pieces`}`;
  console.log(`${recipeSummaryText(recipe)}\none session on ${threads} thread(s) against ${pieces.map(workersText).join(', ')}, ${steps} timed steps each after a warm-up, alternating; load average ${loadavg()}`);
  for (const at of ats) {
    const kind = batchKindAt(recipe, at);
    const { width } = kindShape(recipe, kind);
    const rng = new Rng(at);
    const batches = Array.from({ length: steps + 1 }, () => makeRecipeBatch(task, recipe, rng, kind));
    const start = initParams(recipe.model, () => rng.float());
    const runners = [
      TrainStepRunner.create(recipe.model, start, { provider: 'cpu', cpuThreads: threads, optimizer: recipe.optimizer }),
      ...pieces.map((pieceBytes) => TrainStepRunner.create(recipe.model, start, { provider: 'cpu', cpuThreads: 1, optimizer: recipe.optimizer, dataParallel: { script, workers: 2, pieceBytes } })),
    ];
    const wall = runners.map((): number[] => []);
    try {
      for (let i = 0; i <= steps; i++) {
        for (const [k, runner] of runners.entries()) {
          const t0 = performance.now();
          await runner.step(batches[i]!, 0);
          if (i > 0) wall[k]!.push(performance.now() - t0); // step 0 compiles and allocates
        }
      }
    } finally {
      await Promise.all(runners.map((r) => r.release()));
    }
    const [one, ...shared] = wall.map(median) as [number, ...number[]];
    const share = kind.longShare > 0 ? ` (${kind.longShare} of each batch at ${kind.nPoints - 1})` : '';
    const sharedText = shared.map((b, k) => `${workersText(pieces[k])} ${b.toFixed(0)} ms/step: ${(one / b).toFixed(2)}x`).join(', ');
    console.log(`  step ${at}: lengths 1..${kind.nPoints - 1}${share}, width ${width}: one session ${one.toFixed(0)} ms/step, ${sharedText}`);
  }
  console.log(`load average after: ${loadavg()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
