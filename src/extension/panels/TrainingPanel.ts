// The Training panel: live curves of the current run (drawn by webview/training.entry.ts) and its
// Cancel / Resume / Save Checkpoint as Model / Open Model buttons. One panel; a new run replaces
// what it shows. The state is sent whole, at most a few times a second. After a window reload the
// serializer brings back the last state the webview saved (a run that was going then was stopped
// by the reload).
import * as vscode from 'vscode';
import { webviewOptions } from './webviewHtml';
import { PanelHost, registerPanelRestorer } from './panelHost';
import { trainingMessages } from './panelMessages';
import { PANEL_RECORD_KEYS, restoreTrainingState, type TrainingRecord } from './panelRestore';
import { PanelRecord } from './panelRecord';
import { canExportCheckpoint, TRAINING_EXPORT_TABLES, type TrainingToHost, type TrainingToWebview, type TrainingViewState } from '../../protocol/training';
import type { ExportDataRequest } from '../../protocol/export';
import { evaluationTable } from '../../core/export/evaluationExport';
import { tableText } from '../../core/export/table';
import { trainingEvalsTable, trainingHistoryTable } from '../../core/export/trainingExport';
import { handleExport, type ExportedText } from './exportFile';

export interface TrainingPanelHandlers {
  cancel(): void;
  resume(state: TrainingViewState): void;
  openModel(path: string): void;
  stepThrough(path: string): void;
  evaluate(path: string): void;
  exportCheckpoint(state: TrainingViewState): void;
}

const SEND_INTERVAL_MS = 300;

export class TrainingPanel extends PanelHost<TrainingToHost, TrainingToWebview> {
  static readonly viewType = 'looplens.training';
  private static current: TrainingPanel | undefined;

  static show(extensionUri: vscode.Uri, state: TrainingViewState, handlers: TrainingPanelHandlers): TrainingPanel {
    const existing = TrainingPanel.current;
    if (existing) {
      existing.setState(state);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TrainingPanel.viewType, TrainingPanel.titleOf(state), { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, webviewOptions(extensionUri));
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, state, handlers);
    return TrainingPanel.current;
  }

  /** Shows a newer state of the run if the panel is open (a closed panel stays closed). */
  static update(state: TrainingViewState): void {
    TrainingPanel.current?.setState(state);
  }

  /** The host's record of what the panel shows: the paths a restored panel uses. */
  private static readonly records = new PanelRecord<TrainingRecord>(PANEL_RECORD_KEYS.training);

  /**
   * Brings the panel back after a reload (needs onWebviewPanel:looplens.training): the state its
   * webview saved, checked, with the run's setup (model and checkpoint paths) from `records`.
   */
  static registerSerializer(extensionUri: vscode.Uri, handlers: TrainingPanelHandlers, records: vscode.Memento): vscode.Disposable {
    TrainingPanel.records.keepIn(records);
    const restore = (saved: unknown) => restoreTrainingState(saved, TrainingPanel.records.read());
    return registerPanelRestorer(TrainingPanel.viewType, extensionUri, restore, (panel, state) => {
      TrainingPanel.current?.panel.dispose();
      TrainingPanel.current = new TrainingPanel(panel, extensionUri, state, handlers);
    });
  }

  private static titleOf(s: TrainingViewState): string {
    return `Training · ${s.setup.task} (${s.setup.preset})`;
  }

  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private state: TrainingViewState,
    private readonly handlers: TrainingPanelHandlers,
  ) {
    super(panel, extensionUri, { script: 'training', title: 'LoopLens training', stylesheet: 'panels.css' }, trainingMessages);
    panel.title = TrainingPanel.titleOf(state);
    this.record(state);
  }

  /** Remembers the host's setup of the run shown, for a restore after a reload. */
  private readonly writeRecord = TrainingPanel.records.writer((r) => r.setup);
  private record(state: TrainingViewState): void {
    this.writeRecord({ setup: state.setup });
  }

  /** Shows a newer state; sends at once when the run ends, otherwise at most every 300 ms. */
  setState(state: TrainingViewState): void {
    this.state = state;
    this.record(state);
    this.panel.title = TrainingPanel.titleOf(state);
    const final = state.status === 'finished' || state.status === 'failed' || state.status === 'cancelled';
    const wait = final ? 0 : Math.max(0, this.lastSent + SEND_INTERVAL_MS - Date.now());
    if (this.timer !== undefined && !final) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastSent = Date.now();
      void this.post({ type: 'state', state: this.state });
    }, wait);
  }

  protected override onMessage(m: TrainingToHost): void {
    const path = this.state.result?.modelPath ?? this.state.setup.modelPath;
    switch (m.type) {
      case 'ready':
        void this.post({ type: 'state', state: this.state });
        return;
      case 'cancel':
        if (this.state.actions.cancel) this.handlers.cancel();
        return;
      case 'resume':
        if (this.state.actions.resume) this.handlers.resume(this.state);
        return;
      case 'openModel':
        if (this.state.actions.openModel) this.handlers.openModel(path);
        return;
      case 'stepThrough':
        if (this.state.actions.openModel) this.handlers.stepThrough(path);
        return;
      case 'evaluate':
        if (this.state.actions.openModel) this.handlers.evaluate(path);
        return;
      case 'exportCheckpoint':
        if (canExportCheckpoint(this.state)) this.handlers.exportCheckpoint(this.state);
        return;
      case 'exportData':
      case 'exportImage':
        void handleExport(m, TRAINING_EXPORT_TABLES, (r) => this.exportText(r)).then((result) => this.post(result));
        return;
    }
  }

  /** The run's tables (core/export/trainingExport.ts; the final evaluation as the Evaluation panel exports it). */
  private exportText(r: ExportDataRequest): ExportedText {
    const s = this.state;
    const base = `${s.setup.task}-${s.setup.preset}`;
    if (r.table === 'history') return { name: `${base}-training-history`, text: tableText(trainingHistoryTable(s.history), r.format) };
    if (r.table === 'evals') return { name: `${base}-quick-evaluations`, text: tableText(trainingEvalsTable(s.evals), r.format) };
    const ev = s.result?.evaluation;
    if (!ev) throw new Error('this run has no final evaluation');
    return { name: `${base}-final-evaluation`, text: tableText(evaluationTable([{ modelName: s.result!.modelPath.split(/[\\/]/).pop() ?? 'model', rows: ev.rows }]), r.format) };
  }

  protected override dispose(): void {
    clearTimeout(this.timer);
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    super.dispose();
  }
}

