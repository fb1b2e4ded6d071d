// Configuration of the looped transformer (Fan et al. 2024, paper.md "Model").
import { formatBytes, LIMITS } from '../util/limits';
export interface LoopedConfig {
  /** Number of token ids (6 for the binary tasks, 60 for unique set). Read-in and read-out size. */
  vocabSize: number;
  /** Model width d. */
  d: number;
  /** GPT-2 layers inside the looped block (L). */
  layers: number;
  /** Attention heads per layer; must divide d. */
  heads: number;
  /** 'linear': one-hot -> Linear(V, d) with bias (binary tasks); 'embedding': a table without bias (unique set). */
  readIn: 'linear' | 'embedding';
  /**
   * true (the paper): h_0 = 0 and h_t = ln_f(Block(h_{t-1} + E(x))).
   * false (the paper's "without input injection" ablation): the input enters once,
   * h_1 = ln_f(Block(E(x))), h_t = ln_f(Block(h_{t-1})) for t > 1.
   */
  inputInjection: boolean;
  /**
   * How attention scores grow with the number of keys a query sees. 'none' (the paper): q.k/sqrt(hd).
   * 'log-keys' (not in the paper; Scalable-Softmax, Nakanishi 2025): q.k/sqrt(hd) times ln(keys), so
   * one key can stand out as clearly among many keys as among few, on inputs longer than training's.
   * 'learned-log-keys' (not in the paper): q.k/sqrt(hd) times (1 + s ln(keys)), s learned per head
   * and layer (KEY_SCALE_GAIN x `layers.L.attn.keyScale`) and 0 at the start, so the network starts as the paper's and
   * each head sharpens with the number of keys only as far as training asks; a model with the
   * paper's attention can be fine-tuned into it with its function unchanged.
   */
  attentionScale?: AttentionScale;
  /** MLP hidden width as a multiple of d (GPT-2: 4). */
  mlpRatio?: number;
  /** LayerNorm epsilon (GPT-2: 1e-5). */
  lnEps?: number;
}

export type AttentionScale = 'none' | 'log-keys' | 'learned-log-keys';
export const ATTENTION_SCALES: readonly AttentionScale[] = ['none', 'log-keys', 'learned-log-keys'];

/**
 * s = KEY_SCALE_GAIN x the stored keyScale: AdamW moves a parameter by about lr a step, and s must
 * reach about 1 (scores near s ln keys) within a fine-tune of a thousand steps at lr 1e-4.
 */
export const KEY_SCALE_GAIN = 10;

/** Whether each head of each layer has a learned key scale parameter (`layers.L.attn.keyScale`, [heads]). */
export const learnsKeyScale = (c: Pick<LoopedConfig, 'attentionScale'>): boolean => c.attentionScale === 'learned-log-keys';

export const DEFAULT_MLP_RATIO = 4;
export const DEFAULT_LN_EPS = 1e-5;

/** The config with its defaults filled in, so an absent field and its default compare equal. */
function configView(c: LoopedConfig) {
  return { vocabSize: c.vocabSize, d: c.d, layers: c.layers, heads: c.heads, readIn: c.readIn, inputInjection: c.inputInjection, attentionScale: c.attentionScale ?? 'none', mlpRatio: c.mlpRatio ?? DEFAULT_MLP_RATIO, lnEps: c.lnEps ?? DEFAULT_LN_EPS };
}

/** The fields where two networks differ (defaults filled in), with each one's value as text; empty: one network. */
export function configDifferences(a: LoopedConfig, b: LoopedConfig): { key: string; a: string; b: string }[] {
  const [va, vb] = [configView(a), configView(b)];
  return (Object.keys(va) as (keyof typeof va)[]).filter((k) => va[k] !== vb[k]).map((k) => ({ key: k, a: String(va[k]), b: String(vb[k]) }));
}

export function mlpWidth(c: LoopedConfig): number {
  return c.d * (c.mlpRatio ?? DEFAULT_MLP_RATIO);
}

export function headDim(c: LoopedConfig): number {
  return c.d / c.heads;
}

/** Number of parameters of a config (arithmetic only: nothing is allocated). */
export function parameterCount(c: LoopedConfig): number {
  const { d, vocabSize: V, layers: L } = c;
  const m = mlpWidth(c);
  const readInCount = c.readIn === 'linear' ? V * d + d : V * d;
  const block = 2 * d + (3 * d * d + 3 * d) + (d * d + d) + 2 * d + (d * m + m) + (m * d + d);
  return readInCount + L * (block + (learnsKeyScale(c) ? c.heads : 0)) + 2 * d + d * V + V;
}

/** Throws a clear error on a configuration the graphs cannot build, or one over LIMITS (checked before anything is allocated). */
export function validateConfig(c: LoopedConfig): LoopedConfig {
  if (typeof c !== 'object' || c === null || Array.isArray(c)) throw new Error(`model config must be an object, got ${c === null ? 'null' : typeof c}`);
  const posInt = (k: string, v: unknown, max: number): void => {
    if (v === undefined || v === null) throw new Error(`model config: ${k} is ${v === null ? 'null' : 'missing'}; expected a positive integer`);
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`model config: ${k} must be a positive integer, got ${String(v)}`);
    if (v > max) throw new Error(`model config: ${k} must be at most ${max}, got ${v}`);
  };
  posInt('vocabSize', c.vocabSize, LIMITS.vocabSize);
  posInt('d', c.d, LIMITS.d);
  posInt('layers', c.layers, LIMITS.layers);
  posInt('heads', c.heads, LIMITS.heads);
  if (c.d % c.heads !== 0) throw new Error(`model config: heads (${c.heads}) must divide d (${c.d})`);
  if (c.readIn !== 'linear' && c.readIn !== 'embedding') throw new Error(`model config: readIn must be 'linear' or 'embedding', got ${String(c.readIn)}`);
  if (typeof c.inputInjection !== 'boolean') throw new Error('model config: inputInjection must be true or false');
  if (c.attentionScale !== undefined && !ATTENTION_SCALES.includes(c.attentionScale)) {
    throw new Error(`model config: attentionScale must be one of ${ATTENTION_SCALES.map((a) => `'${a}'`).join(', ')}, got ${String(c.attentionScale)}`);
  }
  if (c.mlpRatio !== undefined) posInt('mlpRatio', c.mlpRatio, LIMITS.mlpRatio);
  if (c.lnEps !== undefined && !(typeof c.lnEps === 'number' && c.lnEps > 0 && c.lnEps < 1)) throw new Error(`model config: lnEps must be a number in (0, 1), got ${String(c.lnEps)}`);
  const n = parameterCount(c);
  if (n > LIMITS.parameters) {
    throw new Error(`model config: d=${c.d}, ${c.layers} layer(s) and vocabulary ${c.vocabSize} make ${formatCount(n)} parameters (${formatBytes(4 * n)} of weights), more than the ${formatCount(LIMITS.parameters)} LoopLens allows`);
  }
  return c;
}

/** 12_900_000_000 → "12.9 billion". */
export function formatCount(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} billion`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} million`;
  if (n >= 1e4) return `${Math.round(n / 1e3)} thousand`;
  return String(n);
}
