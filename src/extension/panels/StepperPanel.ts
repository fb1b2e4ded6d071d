// The iteration stepper panel: shows one traced input (a StepperContent built by
// src/core/view/stepperViewModel.ts), serves attention slices on demand, and asks its handlers
// for a new view when the user types another input. One panel at a time; retainContextWhenHidden
// stays off: the webview restores its step/layer from vscode.setState when shown again.
import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { PanelHost, registerPanelRestorer } from './panelHost';
import type { StepperContent } from '../../core/view/stepperViewModel';
import { encodeFloat32Base64 } from '../../core/view/encodeAttention';
import type { StepperToHost, StepperToWebview, StepperUiState } from '../../protocol/stepper';

export interface StepperHandlers {
  /** Traces another input typed in the panel. Throw an Error with a user-facing message on bad input. */
  setInput?(text: string): Promise<StepperContent>;
  /** Opens the program at a 1-based line. Default: opens `file` when it is a path on disk. */
  openProgram?(file: string, line: number): Promise<void> | void;
}

/** Rebuilds a panel after a window reload from the UI state the webview saved (null when it cannot). */
export type StepperRestore = (state: StepperUiState | undefined) => Promise<{ content: StepperContent; handlers: StepperHandlers } | null>;

export class StepperPanel extends PanelHost<StepperToHost, StepperToWebview> {
  static readonly viewType = 'looplens.stepper';
  private static current: StepperPanel | undefined;

  /** Shows `content` in the stepper panel, creating it or replacing what it shows. */
  static show(extensionUri: vscode.Uri, content: StepperContent, handlers: StepperHandlers = {}): StepperPanel {
    const existing = StepperPanel.current;
    if (existing) {
      existing.handlers = handlers;
      existing.setContent(content);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(StepperPanel.viewType, StepperPanel.titleOf(content), vscode.ViewColumn.Active, webviewOptions(extensionUri));
    StepperPanel.current = new StepperPanel(panel, extensionUri, content, handlers);
    return StepperPanel.current;
  }

  /** Registers the serializer that brings the panel back after a reload (needs activation event onWebviewPanel:looplens.stepper). */
  static registerSerializer(extensionUri: vscode.Uri, restore: StepperRestore): vscode.Disposable {
    return registerPanelRestorer(
      StepperPanel.viewType,
      extensionUri,
      (saved) => restore(saved as StepperUiState | undefined),
      (panel, restored) => {
        StepperPanel.current?.panel.dispose();
        StepperPanel.current = new StepperPanel(panel, extensionUri, restored.content, restored.handlers);
      },
      (panel, error) => StepperPanel.showNotRestored(panel, extensionUri, error),
    );
  }

  /** Keeps a panel that could not be restored open, saying why, instead of closing it unexplained. */
  private static showNotRestored(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, error: Error | undefined): void {
    const again = 'Run “LoopLens: Step Through Iterations” again to reopen it.';
    const reason = error ? `${error.message} ${again}` : again;
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'stepper', 'LoopLens stepper');
    const once = panel.webview.onDidReceiveMessage((m: StepperToHost) => {
      if (m.type !== 'ready') return;
      once.dispose();
      void panel.webview.postMessage({ type: 'error', message: `This stepper view could not be restored. ${reason}` } satisfies StepperToWebview);
    });
  }

  private static titleOf(content: StepperContent): string {
    return `Stepper · ${content.viewModel.task.name} ${content.viewModel.task.inputText}`;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private content: StepperContent,
    private handlers: StepperHandlers,
  ) {
    super(panel, extensionUri, { script: 'stepper', title: 'LoopLens stepper', stylesheet: 'stepper.css' });
    panel.title = StepperPanel.titleOf(content);
  }

  private setContent(content: StepperContent): void {
    this.content = content;
    this.panel.title = StepperPanel.titleOf(content);
    void this.post({ type: 'viewModel', viewModel: content.viewModel });
  }

  protected override async onMessage(m: StepperToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.post({ type: 'viewModel', viewModel: this.content.viewModel });
        return;
      case 'needAttention': {
        const { steps, layers } = this.content.viewModel.attention;
        if (!Number.isInteger(m.step) || m.step < 1 || m.step > steps || !Number.isInteger(m.layer) || m.layer < 0 || m.layer >= layers) return;
        await this.post({ type: 'attention', step: m.step, layer: m.layer, data: encodeFloat32Base64(this.content.attention(m.step, m.layer)) });
        return;
      }
      case 'setInput':
        if (!this.handlers.setInput) {
          await this.post({ type: 'error', message: 'This view cannot trace other inputs.' });
          return;
        }
        try {
          this.setContent(await this.handlers.setInput(m.text));
        } catch (e) {
          await this.post({ type: 'error', message: (e as Error).message });
        }
        return;
      case 'openProgram':
        await this.openProgram(m.file, m.line);
        return;
    }
  }

  private async openProgram(file: string, line: number): Promise<void> {
    try {
      if (this.handlers.openProgram) return await this.handlers.openProgram(file, line);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const pos = new vscode.Position(Math.max(0, line - 1), 0);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos), preview: true });
    } catch (e) {
      void vscode.window.showWarningMessage(`LoopLens: cannot open ${file}: ${(e as Error).message}`);
    }
  }

  protected override dispose(): void {
    if (StepperPanel.current === this) StepperPanel.current = undefined;
    super.dispose();
  }
}
