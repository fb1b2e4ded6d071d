// RASP-L in the editor: diagnostics as you type and the "Run RASP-L Program on Input" command.
// (Highlighting and brackets come from syntaxes/ and language-configuration.json.)
import type * as vscode from 'vscode';
import { registerRasplDiagnostics } from './diagnostics';
import { registerRunRaspl } from './runCommand';

export function registerRaspl(context: vscode.ExtensionContext): void {
  registerRasplDiagnostics(context);
  registerRunRaspl(context);
}
