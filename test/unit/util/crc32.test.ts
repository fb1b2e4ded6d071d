// CRC-32 (core/util/crc32.ts): zlib's and the table loop give the same checksums, the standard
// check value, ranges and running checksums, so files written by either read with the other.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32, crc32Loop, crc32Text } from '../../../src/core/util/crc32';
import { Rng } from '../../../src/core/util/rng';

const ascii = (s: string) => new TextEncoder().encode(s);

test('the standard check value, and nothing', () => {
  for (const f of [crc32, crc32Loop]) {
    assert.equal(crc32Text(f(ascii('123456789'))), 'cbf43926');
    assert.equal(f(new Uint8Array(0)), 0);
  }
});

test('zlib and the loop agree on ranges and on a checksum run on over pieces', () => {
  const rng = new Rng(3);
  const bytes = Uint8Array.from({ length: 10_007 }, () => rng.below(256));
  const whole = crc32Loop(bytes);
  assert.equal(crc32(bytes), whole);
  assert.equal(crc32(bytes, 17, 4099), crc32Loop(bytes, 17, 4099));
  assert.equal(crc32(bytes.subarray(17, 4099)), crc32Loop(bytes, 17, 4099), 'a range is the checksum of those bytes alone');
  for (const f of [crc32, crc32Loop]) {
    let running = 0;
    for (let at = 0; at < bytes.length; at += 1000) running = f(bytes, at, Math.min(at + 1000, bytes.length), running);
    assert.equal(running, whole, 'pieces in order give the whole');
  }
  assert.equal(crc32(bytes, 5000, bytes.length, crc32Loop(bytes, 0, 5000)), whole, 'the two mix');
});
