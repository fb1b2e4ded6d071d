// What each panel accepts from its webview: one entry per message type, checked by PanelHost
// (messageValidation.ts) before the panel's onMessage runs. A message type added to a protocol
// needs its entry here (the table's type says so at compile time): `noFields` for a bare command,
// object({...}) with the fields' checks otherwise.
import { int, object, str } from '../../core/util/validate';
import { LIMITS } from '../../core/util/limits';
import { exportRequestProblem, type ExportDataRequest, type ExportImageRequest } from '../../protocol/export';
import { EVALUATION_EXPORT_TABLES, type EvaluationToHost } from '../../protocol/evaluation';
import { STEPPER_EXPORT_TABLES, type StepperToHost } from '../../protocol/stepper';
import { TRAINING_EXPORT_TABLES, type TrainingToHost } from '../../protocol/training';
import { isRecipeForm, type RecipeForm, type RecipeToHost } from '../../protocol/recipe';
import type { ModelPageToHost } from '../../protocol/modelPage';
import { fromProblem, noFields, type MessageSchemas } from './messageValidation';

/** Export requests (protocol/export.ts checks their tables, formats and data). */
function exportMessages(tables: readonly string[]) {
  return {
    exportData: fromProblem<Omit<ExportDataRequest, 'type'>>((v) => exportRequestProblem(v, tables)),
    exportImage: fromProblem<Omit<ExportImageRequest, 'type'>>((v) => exportRequestProblem(v, tables)),
  };
}

export const stepperMessages: MessageSchemas<StepperToHost> = {
  ready: noFields,
  // Typed text; the trace checks its meaning and size (core/trace), this only its type and length.
  setInput: object({ text: str({ maxLength: LIMITS.inputChars }) }),
  needAttention: object({ step: int({ min: 0, max: LIMITS.steps }), layer: int({ min: 0, max: LIMITS.layers - 1 }) }),
  // The host opens only the program its own content names (StepperPanel), never another path.
  openProgram: object({ file: str({ maxLength: 4096 }), line: int({ min: 1, max: 10_000_000 }) }),
  stepChanged: object({ step: int({ min: 1, max: LIMITS.steps }) }),
  ...exportMessages(STEPPER_EXPORT_TABLES),
};

export const trainingMessages: MessageSchemas<TrainingToHost> = {
  ready: noFields,
  cancel: noFields,
  resume: noFields,
  openModel: noFields,
  stepThrough: noFields,
  evaluate: noFields,
  exportCheckpoint: noFields,
  ...exportMessages(TRAINING_EXPORT_TABLES),
};

export const evaluationMessages: MessageSchemas<EvaluationToHost> = {
  ready: noFields,
  cancel: noFields,
  stepThrough: noFields,
  rerun: noFields,
  openExample: object({ length: int({ min: 1, max: LIMITS.length }) }),
  overlay: noFields,
  clearOverlay: noFields,
  ...exportMessages(EVALUATION_EXPORT_TABLES),
};

/** The custom recipe page: the whole form as strings; recipeForm.ts parses and checks their meaning. */
const recipeForm = object({ form: fromProblem<RecipeForm>((v) => (isRecipeForm(v) ? null : 'must be a recipe form (every field a string)')) });

export const recipeMessages: MessageSchemas<RecipeToHost> = {
  ready: noFields,
  change: recipeForm,
  preset: recipeForm,
  start: recipeForm,
  estimate: recipeForm,
  cancel: noFields,
};

/** The model editor: bare commands; the host acts on the file it opened, never on a path from the page. */
export const modelPageMessages: MessageSchemas<ModelPageToHost> = {
  ready: noFields,
  stepThrough: noFields,
  debug: noFields,
  evaluate: noFields,
  makeCurrent: noFields,
  openAsBinary: noFields,
  train: noFields,
};
