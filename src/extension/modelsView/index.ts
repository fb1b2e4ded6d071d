// The Models view and what its items offer: open (the model editor), Step Through, Debug, Evaluate,
// Resume Training, Save Checkpoint as Model and Go On From Here With Other Stages (runs), Average Weights With… (a model soup), Reveal in
// Explorer and Delete (with confirmation; shipped models cannot be deleted).
import * as vscode from 'vscode';
import * as path from 'node:path';
import { exportCheckpoint } from '../../core/train/exportCheckpoint';
import { debugModel } from '../models/debugModel';
import { averageModels } from './averageModels';
import { pathArgument } from '../models/openModelCommand';
import { MODEL_EDITOR_VIEW_TYPE } from '../modelEditor';
import { ModelsTree, MODELS_VIEW, type ActiveRunSource } from './modelsView';
import type { TreeNode } from './treeModel';

export { ModelsTree } from './modelsView';

/** The file a command was given: a tree node, a Uri or a path. */
function fileOf(arg: unknown): string | undefined {
  const node = arg as Partial<TreeNode> | undefined;
  if (node && typeof node === 'object' && (node.kind === 'model' || node.kind === 'run') && 'file' in node && node.file) return node.file.path;
  return pathArgument(arg);
}

/** Opens a model file in the LoopLens model editor. */
export async function openInModelEditor(file: string, preview = true): Promise<void> {
  await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(file), MODEL_EDITOR_VIEW_TYPE, { preview });
}

async function reveal(file: string): Promise<void> {
  const uri = vscode.Uri.file(file);
  const inWorkspace = vscode.workspace.getWorkspaceFolder(uri) !== undefined;
  if (inWorkspace) {
    await vscode.commands.executeCommand('revealInExplorer', uri);
    return;
  }
  // Outside the workspace the Explorer cannot show it: the OS file manager can (desktop), else say where it is.
  const known = await vscode.commands.getCommands(true);
  if (vscode.env.uiKind === vscode.UIKind.Desktop && known.includes('revealFileInOS')) {
    await vscode.commands.executeCommand('revealFileInOS', uri);
    return;
  }
  const choice = await vscode.window.showInformationMessage(`${path.basename(file)} is outside the workspace, at ${file}.`, 'Copy Path');
  if (choice === 'Copy Path') await vscode.env.clipboard.writeText(file);
}

async function remove(file: string, what: string, tree: ModelsTree): Promise<void> {
  const name = path.basename(file);
  const ok = await vscode.window.showWarningMessage(`Delete ${what} ${name}?`, { modal: true, detail: `${file}\n\nIt goes to the trash where this system has one.` }, 'Delete');
  if (ok !== 'Delete') return;
  const uri = vscode.Uri.file(file);
  try {
    await vscode.workspace.fs.delete(uri, { useTrash: true });
  } catch {
    const again = await vscode.window.showWarningMessage(`${name} cannot be moved to the trash here. Delete it permanently?`, { modal: true }, 'Delete Permanently');
    if (again !== 'Delete Permanently') return;
    try {
      await vscode.workspace.fs.delete(uri, { useTrash: false });
    } catch (e) {
      void vscode.window.showErrorMessage(`LoopLens could not delete ${name}: ${(e as Error).message}`);
      return;
    }
  }
  tree.summaries.forget(file);
  tree.refresh();
}

/** Says a new model file was saved (the Models view refreshed) and offers what to do with it. */
async function offerNewModel(message: string, file: string, tree: ModelsTree): Promise<void> {
  tree.refresh();
  const choice = await vscode.window.showInformationMessage(message, 'Open', 'Step Through', 'Evaluate');
  if (choice === 'Open') await openInModelEditor(file, false);
  if (choice === 'Step Through') await vscode.commands.executeCommand('looplens.stepThrough', file);
  if (choice === 'Evaluate') await vscode.commands.executeCommand('looplens.evaluate', file);
}

async function saveCheckpointAsModel(checkpoint: string, tree: ModelsTree): Promise<void> {
  try {
    const e = await exportCheckpoint(checkpoint);
    await offerNewModel(`LoopLens: saved ${e.taskTitle} at step ${e.step} of ${e.totalSteps} as ${vscode.workspace.asRelativePath(e.modelPath)}.`, e.modelPath, tree);
  } catch (err) {
    void vscode.window.showErrorMessage(`LoopLens cannot save ${path.basename(checkpoint)} as a model: ${(err as Error).message}`);
  }
}

async function averageAndOffer(context: vscode.ExtensionContext, tree: ModelsTree, preselected?: string): Promise<void> {
  const soup = await averageModels(context, preselected);
  if (soup !== undefined) await offerNewModel(`LoopLens: saved the model soup as ${vscode.workspace.asRelativePath(soup)}.`, soup, tree);
}

export function registerModelsView(context: vscode.ExtensionContext, runs: ActiveRunSource): ModelsTree {
  const tree = new ModelsTree(context, runs);
  const view = vscode.window.createTreeView(MODELS_VIEW, { treeDataProvider: tree, showCollapseAll: true });
  const withFile = (f: (file: string) => unknown) => (arg?: unknown) => {
    const file = fileOf(arg);
    if (file) return f(file);
    void vscode.window.showInformationMessage('LoopLens: choose a model in the Models view first.');
    return undefined;
  };
  context.subscriptions.push(
    tree,
    view,
    vscode.commands.registerCommand('looplens.models.refresh', () => tree.refresh()),
    vscode.commands.registerCommand('looplens.models.open', withFile((f) => openInModelEditor(f))),
    vscode.commands.registerCommand('looplens.models.stepThrough', withFile((f) => vscode.commands.executeCommand('looplens.stepThrough', f))),
    vscode.commands.registerCommand('looplens.models.debug', withFile((f) => debugModel(f))),
    vscode.commands.registerCommand('looplens.models.evaluate', withFile((f) => vscode.commands.executeCommand('looplens.evaluate', f))),
    vscode.commands.registerCommand('looplens.models.resume', withFile((f) => vscode.commands.executeCommand('looplens.resumeTraining', f))),
    vscode.commands.registerCommand('looplens.models.saveCheckpointAsModel', withFile((f) => saveCheckpointAsModel(f, tree))),
    vscode.commands.registerCommand('looplens.models.fineTune', withFile((f) => vscode.commands.executeCommand('looplens.fineTune', f))),
    vscode.commands.registerCommand('looplens.models.goOnFrom', withFile((f) => vscode.commands.executeCommand('looplens.goOnFromCheckpoint', f))),
    vscode.commands.registerCommand('looplens.averageModels', (arg?: unknown) => averageAndOffer(context, tree, fileOf(arg))),
    vscode.commands.registerCommand('looplens.models.average', withFile((f) => averageAndOffer(context, tree, f))),
    vscode.commands.registerCommand('looplens.models.reveal', withFile((f) => reveal(f))),
    vscode.commands.registerCommand('looplens.models.delete', (arg?: unknown) => {
      const file = fileOf(arg);
      if (!file) return;
      const isRun = file.toLowerCase().endsWith('.ckpt');
      return remove(file, isRun ? 'the checkpoint of training run' : 'the model', tree);
    }),
  );
  return tree;
}
