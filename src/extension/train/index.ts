// "LoopLens: Train Looped Model": asks what to train, runs it in a child process (the extension
// host never blocks), shows a cancellable progress notification and the Training panel, and says
// what to do next when it ends. One run at a time: training takes every core it can get.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainingViewState } from '../../protocol/training';
import { exportCheckpoint, type ExportedCheckpoint } from '../../core/train/exportCheckpoint';
import { headlineRow } from '../models/modelSummary';
import { readSettings } from '../settings';
import { defaultModelsFolder } from '../models/modelFolders';
import { ask, askTrainRequest, confirmReplace, validator, type TrainCommandOptions } from './trainCommand';
import { askCustomRecipe } from './recipePage';
import { FINE_TUNE_DEFAULTS, fineTuneLength, fineTuneMaxLength, fineTunePlan, fineTuneSteps } from './fineTunePlan';
import { lrField } from './recipeForm';
import { loadModel, type LoadedModel } from '../../core/model/modelFile';
import { TrainingPanel, type TrainingPanelHandlers } from '../panels/TrainingPanel';
import { TrainingRun } from './trainingRun';
import { formatDuration, progressLine } from './trainingState';
import { forkStartOptions, recipeOf, resumeSetupOf, trainingSetupOf, workerStartOptions, type TrainPlan } from './trainPlan';
import { forkPlanOf } from './forkPlan';
import { readTrainingCheckpointInfo, type TrainingCheckpointInfo } from '../../core/train/trainingCheckpoint';
import { fileSummaries, type CheckpointSummary } from '../models/modelInfo';
import { findCheckpointFiles } from '../models/findModels';
import { modelFolders } from '../models/modelFolders';
import { pathArgument } from '../models/openModelCommand';

const pct = (x: number) => `${(100 * x).toFixed(x === 1 || x === 0 ? 0 : 1)}%`;

export class Trainer implements vscode.Disposable {
  private run: TrainingRun | undefined;
  private readonly runChanged = new vscode.EventEmitter<void>();
  /** Fires when a run starts, writes a checkpoint or ends (the Models view follows it). */
  readonly onDidChangeRun = this.runChanged.event;

  /** The checkpoint of the run in progress, if any. */
  get activeCheckpoint(): string | undefined {
    return this.run?.isActive ? this.run.state.setup.checkpointPath : undefined;
  }

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly log: vscode.OutputChannel,
  ) {}

  register(): void {
    this.context.subscriptions.push(
      this,
      vscode.commands.registerCommand('looplens.train', (options?: unknown) => this.command(trainOptions(options))),
      vscode.commands.registerCommand('looplens.resumeTraining', (arg?: unknown) => this.resumeCheckpoint(pathArgument(arg))),
      vscode.commands.registerCommand('looplens.fineTune', (arg?: unknown) => this.fineTune(pathArgument(arg))),
      vscode.commands.registerCommand('looplens.goOnFromCheckpoint', (arg?: unknown) => this.goOnFrom(pathArgument(arg))),
      TrainingPanel.registerSerializer(this.context.extensionUri, this.handlers, this.context.workspaceState),
    );
  }

  private readonly handlers: TrainingPanelHandlers = {
    cancel: () => {
      this.log.appendLine('training: Cancel pressed in the panel');
      this.run?.cancel();
    },
    resume: (state) => void this.resume(state),
    openModel: (p) => void vscode.commands.executeCommand('looplens.openModel', p),
    stepThrough: (p) => void vscode.commands.executeCommand('looplens.stepThrough', p),
    evaluate: (p) => void vscode.commands.executeCommand('looplens.evaluate', p),
    exportCheckpoint: (state) => void this.exportCheckpoint(state),
  };

  private async command(options: TrainCommandOptions = {}): Promise<void> {
    if (this.run?.isActive) {
      const s = this.run.state;
      const choice = await vscode.window.showInformationMessage(`LoopLens is already training ${s.setup.taskTitle} (${progressLine(s)}). One run at a time: it uses every core.`, 'Show Training', 'Cancel It');
      if (choice === 'Show Training') TrainingPanel.show(this.context.extensionUri, s, this.handlers);
      if (choice === 'Cancel It') this.run.cancel();
      return;
    }
    const request = await askTrainRequest(this.context.extensionUri, defaultModelsFolder(this.context), options);
    if (request) this.startPlan(request.plan, request.resume);
  }

  /** "Resume Training" on a run's checkpoint (Models view), or on one picked from the unfinished runs. */
  private async resumeCheckpoint(file?: string): Promise<void> {
    if (this.sayAlreadyTraining()) return;
    const checkpoint = file ?? (await this.pickUnfinishedRun());
    if (!checkpoint) return;
    const ck = await this.readCheckpoint(checkpoint, 'resume');
    if (!ck) return;
    if (ck.step >= ck.recipe.steps) {
      void vscode.window.showInformationMessage(`LoopLens: the run in ${path.basename(checkpoint)} has finished (${ck.step} of ${ck.recipe.steps} steps); there is nothing to resume.`);
      return;
    }
    const settings = readSettings();
    const runtime = { provider: settings.executionProvider, cpuThreads: settings.cpuThreads, dataParallel: settings.dataParallel };
    const setup = resumeSetupOf(ck.recipe, checkpoint, runtime, ck);
    this.start(setup, workerStartOptions(setup, runtime, true));
  }

  /** The checkpoint in `file`, or undefined once its error is shown ("LoopLens cannot `doing` …"). */
  private async readCheckpoint(file: string, doing: string): Promise<TrainingCheckpointInfo | undefined> {
    try {
      return await readTrainingCheckpointInfo(file);
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens cannot ${doing} ${path.basename(file)}: ${(e as Error).message}`);
      return undefined;
    }
  }

  /**
   * "Go On From Checkpoint…" (Models view, or a checkpoint picked): a new run from a run's checkpoint
   * with other later stages or steps, as the CLI's --resume-from; the recipe page shows the
   * checkpoint's recipe with what may change editable, and the checkpoint stays as it is.
   */
  private async goOnFrom(file?: string): Promise<void> {
    if (this.sayAlreadyTraining()) return;
    const checkpoint = file ?? (await this.pickCheckpoint('Go On From Checkpoint', 'Which checkpoint should a new run go on from?', () => true));
    if (!checkpoint) return;
    if (checkpoint === this.activeCheckpoint) {
      void vscode.window.showInformationMessage(`LoopLens: ${path.basename(checkpoint)} belongs to the run in progress, which rewrites it as it trains. Keep one at a chosen step with Save at steps, or go on from it once the run stops.`);
      return;
    }
    const ck = await this.readCheckpoint(checkpoint, 'go on from');
    if (!ck) return;
    const request = await askCustomRecipe(this.context.extensionUri, forkPlanOf({ checkpointPath: checkpoint, step: ck.step, recipe: ck.recipe }));
    if (request && !this.sayAlreadyTraining() && (await confirmReplace(request.plan.modelPath))) this.startPlan(request.plan, false);
  }

  /** When a run is going, says so (with a way to its panel) and returns true: one run at a time. */
  private sayAlreadyTraining(): boolean {
    if (!this.run?.isActive) return false;
    void vscode.window.showInformationMessage(`LoopLens is already training ${this.run.state.setup.taskTitle}: one run at a time.`, 'Show Training').then((c) => {
      if (c === 'Show Training' && this.run) TrainingPanel.show(this.context.extensionUri, this.run.state, this.handlers);
    });
    return true;
  }

  /** "Fine-Tune Model…" (Models view, or a model picked): a new run from the model's weights, as the CLI's --init-from. */
  private async fineTune(file?: string): Promise<void> {
    if (this.sayAlreadyTraining()) return;
    const folder = defaultModelsFolder(this.context);
    const picked = file ? undefined : await vscode.window.showOpenDialog({ title: 'Fine-Tune Model', openLabel: 'Fine-Tune', filters: { 'LoopLens model': ['onnx'] }, ...(fs.existsSync(folder) ? { defaultUri: vscode.Uri.file(folder) } : {}) });
    const modelFile = file ?? picked?.[0]?.fsPath;
    if (!modelFile) return;
    const name = path.basename(modelFile);
    let model: LoadedModel;
    try {
      model = await loadModel(modelFile);
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens cannot fine-tune ${name}: ${(e as Error).message}`);
      return;
    }
    const title = `Fine-Tune ${name} (${model.task.title})`;
    const how = await vscode.window.showQuickPick(
      [
        { label: '$(zap) Longest length, steps and rate', description: 'three questions', detail: "The cpu preset's optimizer and batch, every length up to the longest from the first step", custom: false },
        { label: '$(settings) Custom recipe…', description: 'every field on a page', detail: 'Lengths, stages, schedule, inputs, answer hold: all of the recipe but the network, which is the model\'s', custom: true },
      ],
      { title, placeHolder: 'How should the fine-tune be set?' },
    );
    if (!how) return;
    if (how.custom) {
      await this.fineTuneCustom(model, modelFile, folder);
      return;
    }
    const trained = fineTuneMaxLength(model);
    const longest = await ask(title, `Longest training length: every length 1..N from the first step. The model was trained on 1..${trained}; a longer one extends it to new lengths`, String(trained), validator(fineTuneLength));
    if (longest === undefined) return;
    const steps = await ask(title, 'Training steps, at every length up to the longest from the first step', String(FINE_TUNE_DEFAULTS.steps), validator(fineTuneSteps));
    if (steps === undefined) return;
    const lr = await ask(title, "Peak learning rate, then cosine to 0: below a run from scratch's, so the model keeps what it learned", String(FINE_TUNE_DEFAULTS.lr), validator(lrField));
    if (lr === undefined) return;
    let plan: TrainPlan;
    try {
      plan = fineTunePlan(model, modelFile, { steps: fineTuneSteps(steps), lr: lrField(lr), maxLength: fineTuneLength(longest) }, folder);
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens cannot fine-tune ${name}: ${(e as Error).message}`);
      return;
    }
    this.startPlan(plan, false);
  }

  /** Fine-Tune → Custom recipe…: the recipe page on the quick fine-tune's plan, the model's network kept. */
  private async fineTuneCustom(model: LoadedModel, modelFile: string, folder: string): Promise<void> {
    let plan: TrainPlan;
    try {
      plan = fineTunePlan(model, modelFile, FINE_TUNE_DEFAULTS, folder);
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens cannot fine-tune ${path.basename(modelFile)}: ${(e as Error).message}`);
      return;
    }
    const request = await askCustomRecipe(this.context.extensionUri, plan);
    if (request && !this.sayAlreadyTraining() && (await confirmReplace(request.plan.modelPath))) this.startPlan(request.plan, false);
  }

  /** Starts a run of `plan` (a fine-tune's from its model's weights, a fork's from its checkpoint) with the settings' runtime. */
  private startPlan(plan: TrainPlan, resume: boolean): void {
    const settings = readSettings();
    const runtime = { provider: settings.executionProvider, cpuThreads: settings.cpuThreads, dataParallel: settings.dataParallel };
    const setup = trainingSetupOf(plan, runtime);
    fs.mkdirSync(path.dirname(setup.modelPath), { recursive: true });
    if (plan.fork && !resume) this.start(setup, forkStartOptions(setup, runtime, recipeOf(plan), plan.fork.checkpointPath));
    else this.start(setup, workerStartOptions(setup, runtime, resume, recipeOf(plan), resume ? undefined : plan.start?.modelPath));
  }

  private pickUnfinishedRun(): Promise<string | undefined> {
    return this.pickCheckpoint('Resume Training', 'Which run should continue from its checkpoint?', (ck) => !ck.finished, 'unfinished ');
  }

  /**
   * A checkpoint in the workspace models/ and runs/ folders that `fits`, picked from a list (none: said
   * so). The summaries are the Models view's, read (checksum verified) once per file version.
   */
  private async pickCheckpoint(title: string, placeHolder: string, fits: (ck: CheckpointSummary) => boolean, which = ''): Promise<string | undefined> {
    const items: (vscode.QuickPickItem & { file: string })[] = [];
    for (const f of findCheckpointFiles(modelFolders(this.context))) {
      const ck = await fileSummaries.checkpoint(f.path);
      // a damaged checkpoint can be neither resumed nor gone on from: leave it out
      if (ck.kind === 'checkpoint' && fits(ck)) items.push({ label: f.name, description: `${ck.task} · step ${ck.step} of ${ck.totalSteps}`, detail: f.path, file: f.path });
    }
    if (items.length === 0) {
      void vscode.window.showInformationMessage(`LoopLens: no ${which}training run found in the workspace models/ or runs/ folders.`);
      return undefined;
    }
    return (await vscode.window.showQuickPick(items, { title, placeHolder }))?.file;
  }

  private async resume(state: TrainingViewState): Promise<void> {
    if (this.run?.isActive) return;
    if (!fs.existsSync(state.setup.checkpointPath)) {
      void vscode.window.showErrorMessage(`LoopLens cannot resume: the checkpoint ${state.setup.checkpointPath} is gone. Start a new run with "LoopLens: Train Looped Model".`);
      return;
    }
    const settings = readSettings();
    const runtime = { provider: settings.executionProvider, cpuThreads: settings.cpuThreads, dataParallel: settings.dataParallel };
    this.start(state.setup, workerStartOptions(state.setup, runtime, true), state);
  }

  private start(setup: TrainingViewState['setup'], start: ReturnType<typeof workerStartOptions>, previous?: TrainingViewState): void {
    const script = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'train-worker.js').fsPath;
    this.log.appendLine(`training ${setup.task} (${setup.preset}) → ${setup.modelPath}${start.resume ? ` (resuming ${setup.checkpointPath})` : ''}`);
    const run = new TrainingRun({ worker: { script }, start, setup, previous, log: (line) => this.log.appendLine(`[train] ${line}`) });
    this.run = run;
    TrainingPanel.show(this.context.extensionUri, run.state, this.handlers);
    let lastCheckpoint = run.state.checkpoint?.step;
    run.onChange((s) => {
      if (this.run === run) TrainingPanel.update(s);
      if (s.checkpoint?.step !== lastCheckpoint) {
        lastCheckpoint = s.checkpoint?.step;
        this.runChanged.fire();
      }
    });
    this.runChanged.fire();
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LoopLens: training ${setup.taskTitle}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => {
          this.log.appendLine('training: Cancel pressed in the progress notification');
          run.cancel();
        });
        let reported = 0;
        const sub = run.onChange((s) => {
          const done = s.progress ? Math.floor((100 * s.progress.step) / Math.max(1, s.progress.totalSteps)) : 0;
          progress.report({ message: progressLine(s), increment: Math.max(0, done - reported) });
          reported = Math.max(reported, done);
        });
        try {
          return await run.finished;
        } finally {
          sub.dispose();
        }
      },
    );
    this.log.appendLine(`training worker ${run.pid ?? '?'} started`);
    void run.finished.then((s) => {
      this.log.appendLine(`training worker ${run.pid ?? '?'} ended: ${s.status}${s.error ? ` (${s.error.message})` : ''}`);
      this.runChanged.fire();
      void this.announce(s);
    });
  }

  /** Saves the run's last checkpoint as a model beside it, to open or evaluate while the run goes on. */
  private async exportCheckpoint(state: TrainingViewState): Promise<void> {
    let e: ExportedCheckpoint;
    try {
      e = await exportCheckpoint(state.setup.checkpointPath);
    } catch (err) {
      void vscode.window.showErrorMessage(`LoopLens cannot save the checkpoint as a model: ${(err as Error).message}`);
      return;
    }
    this.log.appendLine(`training: saved the checkpoint at step ${e.step} as ${e.modelPath}`);
    const choice = await vscode.window.showInformationMessage(
      `LoopLens: saved ${e.taskTitle} at step ${e.step} of ${e.totalSteps} as ${vscode.workspace.asRelativePath(e.modelPath)}.`,
      'Open Model',
      'Step Through',
      'Evaluate',
    );
    if (choice === 'Open Model') this.handlers.openModel(e.modelPath);
    if (choice === 'Step Through') this.handlers.stepThrough(e.modelPath);
    if (choice === 'Evaluate') this.handlers.evaluate(e.modelPath);
  }

  /** The notification when a run ends, with what to do next. */
  private async announce(s: TrainingViewState): Promise<void> {
    const show = () => TrainingPanel.show(this.context.extensionUri, s, this.handlers);
    if (s.status === 'finished' && s.result) {
      const r = s.result;
      const row = headlineRow(r.evaluation?.rows);
      const ev = row ? ` At length ${row.length}: oracle ${pct(row.oracle)}, adaptive ${pct(row.perBatch)}.` : '';
      const choice = await vscode.window.showInformationMessage(
        `LoopLens: trained ${s.setup.taskTitle} in ${formatDuration(r.elapsedSeconds)} (${r.step} steps${typeof r.cpuSeconds === 'number' ? `, CPU time ${formatDuration(r.cpuSeconds)}` : ''}) and saved ${vscode.workspace.asRelativePath(r.modelPath)}.${ev}`,
        'Open Model',
        'Step Through',
      );
      if (choice === 'Open Model') this.handlers.openModel(r.modelPath);
      if (choice === 'Step Through') this.handlers.stepThrough(r.modelPath);
      return;
    }
    if (s.status === 'cancelled') {
      const choice = await vscode.window.showInformationMessage(`LoopLens: training stopped. ${s.hint ?? ''}`, 'Resume', 'Show Training');
      if (choice === 'Resume') void this.resume(s);
      if (choice === 'Show Training') show();
      return;
    }
    const e = s.error;
    const buttons = s.actions.resume ? ['Show Training', 'Resume'] : ['Show Training'];
    const choice = await vscode.window.showErrorMessage(`LoopLens: ${e?.title ?? 'training failed'}. ${e?.message ?? ''} ${s.hint ?? ''}`.trim(), ...buttons);
    if (choice === 'Resume') void this.resume(s);
    if (choice === 'Show Training') show();
  }

  dispose(): void {
    // Closing stdin makes the worker checkpoint and exit, so a window reload loses nothing.
    this.run?.dispose();
    this.runChanged.dispose();
  }
}

/** The optional argument of looplens.train (the walkthrough's button passes one): skip the questions it answers. */
function trainOptions(arg: unknown): TrainCommandOptions {
  if (!arg || typeof arg !== 'object') return {};
  const o = arg as Record<string, unknown>;
  return {
    ...(typeof o.task === 'string' ? { task: o.task } : {}),
    ...(typeof o.preset === 'string' ? { preset: o.preset } : {}),
  };
}

export function registerTraining(context: vscode.ExtensionContext, log: vscode.OutputChannel): Trainer {
  const t = new Trainer(context, log);
  t.register();
  return t;
}
