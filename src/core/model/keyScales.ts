// The learned key scales of a 'learned-log-keys' network (config.ts): each head's scores are
// multiplied by 1 + s ln(keys), s = KEY_SCALE_GAIN x its stored keyScale.
import { KEY_SCALE_GAIN, learnsKeyScale, type LoopedConfig } from './config';
import type { Params } from './params';

/** s per layer, per head; empty for attention without learned scales. */
export function learnedKeyScales(c: LoopedConfig, params: Params): number[][] {
  if (!learnsKeyScale(c)) return [];
  return Array.from({ length: c.layers }, (_, l) => {
    const stored = params[`layers.${l}.attn.keyScale`];
    if (!stored) throw new Error(`model: layers.${l}.attn.keyScale is missing`);
    return Array.from(stored, (v) => KEY_SCALE_GAIN * v);
  });
}

/** "layer 1: 0.12 -0.03 …; layer 2: …", each s to two decimals; undefined without learned scales. */
export function keyScalesText(c: LoopedConfig, params: Params): string | undefined {
  const scales = learnedKeyScales(c, params);
  if (scales.length === 0) return undefined;
  return scales.map((heads, l) => `layer ${l + 1}: ${heads.map((s) => s.toFixed(2)).join(' ')}`).join('; ');
}
