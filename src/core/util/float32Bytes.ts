// Float32 tensors in files (ONNX raw_data, checkpoints) are little-endian. On a little-endian host,
// which every platform LoopLens ships for is, reading one is a single copy of its bytes.
export const isLittleEndian = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

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
