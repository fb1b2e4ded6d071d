// The iteration stepper's view model: what core/view/stepperViewModel.ts builds from a traced
// input and the protocol (src/protocol/stepper.ts) carries to the webview. Types only, all
// JSON-serializable.
import type { HeadMatch, HeadStepMatch } from '../programs/compare/headMatching';
import type { HeadLabelView, HeadStepLabel } from './headLabels';
import type { LensView } from './lens';
import type { HiddenView } from './hiddenStates';

/** Version of this shape; a restored page with another version asks for a fresh one. 2: lens, hidden, compare.headLabels. */
export const STEPPER_VIEW_VERSION = 2;

/** Steps are 1-based loop iteration counts everywhere: step t is the output after t applications of the block. */
export type Step = number;

/** One position of the input row. */
export interface TokenCell {
  position: number;
  /** Token id fed to the model at this position. */
  id: number;
  /** Human-readable symbol of `id` (e.g. '1', '=', '·' for pad). */
  label: string;
  /** True where the loss/accuracy mask scores the output ('=' .. end of row, trailing pads included). */
  scored: boolean;
  /** Target symbol at a scored position; null elsewhere or when the target is unknown. */
  target: string | null;
}

/** What the model's read-out says after one loop iteration. */
export interface StepState {
  step: Step;
  /** Argmax token id per position (the whole row, scored or not). */
  decoded: number[];
  /** Max softmax probability per position, rounded to 4 decimals. */
  confidence: number[];
  /** The paper's halting score: mean over scored positions of -log(max softmax probability). Lower = more confident. */
  score: number;
  /** Mean of `confidence` over scored positions. */
  meanConfidence: number;
  /** The decoded answer rendered by the task (e.g. `1` for parity, `0 1 1` for copy). */
  answerText: string;
  /** Exact match with the target over every scored position; null when there is no target. */
  correct: boolean | null;
  /** Fraction of scored positions whose decoded token equals the RASP-L program's read-out at the same step; null without a program. */
  programAgreement: number | null;
}

export interface HaltingView {
  /** T(n): where training read the output. Null when the task cannot tell. */
  oracleStep: Step | null;
  /** Where the adaptive rule stops for this input; null when no rule ran. */
  adaptiveStep: Step | null;
  /** Name of the adaptive rule, shown in the UI (e.g. "max confidence, per example"). */
  rule: string;
  note?: string;
}

export interface ModelInfo {
  /** Short label for the model (file name, task, size). */
  label: string;
  steps: number;
  layers: number;
  heads: number;
  width: number;
  dModel: number;
  vocab: number;
  /** Symbol label per token id (length `vocab`). */
  symbols: string[];
}

export interface TaskView {
  name: string;
  /** The input as the user typed it / the task renders it (e.g. `1011`). */
  inputText: string;
  /** The example's lengths by name, e.g. [{ name: 'n', value: 12 }] or n_a and n_b for multiplication. */
  lengths: { name: string; value: number }[];
  /** A plain-language reading of the example (e.g. `14 + 5 = 19`). */
  gloss: string;
  /** The correct answer rendered by the task; null when unknown. */
  targetText: string | null;
}

/** One named variable of the RASP-L step program. */
export interface ProgramVariableView {
  name: string;
  /** 1-based source line where the variable is assigned; null when unknown. */
  line: number | null;
  /** values[s][p]: the value at position p after s loop steps (s = 0 is before the first step). Null past the program's row. */
  values: (number | null)[][];
}

export interface ProgramSelectorView {
  name: string;
  line: number | null;
}

export interface ProgramView {
  /** File path or name of the .raspl program, for display and "open". */
  file: string;
  source: string;
  /** Number of loop steps the program was run for (values has steps + 1 entries). */
  steps: number;
  variables: ProgramVariableView[];
  selectors: ProgramSelectorView[];
  /** answers[s][p]: the program's answer token id read out after s steps at scored positions; null elsewhere. */
  answers: (number | null)[][];
}

/** How one learned step compares with the program's step. */
export interface AgreementPoint {
  step: Step;
  /** Scored positions where the model's decoded token equals the program's read-out at this step. */
  matched: number;
  total: number;
  fraction: number;
}

/** Head ↔ selector matches as the comparison computes them. */
export type { HeadMatch, HeadStepMatch };
/** Per-step selector labels of heads that beat the uniform baseline (core/view/headLabels.ts), the logit lens and the hidden-state measures. */
export type { HeadLabelView, HeadStepLabel, LensView, HiddenView };

/** One variable's linear probe at one loop step, fitted over random inputs of this input's lengths (core/programs/source/probeSet.ts). */
export interface ProbeView {
  variable: string;
  /** The loop step whose hidden state the probe reads. */
  step: Step;
  /** Accuracy of the linear read-out of the variable on held-out inputs (nearest value seen in training). */
  heldOutAccuracy: number;
  /** Accuracy of always predicting the most frequent training value, on the same held-out samples. */
  baselineAccuracy: number;
  /** Held-out accuracy above the baseline by more than the margin PROBE_DEFINITION states. */
  beatsBaseline: boolean;
  trainSamples: number;
  testSamples: number;
}

export interface CompareView {
  /** One sentence defining the head↔selector similarity, shown in the UI. */
  similarityDefinition: string;
  agreement: AgreementPoint[];
  headMatches: HeadMatch[];
  /** Mean similarity of uniform causal attention to each selector: the floor a head must beat to mean anything. */
  uniformBaseline: (number | null)[];
  /** Per head: the selector label at each step where it beats the baseline, and the score heads are sorted by. */
  headLabels: HeadLabelView[];
  /** Every loop step's probes (filter by `step`); empty when none were fitted (see `probeNote`). */
  probes: ProbeView[];
  /** Random inputs the probes were fitted and scored on (0 when none were run). */
  probeExamples: number;
  /** Why there are no probes, or that none beats its baseline at any step; null otherwise. */
  probeNote: string | null;
  probeDefinition: string;
}

export interface AttentionInfo {
  steps: number;
  layers: number;
  heads: number;
  width: number;
}

export interface StepperViewModel {
  protocol: typeof STEPPER_VIEW_VERSION;
  title: string;
  /** Where the content came from, so a restored panel can ask the host to rebuild it. */
  origin: { modelPath: string | null; inputText: string };
  task: TaskView;
  model: ModelInfo;
  tokens: TokenCell[];
  steps: StepState[];
  halting: HaltingView;
  attention: AttentionInfo;
  /** The read-out after every step: target probability and top tokens per position (core/view/lens.ts). */
  lens: LensView;
  /** Norms, change per step, fixed point and PCA of the hidden state (core/view/hiddenStates.ts). */
  hidden: HiddenView;
  program: ProgramView | null;
  compare: CompareView | null;
  /** Warnings worth showing (e.g. why a comparison was skipped). */
  notes: string[];
}
