// What every view module receives: the view model, the UI state and the actions it may take.
import type { StepperUiState, StepperViewModel } from '../../src/protocol/stepper';
import type { AttentionCache } from './attentionCache';
import type { Palette } from '../charts/theme';
import type { Tooltip } from '../shared/tooltip';

export interface Actions {
  setStep(step: number): void;
  setLayer(layer: number): void;
  focusHead(head: number | null): void;
  togglePlay(): void;
  setInput(text: string): void;
  /** Open the .raspl file in an editor at this 1-based line. */
  openProgram(line: number): void;
  /** Highlight a source line of the program (hover feedback only; not persisted). */
  highlightLine(line: number | null): void;
  /** Changes view settings kept in the UI state (enlarged head, colour scale, order, compact, speed, trajectory). */
  patchUi(patch: Partial<Omit<StepperUiState, 'step' | 'layer' | 'origin'>>): void;
  /** Asks the host to save one of its tables (core/export/stepperExport.ts) at the current step and layer. */
  exportData(table: string, format: 'csv' | 'json'): void;
  /** Sends a drawing to the host to save (SVG text or PNG base64). */
  exportImage(name: string, format: 'svg' | 'png', data: string): void;
}

export interface Ctx {
  vm: StepperViewModel;
  ui: StepperUiState;
  playing: boolean;
  attention: AttentionCache;
  tooltip: Tooltip;
  palette: Palette;
  actions: Actions;
  /** Changes when everything must be redrawn (new view model, theme, size, compact mode); a step change keeps it. */
  layout: number;
}

/** A piece of the page: built once per view model, updated on every UI change. */
export interface View {
  update(ctx: Ctx): void;
  /** Its card: while the card is out of view, its updates wait for idle time (viewScheduler.ts). */
  element?: HTMLElement;
  /** Releases what outlives the card (observers) when the page replaces the view. */
  dispose?(): void;
}

/** The step a fresh view opens at: T(n) when the trace reaches it, else where the adaptive rule stopped. */
export function initialStep(vm: StepperViewModel): number {
  const { oracleStep, adaptiveStep } = vm.halting;
  if (oracleStep !== null && oracleStep >= 1 && oracleStep <= vm.steps.length) return oracleStep;
  if (adaptiveStep !== null && adaptiveStep >= 1 && adaptiveStep <= vm.steps.length) return adaptiveStep;
  return 1;
}
