// "LoopLens: Evaluate Length Generalization": choose test lengths and examples per length, run the
// evaluation in a child process (minutes of work must not block the extension host) with a
// cancellable progress notification, and fill the Evaluation panel one length at a time.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { LoadedModel } from '../../core/model/modelFile';
import type { EvaluationViewState } from '../../protocol/evaluation';
import { ensureModel, openModelFile, pathArgument, type CurrentModel } from '../models';
import { readSettings } from '../settings';
import { ChildWorker } from '../workers/childWorker';
import { defaultTestLengths, maxTrainLengthOf, parseLengths } from './evalDefaults';
import { EvaluationPanel, type EvaluationPanelHandlers } from '../panels/EvaluationPanel';
import { applyEvalExit, applyEvalMessage, evaluationSetupOf, initialEvaluationState } from './evaluationState';
import type { EvalWorkerInbound, EvalWorkerOutbound } from './evalWorkerProtocol';

/** Examples per batch: the paper's adaptive rule chooses one step for each batch of one length. */
const BATCH_SIZE = 64;
const SEED = 1234;

const EXAMPLE_CHOICES = [
  { examples: 256, label: '256 examples per length', description: 'a quick look (accuracy ± 3%)' },
  { examples: 1280, label: '1,280 examples per length', description: 'the looplens eval default (± 1.4%)' },
  { examples: 6400, label: '6,400 examples per length', description: 'as in the paper (± 0.6%)' },
];

export class Evaluator implements vscode.Disposable {
  private worker: ChildWorker<EvalWorkerInbound, EvalWorkerOutbound> | undefined;

  constructor(
    private readonly context: vscode.ExtensionContext,
    private readonly current: CurrentModel,
    private readonly log: vscode.OutputChannel,
  ) {}

  register(): void {
    this.context.subscriptions.push(
      this,
      vscode.commands.registerCommand('looplens.evaluate', (arg?: unknown) => this.command(pathArgument(arg))),
      EvaluationPanel.registerSerializer(this.context.extensionUri, this.handlers),
    );
  }

  private readonly handlers: EvaluationPanelHandlers = {
    cancel: () => this.worker?.send({ type: 'cancel' }),
    stepThrough: (p) => void vscode.commands.executeCommand('looplens.stepThrough', p),
    rerun: (p) => void this.command(p),
  };

  private async command(file?: string): Promise<void> {
    let model: LoadedModel | undefined;
    if (file && this.current.current?.source !== file) model = await openModelFile(this.current, file);
    else model = await ensureModel(this.context, this.current, 'Evaluate Length Generalization');
    if (!model) return;
    const task = model.task;
    const maxTrain = maxTrainLengthOf((model.metadata.training.recipe as { curriculum?: { end: number } }).curriculum, task);
    const lengthName = task.lengthNames.length === 2 ? `${task.lengthNames[1]} (with ${task.lengthNames[0]} = 2)` : task.lengthNames[0];
    const title = `Evaluate ${path.basename(model.source)} (${task.title})`;
    const lengthsText = await vscode.window.showInputBox({
      title,
      prompt: `Test lengths ${lengthName}, comma-separated or a range like 5..40. It was trained on 1..${maxTrain}; the paper tests ${task.title.toLowerCase()} at ${task.testLength}.`,
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
    const pick = await vscode.window.showQuickPick(EXAMPLE_CHOICES, { title, placeHolder: `Random examples per length (batches of ${BATCH_SIZE})` });
    if (!pick) return;
    this.start(model, { lengths, examples: pick.examples, batchSize: BATCH_SIZE, seed: SEED });
  }

  private start(model: LoadedModel, o: { lengths: number[]; examples: number; batchSize: number; seed: number }): void {
    if (this.worker && !this.worker.hasExited) {
      this.log.appendLine('a new evaluation replaces the running one');
      this.worker.send({ type: 'cancel' });
    }
    const settings = readSettings();
    const script = vscode.Uri.joinPath(this.context.extensionUri, 'dist', 'eval-worker.js').fsPath;
    const worker = new ChildWorker<EvalWorkerInbound, EvalWorkerOutbound>({ script, onLog: (line) => this.log.appendLine(`[eval] ${line}`) });
    this.worker = worker;
    let state = initialEvaluationState(evaluationSetupOf(model, o));
    const listeners: ((s: EvaluationViewState) => void)[] = [];
    const set = (next: EvaluationViewState) => {
      if (next === state) return;
      state = next;
      if (this.worker === worker) EvaluationPanel.update(state); // a replaced evaluation no longer draws
      listeners.forEach((l) => l(state));
    };
    worker.onMessage((m) => {
      if (m.type === 'ready') worker.send({ type: 'start', options: { modelPath: model.source, ...o, provider: settings.executionProvider, cpuThreads: settings.cpuThreads || undefined } });
      if (m.type === 'log') this.log.appendLine(`[eval] ${m.message}`);
      set(applyEvalMessage(state, m));
    });
    const finished = worker.exited.then((exit) => {
      set(applyEvalExit(state, exit));
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
          progress.report({ message: `length ${s.progress.length} (${s.progress.done}/${s.progress.total} batches)`, increment: Math.max(0, done - reported) });
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
  }
}

export function registerEvaluation(context: vscode.ExtensionContext, current: CurrentModel, log: vscode.OutputChannel): Evaluator {
  const e = new Evaluator(context, current, log);
  e.register();
  return e;
}
