// Messages between the host and the model editor (the custom editor LoopLens opens .onnx files
// with). The host reads the file and sends one of three pages: a LoopLens model's overview, what
// another ONNX file is, or why the file cannot be read. Imported by both sides.
import type { EvalSummaryRow } from '../core/model/modelMetadata';
import type { OnnxInfo } from '../core/onnx/onnxInfo';

/** A labelled value, formatted by the host. */
export interface Fact {
  label: string;
  value: string;
}

export interface LoopLensModelPage {
  kind: 'looplens';
  fileName: string;
  /** The file's path (file: URIs) or URI. */
  path: string;
  bytes: number;
  /** Step Through, Debug and Evaluate need a file on disk. */
  canRun: boolean;
  taskTitle: string;
  taskDescription: string;
  /** Chips under the title: "d = 64", "1 layer", "cpu preset", … */
  chips: string[];
  task: Fact[];
  architecture: Fact[];
  recipe: Fact[];
  record: Fact[];
  /** The lengths the run reached (its "trained" tags); null: the file predates the record. */
  trained: { min: number; max: number } | null;
  lossCurve: { step: number; loss: number }[];
  evaluation: { examplesPerLength: number; perExampleRule: string; rows: EvalSummaryRow[] } | null;
  /** "n" or "n_b (n_a = 2)": what the evaluation's length counts. */
  lengthLabel: string;
  /** A custom task's RASP-L source (the program the model file carries). */
  program: { file: string; source: string } | null;
}

export interface ForeignModelPage {
  kind: 'foreign';
  fileName: string;
  path: string;
  bytes: number;
  info: OnnxInfo;
}

export interface UnreadableModelPage {
  kind: 'error';
  fileName: string;
  path: string;
  bytes: number | null;
  /** The clear reason (LoopLensModelError's message). */
  message: string;
}

export type ModelPage = LoopLensModelPage | ForeignModelPage | UnreadableModelPage;

export type ModelPageToWebview = { type: 'page'; page: ModelPage };

export type ModelPageToHost =
  | { type: 'ready' }
  | { type: 'stepThrough' }
  | { type: 'debug' }
  | { type: 'evaluate' }
  /** Make it the current model (status bar). */
  | { type: 'makeCurrent' }
  /** Reopen the file in VS Code's default (text/binary) editor. */
  | { type: 'openAsBinary' }
  | { type: 'train' };
