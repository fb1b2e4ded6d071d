// "LoopLens: Run RASP-L Program on Input": asks for an input row (validated as you type), runs
// the program (T(n) steps for a task file) and shows the step-by-step trace as a read-only
// document beside the program.
import * as vscode from 'vscode';
import { formatTrace, parsePlainInput, RaspError, runProgram, type ProgramTrace } from '../../core/rasp';
import { analyze, type Analysis } from '../../core/programs/tasks/analyze';
import { Rng } from '../../core/util/rng';

export const TRACE_SCHEME = 'looplens-raspl-trace';

/** Read-only documents holding rendered traces, addressed by URI. */
export class TraceDocuments implements vscode.TextDocumentContentProvider {
  private readonly texts = new Map<string, string>();
  private readonly changed = new vscode.EventEmitter<vscode.Uri>();
  readonly onDidChange = this.changed.event;

  provideTextDocumentContent(uri: vscode.Uri): string {
    return this.texts.get(uri.toString()) ?? 'This trace is no longer available: run "LoopLens: Run RASP-L Program on Input" again.';
  }

  show(name: string, text: string): vscode.Uri {
    const uri = vscode.Uri.from({ scheme: TRACE_SCHEME, path: `/${name} trace.txt` });
    this.texts.set(uri.toString(), text);
    this.changed.fire(uri);
    return uri;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** The .raspl document to run: the command's argument, the active editor, or one picked by the user. */
async function pickDocument(arg: unknown): Promise<vscode.TextDocument | undefined> {
  if (arg instanceof vscode.Uri) return vscode.workspace.openTextDocument(arg);
  const active = vscode.window.activeTextEditor?.document;
  if (active?.languageId === 'raspl') return active;
  const picked = await vscode.window.showOpenDialog({ canSelectMany: false, filters: { 'RASP-L': ['raspl'] }, openLabel: 'Run RASP-L program' });
  return picked?.[0] ? vscode.workspace.openTextDocument(picked[0]) : undefined;
}

function placeholder(a: Analysis): string {
  if (a.task === null) return 'token ids separated by spaces, e.g. 0 1 1 0 2';
  const lengths = a.task.lengthRanges.map((r) => Math.min(r.max, Math.max(r.min, 4)));
  const prompt = a.task.samplePrompt(new Rng(1), lengths);
  // typed as in Step Through: the answer token at the end is optional
  const shown = prompt[prompt.length - 1] === a.task.answerToken ? prompt.slice(0, -1) : prompt;
  const sym = a.task.symbols;
  const answer = sym?.[a.task.answerToken] ?? String(a.task.answerToken);
  return `e.g. ${shown.map((t) => sym?.[t] ?? String(t)).join(sym && sym.every((s) => s.length === 1) ? '' : ' ')} — token ids${sym ? ' or symbols' : ''}, the trailing ${answer} optional; pads are added up to @width`;
}

async function revealError(doc: vscode.TextDocument, e: RaspError): Promise<void> {
  const pos = new vscode.Position(e.line - 1, e.column - 1);
  const action = await vscode.window.showErrorMessage(`RASP-L ${e.kind} error at line ${e.line}, column ${e.column}: ${e.message}`, 'Go to Error');
  if (action === 'Go to Error') {
    const editor = await vscode.window.showTextDocument(doc);
    editor.selection = new vscode.Selection(pos, pos);
    editor.revealRange(new vscode.Range(pos, pos), vscode.TextEditorRevealType.InCenter);
  }
}

export function registerRunRaspl(context: vscode.ExtensionContext): void {
  const docs = new TraceDocuments();
  const lastInput = new Map<string, string>();
  context.subscriptions.push(docs, vscode.workspace.registerTextDocumentContentProvider(TRACE_SCHEME, docs));

  context.subscriptions.push(
    vscode.commands.registerCommand('looplens.runRaspl', async (arg?: unknown) => {
      const doc = await pickDocument(arg);
      if (doc === undefined) return;
      const file = doc.uri.fsPath || doc.uri.toString();
      const a = analyze(doc.getText(), file);
      if (a.errors.length > 0) {
        await revealError(doc, a.errors[0]!);
        return;
      }
      const parse = (text: string): number[] => (a.task !== null ? a.task.rowFromInput(text) : parsePlainInput(text));
      const text = await vscode.window.showInputBox({
        title: `Run ${vscode.workspace.asRelativePath(doc.uri)} on input`,
        prompt: a.task !== null ? `Input row for task "${a.task.name}" (@input ${a.task.layout.map((s) => (s.kind === 'literal' ? String(s.token) : `[…]*${s.count}`)).join(' ')})` : 'Input row: token ids',
        placeHolder: placeholder(a),
        value: lastInput.get(file),
        ignoreFocusOut: true,
        validateInput: (value) => {
          try {
            parse(value);
            return null;
          } catch (err) {
            return err instanceof RaspError ? err.message : String(err);
          }
        },
      });
      if (text === undefined) return;
      lastInput.set(file, text);

      let steps: number | undefined;
      if (a.task === null && a.program.blocks.step !== undefined) {
        const s = await vscode.window.showInputBox({
          title: 'Loop steps',
          prompt: 'How many times to run step:',
          value: '1',
          validateInput: (v) => (/^\d+$/.test(v.trim()) && Number(v) <= 10_000 ? null : 'a whole number of steps, 0..10000'),
        });
        if (s === undefined) return;
        steps = Number(s.trim());
      }

      let trace: ProgramTrace;
      let header: string;
      let answerStart: number | undefined;
      try {
        const row = parse(text);
        if (a.task !== null) {
          const r = a.task.run(row);
          trace = r.trace;
          answerStart = r.match.answerStart;
          header = `task ${a.task.name} · lengths ${a.task.lengthNames.map((n, i) => `${n}=${r.match.lengths[i]}`).join(', ')} · T = ${r.steps} · answer from position ${answerStart}`;
        } else {
          trace = runProgram(a.program, row, steps === undefined ? {} : { steps }).trace;
          header = `program ${vscode.workspace.asRelativePath(doc.uri)}`;
        }
      } catch (err) {
        if (err instanceof RaspError) {
          await revealError(doc, err);
          return;
        }
        throw err;
      }
      const body = formatTrace(trace, { symbols: a.task?.symbols ?? undefined, answerStart });
      const name = doc.uri.path.split('/').pop()?.replace(/\.raspl$/, '') ?? 'raspl';
      const uri = docs.show(name, `${header}\n${body}\n`);
      const traceDoc = await vscode.workspace.openTextDocument(uri);
      await vscode.window.showTextDocument(traceDoc, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
    }),
  );
}
