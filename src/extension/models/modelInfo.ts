// What the Models view and the model picker say about a file without opening it as the current
// model: a LoopLens model's task, shape, trained lengths and accuracy at the task's test length; a
// training checkpoint's task and progress; or why a file is not a model. Read once per file
// version (path, size, modification time). No vscode import (unit-tested).
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, LoopLensModelError, type LoadedModel } from '../../core/model/modelFile';
import { LIMITS } from '../../core/util/limits';
import { finiteAt } from '../../core/util/jsonPath';
import { readRegularFile } from '../../core/util/safeRead';
import type { BranchOfRun, EvalSummaryRow, TrainedLengths } from '../../core/model/modelMetadata';
import { inspectOnnx } from '../../core/onnx/onnxInfo';
import { resolveTask } from '../../core/programs/tasks/resolve';
import { soupNetwork, type SoupNetwork } from '../../core/train/modelSoup';
import { readTrainingCheckpointInfo } from '../../core/train/trainingCheckpoint';
import { branchChipText, recordedBranchText, recordedTrainedLengths, trainedLengthsAt, trainedLengthsText } from '../../core/train/trainRecord';

export interface ModelSummary {
  kind: 'model';
  task: string;
  taskTitle: string;
  /** "d64 L1 H4" */
  shape: string;
  preset: string;
  stepsCompleted: number;
  /** The recipe's steps (more than stepsCompleted for a checkpoint saved as a model). */
  plannedSteps: number | null;
  /** undefined: the file predates the record ("trained lengths unknown"). */
  trained: TrainedLengths | undefined;
  /** The evaluation row at the task's test length, else the longest evaluated one. */
  headline: (EvalSummaryRow & { atTestLength: boolean }) | undefined;
  testLength: number;
  /** A model soup's ingredient count (core/train/modelSoup.ts); null for a model trained as one. */
  soupOf: number | null;
  /** A kept branch of a run's last stage (core/train/trainJob.ts keepBranches); null for a run's own model. */
  branchOf: BranchOfRun | null;
  /** What a soup needs the same in every model it averages: Average Model Weights offers models by it without loading their weights again. */
  network: SoupNetwork;
}

export interface ForeignSummary {
  kind: 'foreign';
  /** "ONNX model from pytorch 2.3, opset 17, 2 inputs" */
  text: string;
}

export interface BrokenSummary {
  kind: 'broken';
  /** The clear error loadModel gives. */
  error: string;
}

export type ModelFileSummary = ModelSummary | ForeignSummary | BrokenSummary;

export interface CheckpointSummary {
  kind: 'checkpoint';
  task: string;
  taskTitle: string;
  shape: string;
  preset: string;
  step: number;
  totalSteps: number;
  finished: boolean;
  trained: TrainedLengths | undefined;
  /** When the checkpoint was written (ISO), if it says. */
  savedAt: string | undefined;
  /** The run saves each branch of its last stage as its own model (core/train/runState.ts keepBranches). */
  keepBranches: boolean;
}

export type CheckpointFileSummary = CheckpointSummary | BrokenSummary;

const pct = (x: number) => (Number.isFinite(x) ? `${(100 * x).toFixed(x === 1 || x === 0 ? 0 : 1)}%` : '–');
const shapeOf = (c: { d: number; layers: number; heads: number }) => `d${c.d} L${c.layers} H${c.heads}`;

/** The summary of a loaded model. */
export function summarizeModel(m: LoadedModel): ModelSummary {
  const t = m.metadata.training;
  const rows = t.evaluation?.rows ?? [];
  const atTest = rows.find((r) => r.length === m.task.testLength);
  const longest = [...rows].sort((a, b) => b.length - a.length)[0];
  const headRow = atTest ?? longest;
  return {
    kind: 'model',
    task: m.task.name,
    taskTitle: m.task.title,
    shape: shapeOf(m.config),
    preset: t.preset,
    stepsCompleted: t.stepsCompleted,
    plannedSteps: finiteAt(t.recipe, 'steps') ?? null,
    trained: recordedTrainedLengths(t),
    headline: headRow ? { ...headRow, atTestLength: headRow === atTest } : undefined,
    testLength: m.task.testLength,
    soupOf: t.soup?.length ?? null,
    branchOf: t.branch ?? null,
    network: soupNetwork(m),
  };
}

/** Reads and summarizes a model file; never throws (a bad file is a BrokenSummary saying why). */
export async function summarizeModelFile(file: string): Promise<ModelFileSummary> {
  try {
    return summarizeModel(await loadModel(file));
  } catch (e) {
    const message = e instanceof LoopLensModelError ? e.message : `unexpected error: ${(e as Error).message}`;
    // An ONNX file from another tool is not broken: say what it is.
    try {
      // Only a regular file within the model-file limit (a FIFO or /dev/zero would block or never end).
      const bytes = await readRegularFile(file, { what: 'model file', maxBytes: LIMITS.modelFileBytes });
      const info = inspectOnnx(bytes);
      if (!info.metadataKeys.includes('looplens.format')) {
        const opset = info.opsets.find((o) => o.domain === 'ai.onnx');
        const parts = [info.producer ? `from ${info.producer}` : '', opset ? `opset ${opset.version}` : '', `${info.inputs.length} input${info.inputs.length === 1 ? '' : 's'}`].filter((s) => s);
        return { kind: 'foreign', text: `ONNX model ${parts.join(', ')}: not a LoopLens model` };
      }
    } catch {
      // not ONNX at all, or unreadable: the load error says why
    }
    return { kind: 'broken', error: message };
  }
}

/** Reads and summarizes a training checkpoint; never throws. */
export async function summarizeCheckpointFile(file: string): Promise<CheckpointFileSummary> {
  try {
    const ck = await readTrainingCheckpointInfo(file, { verify: true });
    const r = ck.recipe;
    const task = resolveTask(r);
    return {
      kind: 'checkpoint',
      task: task.name,
      taskTitle: task.title,
      shape: shapeOf(r.model),
      preset: r.preset,
      step: ck.step,
      totalSteps: r.steps,
      finished: ck.step >= r.steps,
      trained: trainedLengthsAt(r, ck.step, task),
      savedAt: ck.savedAt,
      keepBranches: ck.keepBranches,
    };
  } catch (e) {
    return { kind: 'broken', error: (e as Error).message };
  }
}

/** "trained 1..20" or "trained lengths unknown" */
export function trainedText(t: TrainedLengths | undefined): string {
  return t ? `trained ${trainedLengthsText(t)}` : 'trained lengths unknown';
}

/** "n = 40: 100%" (the oracle; the tooltip has every rule) */
export function headlineText(s: ModelSummary): string | undefined {
  const h = s.headline;
  return h ? `n = ${h.length}: ${pct(h.oracle)}` : undefined;
}

/**
 * One line: "parity · d64 L1 H4 · trained 1..20 · n = 40: 100%". `name`: the file's name; when it
 * is the task's own (parity.onnx), the task is not repeated.
 */
export function describeModel(s: ModelFileSummary, name?: string): string {
  if (s.kind === 'foreign') return s.text;
  if (s.kind === 'broken') return `cannot be opened: ${s.error}`;
  return [...(name === s.task ? [] : [s.task]), s.shape, ...(s.soupOf === null ? [] : [`soup of ${s.soupOf}`]), ...(s.branchOf === null ? [] : [branchChipText(s.branchOf)]), trainedText(s.trained), headlineText(s) ?? 'not evaluated'].join(' · ');
}

/** "parity · step 1,250 of 6,000 · trained 1..5 so far" */
export function describeCheckpoint(s: CheckpointFileSummary): string {
  if (s.kind === 'broken') return `cannot be read: ${s.error}`;
  const n = (v: number) => v.toLocaleString('en-US');
  const progress = s.finished ? `finished, ${n(s.step)} steps` : `step ${n(s.step)} of ${n(s.totalSteps)}`;
  return [s.task, s.shape, progress, s.trained ? `trained ${trainedLengthsText(s.trained)}${s.finished ? '' : ' so far'}` : 'not started'].join(' · ');
}

/** Markdown for a model's tooltip: what it is, how it was trained, its evaluation. */
export function modelTooltip(file: string, s: ModelFileSummary): string {
  const name = path.basename(file);
  if (s.kind !== 'model') return `**${escapeMd(name)}**\n\n${escapeMd(describeModel(s))}\n\n${escapeMd(file)}`;
  const lines = [
    `**${escapeMd(s.taskTitle)}** looped model — ${escapeMd(name)}`,
    '',
    ...(s.soupOf === null ? [] : [`- a model soup: the mean of the weights of ${s.soupOf} models; the training below is the first's`]),
    ...(s.branchOf === null ? [] : [`- ${escapeMd(recordedBranchText({ branch: s.branchOf })!)}`]),
    `- ${s.shape}, ${s.preset} preset, ${s.stepsCompleted.toLocaleString('en-US')}${s.plannedSteps !== null && s.plannedSteps > s.stepsCompleted ? ` of ${s.plannedSteps.toLocaleString('en-US')}` : ''} steps`,
    `- ${s.trained ? `trained on lengths ${trainedLengthsText(s.trained)}` : 'trained lengths unknown (the file predates LoopLens recording them)'}`,
  ];
  const h = s.headline;
  if (h) lines.push(`- at length ${h.length}${h.atTestLength ? " (the paper's test length)" : ''}: oracle ${pct(h.oracle)}, adaptive (paper rule) ${pct(h.perBatch)}`);
  else lines.push('- not evaluated yet');
  lines.push('', escapeMd(file));
  return lines.join('\n');
}

function escapeMd(s: string): string {
  return s.replace(/([\\`*_{}[\]()#+\-.!|<>])/g, '\\$1');
}

interface Cached<T> {
  key: string;
  value: Promise<T>;
}

/** Summaries per file, read again only when the file's size or modification time changes. */
export class FileSummaryCache {
  private readonly models = new Map<string, Cached<ModelFileSummary>>();
  private readonly checkpoints = new Map<string, Cached<CheckpointFileSummary>>();

  model(file: string): Promise<ModelFileSummary> {
    return this.get(this.models, file, summarizeModelFile);
  }

  checkpoint(file: string): Promise<CheckpointFileSummary> {
    return this.get(this.checkpoints, file, summarizeCheckpointFile);
  }

  private get<T>(map: Map<string, Cached<T>>, file: string, read: (f: string) => Promise<T>): Promise<T> {
    let key: string;
    try {
      const st = fs.statSync(file);
      key = `${st.size}:${st.mtimeMs}`;
    } catch {
      key = 'missing';
    }
    const hit = map.get(file);
    if (hit && hit.key === key) return hit.value;
    const value = read(file);
    map.set(file, { key, value });
    return value;
  }

  /** Forgets files that are gone. */
  forget(file: string): void {
    this.models.delete(file);
    this.checkpoints.delete(file);
  }
}

/** The summaries the Models view and the model picker share. */
export const fileSummaries = new FileSummaryCache();
