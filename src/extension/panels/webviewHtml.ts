// Builds a webview's HTML shell: strict Content-Security-Policy with a per-load nonce,
// the shared stylesheet (plus the page's own, if any) and one bundled script from media/dist.
import * as vscode from 'vscode';
import { randomBytes } from 'node:crypto';

export function webviewOptions(extensionUri: vscode.Uri): vscode.WebviewOptions & vscode.WebviewPanelOptions {
  return {
    enableScripts: true,
    retainContextWhenHidden: false,
    localResourceRoots: [vscode.Uri.joinPath(extensionUri, 'media')],
  };
}

/** `stylesheet`: a file in media/ loaded after the shared looplens.css (e.g. 'panels.css'). */
export function webviewHtml(webview: vscode.Webview, extensionUri: vscode.Uri, script: string, title: string, stylesheet?: string): string {
  const nonce = randomBytes(16).toString('base64');
  const scriptUri = webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'dist', `${script}.js`));
  const styleLinks = ['looplens.css', ...(stylesheet ? [stylesheet] : [])]
    .map((file) => `  <link href="${webview.asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', file))}" rel="stylesheet">`)
    .join('\n');
  const csp = [
    "default-src 'none'",
    `style-src ${webview.cspSource} 'unsafe-inline'`,
    `img-src ${webview.cspSource} data:`,
    `font-src ${webview.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="UTF-8">
  <meta http-equiv="Content-Security-Policy" content="${csp}">
  <meta name="viewport" content="width=device-width, initial-scale=1.0">
${styleLinks}
  <title>${title}</title>
</head>
<body>
  <div id="app" aria-busy="true">Loading ${title}…</div>
  <script nonce="${nonce}" src="${scriptUri}"></script>
</body>
</html>`;
}
