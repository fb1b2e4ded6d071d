// A trained model on disk: the ONNX trace graph (src/core/model/inferenceGraph.ts) with the weights
// as initializers and LoopLens's description in metadata_props (modelMetadata.ts). Any ONNX
// Runtime can run it; LoopLens reads the metadata and can pull the weights back out (to build the
// lean eval graph or to continue training). Files are written atomically and signed: an integrity
// checksum over every byte but its own entry (modelIntegrity.ts) covers the metadata, the graph and
// the weights. Reading checks, in order: a regular file within LIMITS, the ONNX structure, the
// format, the checksum, the metadata schema (modelSchema.ts, limits included), then the weights.
import { decodeModelProto } from '../onnx/onnxSchema';
import { atomicWriteFile } from '../util/atomicWrite';
import { crc32 } from '../util/crc32';
import { formatBytes, LIMITS } from '../util/limits';
import { stripAnsi } from '../util/plainText';
import { FileReadError, readRegularFile } from '../util/safeRead';
import { ValidationError, type Check } from '../util/validate';
import { resolveTask } from '../programs/tasks/resolve';
import { fixedDepthTask } from '../tasks/fixedDepth';
import type { Task } from '../tasks/types';
import { validateConfig, type LoopedConfig } from './config';
import { inferenceModelBytes, inferenceNames } from './inferenceGraph';
import { CHECKSUM_KEY, ModelWireError, signModelBytes, verifyModelChecksum } from './modelIntegrity';
import {
  encodeMetadata,
  formatVersionFor,
  metaKeys,
  MIN_MODEL_FORMAT_VERSION,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  stepsRuleOf,
  traceGraphInfo,
  vocabularyOf,
  type ModelMetadata,
  type TrainingRecord,
} from './modelMetadata';
import { graphSchema, stepsRuleSchema, taskFileSchema, trainingRecordSchema, vocabularySchema } from './modelSchema';
import { paramSpecs, size, type Params } from './params';
import { readFloat32LE } from '../util/littleEndian';

/** A file that cannot be used as a LoopLens model; the message says why and what to do. */
export class LoopLensModelError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'LoopLensModelError';
  }
}

export interface LoadedModel {
  /** Where it was read from ('<bytes>' when loaded from memory). */
  source: string;
  /** The file's bytes (a trace graph: open it with openSession). */
  bytes: Uint8Array;
  metadata: ModelMetadata;
  task: Task;
  config: LoopedConfig;
  params: Params;
}

export interface ModelContents {
  task: Task;
  config: LoopedConfig;
  params: Params;
  training: TrainingRecord;
  /** Further metadata_props to keep (e.g. keys of a newer LoopLens, carried over by an upgrade); LoopLens's own keys win. */
  extraMetadata?: Readonly<Record<string, string>>;
}

/** How to make a model file that lacks the integrity checksum usable again. */
export function reexportHint(source: string): string {
  return `Re-export it with \`looplens export ${source} --out NEW.onnx\` (it checks the weights against their CRC-32, rebuilds the graph from the config and adds the checksum), or retrain it.`;
}

/** CRC-32 of the parameters' float32 bytes, in parameter-spec order. */
export function weightsCrc32(config: LoopedConfig, params: Params): number {
  let crc = 0;
  for (const s of paramSpecs(config)) {
    const p = params[s.name]!;
    crc = crc32(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), 0, p.byteLength, crc);
  }
  return crc;
}

/** The model file's bytes. */
export function modelFileBytes(m: ModelContents, createdAt = new Date().toISOString()): Uint8Array {
  const config = validateConfig(m.config);
  if (config.vocabSize !== m.task.vocabSize) throw new LoopLensModelError(`model vocabulary (${config.vocabSize}) does not match the ${m.task.name} task (${m.task.vocabSize})`);
  const stepsRule = stepsRuleOf(m.task); // a fixed-depth task records its depth here
  const metadata: ModelMetadata = {
    formatVersion: formatVersionFor(stepsRule, config),
    task: m.task.name,
    ...(m.task.raspl === undefined ? {} : { taskFile: { file: m.task.raspl.file, source: m.task.raspl.source } }),
    vocabulary: vocabularyOf(m.task),
    config,
    stepsRule,
    graph: traceGraphInfo(),
    training: m.training,
    weightsCrc32: weightsCrc32(config, m.params),
    createdAt,
  };
  const extra = Object.fromEntries(Object.entries(m.extraMetadata ?? {}).filter(([k]) => k !== CHECKSUM_KEY));
  const bytes = inferenceModelBytes(config, m.params, 'trace', {
    metadata: { ...extra, ...encodeMetadata(metadata) },
    docString: `LoopLens looped transformer for ${m.task.title} (${config.layers} layer(s), d=${config.d}, ${config.heads} heads); trace graph`,
  });
  // The integrity checksum covers every byte written above (modelIntegrity.ts): every writer signs.
  return signModelBytes(bytes);
}

/** Writes the model file atomically (a reader never sees a half-written file). Returns its size. */
export async function saveModel(path: string, m: ModelContents): Promise<number> {
  const bytes = modelFileBytes(m);
  await atomicWriteFile(path, bytes);
  return bytes.length;
}

/** Reads and validates a model file. Throws LoopLensModelError with a clear reason. */
export async function loadModel(path: string): Promise<LoadedModel> {
  return parseModel(await readModelFile(path), path);
}

/** A model file's bytes: only a regular file, at most LIMITS.modelFileBytes (checked before reading). */
async function readModelFile(path: string): Promise<Uint8Array> {
  try {
    return await readRegularFile(path, { what: 'model file', maxBytes: LIMITS.modelFileBytes, tooLargeHint: 'LoopLens model files are far smaller (is this really one?)' });
  } catch (err) {
    if (err instanceof FileReadError) throw new LoopLensModelError(err.message);
    throw err;
  }
}

interface RawTensor {
  name?: string;
  dims?: number[];
  data_type?: number;
  raw_data?: Uint8Array;
  float_data?: number[];
}

interface RawModel {
  graph?: { initializer?: RawTensor[]; input?: { name?: string }[]; output?: { name?: string }[]; node?: unknown[] };
  metadata_props?: { key?: string; value?: string }[];
}

/** Validates model bytes; `source` names the file in messages. */
export function parseModel(bytes: Uint8Array, source = '<bytes>'): LoadedModel {
  return parseModelBytes(bytes, source, 'strict').model;
}

interface Parsed {
  model: LoadedModel;
  /** metadata_props keys LoopLens does not write itself (kept by an upgrade). */
  extraMetadata: Record<string, string>;
  /** Whether the file carried a valid integrity checksum. */
  signed: boolean;
}

/**
 * 'strict': the integrity checksum must be present and match. 'legacy' (upgrades only): a file
 * without one is read when its weights match their CRC-32; a present checksum must still match.
 * Order: structure, format, integrity, then the metadata schema, then the weights (allocated last,
 * sized by a config already checked against LIMITS).
 */
function parseModelBytes(bytes: Uint8Array, source: string, mode: 'strict' | 'legacy'): Parsed {
  if (bytes.length === 0) throw new LoopLensModelError(`${source} is empty (0 bytes): not a model file`);
  if (bytes.length > LIMITS.modelFileBytes) throw new LoopLensModelError(`${source} is ${formatBytes(bytes.length)}, more than the ${formatBytes(LIMITS.modelFileBytes)} a model file may have`);
  let raw: RawModel;
  try {
    raw = decodeModelProto(bytes) as RawModel;
  } catch (err) {
    throw new LoopLensModelError(`${source} is not a readable ONNX model: it is truncated, corrupt or another kind of file (${cleanDecodeMessage(err)})`);
  }
  if (!raw.graph || !Array.isArray(raw.graph.node) || raw.graph.node.length === 0) {
    throw new LoopLensModelError(`${source} is not an ONNX model (no graph found); LoopLens model files are .onnx files written by \`looplens train\``);
  }
  const meta = new Map<string, string>();
  const repeated = new Set<string>();
  for (const e of raw.metadata_props ?? []) {
    if (typeof e.key !== 'string') continue;
    if (meta.has(e.key)) repeated.add(e.key);
    meta.set(e.key, e.value ?? '');
  }
  if (meta.get(metaKeys.format) !== MODEL_FORMAT) {
    throw new LoopLensModelError(`${source} is an ONNX model but not a LoopLens model (its metadata has no ${metaKeys.format} = ${MODEL_FORMAT}); train one with \`looplens train\``);
  }
  const versionText = meta.get(metaKeys.version) ?? '';
  const version = /^\d{1,6}$/.test(versionText) ? Number(versionText) : NaN;
  if (!Number.isInteger(version) || version < 1) throw new LoopLensModelError(`${source} is corrupt: bad ${metaKeys.version} "${versionText.slice(0, 40)}"`);
  if (version > MODEL_FORMAT_VERSION) {
    throw new LoopLensModelError(`${source} was written by a newer LoopLens (model format version ${version}); this LoopLens reads versions ${MIN_MODEL_FORMAT_VERSION} to ${MODEL_FORMAT_VERSION}. Update LoopLens to open it.`);
  }
  if (version < MIN_MODEL_FORMAT_VERSION) {
    throw new LoopLensModelError(`${source} uses the old model format version ${version}; this LoopLens reads versions ${MIN_MODEL_FORMAT_VERSION} to ${MODEL_FORMAT_VERSION}. Retrain or re-export it.`);
  }

  let integrity;
  try {
    integrity = verifyModelChecksum(bytes);
  } catch (err) {
    if (!(err instanceof ModelWireError)) throw err;
    throw new LoopLensModelError(`${source} is not a readable ONNX model: it is truncated, corrupt or another kind of file (${err.message})`);
  }
  const damaged = `${source} is corrupt: its contents do not match its integrity checksum (the file was changed or damaged after it was written)`;
  if (integrity.status === 'missing' && mode === 'strict') {
    throw new LoopLensModelError(`${source} has no integrity checksum (metadata ${CHECKSUM_KEY}): it was written by an older LoopLens or changed by another tool, so LoopLens cannot vouch for its graph, config and weights. ${reexportHint(source)}`);
  }
  if (integrity.status === 'duplicate') throw new LoopLensModelError(`${source} is corrupt: it has more than one ${CHECKSUM_KEY} entry`);
  if (integrity.status === 'malformed') throw new LoopLensModelError(`${source} is corrupt: its ${CHECKSUM_KEY} is not a sha256 checksum`);
  if (integrity.status === 'mismatch') throw new LoopLensModelError(damaged);
  for (const k of repeated) if (k !== CHECKSUM_KEY) throw new LoopLensModelError(`${source} is corrupt: metadata ${k} appears more than once`);

  // The metadata schema, before anything is built from it.
  const corrupt = (message: string) => new LoopLensModelError(`${source} is corrupt: ${message}`);
  const json = <T>(key: string, schema: Check<T>): T => {
    const v = meta.get(key);
    if (v === undefined) throw corrupt(`metadata ${key} is missing`);
    let parsed: unknown;
    try {
      parsed = JSON.parse(v);
    } catch {
      throw corrupt(`metadata ${key} is not valid JSON`);
    }
    try {
      return schema(parsed, key);
    } catch (err) {
      if (err instanceof ValidationError) throw corrupt(`metadata ${err.message}`);
      throw err;
    }
  };
  const configCheck: Check<LoopedConfig> = (v) => {
    try {
      return validateConfig(v as LoopedConfig);
    } catch (err) {
      throw corrupt(`metadata ${metaKeys.config}: ${(err as Error).message.replace(/^model config:? ?/, '')}`);
    }
  };
  const taskName = meta.get(metaKeys.task);
  if (taskName === undefined) throw corrupt(`metadata ${metaKeys.task} is missing`);
  if (taskName.length === 0 || taskName.length > 200) throw corrupt(`metadata ${metaKeys.task} must be a task name, got a string of ${taskName.length} characters`);
  const taskFile = meta.has(metaKeys.taskFile) ? json(metaKeys.taskFile, taskFileSchema) : undefined;
  const config = json(metaKeys.config, configCheck);
  const vocabulary = json(metaKeys.vocabulary, vocabularySchema);
  const stepsRule = json(metaKeys.stepsRule, stepsRuleSchema);
  const graph = json(metaKeys.graph, graphSchema);
  const training = json(metaKeys.training, trainingRecordSchema);
  const createdAt = meta.get(metaKeys.createdAt) ?? '';
  const crcText = meta.get(metaKeys.weightsCrc);
  if (crcText !== undefined && !/^\d{1,10}$/.test(crcText)) throw corrupt(`metadata ${metaKeys.weightsCrc} is not a CRC-32 ("${crcText.slice(0, 20)}")`);
  if (mode === 'legacy' && integrity.status === 'missing' && crcText === undefined) {
    throw new LoopLensModelError(`${source} has neither an integrity checksum nor a weights CRC-32, so its weights cannot be checked: retrain it`);
  }

  let task: Task;
  try {
    task = resolveTask({ task: taskName, taskFile });
  } catch (err) {
    throw new LoopLensModelError(`${source}: ${(err as Error).message}`);
  }
  const recipeDepth = training.recipe.fixedSteps;
  if ((recipeDepth ?? undefined) !== stepsRule.fixedSteps) {
    throw corrupt(`its steps rule (fixed depth ${stepsRule.fixedSteps ?? 'none'}) and its training recipe (fixed depth ${String(recipeDepth ?? 'none')}) disagree`);
  }
  // A fixed-depth model is read at its depth everywhere (evaluation, trace, stepper, debugger).
  if (stepsRule.fixedSteps !== undefined) task = fixedDepthTask(task, stepsRule.fixedSteps);
  if (config.vocabSize !== task.vocabSize) throw corrupt(`config vocabulary ${config.vocabSize} does not match the ${task.name} task`);
  if (config.readIn !== task.readIn) throw corrupt(`config read-in '${config.readIn}' does not match the ${task.name} task's '${task.readIn}'`);
  if (vocabulary.size !== config.vocabSize) throw corrupt(`metadata ${metaKeys.vocabulary}.size ${vocabulary.size} does not match the config's vocabulary ${config.vocabSize}`);

  const names = { in: (raw.graph.input ?? []).map((i) => i.name), out: (raw.graph.output ?? []).map((o) => o.name) };
  for (const want of [inferenceNames.tokens, inferenceNames.numSteps]) {
    if (!names.in.includes(want)) throw new LoopLensModelError(`${source} is corrupt: its graph lacks the input "${want}"`);
  }
  for (const want of [inferenceNames.logits, inferenceNames.attention, inferenceNames.hidden]) {
    if (!names.out.includes(want)) throw new LoopLensModelError(`${source} is corrupt: its graph lacks the output "${want}"`);
  }

  const params = extractParams(raw.graph.initializer ?? [], config, source);
  if (crcText !== undefined && Number(crcText) !== weightsCrc32(config, params)) {
    throw new LoopLensModelError(`${source} is corrupt: its weights do not match their checksum (the file was damaged after it was written)`);
  }
  const metadata: ModelMetadata = {
    formatVersion: version,
    task: task.name,
    ...(task.raspl === undefined ? {} : { taskFile: { file: task.raspl.file, source: task.raspl.source } }),
    vocabulary,
    config,
    stepsRule,
    graph,
    training,
    weightsCrc32: Number(crcText),
    createdAt,
    ...(integrity.status === 'ok' ? { checksum: integrity.checksum } : {}),
  };
  const known = new Set<string>([...Object.values(metaKeys), CHECKSUM_KEY]);
  const extraMetadata = Object.fromEntries([...meta].filter(([k]) => !known.has(k)));
  return { model: { source, bytes, metadata, task, config, params }, extraMetadata, signed: integrity.status === 'ok' };
}

/** protobufjs's messages, without their stack or colour codes. */
function cleanDecodeMessage(err: unknown): string {
  return stripAnsi(String((err as Error)?.message ?? err)).split('\n')[0]!.slice(0, 200);
}

/** Fills in what an older training record lacks (the caller knows how, e.g. from the recipe), before the rewrite. */
export type CompleteRecord = (training: TrainingRecord, task: Task) => TrainingRecord;

export interface UpgradedModel {
  /** The rewritten file's bytes (graph rebuilt from the config, integrity checksum added). */
  bytes: Uint8Array;
  model: LoadedModel;
  /** Whether the input already had a valid checksum (the rewrite is then only a re-export). */
  wasSigned: boolean;
}

/**
 * A model file written before the integrity checksum, made loadable: its weights are checked
 * against their CRC-32, its metadata against the schema, and it is rewritten from its own config,
 * weights and training record (the graph rebuilt, every further metadata key kept) with the checksum.
 */
export function upgradeModelBytes(bytes: Uint8Array, source = '<bytes>', completeRecord?: CompleteRecord): UpgradedModel {
  const p = parseModelBytes(bytes, source, 'legacy');
  const m = p.model;
  const training = completeRecord ? completeRecord(m.metadata.training, m.task) : m.metadata.training;
  const out = modelFileBytes({ task: m.task, config: m.config, params: m.params, training, extraMetadata: p.extraMetadata }, m.metadata.createdAt);
  return { bytes: out, model: parseModel(out, source), wasSigned: p.signed };
}

/** upgradeModelBytes on a file, written atomically (and once) to `out` (default: in place). Returns the result. */
export async function upgradeModelFile(path: string, out = path, completeRecord?: CompleteRecord): Promise<UpgradedModel> {
  const r = upgradeModelBytes(await readModelFile(path), path, completeRecord);
  await atomicWriteFile(out, r.bytes);
  return r;
}

function extractParams(inits: RawTensor[], config: LoopedConfig, source: string): Params {
  const byName = new Map(inits.map((t) => [t.name ?? '', t]));
  const params: Params = {};
  for (const s of paramSpecs(config)) {
    const t = byName.get(s.name);
    if (!t) throw new LoopLensModelError(`${source} is corrupt: the weight ${s.name} is missing`);
    const dims = (t.dims ?? []).map(Number);
    if (t.data_type !== 1 || dims.join(',') !== s.shape.join(',')) {
      throw new LoopLensModelError(`${source} is corrupt: the weight ${s.name} is [${dims.join(', ')}] of type ${t.data_type}, expected float32 [${s.shape.join(', ')}]`);
    }
    const n = size(s.shape);
    if (t.raw_data && t.raw_data.length > 0) {
      if (t.raw_data.length !== 4 * n) throw new LoopLensModelError(`${source} is corrupt: the weight ${s.name} has ${t.raw_data.length} bytes, expected ${4 * n}`);
      params[s.name] = readFloat32LE(t.raw_data, 0, n);
    } else if (t.float_data && t.float_data.length === n) {
      params[s.name] = Float32Array.from(t.float_data);
    } else {
      throw new LoopLensModelError(`${source} is corrupt: the weight ${s.name} has no data`);
    }
  }
  return params;
}
