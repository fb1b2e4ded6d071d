// The RASP-L program a debug session steps through, and the one a stepper's program link opens, is
// a workspace file: breakpoints, edits and inline values belong to the user's copy, never to
// LoopLens's install folder. For a task without one, the shipped program (or a custom task's own
// file, stored in the model) is copied to models/tasks/<task>.raspl in the workspace on demand,
// with a message saying so.
import * as vscode from 'vscode';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Task } from '../../core/tasks/types';

/** Thrown when there is no workspace to keep the program in, or no program for the task. */
export class WorkspaceProgramError extends Error {}

function isInside(file: string, folder: string): boolean {
  const rel = path.relative(folder, file);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** The workspace folder for a session: the one holding the model, else the first. */
export function sessionFolder(modelPath?: string): vscode.WorkspaceFolder | undefined {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return folders.find((f) => modelPath !== undefined && isInside(modelPath, f.uri.fsPath)) ?? folders[0];
}

/** Whether `file` lies in LoopLens's install folder and in no workspace folder. */
export function inInstallFolder(extensionUri: vscode.Uri, file: string): boolean {
  const folders = vscode.workspace.workspaceFolders ?? [];
  return isInside(path.resolve(file), extensionUri.fsPath) && !folders.some((f) => isInside(path.resolve(file), f.uri.fsPath));
}

/** Where the workspace keeps the program of `task` (models/tasks/<task>.raspl), whether or not it is there yet; null without a workspace folder. */
export function workspaceProgramPath(task: Task, modelPath?: string): string | null {
  const folder = sessionFolder(modelPath);
  return folder ? path.join(folder.uri.fsPath, 'models', 'tasks', `${task.name}.raspl`) : null;
}

/** The workspace's program of `task` (models/tasks/<task>.raspl), copied there first when missing. */
export function ensureWorkspaceProgram(extensionUri: vscode.Uri, task: Task, modelPath?: string): string {
  const folder = sessionFolder(modelPath);
  const file = workspaceProgramPath(task, modelPath);
  if (!folder || !file) throw new WorkspaceProgramError(`Open a folder first: LoopLens keeps the task’s RASP-L program as a file of your workspace (models/tasks/${task.name}.raspl), where its breakpoints and inline values live.`);
  if (fs.existsSync(file)) return file;
  const source = task.raspl ? task.raspl.source : shippedProgramSource(extensionUri, task);
  if (source === null) throw new WorkspaceProgramError(`LoopLens has no RASP-L program for the ${task.name} task: write one (see models/tasks/README.md) and set "program" in the launch configuration.`);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, source, { flag: 'wx' });
  const rel = path.relative(folder.uri.fsPath, file).split(path.sep).join('/');
  void vscode.window.showInformationMessage(
    `LoopLens copied the ${task.title} task’s RASP-L program to ${rel} in your workspace: the debugger and the stepper use that copy (set breakpoints there; edits change the program the model is compared with).`,
  );
  return file;
}

/** The shipped reference program of `task` (in the install folder: read it, never open it for editing); null when LoopLens ships none. */
export function shippedProgramSource(extensionUri: vscode.Uri, task: Task): string | null {
  const shipped = vscode.Uri.joinPath(extensionUri, 'models', 'tasks', `${task.name}.raspl`).fsPath;
  return fs.existsSync(shipped) ? fs.readFileSync(shipped, 'utf8') : null;
}
