// Average Model Weights (Model Soup)…: tick two or more models of one network among those LoopLens
// finds, choose where the soup goes, and write it (core/train/modelSoup.ts, as `looplens average`).
// From a model in the Models view, only the models it can be averaged with are offered, it ticked.
import * as vscode from 'vscode';
import * as path from 'node:path';
import { loadModel, LoopLensModelError, saveModel, type LoadedModel } from '../../core/model/modelFile';
import { modelSoup, soupConflicts, SoupError } from '../../core/train/modelSoup';
import { findModelFiles, type ModelFileEntry } from '../models/findModels';
import { fileSummaries, type ModelSummary } from '../models/modelInfo';
import { defaultModelsFolder, modelFolders } from '../models/modelFolders';
import { configText } from '../models/modelSummary';

interface ModelItem extends vscode.QuickPickItem {
  file: string;
}

interface Offer {
  entry: ModelFileEntry;
  summary: ModelSummary;
}

/**
 * The models LoopLens finds that read as LoopLens models (a broken file is left out; opening it says
 * why), from the summaries the Models view keeps: only the ticked models' weights are read.
 */
async function readableModels(context: vscode.ExtensionContext): Promise<Offer[]> {
  const found = await Promise.all(findModelFiles(modelFolders(context)).map(async (entry) => ({ entry, summary: await fileSummaries.model(entry.path) })));
  return found.filter((f): f is Offer => f.summary.kind === 'model');
}

/** Asks for the models and the file, writes the soup and returns its path; undefined when cancelled or refused (the reason shown). */
export async function averageModels(context: vscode.ExtensionContext, preselected?: string): Promise<string | undefined> {
  const models = await readableModels(context);
  let first: ModelSummary | undefined;
  if (preselected !== undefined) {
    const summary = models.find((m) => m.entry.path === preselected)?.summary ?? (await fileSummaries.model(preselected));
    if (summary.kind !== 'model') {
      void vscode.window.showErrorMessage(`LoopLens cannot average ${path.basename(preselected)}: it does not read as a LoopLens model (open it to see why).`);
      return undefined;
    }
    first = summary;
    // a model given from outside the folders LoopLens searches is offered too
    if (!models.some((m) => m.entry.path === preselected)) {
      models.unshift({ entry: { path: preselected, name: path.basename(preselected, '.onnx'), relative: path.basename(preselected), source: path.dirname(preselected), bytes: 0, modified: new Date(0) }, summary });
    }
  }
  const offered = first === undefined ? models : models.filter((m) => m.entry.path === preselected || soupConflicts(first.network, m.summary.network).length === 0);
  if (offered.length < 2) {
    const whose = first === undefined ? '' : ` of ${path.basename(preselected!)}'s task and network`;
    void vscode.window.showInformationMessage(`LoopLens: no other model${whose} to average with. Fine-tune a model (Fine-Tune…) to make models of one network.`);
    return undefined;
  }
  const items: ModelItem[] = offered.map(({ entry, summary }) => ({ label: entry.relative, description: `${summary.task} · ${configText(summary.network)} · ${entry.source}`, picked: entry.path === preselected, file: entry.path }));
  const picks = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'LoopLens: Average Model Weights (Model Soup)',
    placeHolder: 'Tick two or more models of one task and network (fine-tunes of one model, say), then OK',
    matchOnDescription: true,
  });
  if (!picks) return undefined;
  // the first is the one the soup's record describes: the model it was started from, else the first by name
  picks.sort((a, b) => Number(b.file === preselected) - Number(a.file === preselected) || a.label.localeCompare(b.label));
  let soup;
  try {
    const loaded: LoadedModel[] = await Promise.all(picks.map((p) => loadModel(p.file)));
    soup = modelSoup(picks.map((p, i) => ({ name: vscode.workspace.asRelativePath(p.file), model: loaded[i]! })));
  } catch (err) {
    if (!(err instanceof SoupError) && !(err instanceof LoopLensModelError)) throw err;
    void vscode.window.showErrorMessage(`LoopLens cannot average these models: ${err.message}`);
    return undefined;
  }
  const firstName = path.basename(picks[0]!.file, '.onnx');
  const target = await vscode.window.showSaveDialog({
    title: 'Save the model soup as',
    defaultUri: vscode.Uri.file(path.join(defaultModelsFolder(context), `${firstName}-soup.onnx`)),
    filters: { 'LoopLens model': ['onnx'] },
  });
  if (!target) return undefined;
  const out = target.fsPath;
  if (picks.some((p) => path.resolve(p.file) === path.resolve(out))) {
    void vscode.window.showErrorMessage(`LoopLens: ${path.basename(out)} is one of the models averaged: save the soup to a new file.`);
    return undefined;
  }
  try {
    await vscode.workspace.fs.createDirectory(vscode.Uri.file(path.dirname(out)));
    await saveModel(out, soup);
  } catch (err) {
    void vscode.window.showErrorMessage(`LoopLens could not write ${path.basename(out)}: ${(err as Error).message}`);
    return undefined;
  }
  return out;
}
