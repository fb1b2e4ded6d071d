// Saving what a panel exports: checks the request (src/protocol/export.ts), asks where to save
// (the workspace folder by default), writes the file and says what happened. Tables are built by
// the panel (with core) from its own state; drawings come from the page as SVG text or PNG base64.
import * as vscode from 'vscode';
import * as os from 'node:os';
import { exportFileName, exportRequestProblem, type ExportDataRequest, type ExportRequest, type ExportResult } from '../../protocol/export';

/** A table the panel built for an exportData request: a suggested file name (no extension) and its text. */
export interface ExportedText {
  name: string;
  text: string;
}

const FILTERS: Record<string, Record<string, string[]>> = {
  csv: { 'CSV (comma-separated values)': ['csv'] },
  json: { JSON: ['json'] },
  svg: { 'SVG image': ['svg'] },
  png: { 'PNG image': ['png'] },
};

function defaultFolder(): vscode.Uri {
  return vscode.workspace.workspaceFolders?.[0]?.uri ?? vscode.Uri.file(os.homedir());
}

/** Asks where to save `bytes` (suggesting `fileName` in the workspace folder) and writes them. */
export async function saveBytes(fileName: string, format: string, bytes: Uint8Array): Promise<ExportResult> {
  const uri = await vscode.window.showSaveDialog({ defaultUri: vscode.Uri.joinPath(defaultFolder(), fileName), filters: FILTERS[format], saveLabel: 'Export', title: `LoopLens: export ${fileName}` });
  if (!uri) return { type: 'exportCancelled' };
  await vscode.workspace.fs.writeFile(uri, bytes);
  const shown = uri.scheme === 'file' ? uri.fsPath : uri.toString();
  void vscode.window.showInformationMessage(`LoopLens: exported ${shown}`);
  return { type: 'exported', file: shown };
}

/**
 * Handles a panel's export request end to end. `tables` are the names the panel accepts;
 * `build` makes the text of a data request (it may throw with a user-facing message).
 */
export async function handleExport(m: ExportRequest, tables: readonly string[], build: (r: ExportDataRequest) => ExportedText | Promise<ExportedText>): Promise<ExportResult> {
  const problem = exportRequestProblem(m, tables);
  if (problem) return { type: 'exportFailed', message: `The export request was not understood: ${problem}.` };
  try {
    if (m.type === 'exportImage') {
      const bytes = m.format === 'png' ? Buffer.from(m.data, 'base64') : Buffer.from(m.data, 'utf8');
      return await saveBytes(exportFileName(m.name, m.format), m.format, bytes);
    }
    const out = await build(m);
    return await saveBytes(exportFileName(out.name, m.format), m.format, Buffer.from(out.text, 'utf8'));
  } catch (e) {
    const message = (e as Error).message;
    void vscode.window.showErrorMessage(`LoopLens could not export: ${message}`);
    return { type: 'exportFailed', message };
  }
}
