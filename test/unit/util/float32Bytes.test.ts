// Little-endian float32s in file bytes (core/util/float32Bytes.ts): read at any offset, as a copy; written back the same.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFloat32LE, writeFloat32LE } from '../../../src/core/util/float32Bytes';

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
