// Reads LoopLens's settings with their defaults and validation in one place.
import * as vscode from 'vscode';
import { parseExecutionProvider, type ExecutionProviderSetting } from '../core/infer/executionProvider';

export interface LoopLensSettings {
  executionProvider: ExecutionProviderSetting;
  modelsFolder: string;
  cpuThreads: number;
  dataParallel: boolean;
}

export function readSettings(): LoopLensSettings {
  const c = vscode.workspace.getConfiguration('looplens');
  return {
    executionProvider: parseExecutionProvider(c.get<string>('executionProvider', 'auto')),
    modelsFolder: c.get<string>('modelsFolder', ''),
    cpuThreads: Math.max(0, Math.floor(c.get<number>('cpuThreads', 0))),
    dataParallel: c.get<boolean>('dataParallel', false) === true,
  };
}
