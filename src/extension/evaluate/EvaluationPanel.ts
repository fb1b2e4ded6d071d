// The Evaluation panel: accuracy vs input length (oracle, per-batch adaptive, per-example) with the
// training range shaded, the chosen step vs T(n), and the table (drawn by webview/evaluation.entry.ts).
// One panel; a new evaluation replaces what it shows. A finished evaluation comes back after a
// window reload from the state its webview saved.
import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import { isEvaluationViewState, type EvaluationToHost, type EvaluationToWebview, type EvaluationViewState } from '../../protocol/evaluation';

export interface EvaluationPanelHandlers {
  cancel(): void;
  stepThrough(modelPath: string): void;
  rerun(modelPath: string): void;
}

export class EvaluationPanel {
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
    return vscode.window.registerWebviewPanelSerializer(EvaluationPanel.viewType, {
      async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
        panel.webview.options = webviewOptions(extensionUri);
        if (!isEvaluationViewState(saved)) {
          panel.dispose();
          return;
        }
        // An evaluation that was running when the window reloaded was stopped with it.
        const state: EvaluationViewState = saved.status === 'running' ? { ...saved, status: 'cancelled', progress: null } : saved;
        EvaluationPanel.current?.panel.dispose();
        EvaluationPanel.current = new EvaluationPanel(panel, extensionUri, state, handlers);
      },
    });
  }

  private static titleOf(s: EvaluationViewState): string {
    return `Evaluation · ${s.setup.modelName}`;
  }

  private readonly disposables: vscode.Disposable[] = [];

  private constructor(
    private readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private state: EvaluationViewState,
    private readonly handlers: EvaluationPanelHandlers,
  ) {
    const css = panel.webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panels.css'));
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'evaluation', 'LoopLens evaluation').replace('</head>', `  <link href="${css}" rel="stylesheet">\n</head>`);
    panel.title = EvaluationPanel.titleOf(state);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((m: EvaluationToHost) => this.onMessage(m), null, this.disposables);
  }

  private setState(state: EvaluationViewState): void {
    this.state = state;
    this.panel.title = EvaluationPanel.titleOf(state);
    void this.post({ type: 'state', state });
  }

  private onMessage(m: EvaluationToHost): void {
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

  private async post(message: EvaluationToWebview): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    if (EvaluationPanel.current === this) EvaluationPanel.current = undefined;
    this.disposables.forEach((d) => d.dispose());
  }
}
