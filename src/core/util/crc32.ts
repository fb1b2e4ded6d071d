// CRC-32 (IEEE 802.3, reflected polynomial 0xEDB88320) to detect corrupt files. zlib's own (Node
// 20.15+, 22.2+) runs natively, an order of magnitude faster than the table loop, which stays for
// hosts whose Node lacks it (an older VS Code's extension host).
import * as zlib from 'node:zlib';

type NativeCrc32 = (data: Uint8Array, value?: number) => number;
const native = (zlib as { crc32?: NativeCrc32 }).crc32;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  if (table) return table;
  table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
}

/** The table loop: what crc32 computes where zlib has no CRC-32 (exported so that tests compare the two). */
export function crc32Loop(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  const t = crcTable();
  let c = (previous ^ 0xffffffff) >>> 0;
  for (let i = start; i < end; i++) c = t[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

/** CRC-32 of bytes[start, end), going on from `previous`, the CRC-32 of the bytes before them (0: none). */
export function crc32(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  if (native === undefined) return crc32Loop(bytes, start, end, previous);
  return native(bytes.subarray(start, end), previous) >>> 0;
}

/** A CRC-32 as people read it: 8 hex digits ("1a2b3c4d"). */
export function crc32Text(crc: number): string {
  return (crc >>> 0).toString(16).padStart(8, '0');
}
