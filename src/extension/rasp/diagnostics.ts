// RASP-L problems in the Problems panel, updated as you type (debounced) and when a .raspl file
// opens; cleared when it closes. The analysis itself is src/core/programs/tasks/diagnose.ts.
import * as vscode from 'vscode';
import { diagnose, type Problem } from '../../core/programs/tasks/diagnose';

const DEBOUNCE_MS = 300;

function toDiagnostic(p: Problem): vscode.Diagnostic {
  const range = new vscode.Range(p.line - 1, p.column - 1, p.endLine - 1, Math.max(p.endColumn - 1, p.column));
  const d = new vscode.Diagnostic(range, p.message, p.severity === 'error' ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning);
  d.source = 'RASP-L';
  return d;
}

export function registerRasplDiagnostics(context: vscode.ExtensionContext): vscode.DiagnosticCollection {
  const collection = vscode.languages.createDiagnosticCollection('raspl');
  const timers = new Map<string, ReturnType<typeof setTimeout>>();

  const refresh = (doc: vscode.TextDocument) => {
    if (doc.languageId !== 'raspl') return;
    try {
      collection.set(doc.uri, diagnose(doc.getText(), doc.uri.fsPath || doc.uri.toString()).map(toDiagnostic));
    } catch (err) {
      // diagnose() reports every problem of the program as data; this is a LoopLens bug.
      collection.set(doc.uri, [new vscode.Diagnostic(new vscode.Range(0, 0, 0, 1), `LoopLens could not analyze this file: ${(err as Error).message}`, vscode.DiagnosticSeverity.Warning)]);
    }
  };
  const schedule = (doc: vscode.TextDocument) => {
    if (doc.languageId !== 'raspl') return;
    const key = doc.uri.toString();
    clearTimeout(timers.get(key));
    timers.set(
      key,
      setTimeout(() => {
        timers.delete(key);
        refresh(doc);
      }, DEBOUNCE_MS),
    );
  };

  context.subscriptions.push(
    collection,
    vscode.workspace.onDidOpenTextDocument(refresh),
    vscode.workspace.onDidChangeTextDocument((e) => schedule(e.document)),
    vscode.workspace.onDidCloseTextDocument((doc) => {
      clearTimeout(timers.get(doc.uri.toString()));
      timers.delete(doc.uri.toString());
      collection.delete(doc.uri);
    }),
    { dispose: () => timers.forEach((t) => clearTimeout(t)) },
  );
  vscode.workspace.textDocuments.forEach(refresh);
  return collection;
}
