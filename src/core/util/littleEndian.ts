// Tensors in files (ONNX raw_data, checkpoints) are little-endian. On a little-endian host, which
// every platform LoopLens ships for is, reading or writing one is a single copy of its bytes.
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

/** A copy of `data`'s elements as little-endian bytes, whatever the host's byte order (ONNX raw_data). */
export function littleEndianBytes(data: ArrayBufferView & { readonly BYTES_PER_ELEMENT: number }): Uint8Array {
  const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength).slice();
  return isLittleEndian ? bytes : reverseEachElement(bytes, data.BYTES_PER_ELEMENT);
}

/** Reverses, in place, the bytes of each `width`-byte element: big-endian to little-endian and back. */
export function reverseEachElement(bytes: Uint8Array, width: number): Uint8Array {
  if (bytes.length % width !== 0) throw new RangeError(`${bytes.length} bytes are not whole elements of ${width} bytes`);
  for (let start = 0; start < bytes.length; start += width) bytes.subarray(start, start + width).reverse();
  return bytes;
}
