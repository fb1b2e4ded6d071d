// Messages between the host and the custom recipe page (Train Looped Model → Custom recipe…). The
// page holds a form of strings; the host parses and checks every change and answers with a preview
// (per-field errors, what the recipe derives, how it was rescaled, its warnings). Imported by both sides.

/** The form as typed: every field a string, parsed by the host. */
export interface RecipeForm {
  /** The preset the values start from: tiny, cpu or paper. */
  preset: string;
  d: string;
  layers: string;
  heads: string;
  /** Attention scores: 'none' (the paper's), 'log-keys' (times ln of the keys each query sees) or 'learned-log-keys' (times 1 + s ln keys, s learned per head); the CLI's --attention-scale. */
  attention: string;
  lr: string;
  /** Where the cosine decay ends, as a fraction of the peak lr in [0, 1) (the CLI's --lr-floor); 0 or empty: at 0, the paper's. */
  lrFloor: string;
  /** AdamW's decoupled weight decay in [0, 1] (the CLI's --weight-decay); empty: the preset's, the paper's 0.01. */
  weightDecay: string;
  batch: string;
  steps: string;
  /** Longest training length: the curriculum grows to it. */
  maxLength: string;
  /** Steps between length increases; empty: scaled with the steps. */
  interval: string;
  /** Later stages after the curriculum, "FROM:LONGEST[:LR][:long=SHARE][:hold=K][:branches=B], …" (the CLI's --stages); "none" or empty: one curriculum, the paper's. */
  stages: string;
  /** Share of each batch drawn at the curriculum's longest length so far, in [0, 1) (the CLI's --long-share); 0 or empty: the paper's uniform lengths. */
  longShare: string;
  /** Share of each batch drawn from the task's hard inputs (Task.hardInputs), in [0, 1) (the CLI's --hard-share); 0 or empty: the paper's uniform inputs. */
  hardShare: string;
  /** Share of each batch drawn from the task's distinct inputs (Task.distinctInputs), in [0, 1), with the hard share at most 1 (the CLI's --distinct-share); 0 or empty: the paper's uniform inputs. */
  distinctShare: string;
  /** Loop steps each answer must hold past T(n), a whole number in [0, 100] (the CLI's --answer-hold); 0 or empty: read at T(n), the paper's. */
  answerHold: string;
  /** The 0-based step the saved weights' average starts at, before the run's end (the CLI's --average-from); "none" or empty: the last weights, the paper's. */
  averageFrom: string;
  seed: string;
  /** The model file to write (absolute, .onnx). */
  output: string;
  /** "10,20,30,40 x 640" or "none". */
  finalEval: string;
  /** A last stage run as branches: 'on' also saves and evaluates each branch as a model of its own (the CLI's --keep-branches); 'off': only their mean. */
  keepBranches: string;
  /** Steps to also save the weights and the run's checkpoint at, comma-separated, each before the last (the CLI's --save-at); empty or "none": none. */
  saveAt: string;
  /** The paper's ablations. Input injection: 'on' (the paper's model) or 'off'. */
  injection: string;
  /** Loop steps every example is read at (the fixed-depth baseline); empty: T(n) per example. */
  fixedSteps: string;
}

export type RecipeField = keyof RecipeForm;

export interface RecipePreview {
  /** True when the form makes a valid recipe (Start is enabled). */
  ok: boolean;
  /** What is wrong with each field, by field. */
  errors: Partial<Record<RecipeField, string>>;
  /** A problem of the recipe as a whole (e.g. heads that do not divide d). */
  error: string | null;
  /** What the recipe derives, label → value (row width, loop horizon, curriculum, lr schedule, parameters). */
  summary: { label: string; value: string }[];
  /** How the curriculum and lr schedule were rescaled to the steps, if they were. */
  scaling: string | null;
  warnings: string[];
}

export interface RecipePageInit {
  /** e.g. "Parity" or "my_task (my_task.raspl)". */
  taskTitle: string;
  /**
   * What the run starts from, and the fields it keeps (shown, not editable): a fine-tune's model file
   * (`from`: its name; it keeps the network), or a fork's checkpoint (`from`: "m.ckpt at step 20,000";
   * it keeps all but the steps, the stages and weight average not yet begun, and where and how it
   * saves). Absent: a recipe from a preset.
   */
  startFrom?: { kind: 'model' | 'checkpoint'; from: string; locked: RecipeField[] };
  presets: { name: string; description: string }[];
  form: RecipeForm;
  preview: RecipePreview;
}

/**
 * What the run would cost on this machine (Estimate Time): real training steps timed on each kind
 * of batch the run trains on, projected over its steps, as `looplens train --estimate` does.
 */
export type RecipeEstimate =
  | { status: 'timing'; done: number; total: number; points: string[] }
  /** `headline`: the wall and CPU time in a few words; `projection`: the whole projection line, by phase. */
  | { status: 'done'; points: string[]; cpuSeconds: number; wallSeconds: number; headline: string; projection: string }
  | { status: 'failed'; message: string };

export type RecipeToWebview =
  | { type: 'init'; init: RecipePageInit }
  /** The answer to a change: the preview, and the form again when the host replaced values (a new preset). */
  | { type: 'preview'; preview: RecipePreview; form?: RecipeForm }
  /** The estimate so far; null once the form it timed has changed. */
  | { type: 'estimate'; estimate: RecipeEstimate | null };

export type RecipeToHost =
  | { type: 'ready' }
  | { type: 'change'; form: RecipeForm }
  /** Load a preset's values into the model, optimizer and curriculum fields. */
  | { type: 'preset'; form: RecipeForm }
  | { type: 'start'; form: RecipeForm }
  /** Time the run this form makes, without training it. */
  | { type: 'estimate'; form: RecipeForm }
  | { type: 'cancel' };

/** Every field of the form. */
export const RECIPE_FIELDS: readonly RecipeField[] = ['preset', 'd', 'layers', 'heads', 'attention', 'lr', 'lrFloor', 'weightDecay', 'batch', 'steps', 'maxLength', 'interval', 'stages', 'longShare', 'hardShare', 'distinctShare', 'answerHold', 'averageFrom', 'seed', 'output', 'finalEval', 'keepBranches', 'saveAt', 'injection', 'fixedSteps'];

/** Whether `k` names a field of the form (a recipe check that names one is shown under it). */
export function isRecipeField(k: string): k is RecipeField {
  return (RECIPE_FIELDS as readonly string[]).includes(k);
}

/** Whether a message's form is a RecipeForm (every field a string of sensible length). */
export function isRecipeForm(v: unknown): v is RecipeForm {
  if (!v || typeof v !== 'object') return false;
  const o = v as Record<string, unknown>;
  return RECIPE_FIELDS.every((k) => typeof o[k] === 'string' && (o[k] as string).length <= 4096);
}
