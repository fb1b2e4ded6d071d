// The Training panel: live curves of the current run (drawn by webview/training.entry.ts) and its
// Cancel / Resume / Save Checkpoint as Model / Open Model buttons. One panel; a new run replaces
// what it shows. The state is sent whole, at most a few times a second. After a window reload the
// serializer brings back the last state the webview saved (a run that was going then was stopped
// by the reload).
import * as vscode from 'vscode';
import { webviewOptions } from './webviewHtml';
import { PanelHost, registerPanelRestorer } from './panelHost';
import { canExportCheckpoint, isTrainingViewState, type TrainingToHost, type TrainingToWebview, type TrainingViewState } from '../../protocol/training';

export interface TrainingPanelHandlers {
  cancel(): void;
  resume(state: TrainingViewState): void;
  openModel(path: string): void;
  stepThrough(path: string): void;
  evaluate(path: string): void;
  exportCheckpoint(state: TrainingViewState): void;
}

const SEND_INTERVAL_MS = 300;

export class TrainingPanel extends PanelHost<TrainingToHost, TrainingToWebview> {
  static readonly viewType = 'looplens.training';
  private static current: TrainingPanel | undefined;

  static show(extensionUri: vscode.Uri, state: TrainingViewState, handlers: TrainingPanelHandlers): TrainingPanel {
    const existing = TrainingPanel.current;
    if (existing) {
      existing.setState(state);
      existing.panel.reveal(undefined, true);
      return existing;
    }
    const panel = vscode.window.createWebviewPanel(TrainingPanel.viewType, TrainingPanel.titleOf(state), { viewColumn: vscode.ViewColumn.Active, preserveFocus: true }, webviewOptions(extensionUri));
    TrainingPanel.current = new TrainingPanel(panel, extensionUri, state, handlers);
    return TrainingPanel.current;
  }

  /** Shows a newer state of the run if the panel is open (a closed panel stays closed). */
  static update(state: TrainingViewState): void {
    TrainingPanel.current?.setState(state);
  }

  /** Brings the panel back after a reload from the state its webview saved (needs onWebviewPanel:looplens.training). */
  static registerSerializer(extensionUri: vscode.Uri, handlers: TrainingPanelHandlers): vscode.Disposable {
    return registerPanelRestorer(TrainingPanel.viewType, extensionUri, restoredState, (panel, state) => {
      TrainingPanel.current?.panel.dispose();
      TrainingPanel.current = new TrainingPanel(panel, extensionUri, state, handlers);
    });
  }

  private static titleOf(s: TrainingViewState): string {
    return `Training · ${s.setup.task} (${s.setup.preset})`;
  }

  private timer: ReturnType<typeof setTimeout> | undefined;
  private lastSent = 0;

  private constructor(
    panel: vscode.WebviewPanel,
    extensionUri: vscode.Uri,
    private state: TrainingViewState,
    private readonly handlers: TrainingPanelHandlers,
  ) {
    super(panel, extensionUri, { script: 'training', title: 'LoopLens training', stylesheet: 'panels.css' });
    panel.title = TrainingPanel.titleOf(state);
  }

  /** Shows a newer state; sends at once when the run ends, otherwise at most every 300 ms. */
  setState(state: TrainingViewState): void {
    this.state = state;
    this.panel.title = TrainingPanel.titleOf(state);
    const final = state.status === 'finished' || state.status === 'failed' || state.status === 'cancelled';
    const wait = final ? 0 : Math.max(0, this.lastSent + SEND_INTERVAL_MS - Date.now());
    if (this.timer !== undefined && !final) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.lastSent = Date.now();
      void this.post({ type: 'state', state: this.state });
    }, wait);
  }

  protected override onMessage(m: TrainingToHost): void {
    const path = this.state.result?.modelPath ?? this.state.setup.modelPath;
    switch (m.type) {
      case 'ready':
        void this.post({ type: 'state', state: this.state });
        return;
      case 'cancel':
        if (this.state.actions.cancel) this.handlers.cancel();
        return;
      case 'resume':
        if (this.state.actions.resume) this.handlers.resume(this.state);
        return;
      case 'openModel':
        if (this.state.actions.openModel) this.handlers.openModel(path);
        return;
      case 'stepThrough':
        if (this.state.actions.openModel) this.handlers.stepThrough(path);
        return;
      case 'evaluate':
        if (this.state.actions.openModel) this.handlers.evaluate(path);
        return;
      case 'exportCheckpoint':
        if (canExportCheckpoint(this.state)) this.handlers.exportCheckpoint(this.state);
        return;
    }
  }

  protected override dispose(): void {
    clearTimeout(this.timer);
    if (TrainingPanel.current === this) TrainingPanel.current = undefined;
    super.dispose();
  }
}

/** A saved state, with a run that was still going marked as stopped by the reload. */
export function restoredState(saved: unknown): TrainingViewState | null {
  if (!isTrainingViewState(saved)) return null;
  const state = saved;
  if (state.status === 'finished' || state.status === 'failed' || state.status === 'cancelled') return state;
  return {
    ...state,
    status: 'cancelled',
    phase: 'done',
    hint: `The window was reloaded during training, which stopped the worker after it saved a checkpoint. Resume continues from the last checkpoint (${state.setup.checkpointPath}).`,
    actions: { cancel: false, resume: true, openModel: false },
  };
}
