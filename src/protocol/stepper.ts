// Messages of the iteration stepper between the host (StepperPanel) and the webview
// (webview/stepper/**). The view model they carry is core's (src/core/view/stepperView.ts).
// Attention probabilities are large, so they travel on demand, one (step, layer) slice at a time,
// as base64 float32.
import type { Step, StepperViewModel } from '../core/view/stepperView';
import type { ExportRequest, ExportResult } from './export';

export type {
  Step,
  TokenCell,
  StepState,
  HaltingView,
  ModelInfo,
  TaskView,
  ProgramVariableView,
  ProgramSelectorView,
  ProgramView,
  AgreementPoint,
  HeadMatch,
  HeadStepMatch,
  ProbeView,
  CompareView,
  AttentionInfo,
  StepperViewModel,
  HeadLabelView,
  HeadStepLabel,
  LensView,
  HiddenView,
} from '../core/view/stepperView';

/** How attention weights map to colour: as they are, on a log scale (1e-3 .. 1), or divided by each query row's maximum. */
export type AttentionScale = 'linear' | 'log' | 'row';

/** Tables the stepper can export (core/export/stepperExport.ts), plus the whole trace as JSON. */
export const STEPPER_EXPORT_TABLES = ['steps', 'state', 'lens', 'hidden', 'attention', 'heads', 'probes', 'trace'] as const;

/** What the webview keeps in vscode.setState, restored when the panel is shown again. */
export interface StepperUiState {
  step: Step;
  layer: number;
  /** Head whose selector row is highlighted, or null. */
  focusHead: number | null;
  /** Origin of the view model the state belongs to (for WebviewPanelSerializer). */
  origin: { modelPath: string | null; inputText: string } | null;
  /** Head of `layer` shown enlarged beside the small multiples, or null. */
  enlargedHead?: number | null;
  scale?: AttentionScale;
  /** Order of the small multiples: head number, or the head's score over the uniform baseline. */
  sortHeads?: 'index' | 'score';
  /** Show only heads that beat the baseline (when a program is compared). */
  matchedOnly?: boolean;
  /** Smaller maps, cells and fonts. */
  compact?: boolean;
  /** Milliseconds per step while playing. */
  playMs?: number;
  /** Position whose trajectory the hidden-state projection draws (null: where the answer starts). */
  trajectory?: number | null;
}

export type StepperToWebview =
  | { type: 'viewModel'; viewModel: StepperViewModel }
  /** Attention probabilities of every head at one (step, layer): float32 [heads, width(query), width(key)], base64, little-endian. */
  | { type: 'attention'; step: Step; layer: number; data: string }
  | { type: 'error'; message: string }
  /** Show this step (a LoopLens debug session moved there); the page does not answer with stepChanged. */
  | { type: 'showStep'; step: Step }
  | ExportResult;

export type StepperToHost =
  | { type: 'ready' }
  | { type: 'setInput'; text: string }
  | { type: 'needAttention'; step: Step; layer: number }
  | { type: 'openProgram'; file: string; line: number }
  /** The user moved to this step (a LoopLens debug session on the same input follows). */
  | { type: 'stepChanged'; step: Step }
  /** Save a table (exportData: STEPPER_EXPORT_TABLES; `trace` as json only) or a drawing (exportImage). */
  | ExportRequest;
