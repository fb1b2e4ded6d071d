// Comparing weight sets in tests: the same weights exactly, close ones, and their plain mean.
import assert from 'node:assert/strict';
import type { Params } from '../../src/core/model/params';

/** The same tensors, bit for bit (`what` names the comparison in a failure). */
export function assertSameParams(a: Params | null | undefined, b: Params, what = 'weights'): void {
  assert.ok(a, `${what}: no weights`);
  assert.deepEqual(Object.keys(a).sort(), Object.keys(b).sort(), what);
  for (const k of Object.keys(a)) assert.deepEqual(a[k], b[k], `${what}: ${k}`);
}

/** Every value within `tolerance` of the other's. */
export function assertNearParams(a: Params, b: Params, what: string, tolerance = 1e-6): void {
  for (const k of Object.keys(a)) for (let i = 0; i < a[k]!.length; i++) assert.ok(Math.abs(a[k]![i]! - b[k]![i]!) < tolerance, `${what}: ${k}[${i}]`);
}

/** The element-wise mean of weight sets of one shape. */
export function meanOfParams(sets: readonly Params[]): Params {
  return Object.fromEntries(Object.keys(sets[0]!).map((k) => [k, Float32Array.from(sets[0]![k]!, (_, i) => sets.reduce((s, p) => s + p[k]![i]!, 0) / sets.length)]));
}
