// A trained model on disk: the ONNX trace graph (src/core/model/inferenceGraph.ts) with the weights
// as initializers and LoopLens's description in metadata_props (modelMetadata.ts). Any ONNX
// Runtime can run it; LoopLens reads the metadata and can pull the weights back out (to build the
// lean eval graph or to continue training). Files are written atomically.
import * as fs from 'node:fs';
import { decodeModelProto } from '../onnx/onnxSchema';
import { atomicWriteFile } from '../util/atomicWrite';
import { crc32 } from '../util/crc32';
import { resolveTask } from '../programs/tasks/resolve';
import type { RaspSourceRef, Task } from '../tasks/types';
import { validateConfig, type LoopedConfig } from './config';
import { inferenceModelBytes, inferenceNames } from './inferenceGraph';
import {
  encodeMetadata,
  metaKeys,
  MODEL_FORMAT,
  MODEL_FORMAT_VERSION,
  stepsRuleOf,
  traceGraphInfo,
  vocabularyOf,
  type ModelMetadata,
  type TrainingRecord,
} from './modelMetadata';
import { paramSpecs, size, type Params } from './params';

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
}

/** CRC-32 of the parameters' float32 bytes, in parameter-spec order. */
export function weightsCrc32(config: LoopedConfig, params: Params): number {
  const specs = paramSpecs(config);
  const all = new Uint8Array(specs.reduce((n, s) => n + 4 * size(s.shape), 0));
  let off = 0;
  for (const s of specs) {
    const p = params[s.name]!;
    all.set(new Uint8Array(p.buffer, p.byteOffset, p.byteLength), off);
    off += p.byteLength;
  }
  return crc32(all);
}

/** The model file's bytes. */
export function modelFileBytes(m: ModelContents, createdAt = new Date().toISOString()): Uint8Array {
  const config = validateConfig(m.config);
  if (config.vocabSize !== m.task.vocabSize) throw new LoopLensModelError(`model vocabulary (${config.vocabSize}) does not match the ${m.task.name} task (${m.task.vocabSize})`);
  const metadata: ModelMetadata = {
    formatVersion: MODEL_FORMAT_VERSION,
    task: m.task.name,
    ...(m.task.raspl === undefined ? {} : { taskFile: { file: m.task.raspl.file, source: m.task.raspl.source } }),
    vocabulary: vocabularyOf(m.task),
    config,
    stepsRule: stepsRuleOf(m.task),
    graph: traceGraphInfo(),
    training: m.training,
    weightsCrc32: weightsCrc32(config, m.params),
    createdAt,
  };
  return inferenceModelBytes(config, m.params, 'trace', {
    metadata: encodeMetadata(metadata),
    docString: `LoopLens looped transformer for ${m.task.title} (${config.layers} layer(s), d=${config.d}, ${config.heads} heads); trace graph`,
  });
}

/** Writes the model file atomically (a reader never sees a half-written file). Returns its size. */
export async function saveModel(path: string, m: ModelContents): Promise<number> {
  const bytes = modelFileBytes(m);
  await atomicWriteFile(path, bytes);
  return bytes.length;
}

/** Reads and validates a model file. Throws LoopLensModelError with a clear reason. */
export async function loadModel(path: string): Promise<LoadedModel> {
  let bytes: Uint8Array;
  try {
    bytes = await fs.promises.readFile(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new LoopLensModelError(`no model file at ${path}`);
    if (code === 'EISDIR') throw new LoopLensModelError(`${path} is a folder, not a model file`);
    throw new LoopLensModelError(`cannot read ${path}: ${(err as Error).message}`);
  }
  return parseModel(bytes, path);
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
  if (bytes.length === 0) throw new LoopLensModelError(`${source} is empty (0 bytes): not a model file`);
  let raw: RawModel;
  try {
    raw = decodeModelProto(bytes) as RawModel;
  } catch (err) {
    throw new LoopLensModelError(`${source} is not a readable ONNX model: it is truncated, corrupt or another kind of file (${(err as Error).message})`);
  }
  if (!raw.graph || !Array.isArray(raw.graph.node) || raw.graph.node.length === 0) {
    throw new LoopLensModelError(`${source} is not an ONNX model (no graph found); LoopLens model files are .onnx files written by \`looplens train\``);
  }
  const meta = new Map<string, string>();
  for (const e of raw.metadata_props ?? []) if (typeof e.key === 'string') meta.set(e.key, e.value ?? '');
  if (meta.get(metaKeys.format) !== MODEL_FORMAT) {
    throw new LoopLensModelError(`${source} is an ONNX model but not a LoopLens model (its metadata has no ${metaKeys.format} = ${MODEL_FORMAT}); train one with \`looplens train\``);
  }
  const version = Number(meta.get(metaKeys.version));
  if (!Number.isInteger(version) || version < 1) throw new LoopLensModelError(`${source} is corrupt: bad ${metaKeys.version} "${meta.get(metaKeys.version) ?? ''}"`);
  if (version > MODEL_FORMAT_VERSION) {
    throw new LoopLensModelError(`${source} was written by a newer LoopLens (model format version ${version}); this LoopLens reads version ${MODEL_FORMAT_VERSION}. Update LoopLens to open it.`);
  }
  if (version < MODEL_FORMAT_VERSION) {
    throw new LoopLensModelError(`${source} uses the old model format version ${version}; this LoopLens reads version ${MODEL_FORMAT_VERSION}. Retrain or re-export it.`);
  }
  const json = <T>(key: string): T => {
    const v = meta.get(key);
    if (v === undefined) throw new LoopLensModelError(`${source} is corrupt: metadata ${key} is missing`);
    try {
      return JSON.parse(v) as T;
    } catch {
      throw new LoopLensModelError(`${source} is corrupt: metadata ${key} is not valid JSON`);
    }
  };
  let task: Task;
  try {
    const taskFile = meta.has(metaKeys.taskFile) ? json<RaspSourceRef>(metaKeys.taskFile) : undefined;
    task = resolveTask({ task: meta.get(metaKeys.task) ?? '', taskFile });
  } catch (err) {
    throw new LoopLensModelError(`${source}: ${(err as Error).message}`);
  }
  let config: LoopedConfig;
  try {
    config = validateConfig(json<LoopedConfig>(metaKeys.config));
  } catch (err) {
    if (err instanceof LoopLensModelError) throw err;
    throw new LoopLensModelError(`${source} is corrupt: ${(err as Error).message}`);
  }
  if (config.vocabSize !== task.vocabSize) throw new LoopLensModelError(`${source} is corrupt: config vocabulary ${config.vocabSize} does not match the ${task.name} task`);

  const names = { in: (raw.graph.input ?? []).map((i) => i.name), out: (raw.graph.output ?? []).map((o) => o.name) };
  for (const want of [inferenceNames.tokens, inferenceNames.numSteps]) {
    if (!names.in.includes(want)) throw new LoopLensModelError(`${source} is corrupt: its graph lacks the input "${want}"`);
  }
  for (const want of [inferenceNames.logits, inferenceNames.attention, inferenceNames.hidden]) {
    if (!names.out.includes(want)) throw new LoopLensModelError(`${source} is corrupt: its graph lacks the output "${want}"`);
  }

  const params = extractParams(raw.graph.initializer ?? [], config, source);
  const crcText = meta.get(metaKeys.weightsCrc);
  if (crcText !== undefined && Number(crcText) !== weightsCrc32(config, params)) {
    throw new LoopLensModelError(`${source} is corrupt: its weights do not match their checksum (the file was damaged after it was written)`);
  }
  const metadata: ModelMetadata = {
    formatVersion: version,
    task: task.name,
    ...(task.raspl === undefined ? {} : { taskFile: { file: task.raspl.file, source: task.raspl.source } }),
    vocabulary: json(metaKeys.vocabulary),
    config,
    stepsRule: json(metaKeys.stepsRule),
    graph: json(metaKeys.graph),
    training: json(metaKeys.training),
    weightsCrc32: Number(crcText),
    createdAt: meta.get(metaKeys.createdAt) ?? '',
  };
  return { source, bytes, metadata, task, config, params };
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
    const out = new Float32Array(n);
    if (t.raw_data && t.raw_data.length > 0) {
      if (t.raw_data.length !== 4 * n) throw new LoopLensModelError(`${source} is corrupt: the weight ${s.name} has ${t.raw_data.length} bytes, expected ${4 * n}`);
      const view = new DataView(t.raw_data.buffer, t.raw_data.byteOffset, t.raw_data.byteLength);
      for (let i = 0; i < n; i++) out[i] = view.getFloat32(4 * i, true); // ONNX raw_data is little endian
    } else if (t.float_data && t.float_data.length === n) {
      out.set(t.float_data);
    } else {
      throw new LoopLensModelError(`${source} is corrupt: the weight ${s.name} has no data`);
    }
    params[s.name] = out;
  }
  return params;
}
