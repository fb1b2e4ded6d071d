// The custom recipe page (Train Looped Model → Custom recipe…, or Fine-Tune Model… → Custom
// recipe…): a form with d, layers, heads, lr, lr floor, weight decay, batch, steps, longest length,
// interval, stages, shares, answer hold, weight average, seed, the paper's ablations (input injection,
// fixed depth), output and final evaluation, starting from a preset or from a model's weights (a
// fine-tune: its network kept, but for the learned key scales a paper-attention model may take).
// Every change is checked here (recipeForm.ts) and answered with a preview; Estimate Time times the
// run in a worker (recipeEstimate.ts) until the form changes; Start returns the plan to the command
// that opened it, closing the page. One page at a time.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { getTask } from '../../core/tasks';
import { resolveTask } from '../../core/programs/tasks/resolve';
import { forkedFromText, presetChoices, type TrainPlan } from './trainPlan';
import { FORK_FIELDS } from './forkPlan';
import type { RecipeEstimateRun } from './recipeEstimate';
import { startPlanEstimate } from './planEstimate';
import { checkForm, formOf, lockedNetworkFields, presetForm } from './recipeForm';
import type { TrainRequest } from './trainCommand';
import { PanelHost } from '../panels/panelHost';
import { webviewOptions } from '../panels/webviewHtml';
import { recipeMessages } from '../panels/panelMessages';
import { RECIPE_FIELDS, type RecipeForm, type RecipePageInit, type RecipeToHost, type RecipeToWebview } from '../../protocol/recipe';

/** The page's title: a fork's (a plan that goes on from a checkpoint), a fine-tune's (one that starts from a model) or a custom recipe's. */
const pageTitle = (plan: TrainPlan): string => (plan.fork ? 'Go On From Checkpoint' : plan.start ? 'Fine-Tuning Recipe' : 'Custom Training Recipe');

/** What the page says a plan starts from, and the fields it keeps: a fork's checkpoint (all but FORK_FIELDS), a fine-tune's model (its network; lockedNetworkFields). */
function startFromOf(plan: TrainPlan): RecipePageInit['startFrom'] {
  if (plan.fork) return { kind: 'checkpoint', from: forkedFromText(plan.fork), locked: RECIPE_FIELDS.filter((k) => !FORK_FIELDS.includes(k)) };
  if (plan.start) return { kind: 'model', from: path.basename(plan.start.modelPath), locked: lockedNetworkFields(plan.start.shape) };
  return undefined;
}

export class RecipePage extends PanelHost<RecipeToHost, RecipeToWebview> {
  static readonly viewType = 'looplens.recipe';
  private static current: RecipePage | undefined;
  private settled = false;
  /** The form as last seen: a page reloaded after being hidden shows it again, edits kept. */
  private form: RecipeForm | undefined;
  /** The timing of the form's run under way or done (Estimate Time); dropped when the form changes. */
  private estimate: RecipeEstimateRun | undefined;

  /** Opens the page for `plan` (replacing one already open, which then answers undefined). */
  static ask(extensionUri: vscode.Uri, plan: TrainPlan): Promise<TrainPlan | undefined> {
    RecipePage.current?.panel.dispose();
    return new Promise((resolve) => {
      const panel = vscode.window.createWebviewPanel(RecipePage.viewType, pageTitle(plan), vscode.ViewColumn.Active, webviewOptions(extensionUri));
      RecipePage.current = new RecipePage(panel, extensionUri, plan, resolve);
    });
  }

  private constructor(
    panel: vscode.WebviewPanel,
    private readonly extensionUri: vscode.Uri,
    private readonly plan: TrainPlan,
    private readonly resolve: (plan: TrainPlan | undefined) => void,
  ) {
    super(panel, extensionUri, { script: 'recipe', title: pageTitle(plan), stylesheet: 'model.css' }, recipeMessages);
  }

  private taskTitle(): string {
    return this.plan.taskFile ? `${this.plan.task} (${this.plan.taskFile.file})` : getTask(this.plan.task).title;
  }

  protected override async onMessage(m: RecipeToHost): Promise<void> {
    switch (m.type) {
      case 'ready': {
        const form = (this.form ??= formOf(this.plan));
        const presets = presetChoices(resolveTask(this.plan))
          .filter((c) => !this.plan.taskFile || c.preset !== 'paper')
          .map((c) => ({ name: c.preset, description: c.description }));
        const from = startFromOf(this.plan);
        const startFrom = from ? { startFrom: from } : {};
        await this.post({ type: 'init', init: { taskTitle: this.taskTitle(), presets, form, preview: checkForm(this.plan, form).preview, ...startFrom } });
        // a page shown again: the estimate of its form, done or still timing
        if (this.estimate) await this.post({ type: 'estimate', estimate: this.estimate.state });
        return;
      }
      case 'change':
        this.form = m.form;
        await this.dropEstimate();
        await this.post({ type: 'preview', preview: checkForm(this.plan, m.form).preview });
        return;
      case 'preset': {
        // a fine-tune or a fork has no preset to load: its network is the model's, its recipe the checkpoint's
        const form: RecipeForm = this.plan.start || this.plan.fork ? m.form : presetForm(this.plan, m.form);
        this.form = form;
        await this.dropEstimate();
        await this.post({ type: 'preview', preview: checkForm(this.plan, form).preview, form });
        return;
      }
      case 'estimate': {
        // one timing at a time: the page's button waits for it, and a page that asks again is not obeyed
        if (this.estimate?.running) return;
        const { plan, preview } = checkForm(this.plan, m.form);
        if (!plan) {
          await this.post({ type: 'preview', preview });
          return;
        }
        this.form = m.form;
        await this.dropEstimate();
        this.startEstimate(plan);
        return;
      }
      case 'start': {
        const { plan, preview } = checkForm(this.plan, m.form);
        if (!plan) {
          await this.post({ type: 'preview', preview });
          return;
        }
        this.settle(plan);
        this.panel.dispose();
        return;
      }
      case 'cancel':
        this.settle(undefined);
        this.panel.dispose();
        return;
    }
  }

  /** Times the run `plan` makes on this machine's settings (threads, provider), showing each point as it comes. */
  private startEstimate(plan: TrainPlan): void {
    const run = startPlanEstimate(this.extensionUri, plan, (estimate) => void this.post({ type: 'estimate', estimate }));
    this.estimate = run;
    void this.post({ type: 'estimate', estimate: { status: 'timing', done: 0, total: 0, points: [] } });
  }

  /** Cancels the estimate of a form that has changed, and clears it from the page. */
  private async dropEstimate(): Promise<void> {
    if (!this.estimate) return;
    this.estimate.cancel();
    this.estimate = undefined;
    await this.post({ type: 'estimate', estimate: null });
  }

  private settle(plan: TrainPlan | undefined): void {
    if (this.settled) return;
    this.settled = true;
    this.resolve(plan);
  }

  protected override dispose(): void {
    this.estimate?.cancel();
    this.settle(undefined); // closed without Start
    if (RecipePage.current === this) RecipePage.current = undefined;
    super.dispose();
  }
}

/** Opens the page for `plan`; its Start gives the request the Train command runs (never a resume: a new recipe starts over). */
export async function askCustomRecipe(extensionUri: vscode.Uri, plan: TrainPlan): Promise<TrainRequest | undefined> {
  const chosen = await RecipePage.ask(extensionUri, plan);
  return chosen ? { plan: chosen, resume: false } : undefined;
}
