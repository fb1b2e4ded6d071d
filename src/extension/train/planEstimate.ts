// Estimate Time for a training plan, wherever it is asked: the recipe page (shown in its card) and
// the Train command's review list (under a cancellable progress notification). Both time the run in
// the same worker with LoopLens's thread and provider settings.
import * as vscode from 'vscode';
import type { RecipeEstimate } from '../../protocol/recipe';
import { readSettings } from '../settings';
import { RecipeEstimateRun } from './recipeEstimate';
import { recipeOf, type TrainPlan } from './trainPlan';

/** Starts timing `plan`'s run; `onUpdate` hears every change, the last one final. */
export function startPlanEstimate(extensionUri: vscode.Uri, plan: TrainPlan, onUpdate: (e: RecipeEstimate) => void): RecipeEstimateRun {
  const settings = readSettings();
  return new RecipeEstimateRun({
    worker: { script: vscode.Uri.joinPath(extensionUri, 'dist', 'estimate-worker.js').fsPath },
    start: { recipe: recipeOf(plan), provider: settings.executionProvider, ...(settings.cpuThreads > 0 ? { cpuThreads: settings.cpuThreads } : {}), ...(settings.dataParallel ? { dataParallel: true } : {}) },
    onUpdate,
  });
}

/** Times `plan`'s run under a progress notification; undefined when the user cancels it. */
export async function estimateWithProgress(extensionUri: vscode.Uri, plan: TrainPlan): Promise<RecipeEstimate | undefined> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'LoopLens: timing the run', cancellable: true },
    async (progress, token) => {
      let reported = 0;
      const run = startPlanEstimate(extensionUri, plan, (e) => {
        if (e.status !== 'timing' || e.total === 0) return;
        const share = (100 * e.done) / e.total;
        progress.report({ message: `${e.done} of ${e.total} kinds of batch: ${e.points.at(-1) ?? ''}`, increment: share - reported });
        reported = share;
      });
      const listener = token.onCancellationRequested(() => run.cancel());
      try {
        return await run.finished;
      } finally {
        listener.dispose();
      }
    },
  );
}
