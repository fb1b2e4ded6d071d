// The current looped model: the one Step Through and Evaluate use by default and the status bar
// shows. Opening validates the file (a bad file leaves the current model as it was); the ONNX
// Runtime sessions of its trace and eval graphs are opened on first use and kept until the model
// changes, with the length-calibrated stops already computed for it.
import * as vscode from 'vscode';
import { loadModel, type LoadedModel } from '../../core/model/modelFile';
import { LoopedSession, type SessionSettings } from '../../core/infer/loopedSession';
import { LoopStateSession } from '../../core/infer/stateSession';
import type { TraceSessions } from '../../core/trace/traceInput';
import { readSettings } from '../settings';
import { SessionSlot } from './sessionSlot';
import { statusText, tooltipMarkdown } from './modelSummary';

const STATE_KEY = 'looplens.currentModelPath';

export class CurrentModel implements vscode.Disposable {
  private model: LoadedModel | undefined;
  private readonly traceGraph = new SessionSlot<LoopedSession>();
  private readonly evalGraph = new SessionSlot<LoopedSession>();
  private readonly stateGraph = new SessionSlot<LoopStateSession>();
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

  /** Length-calibrated stops of the current model (core/trace fills it), by lengths and width. */
  readonly calibratedStops = new Map<string, number>();

  /** Sessions of the current model's trace graph (from the file) and lean eval graph (for the length-calibrated stop), opened once per model and settings. */
  async traceSessions(): Promise<TraceSessions> {
    const { m, key, settings } = this.sessionKey();
    return {
      // Built from the checked config and weights, like every trace (core/trace openTraceSessions).
      trace: await this.traceGraph.get(key, () => LoopedSession.fromParams(m.config, m.params, 'trace', settings)),
      eval: await this.evalGraph.get(key, () => LoopedSession.fromParams(m.config, m.params, 'eval', settings)),
    };
  }

  /** The current model's resumable state graph, for linear probes over random inputs (the stepper, the debugger). */
  async stateSession(): Promise<LoopStateSession> {
    const { m, key, settings } = this.sessionKey();
    return this.stateGraph.get(key, () => LoopStateSession.fromParams(m.config, m.params, settings));
  }

  /** Sessions are kept per model and per execution-provider settings. */
  private sessionKey(): { m: LoadedModel; key: string; settings: SessionSettings } {
    const m = this.model;
    if (!m) throw new Error('no model is open');
    const s = readSettings();
    return { m, key: `${m.source}|${s.executionProvider}|${s.cpuThreads}`, settings: { provider: s.executionProvider, cpuThreads: s.cpuThreads, log: (line) => this.log.appendLine(line) } };
  }

  private releaseSession(): void {
    this.traceGraph.release();
    this.evalGraph.release();
    this.stateGraph.release();
    this.calibratedStops.clear();
  }

  dispose(): void {
    this.releaseSession();
    this.status.dispose();
    this.changed.dispose();
  }
}
