// Training checkpoints: one binary file holding the run's configuration, parameters, optimizer
// moments, step, RNG state, curriculum state and history. Written atomically (temp file + rename,
// see util/atomicWrite), so a killed run leaves either the previous checkpoint or the new one.
//
// Layout (little endian):
//   8 bytes  magic "LLCKPT\0\x01"
//   u32      format version (1)
//   u32      header length H in bytes
//   H bytes  header JSON (utf-8): state without tensor data + a tensor index
//   pad      zero bytes up to a multiple of 4
//   data     float32 tensor data, in index order
//   u32      CRC-32 of every byte before it
import { atomicWriteFile, atomicWriteFileSync, type AtomicWriteHooks } from '../util/atomicWrite';
import { crc32 } from '../util/crc32';
import { LIMITS } from '../util/limits';
import { FileReadError, readRegularFile, readRegularFileSync, withRegularFile, type RegularFile } from '../util/safeRead';
import { readFloat32LE, writeFloat32LE } from '../util/littleEndian';
import type { RngState } from '../util/rng';

export interface TensorData {
  shape: number[];
  data: Float32Array;
}

export interface CheckpointState<C = unknown> {
  /** The run's configuration (JSON-safe). */
  config: C;
  /** Training steps completed. */
  step: number;
  rngState: RngState;
  /** Curriculum state (JSON-safe); nPoints at the time of the checkpoint. */
  curriculum: { nPoints: number; [key: string]: unknown };
  /** Per-step or per-interval records (JSON-safe; NaN/Infinity become null). */
  history: unknown[];
  /** Model parameters by name. */
  params: Record<string, TensorData>;
  /** Optimizer state by slot, e.g. { m: {name: tensor}, v: {name: tensor} }. */
  moments: Record<string, Record<string, TensorData>>;
  /** Anything else JSON-safe the trainer needs (e.g. the optimizer's own step count). */
  extra?: Record<string, unknown>;
}

/** A checkpoint without its tensors: what its header holds. */
export type CheckpointHeader<C = unknown> = Omit<CheckpointState<C>, 'params' | 'moments'>;

export class CheckpointError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CheckpointError';
  }
}

const MAGIC = Uint8Array.from([0x4c, 0x4c, 0x43, 0x4b, 0x50, 0x54, 0x00, 0x01]); // "LLCKPT\0\1"
const VERSION = 1;

interface IndexEntry {
  group: string; // 'params' or 'moments/<slot>'
  name: string;
  shape: number[];
  length: number;
}

interface Header {
  config: unknown;
  step: number;
  rngState: RngState;
  curriculum: CheckpointState['curriculum'];
  history: unknown[];
  extra?: Record<string, unknown>;
  tensors: IndexEntry[];
}

function tensorsOf(state: CheckpointState): { entry: IndexEntry; data: Float32Array }[] {
  const out: { entry: IndexEntry; data: Float32Array }[] = [];
  const add = (group: string, tensors: Record<string, TensorData>) => {
    for (const [name, t] of Object.entries(tensors)) {
      const size = t.shape.reduce((a, b) => a * b, 1);
      if (!(t.data instanceof Float32Array)) throw new CheckpointError(`tensor ${group}/${name} must be a Float32Array`);
      if (size !== t.data.length) throw new CheckpointError(`tensor ${group}/${name} has shape [${t.shape.join(', ')}] (${size} values) but ${t.data.length} values`);
      out.push({ entry: { group, name, shape: [...t.shape], length: t.data.length }, data: t.data });
    }
  };
  add('params', state.params);
  for (const [slot, tensors] of Object.entries(state.moments)) add(`moments/${slot}`, tensors);
  return out;
}

export function encodeCheckpoint(state: CheckpointState): Uint8Array {
  if (!Number.isInteger(state.step) || state.step < 0) throw new CheckpointError(`checkpoint step must be a non-negative integer, got ${state.step}`);
  const tensors = tensorsOf(state);
  const header: Header = {
    config: state.config,
    step: state.step,
    rngState: state.rngState,
    curriculum: state.curriculum,
    history: state.history,
    tensors: tensors.map((t) => t.entry),
  };
  if (state.extra !== undefined) header.extra = state.extra;
  const headerBytes = new TextEncoder().encode(JSON.stringify(header));
  const dataStart = align4(16 + headerBytes.length);
  const dataBytes = tensors.reduce((n, t) => n + 4 * t.data.length, 0);
  const total = dataStart + dataBytes + 4;
  const out = new Uint8Array(total);
  const view = new DataView(out.buffer);
  out.set(MAGIC, 0);
  view.setUint32(8, VERSION, true);
  view.setUint32(12, headerBytes.length, true);
  out.set(headerBytes, 16);
  let off = dataStart;
  for (const { data } of tensors) {
    writeFloat32LE(out, off, data);
    off += data.byteLength;
  }
  view.setUint32(off, crc32(out, 0, off), true);
  return out;
}

/** The header length the 16-byte preamble states, after checking its magic and version. */
function headerLengthOf(preamble: Uint8Array, source: string): number {
  if (preamble.length < 16 || !MAGIC.every((b, i) => preamble[i] === b)) {
    throw new CheckpointError(`${source} is not a LoopLens checkpoint (unrecognised file header)`);
  }
  const view = new DataView(preamble.buffer, preamble.byteOffset, 16);
  const version = view.getUint32(8, true);
  if (version !== VERSION) throw new CheckpointError(`${source} has checkpoint format version ${version}; this LoopLens reads version ${VERSION}`);
  return view.getUint32(12, true);
}

/** The header's bytes (those after the preamble), checked, and the file size its tensor index implies. */
function parseHeader(headerBytes: Uint8Array, source: string): { header: Header; expectedBytes: number } {
  let header: Header;
  try {
    header = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(headerBytes)) as Header;
  } catch {
    throw new CheckpointError(`${source} is corrupt: its header is not valid JSON`);
  }
  if (!header || !Array.isArray(header.tensors) || !Number.isInteger(header.step) || !Array.isArray(header.rngState)) {
    throw new CheckpointError(`${source} is corrupt: its header lacks tensors, step or rngState`);
  }
  let dataBytes = 0;
  for (const e of header.tensors) {
    const ok = e && typeof e.name === 'string' && typeof e.group === 'string' && Array.isArray(e.shape) && Number.isInteger(e.length) && e.length >= 0;
    if (!ok || e.shape.reduce((a: number, b: number) => a * b, 1) !== e.length) throw new CheckpointError(`${source} is corrupt: bad tensor entry ${JSON.stringify(e)}`);
    dataBytes += 4 * e.length;
  }
  return { header, expectedBytes: align4(16 + headerBytes.length) + dataBytes + 4 };
}

/** A file of `size` bytes against the size its header implies: truncated or with bytes after the data. */
function checkSize(size: number, expected: number, source: string): void {
  if (size < expected) throw truncated(source, expected, size);
  if (size > expected) throw new CheckpointError(`${source} is corrupt: ${size - expected} unexpected bytes after the data`);
}

/** The header's fields as a checkpoint's, without the tensors. */
function headerFields(header: Header): CheckpointHeader {
  const out: CheckpointHeader = { config: header.config, step: header.step, rngState: header.rngState, curriculum: header.curriculum, history: header.history ?? [] };
  if (header.extra !== undefined) out.extra = header.extra;
  return out;
}

/** Parses and validates checkpoint bytes; `source` names the file in error messages. */
export function decodeCheckpoint(bytes: Uint8Array, source = 'checkpoint'): CheckpointState {
  const headerLen = headerLengthOf(bytes, source);
  if (16 + headerLen > bytes.length) throw truncated(source, 16 + headerLen + 4, bytes.length);
  const { header, expectedBytes: expected } = parseHeader(bytes.subarray(16, 16 + headerLen), source);
  checkSize(bytes.length, expected, source);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stored = view.getUint32(expected - 4, true);
  if (stored !== crc32(bytes, 0, expected - 4)) throw checksumMismatch(source);

  const state: CheckpointState = { ...headerFields(header), params: {}, moments: {} };
  const dataStart = align4(16 + headerLen);
  let off = dataStart;
  for (const e of header.tensors) {
    const data = readFloat32LE(bytes, off, e.length);
    off += 4 * e.length;
    const tensor = { shape: e.shape, data };
    if (e.group === 'params') state.params[e.name] = tensor;
    else if (e.group.startsWith('moments/')) (state.moments[e.group.slice(8)] ??= {})[e.name] = tensor;
    else throw new CheckpointError(`${source} is corrupt: unknown tensor group "${e.group}"`);
  }
  return state;
}

export function writeCheckpointSync(path: string, state: CheckpointState, hooks?: AtomicWriteHooks): void {
  atomicWriteFileSync(path, encodeCheckpoint(state), hooks);
}

export async function writeCheckpoint(path: string, state: CheckpointState, hooks?: AtomicWriteHooks): Promise<void> {
  await atomicWriteFile(path, encodeCheckpoint(state), hooks);
}

/** A checkpoint file is read only when it is a regular file of at most LIMITS.checkpointFileBytes (a FIFO or device is refused, never read). */
const CHECKPOINT_READ = { what: 'checkpoint', maxBytes: LIMITS.checkpointFileBytes };

export function readCheckpointSync(path: string): CheckpointState {
  return decodeCheckpoint(readBytes(() => readRegularFileSync(path, CHECKPOINT_READ), path), path);
}

export async function readCheckpoint(path: string): Promise<CheckpointState> {
  let bytes: Uint8Array;
  try {
    bytes = await readRegularFile(path, CHECKPOINT_READ);
  } catch (err) {
    throw readError(err, path);
  }
  return decodeCheckpoint(bytes, path);
}

/**
 * The header of the checkpoint at `path` (its run's configuration, step and history), without
 * decoding the weights: for lists and summaries of checkpoints, whose weights are megabytes. The
 * file's size is checked against the header's tensor index (a truncated file is refused); with
 * `verify`, its checksum too, streamed over every byte (a list that should show a damaged file as
 * damaged), else only reading the checkpoint to train from it (readCheckpoint) checks it.
 */
export async function readCheckpointHeader(path: string, o: { verify?: boolean } = {}): Promise<CheckpointHeader> {
  try {
    return await withRegularFile(path, CHECKPOINT_READ, async (file) => {
      const headerLen = headerLengthOf(await file.read(0, 16), path);
      // a damaged length would have the read allocate up to 4 GiB: the file's size bounds it first
      if (16 + headerLen > file.size) throw truncated(path, 16 + headerLen + 4, file.size);
      const headerBytes = await file.read(16, headerLen);
      if (headerBytes.length < headerLen) throw truncated(path, 16 + headerLen + 4, 16 + headerBytes.length);
      const { header, expectedBytes } = parseHeader(headerBytes, path);
      checkSize(file.size, expectedBytes, path);
      if (o.verify) await checkStreamedChecksum(file, expectedBytes, path);
      return headerFields(header);
    });
  } catch (err) {
    throw err instanceof CheckpointError ? err : readError(err, path);
  }
}

/** The checksum in a file's last 4 bytes against the CRC-32 of the rest, read a chunk at a time. */
async function checkStreamedChecksum(file: RegularFile, size: number, source: string): Promise<void> {
  let crc = 0;
  for (let off = 0; off < size - 4; off += CHECKSUM_CHUNK) {
    const chunk = await file.read(off, Math.min(CHECKSUM_CHUNK, size - 4 - off));
    crc = crc32(chunk, 0, chunk.length, crc);
  }
  const stored = await file.read(size - 4, 4);
  if (stored.length < 4) throw truncated(source, size, size - 4 + stored.length);
  if (new DataView(stored.buffer, stored.byteOffset, 4).getUint32(0, true) !== crc) throw checksumMismatch(source);
}

const CHECKSUM_CHUNK = 1 << 20;

function checksumMismatch(source: string): CheckpointError {
  return new CheckpointError(`${source} is corrupt: checksum mismatch (the file was changed or damaged after it was written)`);
}

function readBytes(read: () => Uint8Array, path: string): Uint8Array {
  try {
    return read();
  } catch (err) {
    throw readError(err, path);
  }
}

function readError(err: unknown, path: string): CheckpointError {
  if (err instanceof FileReadError) return new CheckpointError(err.message);
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CheckpointError(`no checkpoint at ${path}`);
  return new CheckpointError(`cannot read checkpoint ${path}: ${(err as Error).message}`);
}

function truncated(source: string, expected: number, found: number): CheckpointError {
  return new CheckpointError(`${source} is truncated: expected ${expected} bytes, found ${found} (an interrupted copy or a full disk?)`);
}

function align4(n: number): number {
  return (n + 3) & ~3;
}

