// The iteration stepper panel: shows one traced input (a StepperContent built by
// src/core/view/stepperViewModel.ts), serves attention slices on demand, and asks its handlers
// for a new view when the user types another input. One panel at a time; retainContextWhenHidden
// stays off: the webview restores its step/layer from vscode.setState when shown again.
import * as vscode from 'vscode';
import { webviewHtml, webviewOptions } from './webviewHtml';
import { PanelHost, registerPanelRestorer } from './panelHost';
import { stepperMessages } from './panelMessages';
import { validateMessage } from './messageValidation';
import { PANEL_RECORD_KEYS, restoreStepperState, type StepperRecord } from './panelRestore';
import { PanelRecord } from './panelRecord';
import type { StepperContent } from '../../core/view/stepperViewModel';
import { encodeFloat32Base64 } from '../../core/view/encodeAttention';
import { STEPPER_EXPORT_TABLES, type StepperToHost, type StepperToWebview, type StepperUiState } from '../../protocol/stepper';
import type { ExportDataRequest } from '../../protocol/export';
import { stepperTable, type StepperTableName } from '../../core/export/stepperExport';
import { tableText } from '../../core/export/table';
import { traceExport } from '../../core/export/traceExport';
import { handleExport, type ExportedText } from './exportFile';

export interface StepperHandlers {
  /** Traces another input typed in the panel. Throw an Error with a user-facing message on bad input. */
  setInput?(text: string): Promise<StepperContent>;
  /** Opens the program at a 1-based line. Default: opens `file` when it is a path on disk. */
  openProgram?(file: string, line: number): Promise<void> | void;
  /** The user moved to another step (a debug session on the same input follows). */
  onStep?(step: number): void;
}

/** Rebuilds a panel after a window reload from the UI state the webview saved (null when it cannot). */
export type StepperRestore = (state: StepperUiState | undefined) => Promise<{ content: StepperContent; handlers: StepperHandlers } | null>;

export class StepperPanel extends PanelHost<StepperToHost, StepperToWebview> {
  static readonly viewType = 'looplens.stepper';
  private static current: StepperPanel | undefined;

  /** Shows `content` in the stepper panel, creating it or replacing what it shows. */
  /** `beside`: a new panel opens beside the active editor without taking the focus (the debugger keeps its program in view). */
  static show(extensionUri: vscode.Uri, content: StepperContent, handlers: StepperHandlers = {}, beside = false): StepperPanel {
    const existing = StepperPanel.current;
    if (existing) {
      existing.handlers = handlers;
      existing.followStep = null;
      existing.setContent(content);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const column = beside ? { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true } : vscode.ViewColumn.Active;
    const panel = vscode.window.createWebviewPanel(StepperPanel.viewType, StepperPanel.titleOf(content), column, webviewOptions(extensionUri));
    StepperPanel.current = new StepperPanel(panel, extensionUri, content, handlers);
    return StepperPanel.current;
  }

  /** Registers the serializer that brings the panel back after a reload (needs activation event onWebviewPanel:looplens.stepper). */
  static registerSerializer(extensionUri: vscode.Uri, restore: StepperRestore, records: vscode.Memento): vscode.Disposable {
    StepperPanel.records.keepIn(records);
    return registerPanelRestorer(
      StepperPanel.viewType,
      extensionUri,
      // The saved UI state, checked; its model path is the host's record, never the page's.
      (saved) => restore(restoreStepperState(saved, StepperPanel.records.read())),
      (panel, restored) => {
        StepperPanel.current?.panel.dispose();
        StepperPanel.current = new StepperPanel(panel, extensionUri, restored.content, restored.handlers);
      },
      (panel, error) => StepperPanel.showNotRestored(panel, extensionUri, error),
    );
  }

  /** Keeps a panel that could not be restored open, saying why, instead of closing it unexplained. */
  private static showNotRestored(panel: vscode.WebviewPanel, extensionUri: vscode.Uri, error: Error | undefined): void {
    const again = 'Run “LoopLens: Step Through Iterations” again to reopen it.';
    const reason = error ? `${error.message} ${again}` : again;
    panel.webview.html = webviewHtml(panel.webview, extensionUri, 'stepper', 'LoopLens stepper');
    const once = panel.webview.onDidReceiveMessage((m: unknown) => {
      if (!validateMessage(stepperMessages, m).ok || (m as StepperToHost).type !== 'ready') return;
      once.dispose();
      void panel.webview.postMessage({ type: 'error', message: `This stepper view could not be restored. ${reason}` } satisfies StepperToWebview);
    });
  }

  private static titleOf(content: StepperContent): string {
    return `Stepper · ${content.viewModel.task.name} ${content.viewModel.task.inputText}`;
  }

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private content: StepperContent,
    private handlers: StepperHandlers,
  ) {
    super(panel, extensionUri, { script: 'stepper', title: 'LoopLens stepper', stylesheet: 'stepper.css' }, stepperMessages);
    panel.title = StepperPanel.titleOf(content);
    StepperPanel.recordOrigin(content);
  }

  /** Replaces the shown content with more of the same input (e.g. its probes, fitted after it was shown); ignored when the panel shows another input by then. */
  static update(content: StepperContent): void {
    const p = StepperPanel.current;
    const a = p?.content.viewModel.origin;
    const b = content.viewModel.origin;
    if (p && a && a.modelPath === b.modelPath && a.inputText === b.inputText) p.setContent(content);
  }

  /** The panel, when one is open. */
  static get shown(): StepperPanel | undefined {
    return StepperPanel.current;
  }

  /** Whether the panel is the active editor (its title bar's commands act on it). */
  get active(): boolean {
    return this.panel.active;
  }

  /** Where the shown content came from (model file and typed input). */
  get origin(): { modelPath: string | null; inputText: string } {
    return this.content.viewModel.origin;
  }

  /** Step set by a debug session, re-sent after every (re)load of the page. */
  private followStep: number | null = null;

  /** Moves the page to `step` (a debug session moved); the page does not answer with stepChanged. */
  showStep(step: number): void {
    this.followStep = step;
    void this.post({ type: 'showStep', step });
  }

  /** The host's record of the model the view came from, for a restore after a reload. */
  private static readonly records = new PanelRecord<StepperRecord>(PANEL_RECORD_KEYS.stepper);
  private static recordOrigin(content: StepperContent): void {
    const modelPath = content.viewModel.origin.modelPath;
    if (StepperPanel.records.read()?.modelPath !== modelPath) StepperPanel.records.write({ modelPath });
  }

  private setContent(content: StepperContent): void {
    StepperPanel.recordOrigin(content);
    this.content = content;
    this.panel.title = StepperPanel.titleOf(content);
    void this.post({ type: 'viewModel', viewModel: content.viewModel });
    if (this.followStep !== null) void this.post({ type: 'showStep', step: this.followStep });
  }

  protected override async onMessage(m: StepperToHost): Promise<void> {
    switch (m.type) {
      case 'ready':
        await this.post({ type: 'viewModel', viewModel: this.content.viewModel });
        if (this.followStep !== null) await this.post({ type: 'showStep', step: this.followStep });
        return;
      case 'needAttention': {
        const { steps, layers } = this.content.viewModel.attention;
        if (!Number.isInteger(m.step) || m.step < 1 || m.step > steps || !Number.isInteger(m.layer) || m.layer < 0 || m.layer >= layers) return;
        await this.post({ type: 'attention', step: m.step, layer: m.layer, data: encodeFloat32Base64(this.content.attention(m.step, m.layer)) });
        return;
      }
      case 'setInput':
        if (!this.handlers.setInput) {
          await this.post({ type: 'error', message: 'This view cannot trace other inputs.' });
          return;
        }
        try {
          this.setContent(await this.handlers.setInput(m.text));
        } catch (e) {
          await this.post({ type: 'error', message: (e as Error).message });
        }
        return;
      case 'stepChanged':
        this.followStep = null;
        this.handlers.onStep?.(m.step);
        return;
      case 'openProgram': {
        // Only the program this view shows: a path from the page is never opened as such.
        const own = this.content.viewModel.program?.file;
        if (own !== undefined && m.file === own) await this.openProgram(own, m.line);
        return;
      }
      case 'exportData':
      case 'exportImage':
        await this.post(await handleExport(m, STEPPER_EXPORT_TABLES, (r) => this.exportText(r)));
        return;
    }
  }

  /** A table of the shown view (core/export/stepperExport.ts), or the whole trace as JSON (core/export/traceExport.ts). */
  private exportText(r: ExportDataRequest): ExportedText {
    const vm = this.content.viewModel;
    const base = `${vm.task.name}-${vm.task.inputText.replace(/=$/, '').slice(0, 40)}`;
    if (r.table === 'trace') {
      if (r.format !== 'json') throw new Error('the trace exports as JSON only');
      const doc = traceExport(this.content.traced, { modelLabel: vm.model.label, modelPath: vm.origin.modelPath, program: this.content.program });
      return { name: `${base}-trace`, text: JSON.stringify(doc) };
    }
    const step = r.step ?? 1;
    const layer = r.layer ?? 0;
    const table = stepperTable(vm, r.table as StepperTableName, { step, layer, attention: r.table === 'attention' ? this.content.attention(step, layer) : undefined });
    const where = r.table === 'state' ? `-step${step}` : r.table === 'attention' ? `-step${step}-layer${layer + 1}` : '';
    return { name: `${base}-${r.table}${where}`, text: tableText(table, r.format) };
  }

  private async openProgram(file: string, line: number): Promise<void> {
    try {
      if (this.handlers.openProgram) return await this.handlers.openProgram(file, line);
      const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(file));
      const pos = new vscode.Position(Math.max(0, line - 1), 0);
      await vscode.window.showTextDocument(doc, { viewColumn: vscode.ViewColumn.Beside, selection: new vscode.Range(pos, pos), preview: true });
    } catch (e) {
      void vscode.window.showWarningMessage(`LoopLens: cannot open ${file}: ${(e as Error).message}`);
    }
  }

  protected override dispose(): void {
    if (StepperPanel.current === this) StepperPanel.current = undefined;
    super.dispose();
  }
}
