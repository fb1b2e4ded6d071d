// What the model editor shows for a file's bytes: a LoopLens model's overview (task, vocabulary,
// architecture, the training recipe and record, the loss curve, the evaluation), what another ONNX
// file is (inputs, outputs, opset), or the clear reason a file cannot be read. No vscode import
// (unit-tested).
import { mlpWidth } from '../../core/model/config';
import { LoopLensModelError, parseModel, type LoadedModel } from '../../core/model/modelFile';
import { keyScalesText } from '../../core/model/keyScales';
import { attentionScaleChip, attentionScaleText, loopRuleText, type TrainingRecord } from '../../core/model/modelMetadata';
import { inspectOnnx } from '../../core/onnx/onnxInfo';
import { paramSpecs, size } from '../../core/model/params';
import { branchChipText, recordedAnswerHoldText, recordedBranchText, recordedForksText, recordedInitText, recordedMostAnswerHold, recordedInputsText, recordedLongShareText, recordedSavedWeightsText, recordedScheduleText, recordedStagesText, recordedTrainedLengths, recordedFineTune, timeFromScratch } from '../../core/train/trainRecord';
import { recordedSoupText } from '../../core/train/modelSoup';
import { finiteAt, valueAt } from '../../core/util/jsonPath';
import type { Fact, LoopLensModelPage, ModelPage } from '../../protocol/modelPage';
import { formatDuration } from '../train/trainingState';
import { formatBytes } from '../models/findModels';

export interface ModelFileRef {
  fileName: string;
  /** Shown under the title: the file's path, or its URI when it is not on disk. */
  path: string;
  /** Whether it is a file on disk (Step Through, Debug, Evaluate need one). */
  onDisk: boolean;
}

const n = (v: number) => v.toLocaleString('en-US');
const plural = (v: number, one: string, many = `${one}s`) => `${n(v)} ${v === 1 ? one : many}`;
const durationText = (seconds: number, cpuSeconds: number | undefined) => `${formatDuration(seconds)}${cpuSeconds === undefined ? '' : ` (CPU time ${formatDuration(cpuSeconds)}, all threads)`}`;

/** A fine-tune's time from scratch, its starting model's training included (timeFromScratch); none for a model trained from scratch or a soup. */
function fromScratchFacts(t: TrainingRecord): Fact[] {
  if (!recordedFineTune(t)) return [];
  const { seconds, cpuSeconds } = timeFromScratch(t);
  return [{ label: 'from scratch', value: seconds === undefined ? "not recorded: its starting model's training time is not in this file" : `${durationText(seconds, cpuSeconds)}, its starting model's training included` }];
}

/** The page for a file's bytes (null: the file could not be read, `readError` says why). */
export function buildModelPage(ref: ModelFileRef, bytes: Uint8Array | null, readError?: string): ModelPage {
  if (bytes === null) return { kind: 'error', fileName: ref.fileName, path: ref.path, bytes: null, message: readError ?? `${ref.fileName} cannot be read` };
  let model: LoadedModel;
  try {
    model = parseModel(bytes, ref.fileName);
  } catch (e) {
    const message = e instanceof LoopLensModelError ? e.message : `${ref.fileName}: unexpected error: ${(e as Error).message}`;
    try {
      const info = inspectOnnx(bytes);
      // An ONNX file that does not claim to be LoopLens's is another tool's model, not a broken one.
      if (!info.metadataKeys.includes('looplens.format')) return { kind: 'foreign', fileName: ref.fileName, path: ref.path, bytes: bytes.length, info };
    } catch {
      // not ONNX at all: the loader's message says so
    }
    return { kind: 'error', fileName: ref.fileName, path: ref.path, bytes: bytes.length, message };
  }
  return loopLensPage(ref, bytes.length, model);
}

function loopLensPage(ref: ModelFileRef, bytes: number, m: LoadedModel): LoopLensModelPage {
  const { task, config: c, metadata } = m;
  const t = metadata.training;
  const r = t.recipe;
  const trained = recordedTrainedLengths(t);
  const params = paramSpecs(c).reduce((s, p) => s + size(p.shape), 0);
  const vocab = metadata.vocabulary;
  const tokenName = (id: number) => `${id} "${vocab.symbols[id] ?? id}"`;
  const lengthLabel = task.lengthNames.length === 2 ? `${task.lengthNames[1]} (${task.lengthNames[0]} = 2)` : task.lengthNames[0]!;

  const taskFacts: Fact[] = [
    { label: 'task', value: task.raspl ? `${task.name} (RASP-L task file ${task.raspl.file})` : task.name },
    { label: 'input', value: `e.g. ${task.inputSyntax} (the trailing = is optional)` },
    { label: 'loops', value: metadata.stepsRule.fixedSteps !== undefined ? loopRuleText(metadata.stepsRule) : `${metadata.stepsRule.oracle}; the adaptive rule may run ${metadata.stepsRule.adaptiveExtraSteps} more` },
    { label: 'test length', value: `${task.testLength} (the paper's)` },
    { label: 'vocabulary', value: `${vocab.size} tokens: ${vocab.symbols.map((s) => `"${s}"`).join(' ')}` },
    { label: 'special tokens', value: `answer starts at ${tokenName(vocab.tokens.equals)}, padding ${tokenName(vocab.tokens.pad)}${vocab.tokens.ignore !== undefined ? `, ignored label ${tokenName(vocab.tokens.ignore)}` : ''}` },
  ];
  const keyScales = keyScalesText(c, m.params);
  const architecture: Fact[] = [
    { label: 'block', value: `${plural(c.layers, 'layer')}, ${plural(c.heads, 'head')}, d = ${c.d}, MLP ${mlpWidth(c)}` },
    { label: 'read-in', value: c.readIn === 'linear' ? 'one-hot tokens through a linear layer' : 'an embedding table' },
    { label: 'input injection', value: c.inputInjection ? 'yes: the input is added back at every loop' : 'no (ablation): the input enters once, at the first loop' },
    { label: 'attention', value: attentionScaleText(c) ?? "the paper's: scores q·k / √(head width)" },
    ...(keyScales === undefined ? [] : [{ label: 'key scales s', value: `per head: ${keyScales}` }]),
    { label: 'parameters', value: `${n(params)} (${formatBytes(4 * params)} of float32 weights)` },
    { label: 'graph', value: `${metadata.graph.kind} graph: inputs ${metadata.graph.inputs.tokens}, ${metadata.graph.inputs.numSteps}; outputs ${Object.values(metadata.graph.outputs).join(', ')}` },
    { label: 'file', value: `${formatBytes(bytes)}, LoopLens model format ${metadata.formatVersion}${metadata.createdAt ? `, written ${new Date(metadata.createdAt).toLocaleString()}` : ''}` },
  ];

  const steps = finiteAt(r, 'steps');
  const lrText = recordedScheduleText(r);
  const longShare = recordedLongShareText(r);
  const inputs = recordedInputsText(r);
  const hold = recordedAnswerHoldText(r);
  const cur = { start: finiteAt(r, 'curriculum', 'start'), interval: finiteAt(r, 'curriculum', 'interval'), end: finiteAt(r, 'curriculum', 'end') };
  const opt = { b1: finiteAt(r, 'optimizer', 'beta1'), b2: finiteAt(r, 'optimizer', 'beta2'), eps: finiteAt(r, 'optimizer', 'eps'), wd: finiteAt(r, 'optimizer', 'weightDecay'), clip: valueAt(r, 'optimizer', 'maxGradNorm') };
  const recipe: Fact[] = [{ label: 'preset', value: t.preset }];
  if (steps !== undefined) recipe.push({ label: 'steps', value: `${n(steps)} of batch ${finiteAt(r, 'batchSize') ?? '?'}` });
  if (lrText !== undefined) recipe.push({ label: 'learning rate', value: lrText });
  if (cur.start !== undefined && cur.interval !== undefined && cur.end !== undefined) {
    recipe.push({ label: 'curriculum', value: `lengths up to ${cur.start - 1} at first, +1 every ${n(cur.interval)} steps, up to ${cur.end - 1} from step ${n((cur.end - cur.start) * cur.interval)}${longShare ? `; ${longShare}` : ''}` });
  }
  const stages = recordedStagesText(r);
  if (stages !== undefined) recipe.push({ label: 'stages', value: stages });
  // only when not the paper's uniform inputs or read at T(n), as `looplens info` says them
  if (inputs !== undefined) recipe.push({ label: 'inputs', value: inputs });
  if (hold !== undefined) recipe.push({ label: 'loss', value: hold });
  const start = recordedInitText(r);
  if (start !== undefined) recipe.push({ label: 'started from', value: `${start} (fine-tuned)` });
  const saved = recordedSavedWeightsText(r);
  if (saved !== undefined) recipe.push({ label: 'weights', value: saved });
  const width = finiteAt(r, 'width');
  const horizon = finiteAt(r, 'horizon');
  // the answer hold's late reads (the recipe's or a stage's) run past the horizon
  const loops = horizon === undefined ? '?' : horizon + recordedMostAnswerHold(r);
  if (width !== undefined) recipe.push({ label: 'rows', value: `${valueAt(r, 'widthMode') === 'curriculum' ? 'as wide as the curriculum needs, up to' : 'all'} ${width} tokens, up to ${loops} loops per batch` });
  if (opt.b1 !== undefined) recipe.push({ label: 'optimizer', value: `AdamW β = (${opt.b1}, ${opt.b2}), ε = ${opt.eps}, weight decay ${opt.wd}, ${typeof opt.clip === 'number' ? `clipped at norm ${opt.clip}` : 'no clipping'}` });
  recipe.push({ label: 'seed', value: String(t.seed) });

  const soup = recordedSoupText(t);
  const branch = recordedBranchText(t);
  const forks = recordedForksText(t);
  const record: Fact[] = [
    // a soup's record is its first ingredient's: said before the facts it qualifies
    ...(soup === undefined ? [] : [{ label: 'soup', value: `${soup}; the recipe and training shown are the first's` }]),
    ...(branch === undefined ? [] : [{ label: 'branch', value: branch }]),
    ...(forks === undefined ? [] : [{ label: 'forked', value: forks }]),
    { label: 'steps done', value: steps !== undefined && steps > t.stepsCompleted ? `${n(t.stepsCompleted)} of ${n(steps)} (a checkpoint saved as a model)` : n(t.stepsCompleted) },
    { label: 'trained lengths', value: trained ? `${trained.min}..${trained.max} (${lengthLabel}), the lengths its curriculum reached` : 'unknown: the file was written before LoopLens recorded them' },
    { label: 'training time', value: t.elapsedSeconds > 0 ? durationText(t.elapsedSeconds, t.cpuSeconds) : '–' },
    ...fromScratchFacts(t),
    { label: 'final loss', value: t.finalLoss === null ? '–' : t.finalLoss.toPrecision(3) },
    { label: 'ran on', value: t.provider },
    { label: 'finished', value: t.finishedAt ? new Date(t.finishedAt).toLocaleString() : '–' },
  ];
  // where the model is not the paper's: its ablations, then a non-paper attention
  const attention = attentionScaleChip(c);
  const unlikePaper = [...(metadata.stepsRule.fixedSteps !== undefined ? [`fixed depth ${metadata.stepsRule.fixedSteps}`] : []), ...(c.inputInjection ? [] : ['no input injection']), ...(attention ? [attention] : [])];
  const chips = [`d = ${c.d}`, plural(c.layers, 'layer'), plural(c.heads, 'head'), ...unlikePaper, ...(t.soup === undefined ? [] : [`soup of ${t.soup.length}`]), ...(t.branch === undefined ? [] : [branchChipText(t.branch)]), `${t.preset} preset`, `${n(t.stepsCompleted)} steps`, trained ? `trained ${trained.min}..${trained.max}` : 'trained lengths unknown'];
  const ev = t.evaluation;
  return {
    kind: 'looplens',
    fileName: ref.fileName,
    path: ref.path,
    bytes,
    canRun: ref.onDisk,
    taskTitle: task.title,
    taskDescription: task.description,
    chips,
    task: taskFacts,
    architecture,
    recipe,
    record,
    trained: trained ?? null,
    lossCurve: Array.isArray(t.lossCurve) ? t.lossCurve.filter((p) => Number.isFinite(p?.step) && Number.isFinite(p?.loss)) : [],
    evaluation: ev && Array.isArray(ev.rows) ? { examplesPerLength: ev.examplesPerLength, perExampleRule: ev.perExampleRule, rows: [...ev.rows].sort((a, b) => a.length - b.length) } : null,
    lengthLabel,
    program: task.raspl ? { file: task.raspl.file, source: task.raspl.source } : null,
  };
}
