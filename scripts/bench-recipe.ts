// What one whole training run of a preset would cost on this machine, before spending it: times a
// few real training steps at several points of the task's curriculum and at each later stage, on
// the batches the trainer would draw there (long share and answer hold included), and adds them up
// over the run (src/core/train/runCost.ts). A recipe with a user's changes: `looplens train …
// --estimate`. The projection uses CPU time per step (one thread by default).
// Usage: npm run bench:recipe -- --task addition [--preset paper|cpu] [--points 5] [--steps 3]
//        [--threads 1] [--ep auto|cpu|cuda]
import { getTask } from '../src/core/tasks';
import { makeRecipe } from '../src/core/train/recipePlan';
import { ESTIMATE_TIMED_STEPS, projectionText, projectRun, timeCostPoints, timedPointText } from '../src/core/train/runCost';
import { recipeSummaryText } from '../src/core/train/recipeSummary';
import { parseExecutionProvider } from '../src/core/infer/executionProvider';
import { arg, loadavg, positiveInt, taskAndPreset } from './support/benchArgs';

async function main(): Promise<void> {
  const { taskName, preset } = taskAndPreset('paper');
  const points = positiveInt('points', '5');
  const timed = positiveInt('steps', String(ESTIMATE_TIMED_STEPS));
  const threads = positiveInt('threads', '1');
  const recipe = makeRecipe(getTask(taskName), preset);
  console.log(`projecting the cost of training ${recipeSummaryText(recipe)}`);
  console.log(`${timed} timed step(s), their mean, after a warm-up at ${points} curriculum points and each stage, ${threads} thread(s); load average before: ${loadavg()}`);
  const provider = parseExecutionProvider(arg('ep', 'auto'));
  const measured = await timeCostPoints(recipe, { spread: points, timedSteps: timed, provider, cpuThreads: threads, onPoint: (p) => console.log(`  ${timedPointText(p)}`) });
  console.log(projectionText(projectRun(recipe, measured), `${threads} thread(s)`));
  console.log(`load average after: ${loadavg()}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
