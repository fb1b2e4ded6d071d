// "LoopLens: Open Looped Model…": pick a model file (found ones or Browse…), validate it, make it
// the current model and say what it is. Also callable with a path or Uri (from Train's "Open Model").
import * as vscode from 'vscode';
import * as path from 'node:path';
import { LoopLensModelError, type LoadedModel } from '../../core/model/modelFile';
import type { CurrentModel } from './currentModel';
import { findModelFiles, formatBytes } from './findModels';
import { modelFolders } from './modelFolders';
import { openedMessage } from './modelSummary';
import { describeModel, fileSummaries } from './modelInfo';

type PickItem = vscode.QuickPickItem & { path?: string; action?: 'browse' | 'train' };

/** Asks for a model file; undefined when the user gives up. */
export async function pickModelFile(context: vscode.ExtensionContext, title = 'Open Looped Model'): Promise<string | undefined> {
  const files = findModelFiles(modelFolders(context));
  // what each file is (task, shape, trained lengths, accuracy at the test length), read once per file version
  const summaries = await Promise.all(files.map((f) => fileSummaries.model(f.path)));
  const items: PickItem[] = [];
  let lastSource = '';
  files.forEach((f, i) => {
    if (f.source !== lastSource) {
      items.push({ label: f.source, kind: vscode.QuickPickItemKind.Separator });
      lastSource = f.source;
    }
    const s = summaries[i]!;
    items.push({
      label: `${s.kind === 'model' ? '$(sync)' : s.kind === 'foreign' ? '$(file-binary)' : '$(warning)'} ${f.name}`,
      description: `${f.relative === path.basename(f.path) ? '' : `${path.dirname(f.relative)} · `}${describeModel(s)}`,
      detail: `${formatBytes(f.bytes)} · ${f.modified.toLocaleString()} · ${f.path}`,
      path: f.path,
    });
  });
  items.push({ label: '', kind: vscode.QuickPickItemKind.Separator });
  items.push({ label: '$(folder-opened) Browse…', description: 'choose an .onnx file', action: 'browse', alwaysShow: true });
  items.push({ label: '$(add) Train a new model…', description: 'LoopLens: Train Looped Model', action: 'train', alwaysShow: true });
  const picked = await vscode.window.showQuickPick(items, {
    title,
    placeHolder: files.length > 0 ? 'Choose a looped model' : 'No models found in the workspace models/ folder or looplens.modelsFolder: browse for one, or train one',
    matchOnDescription: true,
    matchOnDetail: true,
  });
  if (!picked) return undefined;
  if (picked.action === 'train') {
    void vscode.commands.executeCommand('looplens.train');
    return undefined;
  }
  if (picked.action === 'browse') {
    const uris = await vscode.window.showOpenDialog({ canSelectMany: false, openLabel: 'Open Model', filters: { 'ONNX models': ['onnx'] }, title });
    return uris?.[0]?.fsPath;
  }
  return picked.path;
}

/** Opens `file` as the current model with progress; shows a clear error and returns undefined on a bad file. */
export async function openModelFile(current: CurrentModel, file: string): Promise<LoadedModel | undefined> {
  try {
    return await vscode.window.withProgress({ location: vscode.ProgressLocation.Window, title: `LoopLens: opening ${path.basename(file)}` }, () => current.open(file));
  } catch (e) {
    const why = e instanceof LoopLensModelError ? e.message : `unexpected error: ${(e as Error).message}`;
    void vscode.window.showErrorMessage(`LoopLens cannot open ${path.basename(file)} as a looped model: ${why}`);
    return undefined;
  }
}

/** The path in a command argument: a string path or a file Uri (explorer context menus pass Uris). */
export function pathArgument(arg: unknown): string | undefined {
  if (typeof arg === 'string' && arg !== '') return arg;
  if (arg instanceof vscode.Uri && arg.scheme === 'file') return arg.fsPath;
  return undefined;
}

export function registerOpenModelCommand(context: vscode.ExtensionContext, current: CurrentModel): vscode.Disposable {
  return vscode.commands.registerCommand('looplens.openModel', async (arg?: unknown): Promise<boolean> => {
    const file = pathArgument(arg) ?? (await pickModelFile(context));
    if (!file) return false;
    const m = await openModelFile(current, file);
    if (!m) return false;
    void vscode.window.showInformationMessage(openedMessage(m), 'Step Through', 'Evaluate').then((choice) => {
      if (choice === 'Step Through') void vscode.commands.executeCommand('looplens.stepThrough');
      if (choice === 'Evaluate') void vscode.commands.executeCommand('looplens.evaluate');
    });
    return true;
  });
}
