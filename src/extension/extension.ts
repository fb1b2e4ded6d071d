// LoopLens's entry point in VS Code: registers commands; every feature lives in its own module.
import * as vscode from 'vscode';
import { WelcomePanel } from './panels/WelcomePanel';
import { registerRaspl } from './rasp';
import { readSettings } from './settings';
import { cudaUnavailableReason, onnxRuntimeVersion } from '../core/infer/executionProvider';
import type { WelcomeInfo } from '../protocol/welcome';

/** Commands whose feature has not landed yet: they say so instead of failing silently. */
const notYetBuilt: Record<string, string> = {
  'looplens.train': 'Train Looped Model',
  'looplens.openModel': 'Open Looped Model…',
  'looplens.stepThrough': 'Step Through Iterations',
  'looplens.evaluate': 'Evaluate Length Generalization',
};

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
      commands: Object.entries(notYetBuilt).map(([, title]) => ({ title, ready: false })),
    };
  };

  registerRaspl(context); // .raspl diagnostics + looplens.runRaspl
  context.subscriptions.push(vscode.commands.registerCommand('looplens.showWelcome', () => WelcomePanel.show(context.extensionUri, welcomeInfo)));
  for (const [id, title] of Object.entries(notYetBuilt)) {
    context.subscriptions.push(
      vscode.commands.registerCommand(id, () =>
        vscode.window.showInformationMessage(`LoopLens: "${title}" is not built yet in this version. It arrives with a later release.`),
      ),
    );
  }
  log.appendLine(`LoopLens activated (ONNX Runtime ${onnxRuntimeVersion}).`);
}

export function deactivate(): void {}
