// Little-endian numbers in file bytes (core/util/littleEndian.ts): float32s read at any offset, as a copy, and written back the same; any typed array copied out little-endian.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { littleEndianBytes, readFloat32LE, reverseEachElement, writeFloat32LE } from '../../../src/core/util/littleEndian';

test('the float32s at an offset that is not a multiple of 4, copied out of the bytes', () => {
  const values = [1.5, -0.25, 3.4028234663852886e38, Number.NEGATIVE_INFINITY, 1e-45];
  const bytes = new Uint8Array(3 + 4 * values.length + 2);
  const view = new DataView(bytes.buffer);
  values.forEach((v, i) => view.setFloat32(3 + 4 * i, v, true));
  const out = readFloat32LE(bytes, 3, values.length);
  assert.deepEqual([...out], values.map((v) => Math.fround(v)));
  bytes.fill(0);
  assert.equal(out[0], 1.5, 'a copy: changing the bytes afterwards leaves it as it was');
  assert.equal(readFloat32LE(bytes, 0, 0).length, 0);
});

test('written at an offset, the float32s read back the same, in little-endian bytes', () => {
  const data = Float32Array.from([1.5, -0.25, 7]);
  const out = new Uint8Array(2 + 4 * data.length);
  writeFloat32LE(out, 2, data);
  assert.deepEqual([...readFloat32LE(out, 2, data.length)], [...data]);
  assert.equal(new DataView(out.buffer).getFloat32(2 + 4, true), -0.25);
  assert.deepEqual([out[0], out[1]], [0, 0], 'nothing before the offset is touched');
});

test('any typed array copied out as little-endian bytes, as ONNX raw_data holds them', () => {
  const data = BigInt64Array.from([1n, -2n]);
  const bytes = littleEndianBytes(data.subarray(1));
  assert.equal(bytes.length, 8);
  assert.equal(new DataView(bytes.buffer).getBigInt64(0, true), -2n);
  bytes.fill(0);
  assert.equal(data[1], -2n, 'a copy: the tensor keeps its values');
});

test('reversing each element turns big-endian bytes into little-endian ones, and refuses a part element', () => {
  const big = new Uint8Array(8);
  const view = new DataView(big.buffer);
  view.setInt32(0, 0x01020304, false);
  view.setFloat32(4, -0.25, false);
  reverseEachElement(big, 4);
  assert.equal(view.getInt32(0, true), 0x01020304);
  assert.equal(view.getFloat32(4, true), -0.25);
  assert.throws(() => reverseEachElement(new Uint8Array(6), 4), /not whole elements of 4 bytes/);
});
