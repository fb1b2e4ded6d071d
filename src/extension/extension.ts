// LoopLens's entry point in VS Code: registers commands; every feature lives in its own module.
import * as vscode from 'vscode';
import { WelcomePanel } from './panels/WelcomePanel';
import { registerRaspl } from './rasp';
import { registerModels } from './models';
import { registerTraining } from './train';
import { registerStepThrough } from './stepThrough';
import { registerEvaluation } from './evaluate';
import { readSettings } from './settings';
import { cudaUnavailableReason, onnxRuntimeVersion } from '../core/infer/executionProvider';
import type { WelcomeInfo } from '../protocol/welcome';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LoopLens');
  context.subscriptions.push(log);

  const welcomeInfo = async (): Promise<WelcomeInfo> => {
    const settings = readSettings();
    const missing = cudaUnavailableReason();
    const provider = settings.executionProvider === 'cpu' || (settings.executionProvider === 'auto' && missing) ? 'CPU' : 'CUDA';
    return {
      version: context.extension.packageJSON.version as string,
      onnxRuntime: onnxRuntimeVersion,
      provider,
      providerNote: settings.executionProvider !== 'cpu' ? missing : undefined,
    };
  };

  registerRaspl(context); // .raspl diagnostics + looplens.runRaspl
  context.subscriptions.push(vscode.commands.registerCommand('looplens.showWelcome', () => WelcomePanel.show(context.extensionUri, welcomeInfo)));
  const currentModel = registerModels(context, log); // status bar + looplens.openModel
  registerTraining(context, log); // looplens.train (child process) + Training panel
  registerStepThrough(context, currentModel, log); // looplens.stepThrough + stepper panel restore
  registerEvaluation(context, currentModel, log); // looplens.evaluate (child process) + Evaluation panel
  log.appendLine(`LoopLens activated (ONNX Runtime ${onnxRuntimeVersion}).`);
}

export function deactivate(): void {}
