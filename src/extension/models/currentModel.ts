// The current looped model: the one Step Through and Evaluate use by default and the status bar
// shows. Opening validates the file (a bad file leaves the current model as it was); the ONNX
// Runtime session of its trace graph is opened on first use and kept until the model changes.
import * as vscode from 'vscode';
import type * as ort from 'onnxruntime-node';
import { loadModel, type LoadedModel } from '../../core/model/modelFile';
import { openSession } from '../../core/infer/executionProvider';
import { LoopedSession } from '../../core/infer/loopedSession';
import { readSettings } from '../settings';
import { SessionSlot } from './sessionSlot';
import { statusText, tooltipMarkdown } from './modelSummary';

const STATE_KEY = 'looplens.currentModelPath';

export class CurrentModel implements vscode.Disposable {
  private model: LoadedModel | undefined;
  private readonly traceGraph = new SessionSlot<ort.InferenceSession>();
  private readonly evalGraph = new SessionSlot<LoopedSession>();
  private readonly changed = new vscode.EventEmitter<LoadedModel | undefined>();
  private readonly status: vscode.StatusBarItem;
  readonly onDidChange = this.changed.event;

  constructor(
    private readonly memento: vscode.Memento,
    private readonly log: vscode.OutputChannel,
  ) {
    this.status = vscode.window.createStatusBarItem('looplens.currentModel', vscode.StatusBarAlignment.Left, 50);
    this.status.name = 'LoopLens model';
    this.status.command = 'looplens.stepThrough';
  }

  get current(): LoadedModel | undefined {
    return this.model;
  }

  /** Loads and validates `path` and makes it current. Throws LoopLensModelError (current model unchanged). */
  async open(path: string): Promise<LoadedModel> {
    const m = await loadModel(path);
    this.releaseSession();
    this.model = m;
    void this.memento.update(STATE_KEY, path);
    this.status.text = `$(debug-step-over) ${statusText(m)}`;
    const tip = new vscode.MarkdownString(tooltipMarkdown(m));
    tip.isTrusted = false;
    this.status.tooltip = tip;
    this.status.show();
    this.log.appendLine(`current model: ${path} (${statusText(m)})`);
    this.changed.fire(m);
    return m;
  }

  /** Reopens the model that was current in this workspace last time, quietly (a moved or broken file is forgotten). */
  async restore(): Promise<void> {
    const path = this.memento.get<string>(STATE_KEY);
    if (!path || this.model) return;
    try {
      await this.open(path);
    } catch (e) {
      this.log.appendLine(`the last model (${path}) could not be reopened: ${(e as Error).message}`);
      void this.memento.update(STATE_KEY, undefined);
    }
  }

  /** The ONNX Runtime session of the current model's trace graph (opened once per model and settings). */
  async traceSession(): Promise<ort.InferenceSession> {
    const { m, key, settings: s } = this.sessionKey();
    return this.traceGraph.get(key, () => openSession(m.bytes, { provider: s.executionProvider, cpuThreads: s.cpuThreads, log: (line) => this.log.appendLine(line) }).then((o) => o.session));
  }

  /** A session of the current model's lean eval graph (batched read-outs only), for the length-calibrated stopping rule. */
  async evalSession(): Promise<LoopedSession> {
    const { m, key, settings: s } = this.sessionKey();
    return this.evalGraph.get(key, () => LoopedSession.fromParams(m.config, m.params, 'eval', { provider: s.executionProvider, cpuThreads: s.cpuThreads, log: (line) => this.log.appendLine(line) }));
  }

  /** Sessions are kept per model and per execution-provider settings. */
  private sessionKey(): { m: LoadedModel; key: string; settings: ReturnType<typeof readSettings> } {
    const m = this.model;
    if (!m) throw new Error('no model is open');
    const settings = readSettings();
    return { m, key: `${m.source}|${settings.executionProvider}|${settings.cpuThreads}`, settings };
  }

  private releaseSession(): void {
    this.traceGraph.release();
    this.evalGraph.release();
  }

  dispose(): void {
    this.releaseSession();
    this.status.dispose();
    this.changed.dispose();
  }
}
