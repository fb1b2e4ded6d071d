// Float32 tensors in files (ONNX raw_data, checkpoints) are little-endian. On a little-endian host,
// which every platform LoopLens ships for is, reading or writing one is a single copy of its bytes.
const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** A copy (never a view: `bytes` may be a pooled Buffer) of the `count` little-endian float32s at `offset` of `bytes`. */
export function readFloat32LE(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  if (isLittleEndian) {
    new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + 4 * count));
  } else {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, true);
  }
  return out;
}

/** Writes `data` into `out` at `offset` as little-endian float32s. */
export function writeFloat32LE(out: Uint8Array, offset: number, data: Float32Array): void {
  if (isLittleEndian) {
    out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), offset);
  } else {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    for (let i = 0; i < data.length; i++) view.setFloat32(offset + 4 * i, data[i]!, true);
  }
}
