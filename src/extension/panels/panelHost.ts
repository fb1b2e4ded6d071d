// What every LoopLens panel does with its webview: load the page (strict CSP with a nonce, see
// webviewHtml), pass the page's messages to onMessage, post typed messages back, and release
// its listeners when the panel closes. Each panel keeps its own state, title and single instance.
import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { validateMessage, type MessageSchemas } from './messageValidation';

export interface PanelPage {
  /** Bundle name in media/dist (webview/NAME.entry.ts). */
  script: string;
  /** Page title, also shown while the script loads. */
  title: string;
  /** The page's own stylesheet in media/, if any. */
  stylesheet?: string;
}

export abstract class PanelHost<ToHost extends { type: string }, ToWebview> {
  protected readonly disposables: vscode.Disposable[] = [];
  /** Where dropped messages and failed handlers are reported (the extension sets its output channel). */
  static report: (line: string) => void = (line) => console.warn(line);

  /**
   * `messages` says what the page may send (panelMessages.ts): each message is checked against it
   * (shape, types, ranges) before onMessage sees it; one that fails is dropped and reported.
   */
  protected constructor(
    protected readonly panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    page: PanelPage,
    messages: MessageSchemas<ToHost>,
  ) {
    panel.webview.html = webviewHtml(panel.webview, extensionUri, page.script, page.title, page.stylesheet);
    panel.onDidDispose(() => this.dispose(), null, this.disposables);
    panel.webview.onDidReceiveMessage((raw: unknown) => this.receive(page.script, messages, raw), null, this.disposables);
  }

  private async receive(page: string, messages: MessageSchemas<ToHost>, raw: unknown): Promise<void> {
    const v = validateMessage(messages, raw);
    if (!v.ok) {
      PanelHost.report(`LoopLens ${page} panel: dropped a message: ${v.problem}`);
      return;
    }
    try {
      await this.onMessage(v.message);
    } catch (e) {
      PanelHost.report(`LoopLens ${page} panel: handling "${v.message.type}" failed: ${(e as Error).message}`);
    }
  }

  /** Receives only messages that passed the panel's checks. */
  protected abstract onMessage(message: ToHost): void | Promise<void>;

  protected async post(message: ToWebview): Promise<void> {
    await this.panel.webview.postMessage(message);
  }

  /** Runs once the panel is closed; subclasses forget their instance, then call super. */
  protected dispose(): void {
    this.disposables.forEach((d) => d.dispose());
  }
}

/**
 * Brings a panel back after a window reload from the state its webview saved. `restore` checks
 * (and may adjust or rebuild) the saved state; a state it rejects (null or a throw) goes to
 * `reject`, which by default closes the restored panel.
 */
export function registerPanelRestorer<State>(
  viewType: string,
  extensionUri: vscode.Uri,
  restore: (saved: unknown) => State | null | Promise<State | null>,
  revive: (panel: vscode.WebviewPanel, state: State) => void,
  reject: (panel: vscode.WebviewPanel, error: Error | undefined) => void = (panel) => panel.dispose(),
): vscode.Disposable {
  return vscode.window.registerWebviewPanelSerializer(viewType, {
    async deserializeWebviewPanel(panel: vscode.WebviewPanel, saved: unknown) {
      panel.webview.options = webviewOptions(extensionUri);
      let state: State | null = null;
      let error: Error | undefined;
      try {
        state = await restore(saved);
      } catch (e) {
        error = e as Error;
      }
      if (state === null) reject(panel, error);
      else revive(panel, state);
    },
  });
}
