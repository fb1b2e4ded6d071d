// A stepper's program link (a line number of its RASP-L source): opens the workspace's copy of the
// task's program at that line, copying it there first when the stepper shows the program shipped
// in LoopLens's install folder, which is never opened. Without a workspace folder the program
// opens as an untitled document (nothing to copy it into). An editor already showing the program
// (the debugger's) moves to the line instead of a second one opening.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import type { Task } from '../../core/tasks/types';
import { ensureWorkspaceProgram, inInstallFolder, WorkspaceProgramError } from '../debug/workspaceProgram';

/** The document a program link opens for `file` (the program the stepper shows). */
async function programDocument(extensionUri: vscode.Uri, task: Task, modelPath: string, file: string): Promise<vscode.TextDocument> {
  if (!inInstallFolder(extensionUri, file) && fs.existsSync(file)) return vscode.workspace.openTextDocument(vscode.Uri.file(file));
  try {
    return await vscode.workspace.openTextDocument(vscode.Uri.file(ensureWorkspaceProgram(extensionUri, task, modelPath)));
  } catch (e) {
    if (!(e instanceof WorkspaceProgramError)) throw e;
    void vscode.window.showInformationMessage(`LoopLens opened the ${task.title} task’s RASP-L program as an untitled file: open a folder to keep it as models/tasks/${task.name}.raspl in your workspace.`);
    const content = task.raspl?.source ?? fs.readFileSync(file, 'utf8');
    return vscode.workspace.openTextDocument({ language: 'raspl', content });
  }
}

/** Opens the program at a 1-based line, revealed in the middle of the editor. */
export async function openProgramLine(extensionUri: vscode.Uri, task: Task, modelPath: string, file: string, line: number): Promise<void> {
  const doc = await programDocument(extensionUri, task, modelPath, file);
  const shown = vscode.window.visibleTextEditors.find((e) => e.document.uri.toString() === doc.uri.toString());
  const at = new vscode.Position(Math.min(Math.max(0, line - 1), Math.max(0, doc.lineCount - 1)), 0);
  const editor = await vscode.window.showTextDocument(doc, { viewColumn: shown?.viewColumn ?? vscode.ViewColumn.Beside, selection: new vscode.Range(at, at), preview: !shown });
  editor.revealRange(new vscode.Range(at, at), vscode.TextEditorRevealType.InCenterIfOutsideViewport);
}
