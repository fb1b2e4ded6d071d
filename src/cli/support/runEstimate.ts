// `looplens train … --estimate`: what the planned run would cost on this machine, from a few real
// training steps on the batches it would train on (core/train/runCost.ts), without training it.
import * as os from 'node:os';
import { formatEstimate } from '../../core/eval/estimate';
import { projectEvaluations, timeEvaluations, type RunEvaluations } from '../../core/train/evalCost';
import { recipeTask, type TrainRecipe } from '../../core/train/recipe';
import { dataParallelText, ESTIMATE_SPREAD, ESTIMATE_TIMED_STEPS, hoursText, projectionText, projectRun, threadsText, timeCostPoints, timedPointText } from '../../core/train/runCost';
import type { CliContext } from '../framework/command';
import type { ProviderChoice } from './training';

const load = (): string => os.loadavg().map((v) => v.toFixed(2)).join(' ');

export async function printRunEstimate(ctx: CliContext, recipe: TrainRecipe, ep: ProviderChoice, evals: RunEvaluations = {}): Promise<void> {
  const threads = ep.dataParallel ? dataParallelText(ep.dataParallel, ep.cpuThreads) : threadsText(ep.cpuThreads);
  const hint = ep.cpuThreads === undefined ? ' (--threads N sets them)' : '';
  ctx.print(`timing ${ESTIMATE_TIMED_STEPS} step(s), their mean, after a warm-up at ${ESTIMATE_SPREAD} points of the curriculum and at each stage, on ${threads}${hint}; load average before: ${load()}`);
  const timed = await timeCostPoints(recipe, { provider: ep.provider, cpuThreads: ep.cpuThreads, dataParallel: ep.dataParallel, onPoint: (p) => ctx.print(`  ${timedPointText(p)}`) });
  const run = projectRun(recipe, timed);
  ctx.print(projectionText(run, threads));
  const cost = await timeEvaluations(recipe, evals, { provider: ep.provider, cpuThreads: ep.cpuThreads });
  if (cost) {
    const e = projectEvaluations(recipeTask(recipe), recipe.model.d, recipe.steps, evals, cost);
    const parts = [
      ...(evals.curve ? [`the learning curve's ${e.curvePoints} point(s) (${evals.curve.examples} examples at ${evals.curve.lengths.join(', ')}${evals.branchCurvePoints ? `; ${evals.branchCurvePoints} of them also read the branch alone` : ''}) ${formatEstimate(e.curveSeconds)}`] : []),
      ...(evals.final ? [`the final evaluation (${evals.final.examples} examples at ${evals.final.lengths.join(', ')}${(evals.finalModels ?? 1) > 1 ? `, of ${evals.finalModels} models: the run's and each branch kept` : ''}) ${formatEstimate(e.finalSeconds)}`] : []),
    ];
    ctx.print(`evaluations (not in the line above; CPU time, timed on random weights of the network): ${parts.join(', ')}; with the training, ${hoursText(run.totalMs + (e.curveSeconds + e.finalSeconds) * 1000)} of CPU time in all`);
  }
  ctx.print(`load average after: ${load()}; nothing was trained`);
}
