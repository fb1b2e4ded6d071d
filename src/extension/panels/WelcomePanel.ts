// The Welcome panel: what LoopLens is, which runtime and provider it found, and its commands.
import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from '../webviewHtml';
import type { WelcomeInfo, WelcomeToHost, WelcomeToWebview } from '../../protocol/welcome';

export class WelcomePanel {
  static readonly viewType = 'looplens.welcome';
  private static current: WelcomePanel | undefined;

  static show(extensionUri: vscode.Uri, info: () => Promise<WelcomeInfo>): void {
    if (WelcomePanel.current) {
      WelcomePanel.current.panel.reveal();
      return;
    }
    const panel = vscode.window.createWebviewPanel(WelcomePanel.viewType, 'LoopLens', vscode.ViewColumn.One, webviewOptions(extensionUri));
    WelcomePanel.current = new WelcomePanel(panel, extensionUri, info);
  }

  private readonly disposables: vscode.Disposable[] = [];

  private constructor(private readonly panel: vscode.WebviewPanel, extensionUri: vscode.Uri, info: () => Promise<WelcomeInfo>) {
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'welcome', 'LoopLens');
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage(
      async (m: WelcomeToHost) => {
        if (m.type === 'ready') await this.post({ type: 'info', info: await info() });
        else if (m.type === 'run') await vscode.commands.executeCommand(m.command);
      },
      null,
      this.disposables,
    );
  }

  private async post(message: WelcomeToWebview): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  private dispose(): void {
    WelcomePanel.current = undefined;
    this.disposables.forEach((d) => d.dispose());
  }
}
