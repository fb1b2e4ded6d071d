// Runs test/reference/looped_reference.py (PyTorch) with /usr/bin/python3, or says why it cannot.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Rng } from '../../../src/core/util/rng';
import type { TrainBatch } from '../../../src/core/train/trainStep';

export const PYTHON = '/usr/bin/python3';
const SCRIPT = join(__dirname, '..', '..', 'reference', 'looped_reference.py');

/** undefined when PyTorch is usable, else the reason (for a visible skip). */
export function torchMissingReason(): string | undefined {
  if (!existsSync(PYTHON)) return `${PYTHON} not found (install Debian's python3-torch: scripts/install-system-packages.sh python3-torch libopenblas0-pthread)`;
  const r = spawnSync(PYTHON, ['-c', 'import torch'], { encoding: 'utf8' });
  if (r.status !== 0) return `${PYTHON} has no torch (install Debian's python3-torch: scripts/install-system-packages.sh python3-torch libopenblas0-pthread)`;
  return undefined;
}

export interface ReferenceResult {
  torch: string;
  losses: number[];
  gradNorms: number[];
  grads: Record<string, number[]>;
  params: Record<string, number[]>;
  stepLogits: number[];
}

export function runTorchReference(job: object): ReferenceResult {
  const r = spawnSync(PYTHON, [SCRIPT], { input: JSON.stringify(job), encoding: 'utf8', maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`PyTorch reference failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as ReferenceResult;
}

/** max |a - b| / max |b| over one tensor (0 when both are all zeros). */
export function relError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let diff = 0;
  let scale = 0;
  for (let i = 0; i < a.length; i++) {
    diff = Math.max(diff, Math.abs(a[i]! - b[i]!));
    scale = Math.max(scale, Math.abs(b[i]!));
  }
  return scale === 0 ? diff : diff / scale;
}

/** Random tokens/targets, a mask covering the right half of each row plus some random positions. */
export function randomBatch(rng: Rng, V: number, B: number, W: number, H: number, steps: number[]): TrainBatch {
  const tokens = new BigInt64Array(B * W);
  const targets = new BigInt64Array(B * W);
  const mask = new Float32Array(B * W);
  for (let i = 0; i < B * W; i++) {
    tokens[i] = BigInt(rng.below(V));
    targets[i] = BigInt(rng.below(V));
    mask[i] = i % W >= W / 2 || rng.float() < 0.2 ? 1 : 0;
  }
  return { batch: B, width: W, horizon: H, tokens, targets, mask, steps: BigInt64Array.from(steps.map(BigInt)) };
}

