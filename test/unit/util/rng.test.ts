import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/core/util/rng';

test('same seed gives the same stream, different seeds differ', () => {
  const a = new Rng(42);
  const b = new Rng(42);
  const c = new Rng(43);
  const sa = Array.from({ length: 50 }, () => a.nextUint32());
  assert.deepEqual(sa, Array.from({ length: 50 }, () => b.nextUint32()));
  assert.notDeepEqual(sa, Array.from({ length: 50 }, () => c.nextUint32()));
});

test('the stream is pinned (changing the generator breaks reproducibility of saved runs)', () => {
  const r = new Rng(1);
  // Pinned on first implementation: xoshiro128** seeded by splitmix32(1).
  const pinned = Array.from({ length: 4 }, () => r.nextUint32());
  const again = new Rng(1);
  assert.deepEqual(pinned, Array.from({ length: 4 }, () => again.nextUint32()));
  assert.deepEqual(pinned, PINNED);
});
const PINNED = [2442144158, 3238099751, 3819917871, 2104621829]; // matches a Python transcription of xoshiro128**

test('int is inclusive on both ends and roughly uniform', () => {
  const r = new Rng(9);
  const counts = new Array<number>(6).fill(0);
  for (let i = 0; i < 60000; i++) {
    const v = r.int(1, 6);
    assert.ok(v >= 1 && v <= 6 && Number.isInteger(v));
    counts[v - 1]!++;
  }
  for (const c of counts) assert.ok(Math.abs(c - 10000) < 500, `count ${c}`);
  assert.equal(r.int(3, 3), 3);
  assert.throws(() => r.int(4, 3), /lo <= hi/);
  assert.throws(() => r.below(0), /\[1, 2\^32\]/);
});

test('float in [0,1) with mean 1/2; normal has mean 0 and std 1', () => {
  const r = new Rng(5);
  let sum = 0;
  for (let i = 0; i < 20000; i++) {
    const f = r.float();
    assert.ok(f >= 0 && f < 1);
    sum += f;
  }
  assert.ok(Math.abs(sum / 20000 - 0.5) < 0.01);
  let s1 = 0;
  let s2 = 0;
  const n = 40000;
  for (let i = 0; i < n; i++) {
    const z = r.normal();
    s1 += z;
    s2 += z * z;
  }
  assert.ok(Math.abs(s1 / n) < 0.02);
  assert.ok(Math.abs(Math.sqrt(s2 / n) - 1) < 0.02);
  const scaled = new Rng(5).normal(10, 0.02);
  assert.ok(Math.abs(scaled - 10) < 0.2);
});

test('state round-trip resumes the exact stream', () => {
  const r = new Rng(77);
  for (let i = 0; i < 10; i++) r.nextUint32();
  const state = r.getState();
  const next = Array.from({ length: 10 }, () => r.int(0, 1000));
  const restored = Rng.fromState(JSON.parse(JSON.stringify(state)));
  assert.deepEqual(Array.from({ length: 10 }, () => restored.int(0, 1000)), next);
  assert.throws(() => r.setState([0, 0, 0, 0]), /all zeros/);
  assert.throws(() => r.setState([1, 2, 3] as unknown as [number, number, number, number]), /four uint32/);
});

test('choice, shuffle, bit and fork', () => {
  const r = new Rng(3);
  const items = ['a', 'b', 'c'];
  const seen = new Set(Array.from({ length: 100 }, () => r.choice(items)));
  assert.equal(seen.size, 3);
  assert.throws(() => r.choice([]), /non-empty/);
  const arr = Array.from({ length: 20 }, (_, i) => i);
  const sh = r.shuffle([...arr]);
  assert.notDeepEqual(sh, arr);
  assert.deepEqual([...sh].sort((x, y) => x - y), arr);
  const bits = Array.from({ length: 1000 }, () => r.bit());
  const ones = bits.filter((b) => b === 1).length;
  assert.ok(ones > 430 && ones < 570);
  const f1 = new Rng(8).fork();
  const f2 = new Rng(8).fork();
  assert.equal(f1.nextUint32(), f2.nextUint32());
});
