// Messages of the iteration stepper between the host (StepperPanel) and the webview
// (webview/stepper/**). The view model they carry is core's (src/core/view/stepperView.ts).
// Attention probabilities are large, so they travel on demand, one (step, layer) slice at a time,
// as base64 float32.
import type { Step, StepperViewModel } from '../core/view/stepperView';

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
} from '../core/view/stepperView';

/** What the webview keeps in vscode.setState, restored when the panel is shown again. */
export interface StepperUiState {
  step: Step;
  layer: number;
  /** Head whose selector row is highlighted, or null. */
  focusHead: number | null;
  /** Origin of the view model the state belongs to (for WebviewPanelSerializer). */
  origin: { modelPath: string | null; inputText: string } | null;
}

export type StepperToWebview =
  | { type: 'viewModel'; viewModel: StepperViewModel }
  /** Attention probabilities of every head at one (step, layer): float32 [heads, width(query), width(key)], base64, little-endian. */
  | { type: 'attention'; step: Step; layer: number; data: string }
  | { type: 'error'; message: string };

export type StepperToHost =
  | { type: 'ready' }
  | { type: 'setInput'; text: string }
  | { type: 'needAttention'; step: Step; layer: number }
  | { type: 'openProgram'; file: string; line: number };
