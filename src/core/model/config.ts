// Configuration of the looped transformer (Fan et al. 2024, paper.md "Model").
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
  /** MLP hidden width as a multiple of d (GPT-2: 4). */
  mlpRatio?: number;
  /** LayerNorm epsilon (GPT-2: 1e-5). */
  lnEps?: number;
}

export const DEFAULT_MLP_RATIO = 4;
export const DEFAULT_LN_EPS = 1e-5;

export function mlpWidth(c: LoopedConfig): number {
  return c.d * (c.mlpRatio ?? DEFAULT_MLP_RATIO);
}

export function headDim(c: LoopedConfig): number {
  return c.d / c.heads;
}

/** Throws a clear error on a configuration the graphs cannot build. */
export function validateConfig(c: LoopedConfig): LoopedConfig {
  const posInt = (k: string, v: unknown): void => {
    if (typeof v !== 'number' || !Number.isInteger(v) || v < 1) throw new Error(`model config: ${k} must be a positive integer, got ${String(v)}`);
  };
  posInt('vocabSize', c.vocabSize);
  posInt('d', c.d);
  posInt('layers', c.layers);
  posInt('heads', c.heads);
  if (c.d % c.heads !== 0) throw new Error(`model config: heads (${c.heads}) must divide d (${c.d})`);
  if (c.readIn !== 'linear' && c.readIn !== 'embedding') throw new Error(`model config: readIn must be 'linear' or 'embedding', got ${String(c.readIn)}`);
  if (typeof c.inputInjection !== 'boolean') throw new Error('model config: inputInjection must be true or false');
  if (c.mlpRatio !== undefined) posInt('mlpRatio', c.mlpRatio);
  if (c.lnEps !== undefined && !(c.lnEps > 0)) throw new Error(`model config: lnEps must be > 0, got ${c.lnEps}`);
  return c;
}
