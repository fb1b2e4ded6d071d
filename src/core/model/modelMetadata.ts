// What a LoopLens model file says about itself, stored as ONNX metadata_props (string key → string
// value; structured values are JSON). Every key starts with "looplens." so the file stays readable
// in any ONNX viewer and never collides with other tools' keys.
import type { LoopedConfig } from './config';
import type { RaspSourceRef, TaskName, TaskTokens } from '../tasks/types';
import type { Task } from '../tasks/types';
import { symbolSeparator } from '../programs/tasks/fromRaspl';

export const MODEL_FORMAT = 'looplens-model';
/**
 * Bump when a reader of the previous version could misread a new file. Version 2 added the steps
 * rule's fixedSteps (the fixed-depth baseline), which a version-1 reader would ignore and so read
 * the model at T(n); version 3 the config's attentionScale, which an older reader would ignore and
 * so run the paper's attention. A file is written as the oldest version that reads it right.
 */
export const MODEL_FORMAT_VERSION = 3;
/** The oldest format this LoopLens still reads. */
export const MIN_MODEL_FORMAT_VERSION = 1;

/** The format version a file with this steps rule and config is written as (the oldest that reads it right). */
export function formatVersionFor(rule: StepsRule, config: Pick<LoopedConfig, 'attentionScale'>): number {
  if ((config.attentionScale ?? 'none') !== 'none') return 3;
  return rule.fixedSteps === undefined ? 1 : 2;
}

export const metaKeys = {
  format: 'looplens.format',
  version: 'looplens.format_version',
  task: 'looplens.task',
  /** JSON {file, source}: the RASP-L task file of a custom task (absent for built-in tasks). */
  taskFile: 'looplens.task_file',
  vocabulary: 'looplens.vocabulary',
  config: 'looplens.config',
  stepsRule: 'looplens.steps_rule',
  graph: 'looplens.graph',
  training: 'looplens.training',
  weightsCrc: 'looplens.weights_crc32',
  createdAt: 'looplens.created_at',
  /** sha256 of the whole file but this entry (modelIntegrity.ts CHECKSUM_KEY); written last by modelFileBytes. */
  checksum: 'looplens.checksum',
} as const;

/** The task's symbols and special tokens, so a reader can decode outputs without LoopLens's task code. */
export interface VocabularyInfo {
  size: number;
  symbols: string[];
  tokens: TaskTokens;
  /** How symbols are joined for display: '' for bit strings, ' ' for unique set. */
  separator: string;
}

/** The loop-count rule: T(n) for the oracle and the budget of the adaptive rule. */
export interface StepsRule {
  /** Human-readable T(n), e.g. 'T(n) = n' or 'T(n) = n_a * n_b'. */
  oracle: string;
  lengthNames: string[];
  /** The adaptive rule may run up to T(n) + adaptiveExtraSteps steps. */
  adaptiveExtraSteps: number;
  /** The halting rule the stepper uses by default for one input. */
  defaultHalting: 'oracle' | 'batch-confidence' | 'example-confidence';
  /** The fixed-depth baseline: every input is read at this step, whatever its length (absent: T(n)). */
  fixedSteps?: number;
}

/** Which graph the file holds and the names of its inputs/outputs. */
export interface GraphInfo {
  kind: 'trace' | 'eval';
  inputs: { tokens: string; numSteps: string };
  outputs: { logits: string; attention?: string; hidden?: string };
  /** Layouts of the outputs, for readers outside LoopLens. */
  layouts: Record<string, string>;
}

/** One row of the evaluation summary: accuracies in [0, 1], mean chosen step. */
export interface EvalSummaryRow {
  length: number;
  oracleStep: number;
  examples: number;
  oracle: number;
  perBatch: number;
  perBatchStep: number;
  perExample: number;
  perExampleStep: number;
  /** The length-calibrated per-example rule (evaluate.ts calibratedStep), when measured. */
  calibrated?: number;
  calibratedStep?: number;
}

export interface EvalSummary {
  examplesPerLength: number;
  seed: number;
  /** The per-example rule reported in `perExample` (describeRule text). */
  perExampleRule: string;
  rows: EvalSummaryRow[];
}

/**
 * The lengths a run's curriculum actually reached (examples had lengths min..max by its last step;
 * n_b for multiplication), which may be fewer than its recipe's curriculum names.
 */
export interface TrainedLengths {
  min: number;
  max: number;
}

/** How the model was trained. */
export interface TrainingRecord {
  preset: string;
  /** The full recipe (src/core/train/recipe.ts TrainRecipe), JSON. */
  recipe: Record<string, unknown>;
  stepsCompleted: number;
  seed: number;
  /** Wall-clock training time, summed over resumed sessions. */
  elapsedSeconds: number;
  /** CPU time of the process that trained (all its threads), summed over resumed sessions: the cost apart from what else the machine ran. Absent in files written before LoopLens counted it, or from a run resumed from such a checkpoint. */
  cpuSeconds?: number;
  /** Mean training loss over the last logged window. */
  finalLoss: number | null;
  /** Where the training steps ran. */
  provider: string;
  finishedAt: string;
  /** Downsampled training-loss curve (at most a few hundred points). */
  lossCurve: { step: number; loss: number }[];
  evaluation?: EvalSummary;
  /** The lengths the curriculum reached; absent in files written before LoopLens recorded them (say "unknown", never guess). */
  trainedLengths?: TrainedLengths;
  /** A model soup's ingredients (core/train/modelSoup.ts): its weights are their mean; the rest of the record is the first's. */
  soup?: SoupIngredient[];
  /** The checkpoints the run went on from as a run of its own (`looplens train --resume-from`), at the steps it did: its training before each step is that checkpoint's run's. */
  forks?: RunFork[];
  /** One branch of a run whose last stage ran as branches (core/train/branches.ts), kept as its own model: its weights are that branch's, where the run's model holds the mean of all of them. */
  branch?: BranchOfRun;
}

/** A checkpoint a run went on from, and the step it did (its path as given, relative to the folder the run was started in when inside it). */
export interface RunFork {
  checkpoint: string;
  step: number;
}

/** The most forks one record keeps (a fork of a fork of …). */
export const MAX_RUN_FORKS = 100;

/** Branch `index` (1-based) of the `of` branches a run's last stage ran as. */
export interface BranchOfRun {
  index: number;
  of: number;
}

/** The most models one soup may average. */
export const MAX_SOUP_MODELS = 64;

/** A model whose weights went into a soup: its file name and its weights' CRC-32. */
export interface SoupIngredient {
  model: string;
  weightsCrc32: number;
}

export interface ModelMetadata {
  formatVersion: number;
  /** A built-in task name, or the name of the custom task in `taskFile`. */
  task: string;
  /** A custom task's RASP-L file (name and source), enough to rebuild the task. */
  taskFile?: RaspSourceRef;
  vocabulary: VocabularyInfo;
  config: LoopedConfig;
  stepsRule: StepsRule;
  graph: GraphInfo;
  training: TrainingRecord;
  /** CRC-32 of every parameter's float32 bytes in parameter-spec order (detects damaged weights). */
  weightsCrc32: number;
  createdAt: string;
  /**
   * The file's integrity checksum (`sha256:<hex>`, metadata key looplens.checksum) over every byte
   * but its own entry: all metadata, the graph and the weights (modelIntegrity.ts). Set when read
   * from a file; writers compute it (modelFileBytes), so it is never encoded from here.
   */
  checksum?: string;
}

const ORACLE_RULES: Record<TaskName, string> = {
  parity: 'T(n) = n',
  copy: 'T(n) = n',
  addition: 'T(n) = n (operand length)',
  binary_sum: 'T(n) = n',
  multiplication: 'T(n) = n_a * n_b',
  unique_set: 'T(n) = n',
};

function isBuiltinRule(name: string): name is TaskName {
  return Object.prototype.hasOwnProperty.call(ORACLE_RULES, name);
}

export function vocabularyOf(task: Task): VocabularyInfo {
  const separator = task.raspl !== undefined ? symbolSeparator(task.symbols) : task.name === 'unique_set' ? ' ' : '';
  return { size: task.vocabSize, symbols: [...task.symbols], tokens: { ...task.tokens }, separator };
}

/**
 * For the built-in tasks T(n) follows from the visible input, so reading at T(n) is the default for
 * one input: on parity every per-example confidence rule measured was at chance, so none can stand in for it.
 */
export function stepsRuleOf(task: Task): StepsRule {
  const base = { lengthNames: [...task.lengthNames], adaptiveExtraSteps: task.adaptiveExtraSteps, defaultHalting: 'oracle' as const };
  if (task.fixedSteps !== undefined) return { oracle: fixedDepthRuleText(task.fixedSteps), ...base, fixedSteps: task.fixedSteps };
  const oracle = task.raspl === undefined && isBuiltinRule(task.name) ? ORACLE_RULES[task.name] : `T from @steps in ${task.raspl?.file ?? task.name}`;
  return { oracle, ...base };
}

/** "T(n) = 12 (fixed depth)": how the steps rule of a fixed-depth model reads (the editor, the Models view, eval). */
export function fixedDepthRuleText(steps: number): string {
  return `T(n) = ${steps} (fixed depth)`;
}

/** How a model's loop count is decided, in words (eval, trace, info): its rule, the oracle's step and the adaptive rules' range. */
export function loopRuleText(rule: StepsRule): string {
  const extra = rule.adaptiveExtraSteps;
  if (rule.fixedSteps !== undefined) {
    const n = rule.fixedSteps;
    return `a fixed depth of ${n} loop steps for every input (the fixed-depth baseline): the oracle reads every length at step ${n}, the adaptive rules search steps 1..${n + extra}`;
  }
  return `${rule.oracle}: the oracle reads each input at its T(n), the adaptive rules search steps 1..T(n) + ${extra}`;
}

/** Whether the input is injected at every loop step, in words. */
export function injectionText(config: Pick<LoopedConfig, 'inputInjection'>): string {
  return config.inputInjection ? 'input injection: the input is added back at every loop step' : 'no input injection (ablation): the input enters once, at the first loop step';
}

/** How attention scores are scaled, in words; undefined for the paper's q.k/sqrt(head width). */
export function attentionScaleText(config: Pick<LoopedConfig, 'attentionScale'>): string | undefined {
  if (config.attentionScale === 'log-keys') return 'scores times ln(number of keys each query sees) (Scalable-Softmax; not in the paper)';
  if (config.attentionScale === 'learned-log-keys') return "scores times 1 + s ln(number of keys each query sees), s learned per head from 0 (the paper's); not in the paper";
  return undefined;
}

/** A short chip for a non-paper attention scale (model summaries and the model page's chips). */
export function attentionScaleChip(config: Pick<LoopedConfig, 'attentionScale'>): string | undefined {
  if (config.attentionScale === 'log-keys') return 'attention × ln keys';
  if (config.attentionScale === 'learned-log-keys') return 'attention × (1 + s ln keys)';
  return undefined;
}

/** { attention: chip } for a non-paper attention scale, {} for the paper's: spread into a panel's model summary. */
export function attentionOf(config: Pick<LoopedConfig, 'attentionScale'>): { attention?: string } {
  const chip = attentionScaleChip(config);
  return chip ? { attention: chip } : {};
}

export function traceGraphInfo(): GraphInfo {
  return {
    kind: 'trace',
    inputs: { tokens: 'tokens', numSteps: 'num_steps' },
    outputs: { logits: 'logits', attention: 'attention', hidden: 'hidden' },
    layouts: {
      tokens: 'int64 [batch, width]',
      num_steps: 'int64 scalar: loop iterations to run',
      logits: 'float32 [steps, batch, width, vocab]: read-out after each iteration',
      attention: 'float32 [steps, layers, batch, heads, query, key]: attention probabilities',
      hidden: 'float32 [steps, batch, width, d]: state after ln_f',
    },
  };
}

/** metadata → metadata_props strings. */
export function encodeMetadata(m: ModelMetadata): Record<string, string> {
  return {
    [metaKeys.format]: MODEL_FORMAT,
    [metaKeys.version]: String(m.formatVersion),
    [metaKeys.task]: m.task,
    ...(m.taskFile === undefined ? {} : { [metaKeys.taskFile]: JSON.stringify(m.taskFile) }),
    [metaKeys.vocabulary]: JSON.stringify(m.vocabulary),
    [metaKeys.config]: JSON.stringify(m.config),
    [metaKeys.stepsRule]: JSON.stringify(m.stepsRule),
    [metaKeys.graph]: JSON.stringify(m.graph),
    [metaKeys.training]: JSON.stringify(m.training, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? null : v)),
    [metaKeys.weightsCrc]: String(m.weightsCrc32),
    [metaKeys.createdAt]: m.createdAt,
  };
}
