// The Evaluation panel: accuracy vs input length (oracle, per-batch adaptive, per-example) with the
// training range shaded, the chosen step vs T(n), and the table (drawn by webview/evaluation.entry.ts).
// One panel; a new evaluation replaces what it shows. A finished evaluation comes back after a
// window reload from the state its webview saved.
import * as vscode from 'vscode';
import { webviewOptions } from './webviewHtml';
import { PanelHost, registerPanelRestorer } from './panelHost';
import { isEvaluationViewState, type EvaluationToHost, type EvaluationToWebview, type EvaluationViewState } from '../../protocol/evaluation';

export interface EvaluationPanelHandlers {
  cancel(): void;
  stepThrough(modelPath: string): void;
  rerun(modelPath: string): void;
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

  static registerSerializer(extensionUri: vscode.Uri, handlers: EvaluationPanelHandlers): vscode.Disposable {
    return registerPanelRestorer(EvaluationPanel.viewType, extensionUri, restoredState, (panel, state) => {
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
    super(panel, extensionUri, { script: 'evaluation', title: 'LoopLens evaluation', stylesheet: 'panels.css' });
    panel.title = EvaluationPanel.titleOf(state);
  }

  private setState(state: EvaluationViewState): void {
    this.state = state;
    this.panel.title = EvaluationPanel.titleOf(state);
    void this.post({ type: 'state', state });
  }

  protected override onMessage(m: EvaluationToHost): void {
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
    }
  }

  protected override dispose(): void {
    if (EvaluationPanel.current === this) EvaluationPanel.current = undefined;
    super.dispose();
  }
}

/** A saved state to show again; an evaluation that was running when the window reloaded was stopped with it. */
function restoredState(saved: unknown): EvaluationViewState | null {
  if (!isEvaluationViewState(saved)) return null;
  return saved.status === 'running' ? { ...saved, status: 'cancelled', progress: null } : saved;
}
