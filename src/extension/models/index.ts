// Models in VS Code: the current model (status bar) and "Open Looped Model…".
import * as vscode from 'vscode';
import { CurrentModel } from './currentModel';
import { openModelFile, pickModelFile, registerOpenModelCommand } from './openModelCommand';

export { CurrentModel } from './currentModel';
export { openModelFile, pickModelFile, pathArgument } from './openModelCommand';

export function registerModels(context: vscode.ExtensionContext, log: vscode.OutputChannel): CurrentModel {
  const current = new CurrentModel(context.workspaceState, log);
  context.subscriptions.push(current, registerOpenModelCommand(context, current));
  void current.restore();
  return current;
}

/** The current model, or the one the user opens now; undefined when they give up. */
export async function ensureModel(context: vscode.ExtensionContext, current: CurrentModel, why: string): Promise<CurrentModel['current']> {
  if (current.current) return current.current;
  const file = await pickModelFile(context, `${why}: open a looped model first`);
  return file ? openModelFile(current, file) : undefined;
}
