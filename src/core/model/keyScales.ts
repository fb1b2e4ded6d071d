// The learned key scales of a 'learned-log-keys' network (config.ts): each head's scores are
// multiplied by 1 + s ln(keys), s = KEY_SCALE_GAIN x its stored keyScale.
import { KEY_SCALE_GAIN, type LoopedConfig } from './config';
import { keyScaleNames, type Params } from './params';

/** s per layer, per head; empty for attention without learned scales. */
export function learnedKeyScales(c: LoopedConfig, params: Params): number[][] {
  return keyScaleNames(c).map((name) => {
    const stored = params[name];
    if (!stored) throw new Error(`model: ${name} is missing`);
    return Array.from(stored, (v) => KEY_SCALE_GAIN * v);
  });
}

/** "layer 1: 0.12 -0.03 …; layer 2: …", each s to two decimals; undefined without learned scales. */
export function keyScalesText(c: LoopedConfig, params: Params): string | undefined {
  const scales = learnedKeyScales(c, params);
  if (scales.length === 0) return undefined;
  return scales.map((heads, l) => `layer ${l + 1}: ${heads.map((s) => s.toFixed(2)).join(' ')}`).join('; ');
}
