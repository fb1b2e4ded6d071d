// The model editor: a read-only custom editor for .onnx files. A LoopLens model opens on its
// overview (modelPage.ts) with Step Through, Debug and Evaluate; another ONNX file on a page saying
// what it is and how to open it as binary; a damaged file on LoopLens's clear error. The page
// follows the file: a retrained model redraws.
import * as vscode from 'vscode';
import * as path from 'node:path';
import type { ModelPageToHost, ModelPageToWebview } from '../../protocol/modelPage';
import { PanelHost } from '../panels/panelHost';
import { modelPageMessages } from '../panels/panelMessages';
import { webviewOptions } from '../panels/webviewHtml';
import { debugModel } from '../models/debugModel';
import { formatBytes } from '../models/findModels';
import { buildModelPage } from './modelPage';

export const MODEL_EDITOR_VIEW_TYPE = 'looplens.modelEditor';

/** Files larger than this are not read into the extension host (a LoopLens model is well under 100 MB). */
const MAX_INSPECT_BYTES = 512 * 1024 * 1024;

class ModelDocument implements vscode.CustomDocument {
  constructor(readonly uri: vscode.Uri) {}
  dispose(): void {}
}

class ModelEditorPanel extends PanelHost<ModelPageToHost, ModelPageToWebview> {
  private readonly onDisk: boolean;

  constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private readonly uri: vscode.Uri,
    private readonly log: vscode.OutputChannel,
  ) {
    super(panel, extensionUri, { script: 'model', title: path.basename(uri.path), stylesheet: 'model.css' }, modelPageMessages);
    this.onDisk = uri.scheme === 'file';
    if (this.onDisk) {
      const w = vscode.workspace.createFileSystemWatcher(new vscode.RelativePattern(vscode.Uri.file(path.dirname(uri.fsPath)), path.basename(uri.fsPath)));
      const reload = () => void this.send();
      this.disposables.push(w, w.onDidChange(reload), w.onDidCreate(reload), w.onDidDelete(reload));
    }
  }

  private async read(): Promise<{ bytes: Uint8Array | null; error?: string }> {
    const name = path.basename(this.uri.path);
    try {
      const st = await vscode.workspace.fs.stat(this.uri);
      // A FIFO or a device would block or never end: only regular files are read.
      if ((st.type & vscode.FileType.File) === 0) return { bytes: null, error: `${name} is not a regular file (a pipe, socket or device?): LoopLens reads only regular files.` };
      if (st.size > MAX_INSPECT_BYTES) return { bytes: null, error: `${name} is ${formatBytes(st.size)}, too large to inspect here (LoopLens reads files up to ${formatBytes(MAX_INSPECT_BYTES)}). Open it as binary, or with an ONNX viewer.` };
      return { bytes: await vscode.workspace.fs.readFile(this.uri) };
    } catch (e) {
      const gone = e instanceof vscode.FileSystemError && e.code === 'FileNotFound';
      return { bytes: null, error: gone ? `${name} no longer exists (it was deleted or moved).` : `${name} cannot be read: ${(e as Error).message}` };
    }
  }

  private async send(): Promise<void> {
    const { bytes, error } = await this.read();
    const page = buildModelPage({ fileName: path.basename(this.uri.path), path: this.onDisk ? this.uri.fsPath : this.uri.toString(), onDisk: this.onDisk }, bytes, error);
    if (page.kind === 'error') this.log.appendLine(`model editor: ${page.message}`);
    await this.post({ type: 'page', page });
  }

  protected override async onMessage(m: ModelPageToHost): Promise<void> {
    const file = this.uri.fsPath;
    switch (m.type) {
      case 'ready':
        await this.send();
        return;
      case 'stepThrough':
        if (this.onDisk) await vscode.commands.executeCommand('looplens.stepThrough', file);
        return;
      case 'debug':
        if (this.onDisk) await debugModel(file);
        return;
      case 'evaluate':
        if (this.onDisk) await vscode.commands.executeCommand('looplens.evaluate', file);
        return;
      case 'makeCurrent':
        if (this.onDisk) await vscode.commands.executeCommand('looplens.openModel', file);
        return;
      case 'openAsBinary':
        // VS Code's own editor: its "binary file" notice offers to open the bytes anyway
        await vscode.commands.executeCommand('vscode.openWith', this.uri, 'default');
        return;
      case 'train':
        await vscode.commands.executeCommand('looplens.train');
        return;
    }
  }
}

class ModelEditorProvider implements vscode.CustomReadonlyEditorProvider<ModelDocument> {
  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly log: vscode.OutputChannel,
  ) {}

  openCustomDocument(uri: vscode.Uri): ModelDocument {
    return new ModelDocument(uri);
  }

  resolveCustomEditor(document: ModelDocument, panel: vscode.WebviewPanel): void {
    panel.webview.options = webviewOptions(this.extensionUri);
    new ModelEditorPanel(panel, this.extensionUri, document.uri, this.log);
  }
}

export function registerModelEditor(context: vscode.ExtensionContext, log: vscode.OutputChannel): void {
  context.subscriptions.push(
    vscode.window.registerCustomEditorProvider(MODEL_EDITOR_VIEW_TYPE, new ModelEditorProvider(context.extensionUri, log), {
      supportsMultipleEditorsPerDocument: true,
      webviewOptions: { retainContextWhenHidden: false },
    }),
  );
}
