// The Evaluation panel: accuracy vs input length (oracle, per-batch adaptive, per-example) with the
// training range shaded, the chosen step vs T(n), the accuracy at every loop step, and the table
// (drawn by webview/evaluation.entry.ts).
// One panel; a new evaluation replaces what it shows. A finished evaluation comes back after a
// window reload from the state its webview saved.
import * as vscode from 'vscode';
import { webviewOptions } from './webviewHtml';
import { PanelHost, registerPanelRestorer } from './panelHost';
import { evaluationMessages } from './panelMessages';
import { PANEL_RECORD_KEYS, restoreEvaluationState, type EvaluationRecord } from './panelRestore';
import { PanelRecord } from './panelRecord';
import { EVALUATION_EXPORT_TABLES, type EvaluationToHost, type EvaluationToWebview, type EvaluationViewState } from '../../protocol/evaluation';
import { tableText } from '../../core/export/table';
import { evaluationExportTable } from './evaluationExportTables';
import { handleExport } from './exportFile';

export interface EvaluationPanelHandlers {
  cancel(): void;
  stepThrough(modelPath: string): void;
  rerun(modelPath: string): void;
  /** Opens the failing example kept for `length` in the stepper. */
  openExample(state: EvaluationViewState, length: number): void;
  /** Evaluates another model of the same task with this setup, drawn over this one; clearOverlay removes it. */
  overlay(state: EvaluationViewState): void;
  clearOverlay(state: EvaluationViewState): void;
}

export class EvaluationPanel extends PanelHost<EvaluationToHost, EvaluationToWebview> {
  static readonly viewType = 'looplens.evaluation';
  private static current: EvaluationPanel | undefined;

  static show(extensionUri: vscode.Uri, state: EvaluationViewState, handlers: EvaluationPanelHandlers): void {
    if (EvaluationPanel.current) {
      EvaluationPanel.current.setState(state);
      EvaluationPanel.current.panel.reveal(undefined, true);
      return;
    }
    const panel = vscode.window.createWebviewPanel(EvaluationPanel.viewType, EvaluationPanel.titleOf(state), { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, webviewOptions(extensionUri));
    EvaluationPanel.current = new EvaluationPanel(panel, extensionUri, state, handlers);
  }

  /** Shows a newer state if the panel is open. */
  static update(state: EvaluationViewState): void {
    EvaluationPanel.current?.setState(state);
  }

  /** The host's record of what the panel shows: the paths a restored panel uses. */
  private static readonly records = new PanelRecord<EvaluationRecord>(PANEL_RECORD_KEYS.evaluation);

  /** Brings a saved evaluation back after a reload: its state checked, with the model paths from `records`. */
  static registerSerializer(extensionUri: vscode.Uri, handlers: EvaluationPanelHandlers, records: vscode.Memento): vscode.Disposable {
    EvaluationPanel.records.keepIn(records);
    const restore = (saved: unknown) => restoreEvaluationState(saved, EvaluationPanel.records.read());
    return registerPanelRestorer(EvaluationPanel.viewType, extensionUri, restore, (panel, state) => {
      EvaluationPanel.current?.panel.dispose();
      EvaluationPanel.current = new EvaluationPanel(panel, extensionUri, state, handlers);
    });
  }

  private static titleOf(s: EvaluationViewState): string {
    return `Evaluation · ${s.setup.modelName}`;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private state: EvaluationViewState,
    private readonly handlers: EvaluationPanelHandlers,
  ) {
    super(panel, extensionUri, { script: 'evaluation', title: 'LoopLens evaluation', stylesheet: 'panels.css' }, evaluationMessages);
    panel.title = EvaluationPanel.titleOf(state);
    this.record(state);
  }

  /** Remembers the host's setup and overlay path, for a restore after a reload. */
  private readonly writeRecord = EvaluationPanel.records.writer((r) => JSON.stringify(r));
  private record(state: EvaluationViewState): void {
    this.writeRecord({ setup: state.setup, overlayModelPath: state.overlay?.modelPath ?? null });
  }

  private setState(state: EvaluationViewState): void {
    this.state = state;
    this.record(state);
    this.panel.title = EvaluationPanel.titleOf(state);
    void this.post({ type: 'state', state });
  }

  protected override async onMessage(m: EvaluationToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        void this.post({ type: 'state', state: this.state });
        return;
      case 'cancel':
        if (this.state.status === 'running') this.handlers.cancel();
        return;
      case 'stepThrough':
        this.handlers.stepThrough(this.state.setup.modelPath);
        return;
      case 'rerun':
        if (this.state.status !== 'running') this.handlers.rerun(this.state.setup.modelPath);
        return;
      case 'openExample':
        if (Number.isInteger(m.length) && this.state.setup.lengths.includes(m.length)) this.handlers.openExample(this.state, m.length);
        return;
      case 'overlay':
        this.handlers.overlay(this.state);
        return;
      case 'clearOverlay':
        if (this.state.overlay) this.handlers.clearOverlay(this.state);
        return;
      case 'exportData':
      case 'exportImage':
        void this.post(await handleExport(m, EVALUATION_EXPORT_TABLES, (r) => this.exportText(r.table, r.format)));
        return;
    }
  }

  /** Every model's results with their 95% intervals, case split, or accuracy at every loop step (evaluationExportTables.ts). */
  private exportText(table: string, format: 'csv' | 'json'): { name: string; text: string } {
    const base = this.state.setup.modelName.replace(/\.onnx$/, '');
    const suffix = table === 'cases' ? 'cases' : table === 'steps' ? 'by-step' : 'evaluation';
    return { name: `${base}-${suffix}`, text: tableText(evaluationExportTable(this.state, table), format) };
  }

  protected override dispose(): void {
    if (EvaluationPanel.current === this) EvaluationPanel.current = undefined;
    super.dispose();
  }
}
