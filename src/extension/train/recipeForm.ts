// The custom recipe page's form as plain data: the form a plan starts from, a preset's values,
// and the checked plan (or the errors) a form makes, with the preview the page shows. No vscode
// import (unit-tested).
import * as path from 'node:path';
import { isRecipeField, type RecipeField, type RecipeForm, type RecipePreview } from '../../protocol/recipe';
import { ATTENTION_SCALES, type AttentionScale } from '../../core/model/config';
import { attentionScaleText } from '../../core/model/modelMetadata';
import { paramSpecs, size } from '../../core/model/params';
import { resolveTask, type TaskRef } from '../../core/programs/tasks/resolve';
import { noDistinctInputsReason, noHardInputsReason, type Task } from '../../core/tasks/index';
import { curriculumReachesEndAt } from '../../core/train/curriculum';
import { attentionMayBecome, mayLearnKeyScalesFrom } from '../../core/train/fineTune';
import { LIMITS } from '../../core/util/limits';
import { parseDecimal } from '../../core/util/decimalText';
import { isPresetName, presetNames, presetRecipe, type PresetName } from '../../core/train/presets';
import { curriculumStepsText } from '../../core/train/recipePlan';
import { HOLD_WITH_FIXED_DEPTH, MAX_ANSWER_HOLD, MAX_TRAINING_STEPS, recipeHorizon, type TrainRecipe } from '../../core/train/recipe';
import { cosineEndText } from '../../core/train/schedule';
import { checkTrainingResources } from '../../core/train/trainLimits';
import { recordedAnswerHoldText, recordedInitText, recordedInputsText, recordedLongShareText, recordedSavedWeightsText, recordedStagesText, recordedWeightDecayText } from '../../core/train/trainRecord';
import { parseStages, stagesSpecText } from '../../core/train/stages';
import { branchModelPath } from '../../core/train/branches';
import { PAPER_ADAMW } from '../../core/optim/adamw';
import { definedOnly } from '../../core/util/definedOnly';
import { forkedFromText, parseFinalEval, recipePlanOf, type RecipeFields, type TrainPlan } from './trainPlan';
import { exportPathFor } from '../../core/train/exportCheckpoint';
import { checkpointPathFor } from '../../core/train/trainingCheckpoint';
import { optionalWholeNumber, wholeNumber } from './wholeNumberField';
import { FORK_FIELDS, forkFieldErrors } from './forkPlan';

/** The form showing `plan`'s recipe (every field filled; the interval empty while it scales with the steps, the fixed depth empty for T(n), the lr floor 0 for the paper's decay to 0, the long share 0 for the paper's uniform lengths, the hard and distinct shares 0 for its uniform inputs, the answer hold 0 for its read at T(n), the weight average empty for its last weights). */
export function formOf(plan: TrainPlan): RecipeForm {
  const r = recipePlanOf(plan).recipe;
  return {
    ...recipeFields(r),
    // a fork shows its checkpoint's recipe as it was made
    preset: plan.fork ? r.preset : plan.preset,
    interval: plan.fork ? String(r.curriculum.interval) : plan.custom?.interval !== undefined ? String(plan.custom.interval) : '',
    seed: String(r.seed),
    output: plan.modelPath,
    finalEval: plan.finalEval ? `${plan.finalEval.lengths.join(',')} x ${plan.finalEval.examples}` : 'none',
    keepBranches: plan.keepBranches ? 'on' : 'off',
    saveAt: plan.saveAt ? plan.saveAt.join(',') : '',
  };
}

function recipeFields(r: TrainRecipe): Omit<RecipeForm, 'preset' | 'interval' | 'seed' | 'output' | 'finalEval' | 'keepBranches' | 'saveAt'> {
  return {
    d: String(r.model.d),
    layers: String(r.model.layers),
    heads: String(r.model.heads),
    attention: r.model.attentionScale ?? 'none',
    lr: String(r.schedule.lr),
    lrFloor: String(r.schedule.minLrFraction ?? 0),
    weightDecay: String(r.optimizer.weightDecay),
    batch: String(r.batchSize),
    steps: String(r.steps),
    maxLength: String(r.curriculum.end - 1),
    stages: stagesSpecText(r),
    longShare: String(r.longShare ?? 0),
    hardShare: String(r.hardShare ?? 0),
    distinctShare: String(r.distinctShare ?? 0),
    answerHold: String(r.answerHold ?? 0),
    averageFrom: r.averageFrom === undefined ? '' : String(r.averageFrom),
    injection: r.model.inputInjection ? 'on' : 'off',
    fixedSteps: r.fixedSteps === undefined ? '' : String(r.fixedSteps),
  };
}

/** `form` with the model, optimizer, curriculum, steps and seed of `preset` for the plan's task, ablations off, no lr floor, uniform lengths and inputs, the read at T(n), the last weights (output and final evaluation kept). */
export function presetForm(plan: Pick<TrainPlan, 'task' | 'taskFile'>, form: RecipeForm): RecipeForm {
  const preset = isPresetName(form.preset) ? form.preset : 'cpu';
  const r = presetRecipe(resolveTask(plan), preset);
  return { ...form, ...recipeFields(r), preset, interval: '', seed: String(r.seed) };
}

type Parsed = { ok: true; plan: TrainPlan } | { ok: false };

/** A learning rate as typed: above 0, at most 1. Throws an Error with a message for the form or an input box. */
export function lrField(text: string): number {
  const v = parseDecimal(text);
  if (v === null) throw new Error('the learning rate must be a number, e.g. 0.001 or 1e-3');
  if (!(v > 0 && v <= 1)) throw new Error('the learning rate must be above 0 and at most 1');
  return v;
}

/** An optional fraction: empty is the preset's (undefined); with `zeroIsNone`, 0 is too (the recipe gets no key). */
interface FractionSpec {
  what: string;
  example: string;
  /** Whether 1 itself is allowed ([0, 1]) or not ([0, 1)). */
  oneAllowed: boolean;
  range: string;
  zeroIsNone: boolean;
}

function fractionField(text: string, f: FractionSpec): number | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  const v = parseDecimal(t);
  if (v === null) throw new Error(`${f.what} must be a number, e.g. ${f.example}`);
  if (!(v >= 0 && (f.oneAllowed ? v <= 1 : v < 1))) throw new Error(`${f.what} must be ${f.range}`);
  return f.zeroIsNone && v === 0 ? undefined : v;
}

/** The lr floor as the CLI's --lr-floor takes it: the fraction of the peak lr the cosine ends at; 0 is the paper's decay to 0. */
const lrFloorField = (text: string) =>
  fractionField(text, { what: 'the lr floor', example: '0.1 (the cosine then ends at 0.1 x the peak lr)', oneAllowed: false, range: "at least 0 and below 1 (0: the cosine ends at 0, the paper's)", zeroIsNone: true });

/** AdamW's weight decay as the CLI's --weight-decay takes it, in [0, 1]; empty is the preset's (the paper's 0.01). */
const weightDecayField = (text: string) =>
  fractionField(text, { what: 'the weight decay', example: `${PAPER_ADAMW.weightDecay} (the paper's)`, oneAllowed: true, range: `between 0 and 1 (the paper's: ${PAPER_ADAMW.weightDecay})`, zeroIsNone: false });

/** The long share as the CLI's --long-share takes it: the share of each batch at the curriculum's longest length so far; 0 is the paper's uniform lengths. */
const longShareField = (text: string) =>
  fractionField(text, { what: 'the long share', example: '0.5 (half of each batch at the longest length so far)', oneAllowed: false, range: "at least 0 and below 1 (0: uniform lengths, the paper's)", zeroIsNone: true });

/** The hard share as the CLI's --hard-share takes it: the share of each batch from the task's hard inputs; 0 is the paper's uniform inputs. */
const hardShareField = (text: string) =>
  fractionField(text, { what: 'the hard share', example: "0.5 (half of each batch from the task's hard inputs)", oneAllowed: false, range: "at least 0 and below 1 (0: uniform inputs, the paper's)", zeroIsNone: true });

/** The distinct share as the CLI's --distinct-share takes it: the share of each batch from the task's distinct inputs; 0 is the paper's uniform inputs. */
const distinctShareField = (text: string) =>
  fractionField(text, { what: 'the distinct share', example: "0.5 (half of each batch from the task's distinct inputs)", oneAllowed: false, range: "at least 0 and below 1 (0: uniform inputs, the paper's)", zeroIsNone: true });

/**
 * A share of `ref`'s task's hard or distinct inputs: said under the field, not only as the recipe's
 * error, when the task has no such inputs (`noInputs` says why). A task that does not load is left
 * to the recipe check, as is a hard and a distinct share above 1 together.
 */
function inputShareFor(ref: TaskRef, share: number | undefined, noInputs: (task: Task) => string | undefined): number | undefined {
  if (share === undefined) return undefined;
  let reason: string | undefined;
  try {
    reason = noInputs(resolveTask(ref));
  } catch {
    return share;
  }
  if (reason) throw new Error(`${reason}; 0: uniform inputs, the paper's`);
  return share;
}

/**
 * The answer hold as the CLI's --answer-hold takes it: loop steps past T(n); 0 or empty is the
 * paper's read at T(n) (the recipe gets no key). Refused under the field when a fixed depth is asked
 * for too, in the recipe check's words.
 */
function answerHoldField(text: string, fixedDepthText: string): number | undefined {
  const hold = text.trim() === '' ? 0 : wholeNumber(text, 'the answer hold', 0, MAX_ANSWER_HOLD);
  if (hold === 0) return undefined;
  if (fixedDepthText.trim() !== '') throw new Error(HOLD_WITH_FIXED_DEPTH);
  return hold;
}

/** The step the saved weights' average starts at, as the CLI's --average-from takes it; 'none' or empty is the paper's last weights. */
function averageFromField(text: string): number | undefined {
  if (/^\s*none\s*$/i.test(text)) return undefined;
  return optionalWholeNumber(text, 'the step the average starts at', 0, MAX_TRAINING_STEPS - 1);
}

/** The steps to save the weights at, as the CLI's --save-at takes them (comma-separated); 'none' or empty: none. */
function saveAtField(text: string): number[] | undefined {
  if (/^\s*(none)?\s*$/i.test(text)) return undefined;
  const steps = text.split(',').map((t) => wholeNumber(t, 'a step to save at', 1, MAX_TRAINING_STEPS - 1));
  return [...new Set(steps)].sort((a, b) => a - b);
}

/** 'none' is the paper's attention: left out of the plan; the others scale scores with ln(keys). */
function attentionField(text: string): AttentionScale | undefined {
  const t = text.trim().toLowerCase();
  if (t === 'none') return undefined;
  const scale = ATTENTION_SCALES.find((a) => a === t);
  if (scale) return scale;
  throw new Error(`attention is ${ATTENTION_SCALES.slice(0, -1).join(', ')} or ${ATTENTION_SCALES.at(-1)}`);
}

/** 'on' or 'off' as a boolean; anything else is `problem`. */
function onOffField(text: string, problem = 'choose on or off'): boolean {
  const t = text.trim().toLowerCase();
  if (t === 'on' || t === 'off') return t === 'on';
  throw new Error(problem);
}

/** 'on' is the preset's (always injected): left out of the plan; 'off' is the ablation. */
function injectionField(text: string): false | undefined {
  return onOffField(text, 'input injection is on or off') ? undefined : false;
}

/** The fields a fine-tuning form shows but does not change: the network, which must be the model's to take its weights. */
export const NETWORK_FIELDS: readonly RecipeField[] = ['d', 'layers', 'heads', 'attention', 'injection', 'fixedSteps'];

/** The network fields a fine-tune of a model of `shape` greys: all but the attention of a paper-attention model, which may learn key scales from 0 (the same function at the start). */
export function lockedNetworkFields(shape: NonNullable<TrainPlan['start']>['shape']): RecipeField[] {
  return NETWORK_FIELDS.filter((k) => k !== 'attention' || !mayLearnKeyScalesFrom(shape.attentionScale));
}

/** Where a fine-tuning form's network differs from the model's it starts from (a page that let one change), by field. */
function networkChanges(start: NonNullable<TrainPlan['start']>, custom: RecipeFields): Partial<Record<RecipeField, string>> {
  const shape = start.shape;
  const out: Partial<Record<RecipeField, string>> = {};
  const keep = (k: RecipeField, same: boolean, model: string) => {
    if (!same) out[k] = `a fine-tune keeps the network of ${start.init.model}: ${model}`;
  };
  keep('d', custom.d === shape.d, `d = ${shape.d}`);
  keep('layers', custom.layers === shape.layers, `${shape.layers} layer(s)`);
  keep('heads', custom.heads === shape.heads, `${shape.heads} heads`);
  const attention = shape.attentionScale ?? 'none';
  const attentionKept = mayLearnKeyScalesFrom(shape.attentionScale) ? `attention ${attention} (or learned-log-keys, which starts as the same function)` : `attention ${attention}`;
  keep('attention', attentionMayBecome(shape.attentionScale, custom.attentionScale), attentionKept);
  keep('injection', (custom.inputInjection ?? true) === (shape.inputInjection ?? true), `input injection ${shape.inputInjection === false ? 'off' : 'on'}`);
  keep('fixedSteps', custom.fixedSteps === shape.fixedSteps, shape.fixedSteps === undefined ? 'T(n) loop steps per example' : `a fixed depth of ${shape.fixedSteps}`);
  return out;
}

/**
 * The plan a form makes on top of `base` (task, taskFile, and the model a fine-tune starts from),
 * and the preview: per-field errors, the recipe's derived values, how it was rescaled and its
 * warnings. A fine-tune's network is the model's: the form may not change it.
 */
export function checkForm(base: Pick<TrainPlan, 'task' | 'taskFile' | 'start' | 'fork'>, form: RecipeForm): { plan: TrainPlan | undefined; preview: RecipePreview } {
  const errors: Partial<Record<RecipeField, string>> = {};
  const field = <T>(k: RecipeField, parse: (t: string) => T): T | undefined => {
    try {
      return parse(form[k]);
    } catch (e) {
      errors[k] = (e as Error).message;
      return undefined;
    }
  };
  const preset = field('preset', (t) => {
    if (!isPresetName(t)) throw new Error(`choose one of ${presetNames.join(', ')}`);
    return t;
  });
  const custom: RecipeFields = {
    d: field('d', (t) => wholeNumber(t, 'd', 1, 4096)),
    layers: field('layers', (t) => wholeNumber(t, 'layers', 1, 64)),
    heads: field('heads', (t) => wholeNumber(t, 'heads', 1, 1024)),
    attentionScale: field('attention', attentionField),
    lr: field('lr', lrField),
    minLrFraction: field('lrFloor', lrFloorField),
    weightDecay: field('weightDecay', weightDecayField),
    batchSize: field('batch', (t) => wholeNumber(t, 'the batch size', 1, 4096)),
    maxLength: field('maxLength', (t) => wholeNumber(t, 'the longest length', 1, 500)),
    interval: field('interval', (t) => (t.trim() === '' ? undefined : wholeNumber(t, 'the interval', 1, 10_000_000))),
    stages: field('stages', parseStages),
    longShare: field('longShare', longShareField),
    hardShare: field('hardShare', (t) => inputShareFor(base, hardShareField(t), noHardInputsReason)),
    distinctShare: field('distinctShare', (t) => inputShareFor(base, distinctShareField(t), noDistinctInputsReason)),
    answerHold: field('answerHold', (t) => answerHoldField(t, form.fixedSteps)),
    averageFrom: field('averageFrom', averageFromField),
    inputInjection: field('injection', injectionField),
    // the CLI's --fixed-steps bound; the trainer's memory check catches depths this machine cannot unroll
    fixedSteps: field('fixedSteps', (t) => (t.trim() === '' ? undefined : wholeNumber(t, 'the fixed depth', 1, LIMITS.steps))),
  };
  if (base.start) Object.assign(errors, networkChanges(base.start, custom));
  const steps = field('steps', (t) => wholeNumber(t, 'steps', 1, 10_000_000));
  const seed = field('seed', (t) => wholeNumber(t, 'the seed', 0, 2 ** 32 - 1));
  const modelPath = field('output', (t) => {
    const p = t.trim();
    if (!path.isAbsolute(p)) throw new Error('give an absolute path');
    if (!/\.onnx$/i.test(p)) throw new Error('a model file name ends with .onnx');
    return p;
  });
  const finalEval = field('finalEval', parseFinalEval);
  const keepBranches = field('keepBranches', (t) => onOffField(t));
  const saveAt = field('saveAt', saveAtField);
  const late = steps === undefined ? undefined : saveAt?.find((s) => s >= steps);
  if (late !== undefined) errors.saveAt = `step ${late} is not before the run's last (${steps}): the model is saved after the last step anyway`;
  if (base.fork) {
    // a fork's other fields are its checkpoint's, greyed on the page: never read
    for (const k of Object.keys(errors) as RecipeField[]) if (!FORK_FIELDS.includes(k)) delete errors[k];
    Object.assign(errors, forkFieldErrors(base.fork, modelPath, saveAt));
  }
  const preview: RecipePreview = { ok: false, errors, error: null, summary: [], scaling: null, warnings: [] };
  // a fork has no preset to check: its recipe is its checkpoint's
  if (Object.keys(errors).length > 0 || (preset === undefined && !base.fork) || modelPath === undefined || finalEval === undefined) return { plan: undefined, preview };
  const plan: TrainPlan = {
    task: base.task,
    ...(base.taskFile ? { taskFile: base.taskFile } : {}),
    preset: base.fork ? 'cpu' : (preset as PresetName), // a fork's is not read
    custom: base.fork
      ? // the stages and the weight average as the form has them: empty is none
        { stages: custom.stages ?? [], averageFrom: custom.averageFrom ?? null }
      : // a fine-tune: the model's network in one stage (startingPointOf), as the quick Fine-Tune's plan, with the attention the form may change (lockedNetworkFields)
        base.start
        ? { ...definedOnly(custom), ...base.start.shape, attentionScale: custom.attentionScale ?? base.start.shape.attentionScale }
        : definedOnly(custom),
    steps,
    seed,
    modelPath,
    finalEval,
    ...(keepBranches ? { keepBranches } : {}),
    ...(saveAt ? { saveAt } : {}),
    ...(base.start ? { start: base.start } : {}),
    ...(base.fork ? { fork: base.fork } : {}),
  };
  const parsed = planPreview(plan, preview);
  return { plan: parsed.ok ? parsed.plan : undefined, preview };
}

/** A recipe check about one field ("answerHold: …", the core's own words) goes under that field; any other is the recipe's. */
function showRecipeError(preview: RecipePreview, message: string): void {
  const m = /^(\w+): ([\s\S]+)$/.exec(message);
  if (m && isRecipeField(m[1]!)) preview.errors[m[1]] = m[2]!;
  else preview.error = message;
}

function planPreview(plan: TrainPlan, preview: RecipePreview): Parsed {
  let p;
  try {
    p = recipePlanOf(plan);
    checkTrainingResources(p.recipe); // the worker's memory check, before Start (a deep fixed depth unrolls every step)
  } catch (e) {
    showRecipeError(preview, (e as Error).message.replace(/^training recipe: /, ''));
    return { ok: false };
  }
  const r = p.recipe;
  const branches = r.stages?.at(-1)?.branches;
  if (plan.keepBranches && branches === undefined) {
    preview.errors.keepBranches = r.stages ? 'the last stage runs once: add branches=B to it under Stages to keep each branch' : 'the recipe has no stages: add one under Stages with branches=B to keep each branch';
    return { ok: false };
  }
  const n = (v: number) => v.toLocaleString('en-US');
  const params = paramSpecs(r.model).reduce((s, spec) => s + size(spec.shape), 0);
  const reach = curriculumReachesEndAt(r.curriculum);
  const longShare = recordedLongShareText(r);
  const inputs = recordedInputsText(r);
  const decay = recordedWeightDecayText(r);
  const hold = recordedAnswerHoldText(r);
  const stages = recordedStagesText(r);
  const init = recordedInitText(r);
  const saved = recordedSavedWeightsText(r);
  preview.summary = [
    ...(plan.fork ? [{ label: 'goes on from', value: `${forkedFromText(plan.fork)}, as a run of its own: the steps before it are that run's, and ${path.basename(plan.fork.checkpointPath)} stays as it is` }] : []),
    ...(init === undefined ? [] : [{ label: 'weights', value: init }]),
    // only when it is not the paper's, as `looplens info` and the model page say it
    ...(attentionScaleText(r.model) === undefined ? [] : [{ label: 'attention', value: attentionScaleText(r.model)! }]),
    { label: 'parameters', value: `${n(params)} (${(params * 4 / 1024 / 1024).toFixed(params * 4 < 10 * 1024 * 1024 ? 2 : 0)} MB of weights)` },
    { label: 'curriculum', value: `lengths 1..${r.curriculum.start - 1} at first, +1 every ${n(r.curriculum.interval)} steps, all of 1..${r.curriculum.end - 1} from step ${n(reach)}${stages ? `, ${stages}` : ''}${longShare ? `; ${longShare}` : ''}` },
    // only when it is not the paper's uniform inputs, as the CLI's training line and info
    ...(inputs === undefined ? [] : [{ label: 'inputs', value: inputs }]),
    { label: 'learning rate', value: r.schedule.kind === 'constant' ? `${r.schedule.lr}, constant` : `${r.schedule.lr} until step ${n(r.schedule.holdSteps)}, then ${cosineEndText(r.schedule.minLrFraction)} at step ${n(r.stages?.[0]?.fromStep ?? r.steps)}${r.stages ? ' (each stage: its own decay)' : ''}` },
    // only when it is not the paper's, as the CLI's training line and info
    ...(decay === undefined ? [] : [{ label: 'weight decay', value: decay }]),
    {
      label: 'depth',
      // an answer hold (never with a fixed depth) in the words of the CLI's training line and info
      value: r.fixedSteps === undefined ? `T(n) per example: ${hold ?? 'each example is read at its own loop step'}` : `fixed: ${n(r.fixedSteps)} loop steps for every input (the ablation)`,
    },
    { label: 'input injection', value: r.model.inputInjection ? 'on: the input is added back at every loop step' : 'off (the ablation): the input enters once, at the first loop step' },
    { label: 'rows', value: `${r.widthMode === 'curriculum' ? 'as wide as the curriculum needs, up to' : 'all'} ${r.width} tokens; up to ${recipeHorizon(r)} loop iterations` },
    // not 'weights': that row is where a fine-tune starts; in the words of `looplens info`
    ...(saved === undefined ? [] : [{ label: 'saved weights', value: saved }]),
    ...(plan.saveAt ? [{ label: 'kept along the way', value: `the weights and the run's checkpoint at step${plan.saveAt.length === 1 ? '' : 's'} ${plan.saveAt.map(n).join(', ')} (${path.basename(exportPathFor(checkpointPathFor(plan.modelPath), plan.saveAt[0]!))}, .ckpt …): starting points for probes and forks` }] : []),
    ...(plan.keepBranches && branches !== undefined ? [{ label: 'kept branches', value: `each of the ${branches} also saved as ${path.basename(branchModelPath(plan.modelPath, 1))} … ${path.basename(branchModelPath(plan.modelPath, branches))} and evaluated beside their mean` }] : []),
  ];
  preview.scaling = p.scaling ? `The interval and the learning-rate hold were scaled to ${curriculumStepsText(p.scaling.to)} (the ${plan.preset} preset: every ${n(p.scaling.from.interval)} of ${curriculumStepsText(p.scaling.from)}).` : null;
  preview.warnings = p.warnings;
  preview.ok = true;
  return { ok: true, plan };
}
