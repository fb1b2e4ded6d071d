// Where LoopLens looks for models and where Train saves them by default.
import * as vscode from 'vscode';
import * as os from 'node:os';
import * as path from 'node:path';
import { readSettings } from '../settings';
import type { ModelFolder } from './findModels';

/** The folder Train saves to by default: the first workspace folder's models/, else LoopLens's global storage. */
export function defaultModelsFolder(context: vscode.ExtensionContext): string {
  const ws = vscode.workspace.workspaceFolders?.[0];
  return ws ? path.join(ws.uri.fsPath, 'models') : path.join(context.globalStorageUri.fsPath, 'models');
}

/** looplens.modelsFolder resolved: `~` is the home folder, a relative path is inside the first workspace folder. */
export function settingFolder(): string | undefined {
  const raw = readSettings().modelsFolder.trim();
  if (!raw) return undefined;
  const expanded = raw === '~' || raw.startsWith('~/') ? path.join(os.homedir(), raw.slice(1)) : raw;
  if (path.isAbsolute(expanded)) return expanded;
  const ws = vscode.workspace.workspaceFolders?.[0];
  return ws ? path.join(ws.uri.fsPath, expanded) : undefined;
}

/** The source label of the models shipped with LoopLens (modelFolders). */
export const SHIPPED_SOURCE = 'shipped with LoopLens';

export function modelFolders(context: vscode.ExtensionContext): ModelFolder[] {
  const folders: ModelFolder[] = [];
  const setting = settingFolder();
  if (setting) folders.push({ dir: setting, source: 'looplens.modelsFolder' });
  for (const ws of vscode.workspace.workspaceFolders ?? []) {
    const several = vscode.workspace.workspaceFolders!.length > 1;
    folders.push({ dir: path.join(ws.uri.fsPath, 'models'), source: several ? `${ws.name}/models` : 'workspace models/' });
    // where `looplens train` writes by default
    folders.push({ dir: path.join(ws.uri.fsPath, 'runs'), source: several ? `${ws.name}/runs` : 'workspace runs/' });
  }
  folders.push({ dir: path.join(context.globalStorageUri.fsPath, 'models'), source: 'trained without a workspace' });
  folders.push({ dir: vscode.Uri.joinPath(context.extensionUri, 'models').fsPath, source: SHIPPED_SOURCE });
  return folders;
}
