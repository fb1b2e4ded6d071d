// LoopLens's entry point in VS Code: registers commands; every feature lives in its own module.
import * as vscode from 'vscode';
import { PanelHost } from './panels/panelHost';
import { registerRaspl } from './rasp';
import { registerModels } from './models';
import { registerTraining } from './train';
import { registerStepThrough } from './stepThrough';
import { registerEvaluation } from './evaluate';
import { registerDebugger } from './debug';
import { registerModelsView } from './modelsView';
import { registerModelEditor } from './modelEditor';
import { registerGettingStarted } from './gettingStarted';
import { registerCudaSetup } from './cuda';
import { readSettings } from './settings';
import { cudaUnavailableReason, onnxRuntimeVersion } from '../core/infer/executionProvider';

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel('LoopLens');
  context.subscriptions.push(log);
  PanelHost.report = (line) => log.appendLine(line); // messages a panel dropped (panels/messageValidation.ts)

  registerRaspl(context); // .raspl diagnostics + looplens.runRaspl
  registerGettingStarted(context); // looplens.showWelcome (the walkthrough), its steps' commands, looplens.newRasplTask
  registerCudaSetup(context, log); // looplens.setUpCuda
  const currentModel = registerModels(context, log); // status bar + looplens.openModel
  const trainer = registerTraining(context, log); // looplens.train (child process) + Training panel + looplens.resumeTraining
  registerModelsView(context, trainer); // the LoopLens activity-bar view: the Models tree and its items' actions
  registerModelEditor(context, log); // the read-only custom editor for .onnx files
  const stepThrough = registerStepThrough(context, currentModel, log); // looplens.stepThrough + stepper panel restore
  registerEvaluation(context, currentModel, log); // looplens.evaluate (child process) + Evaluation panel
  registerDebugger(context, currentModel, log, stepThrough); // debug type looplens + looplens.debugModel + inline values in .raspl
  log.appendLine(`LoopLens activated (ONNX Runtime ${onnxRuntimeVersion}).`);
  const settings = readSettings();
  const missing = cudaUnavailableReason();
  if (settings.executionProvider !== 'cpu' && missing) log.appendLine(`execution provider: CPU, because ${missing}`);
}

export function deactivate(): void {}
