// The integrity checksum of a model file: SHA-256 over every byte of the file except the checksum's
// own metadata entry. It covers everything that defines the model's behaviour, generically: every
// metadata key and value (config, vocabulary, steps rule, task source, training record, and any key
// a later LoopLens adds), the graph (its nodes, attributes and constants) and the weights. The entry
// is the ONNX metadata_props item `looplens.checksum` = `sha256:<hex>`, appended as the file's last
// field (protobuf merges repeated fields, so any ONNX reader still sees one ordinary metadata list).
// Verifying walks only the top level of the protobuf wire format to find that entry's bytes.
import { createHash } from 'node:crypto';

export const CHECKSUM_KEY = 'looplens.checksum';
const CHECKSUM_PREFIX = 'sha256:';
/** ModelProto.metadata_props is field 14, length-delimited (wire type 2). */
const METADATA_FIELD = 14;

export class ModelWireError extends Error {}

interface Reader {
  bytes: Uint8Array;
  pos: number;
}

function varint(r: Reader): number {
  let result = 0;
  let mul = 1;
  for (let i = 0; i < 10; i++) {
    if (r.pos >= r.bytes.length) throw new ModelWireError('truncated varint');
    const b = r.bytes[r.pos++]!;
    result += (b & 0x7f) * mul;
    if ((b & 0x80) === 0) return result;
    mul *= 128;
  }
  throw new ModelWireError('varint too long');
}

function skip(r: Reader, wireType: number): void {
  switch (wireType) {
    case 0:
      varint(r);
      return;
    case 1:
      r.pos += 8;
      break;
    case 2: {
      const len = varint(r);
      r.pos += len;
      break;
    }
    case 5:
      r.pos += 4;
      break;
    default:
      throw new ModelWireError(`unsupported wire type ${wireType}`);
  }
  if (r.pos > r.bytes.length) throw new ModelWireError('field runs past the end of the file');
}

const utf8 = new TextDecoder('utf-8', { fatal: false });

/** key/value of a StringStringEntryProto's bytes (null if malformed). */
function entryOf(bytes: Uint8Array): { key: string; value: string } | null {
  const r: Reader = { bytes, pos: 0 };
  let key = '';
  let value = '';
  try {
    while (r.pos < bytes.length) {
      const tag = varint(r);
      const field = Math.floor(tag / 8);
      const wt = tag % 8;
      if ((field === 1 || field === 2) && wt === 2) {
        const len = varint(r);
        if (r.pos + len > bytes.length) return null;
        const s = utf8.decode(bytes.subarray(r.pos, r.pos + len));
        r.pos += len;
        if (field === 1) key = s;
        else value = s;
      } else skip(r, wt);
    }
  } catch {
    return null;
  }
  return { key, value };
}

interface ChecksumEntry {
  value: string;
  start: number;
  end: number;
}

/** Every `looplens.checksum` entry at the top level of ModelProto bytes. Throws ModelWireError on malformed bytes. */
function checksumEntries(bytes: Uint8Array): ChecksumEntry[] {
  const r: Reader = { bytes, pos: 0 };
  const out: ChecksumEntry[] = [];
  while (r.pos < bytes.length) {
    const start = r.pos;
    const tag = varint(r);
    const field = Math.floor(tag / 8);
    const wt = tag % 8;
    if (field === 0) throw new ModelWireError('field number 0');
    if (field === METADATA_FIELD && wt === 2) {
      const len = varint(r);
      const bodyStart = r.pos;
      r.pos += len;
      if (r.pos > bytes.length) throw new ModelWireError('metadata entry runs past the end of the file');
      const e = entryOf(bytes.subarray(bodyStart, r.pos));
      if (e && e.key === CHECKSUM_KEY) out.push({ value: e.value, start, end: r.pos });
    } else skip(r, wt);
  }
  return out;
}

function sha256Hex(parts: Uint8Array[]): string {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest('hex');
}

function varintBytes(n: number): number[] {
  const out: number[] = [];
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
  return out;
}

function metadataEntryBytes(key: string, value: string): Uint8Array {
  const enc = new TextEncoder();
  const k = enc.encode(key);
  const v = enc.encode(value);
  const body = [0x0a, ...varintBytes(k.length), ...k, 0x12, ...varintBytes(v.length), ...v];
  return Uint8Array.from([(METADATA_FIELD << 3) | 2, ...varintBytes(body.length), ...body]);
}

/** The bytes with their checksum entry (replacing any earlier one) appended. */
export function signModelBytes(bytes: Uint8Array): Uint8Array {
  const unsigned = stripChecksum(bytes);
  const entry = metadataEntryBytes(CHECKSUM_KEY, CHECKSUM_PREFIX + sha256Hex([unsigned]));
  const out = new Uint8Array(unsigned.length + entry.length);
  out.set(unsigned, 0);
  out.set(entry, unsigned.length);
  return out;
}

/** The bytes without any checksum entry. */
export function stripChecksum(bytes: Uint8Array): Uint8Array {
  const entries = checksumEntries(bytes);
  if (entries.length === 0) return bytes;
  const parts: Uint8Array[] = [];
  let at = 0;
  for (const e of entries) {
    parts.push(bytes.subarray(at, e.start));
    at = e.end;
  }
  parts.push(bytes.subarray(at));
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let off = 0;
  for (const p of parts) {
    out.set(p, off);
    off += p.length;
  }
  return out;
}

export type ChecksumStatus = { status: 'ok'; checksum: string } | { status: 'missing' } | { status: 'duplicate' } | { status: 'malformed'; value: string } | { status: 'mismatch' };

/** Whether the bytes carry exactly one checksum entry that matches the rest of the file. Throws ModelWireError on malformed bytes. */
export function verifyModelChecksum(bytes: Uint8Array): ChecksumStatus {
  const entries = checksumEntries(bytes);
  if (entries.length === 0) return { status: 'missing' };
  if (entries.length > 1) return { status: 'duplicate' };
  const e = entries[0]!;
  if (!/^sha256:[0-9a-f]{64}$/.test(e.value)) return { status: 'malformed', value: e.value };
  const digest = sha256Hex([bytes.subarray(0, e.start), bytes.subarray(e.end)]);
  return digest === e.value.slice(CHECKSUM_PREFIX.length) ? { status: 'ok', checksum: e.value } : { status: 'mismatch' };
}
