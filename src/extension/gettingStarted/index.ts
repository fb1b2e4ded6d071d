// Getting started: "LoopLens: Show Welcome" opens the walkthrough (package.json `walkthroughs`),
// whose steps' buttons run the commands here on the parity model shipped with LoopLens; and
// "LoopLens: New RASP-L Task File" starts a task of one's own from a commented template.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { debugModel } from '../models/debugModel';
import { openInModelEditor } from '../modelsView';
import { RASPL_TEMPLATE, RASPL_TEMPLATE_NAME } from './rasplTemplate';

export const WALKTHROUGH_ID = 'gettingStarted';

/** The parity model shipped with LoopLens, the walkthrough's example. */
function sampleModel(context: vscode.ExtensionContext): string {
  return vscode.Uri.joinPath(context.extensionUri, 'models', 'parity.onnx').fsPath;
}

/** A new task file: models/tasks/<name>.raspl in the workspace (the first free name), or an untitled document without one. */
async function newTaskFile(): Promise<void> {
  const ws = vscode.workspace.workspaceFolders?.[0];
  if (!ws) {
    const doc = await vscode.workspace.openTextDocument({ language: 'raspl', content: RASPL_TEMPLATE });
    await vscode.window.showTextDocument(doc);
    void vscode.window.showInformationMessage('LoopLens: save this task file as a .raspl file to train a model on it.');
    return;
  }
  const dir = path.join(ws.uri.fsPath, 'models', 'tasks');
  let file = path.join(dir, `${RASPL_TEMPLATE_NAME}.raspl`);
  for (let i = 2; fs.existsSync(file); i++) file = path.join(dir, `${RASPL_TEMPLATE_NAME}_${i}.raspl`);
  await vscode.workspace.fs.writeFile(vscode.Uri.file(file), new TextEncoder().encode(RASPL_TEMPLATE));
  await vscode.window.showTextDocument(vscode.Uri.file(file));
}

export function registerGettingStarted(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.commands.registerCommand('looplens.showWelcome', () =>
      vscode.commands.executeCommand('workbench.action.openWalkthrough', `${context.extension.id}#${WALKTHROUGH_ID}`, false),
    ),
    vscode.commands.registerCommand('looplens.walkthrough.openSampleModel', () => openInModelEditor(sampleModel(context), false)),
    vscode.commands.registerCommand('looplens.walkthrough.stepThroughSample', () => vscode.commands.executeCommand('looplens.stepThrough', sampleModel(context))),
    vscode.commands.registerCommand('looplens.walkthrough.debugSample', () => debugModel(sampleModel(context))),
    vscode.commands.registerCommand('looplens.newRasplTask', () => newTaskFile()),
  );
}
