// "Debug" on a model (Models view, model editor, walkthrough): hands the model to the LoopLens
// debugger's command, `looplens.debugModel`, when this build has it; otherwise says so clearly
// and offers Step Through, which shows the same iterations beside the program.
import * as vscode from 'vscode';
import * as path from 'node:path';

export const DEBUG_MODEL_COMMAND = 'looplens.debugModel';

export async function debugModel(file: string): Promise<void> {
  const known = await vscode.commands.getCommands(true);
  if (!known.includes(DEBUG_MODEL_COMMAND)) {
    const choice = await vscode.window.showInformationMessage(
      `LoopLens cannot debug ${path.basename(file)}: this version of LoopLens has no debugger yet (command ${DEBUG_MODEL_COMMAND}). Step Through Iterations shows every loop iteration beside the RASP-L program.`,
      'Step Through',
    );
    if (choice === 'Step Through') await vscode.commands.executeCommand('looplens.stepThrough', file);
    return;
  }
  await vscode.commands.executeCommand(DEBUG_MODEL_COMMAND, file);
}
