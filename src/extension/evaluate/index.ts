// "LoopLens: Evaluate Length Generalization": choose test lengths and examples per length, run the
// evaluation in a child process (minutes of work must not block the extension host) with a
// cancellable progress notification, and fill the Evaluation panel one length at a time.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { loadModel, type LoadedModel } from '../../core/model/modelFile';
import { CALIBRATION_EXAMPLES } from '../../core/eval/calibration';
import { estimateSeconds, evaluationPlan, formatEstimate, measureCost, type EvaluationCost, type EvaluationPlan } from '../../core/eval/estimate';
import type { EvaluationViewState } from '../../protocol/evaluation';
import { ensureModel, openModelFile, pathArgument, pickModelFile, type CurrentModel } from '../models';
import { readSettings } from '../settings';
import { ChildWorker } from '../workers/childWorker';
import { parseLengths } from './evalDefaults';
import { panelBatchSize, panelRunner, panelWorkers } from './panelBatch';
import { defaultTestLengths, modelTrainingLength } from '../../core/train/testLengths';
import { recordedTrainedLengths } from '../../core/train/trainRecord';
import { EvaluationPanel, type EvaluationPanelHandlers } from '../panels/EvaluationPanel';
import { applyEvalExit, applyEvalMessage, applyOverlayExit, applyOverlayMessage, evaluationCasesOf, evaluationSetupOf, initialEvaluationState, initialOverlay, withEta } from './evaluationState';
import type { EvalWorkerInbound, EvalWorkerOutbound } from './evalWorkerProtocol';
import { parseEvalOutbound } from './evalWorkerMessages';

const SEED = 1234;

const EXAMPLE_CHOICES = [
  { examples: 256, label: '256 examples per length', description: 'a quick look (accuracy ± 3%)' },
  { examples: 1280, label: '1,280 examples per length', description: 'the looplens eval default (± 1.4%)' },
  { examples: 6400, label: '6,400 examples per length', description: 'as in the paper (± 0.6%)' },
];

type EvalOptions = { lengths: number[]; examples: number; batchSize: number; seed: number };

/** What `looplens.stepThrough` takes to open one input of a model (the Evaluation panel's failing examples). */
export interface StepThroughExample {
  modelPath: string;
  input: string;
}

export class Evaluator implements vscode.Disposable {
  private worker: ChildWorker<EvalWorkerInbound, EvalWorkerOutbound> | undefined;
  private overlayWorker: ChildWorker<EvalWorkerInbound, EvalWorkerOutbound> | undefined;
  /** The state the panel shows (the latest evaluation's, with its overlay). */
  private state: EvaluationViewState | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly current: CurrentModel,
    private readonly log: vscode.OutputChannel,
  ) {}

  register(): void {
    this.context.subscriptions.push(
      this,
      vscode.commands.registerCommand('looplens.evaluate', (arg?: unknown) => this.command(pathArgument(arg))),
      EvaluationPanel.registerSerializer(this.context.extensionUri, this.handlers, this.context.workspaceState),
    );
  }

  private readonly handlers: EvaluationPanelHandlers = {
    cancel: () => {
      this.worker?.send({ type: 'cancel' });
      this.overlayWorker?.send({ type: 'cancel' });
    },
    stepThrough: (p) => void vscode.commands.executeCommand('looplens.stepThrough', p),
    rerun: (p) => void this.command(p),
    openExample: (s, length) => this.openExample(s, length),
    overlay: (s) => void this.overlay(s),
    clearOverlay: (s) => {
      if (this.overlayWorker && !this.overlayWorker.hasExited) this.overlayWorker.send({ type: 'cancel' });
      this.overlayWorker = undefined;
      this.show({ ...s, overlay: null });
    },
  };

  /** Shows a newer state of the evaluation in the panel. */
  private show(next: EvaluationViewState): void {
    this.state = next;
    EvaluationPanel.update(next);
  }

  /** Opens the first example the model got wrong at `length` in the stepper. */
  private openExample(s: EvaluationViewState, length: number): void {
    const f = s.failures?.find((x) => x.length === length);
    if (!f) {
      const row = s.rows.find((r) => r.length === length);
      void vscode.window.showInformationMessage(row ? `LoopLens: no failing example was kept at length ${length}: every example was right under the oracle and the per-example rules.` : `LoopLens: length ${length} has not been evaluated yet.`);
      return;
    }
    const arg: StepThroughExample = { modelPath: s.setup.modelPath, input: f.input };
    void vscode.commands.executeCommand('looplens.stepThrough', arg);
  }

  /** Times a batch at the shortest and the longest length on the current model; null (logged) when it cannot. */
  private async measure(model: LoadedModel, lengths: number[], batchSize: number): Promise<EvaluationCost | null> {
    try {
      return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: 'LoopLens: timing a batch to estimate the evaluation' }, async () => {
        const sessions = await this.current.traceSessions();
        if (!sessions.eval) return null;
        return measureCost(model.task, sessions.eval, { lengths, examples: batchSize, batchSize, dModel: model.config.d });
      });
    } catch (e) {
      this.log.appendLine(`no time estimate: ${(e as Error).message}`);
      return null;
    }
  }

  private plan(model: LoadedModel, o: EvalOptions): EvaluationPlan {
    return evaluationPlan(model.task, { lengths: o.lengths, examples: o.examples, batchSize: o.batchSize, dModel: model.config.d, calibration: CALIBRATION_EXAMPLES });
  }

  private async command(file?: string): Promise<void> {
    let model: LoadedModel | undefined;
    if (file && this.current.current?.source !== file) model = await openModelFile(this.current, file);
    else model = await ensureModel(this.context, this.current, 'Evaluate Length Generalization');
    if (!model) return;
    const task = model.task;
    const trained = recordedTrainedLengths(model.metadata.training);
    const maxTrain = modelTrainingLength(model.metadata.training, task);
    const lengthName = task.lengthNames.length === 2 ? `${task.lengthNames[1]} (with ${task.lengthNames[0]} = 2)` : task.lengthNames[0];
    const title = `Evaluate ${path.basename(model.source)} (${task.title})`;
    const lengthsText = await vscode.window.showInputBox({
      title,
      prompt: `Test lengths ${lengthName}, comma-separated or a range like 5..40. ${trained ? `It was trained on ${trained.min}..${trained.max}` : 'Its trained lengths are unknown (its file predates LoopLens recording them)'}; the paper tests ${task.title.toLowerCase()} at ${task.testLength}.`,
      value: defaultTestLengths(task, maxTrain).join(', '),
      ignoreFocusOut: true,
      validateInput: (t) => {
        try {
          parseLengths(t);
          return undefined;
        } catch (e) {
          return (e as Error).message;
        }
      },
    });
    if (lengthsText === undefined) return;
    const lengths = parseLengths(lengthsText);
    const batchSize = panelBatchSize(task, model.config, lengths, Math.max(...EXAMPLE_CHOICES.map((c) => c.examples)), panelWorkers(readSettings().cpuThreads));
    const cost = await this.measure(model, lengths, batchSize);
    const seconds = (examples: number) => (cost ? estimateSeconds(this.plan(model, { lengths, examples, batchSize, seed: SEED }), cost) : null);
    const choices = EXAMPLE_CHOICES.map((c) => {
      const t = seconds(c.examples);
      return { ...c, detail: t === null ? undefined : `${formatEstimate(t)} for ${lengths.length} length${lengths.length === 1 ? '' : 's'} (measured on this machine)`, seconds: t };
    });
    const pick = await vscode.window.showQuickPick(choices, { title, placeHolder: `Random examples per length (batches of ${batchSize})` });
    if (!pick) return;
    this.start(model, { lengths, examples: pick.examples, batchSize, seed: SEED }, pick.seconds);
  }

  /** Evaluates another model with the same setup and draws it over the shown evaluation. */
  private async overlay(s: EvaluationViewState): Promise<void> {
    const file = await pickModelFile(this.context, `Overlay another model on ${s.setup.modelName}`);
    if (!file) return;
    let other: LoadedModel;
    try {
      other = await loadModel(file);
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens cannot open ${path.basename(file)} as a looped model: ${(e as Error).message}`);
      return;
    }
    if (other.task.name !== s.setup.task) {
      void vscode.window.showErrorMessage(`LoopLens: ${path.basename(file)} is a ${other.task.title} model; the overlay needs one of the same task as ${s.setup.modelName} (${s.setup.taskTitle}), so that the lengths mean the same.`);
      return;
    }
    if (this.overlayWorker && !this.overlayWorker.hasExited) this.overlayWorker.send({ type: 'cancel' });
    const o: EvalOptions = { lengths: s.setup.lengths, examples: s.setup.examples, batchSize: s.setup.batchSize, seed: s.setup.seed };
    const worker = this.spawn();
    this.overlayWorker = worker;
    this.show({ ...(this.state ?? s), overlay: initialOverlay(other, file) });
    const settings = readSettings();
    const update = (f: (ov: NonNullable<EvaluationViewState['overlay']>) => NonNullable<EvaluationViewState['overlay']>) => {
      const cur = this.state;
      if (this.overlayWorker !== worker || !cur?.overlay) return; // replaced or cleared
      const next = f(cur.overlay);
      if (next !== cur.overlay) this.show({ ...cur, overlay: next });
    };
    worker.onMessage((m) => {
      if (m.type === 'ready') worker.send({ type: 'start', options: { modelPath: file, ...o, ...panelRunner(settings) } });
      if (m.type === 'log') this.log.appendLine(`[eval overlay] ${m.message}`);
      update((ov) => applyOverlayMessage(ov, m));
    });
    void worker.exited.then((exit) => update((ov) => applyOverlayExit(ov, exit, worker.protocolError)));
    this.log.appendLine(`overlay: evaluating ${file} at lengths ${o.lengths.join(', ')} × ${o.examples} examples`);
  }

  private spawn(): ChildWorker<EvalWorkerInbound, EvalWorkerOutbound> {
    const script = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'eval-worker.js').fsPath;
    return new ChildWorker<EvalWorkerInbound, EvalWorkerOutbound>({ script, parse: parseEvalOutbound, onLog: (line) => this.log.appendLine(`[eval] ${line}`) });
  }

  private start(model: LoadedModel, o: EvalOptions, estimate: number | null = null): void {
    if (this.worker && !this.worker.hasExited) {
      this.log.appendLine('a new evaluation replaces the running one');
      this.worker.send({ type: 'cancel' });
    }
    if (this.overlayWorker && !this.overlayWorker.hasExited) this.overlayWorker.send({ type: 'cancel' }); // the overlay belonged to the replaced evaluation
    this.overlayWorker = undefined;
    const settings = readSettings();
    const worker = this.spawn();
    this.worker = worker;
    const plan = this.plan(model, o);
    let state = initialEvaluationState(evaluationSetupOf(model, o), estimate, evaluationCasesOf(model.task));
    this.state = state;
    let started = Date.now();
    const listeners: ((s: EvaluationViewState) => void)[] = [];
    const set = (next: EvaluationViewState) => {
      if (next === state) return;
      // keep an overlay started while this evaluation runs
      state = this.worker === worker && this.state ? { ...next, overlay: this.state.overlay ?? null } : next;
      if (this.worker === worker) this.show(state); // a replaced evaluation no longer draws
      listeners.forEach((l) => l(state));
    };
    worker.onMessage((m) => {
      if (m.type === 'ready') {
        started = Date.now();
        worker.send({ type: 'start', options: { modelPath: model.source, ...o, ...panelRunner(settings) } });
      }
      if (m.type === 'log') this.log.appendLine(`[eval] ${m.message}`);
      const next = applyEvalMessage(state, m);
      set(m.type === 'progress' ? withEta(next, plan, (Date.now() - started) / 1000) : next);
    });
    const finished = worker.exited.then((exit) => {
      set(applyEvalExit(state, exit, worker.protocolError));
      return state;
    });
    this.log.appendLine(`evaluating ${model.source} at lengths ${o.lengths.join(', ')} × ${o.examples} examples`);
    EvaluationPanel.show(this.context.extensionUri, state, this.handlers);
    void vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `LoopLens: evaluating ${path.basename(model.source)}`, cancellable: true },
      async (progress, token) => {
        token.onCancellationRequested(() => worker.send({ type: 'cancel' }));
        let reported = 0;
        listeners.push((s) => {
          if (!s.progress) return;
          const done = Math.floor((100 * s.progress.done) / s.progress.total);
          const left = s.progress.etaSeconds;
          progress.report({ message: `length ${s.progress.length} (${s.progress.done}/${s.progress.total} batches${left !== null && left !== undefined ? `, ${formatEstimate(left)} left` : ''})`, increment: Math.max(0, done - reported) });
          reported = Math.max(reported, done);
        });
        await finished;
      },
    );
    void finished.then((s) => {
      if (s.status === 'failed') void vscode.window.showErrorMessage(`LoopLens: the evaluation of ${path.basename(model.source)} failed: ${s.error ?? 'unknown error'}`);
    });
  }

  dispose(): void {
    this.worker?.kill();
    this.overlayWorker?.kill();
  }
}

export function registerEvaluation(context: vscode.ExtensionContext, current: CurrentModel, log: vscode.OutputChannel): Evaluator {
  const e = new Evaluator(context, current, log);
  e.register();
  return e;
}
