// The training-step workload that bench:train and profile:train share: parity, batch 64 of
// lengths uniform in 1-20, row width 21, each example read at T(n) = n, horizon 22, on two models.
import { getTask } from '../../src/core/tasks';
import { packBatch } from '../../src/core/tasks/batches';
import type { Batch } from '../../src/core/tasks/batches';
import type { LoopedConfig } from '../../src/core/model/config';
import type { Rng } from '../../src/core/util/rng';

export const BENCH_CONFIGS: Record<string, { label: string; d: number; heads: number; layers: number }> = {
  a: { label: '(a) d=256, 1 layer, 64 heads', d: 256, heads: 64, layers: 1 },
  b: { label: '(b) d=64, 1 layer, 4 heads', d: 64, heads: 4, layers: 1 },
};
export const [BATCH, WIDTH, HORIZON, MAX_LEN] = [64, 21, 22, 20];

export function benchConfig(key: string): LoopedConfig {
  const c = BENCH_CONFIGS[key];
  if (!c) throw new Error(`unknown config "${key}" (${Object.keys(BENCH_CONFIGS).join(' or ')})`);
  return { vocabSize: 6, d: c.d, layers: c.layers, heads: c.heads, readIn: 'linear', inputInjection: true };
}

/** One random batch of the workload (full-width rows). */
export function benchBatch(rng: Rng): Batch {
  const parity = getTask('parity');
  return packBatch(Array.from({ length: BATCH }, () => parity.sampleAt(rng, [rng.int(1, MAX_LEN)], WIDTH)), HORIZON);
}
