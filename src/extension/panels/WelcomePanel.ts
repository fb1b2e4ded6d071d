// The Welcome panel: what LoopLens is, and which runtime and provider it found.
import * as vscode from 'vscode';
import { webviewOptions } from './webviewHtml';
import { PanelHost } from './panelHost';
import type { WelcomeInfo, WelcomeToHost, WelcomeToWebview } from '../../protocol/welcome';

export class WelcomePanel extends PanelHost<WelcomeToHost, WelcomeToWebview> {
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

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly info: () => Promise<WelcomeInfo>,
  ) {
    super(panel, extensionUri, { script: 'welcome', title: 'LoopLens' });
  }

  protected override async onMessage(m: WelcomeToHost): Promise<void> {
    if (m.type === 'ready') await this.post({ type: 'info', info: await this.info() });
  }

  protected override dispose(): void {
    if (WelcomePanel.current === this) WelcomePanel.current = undefined;
    super.dispose();
  }
}
