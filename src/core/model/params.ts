// The looped transformer's parameters: names, shapes and initialisation.
// Layout: every linear weight is stored [in, out] (y = x W + b), GPT-2's Conv1D layout; a
// PyTorch nn.Linear weight is the transpose. qkv columns are [q | k | v], each split by head.
import { learnsKeyScale, mlpWidth, validateConfig } from './config';
import type { LoopedConfig } from './config';

export type InitRule =
  | { kind: 'normal'; std: number }
  | { kind: 'uniform'; bound: number }
  | { kind: 'const'; value: number };

export interface ParamSpec {
  name: string;
  shape: number[];
  init: InitRule;
}

/** Named float32 parameters (or optimizer moments), keyed by ParamSpec.name. */
export type Params = Record<string, Float32Array>;

export function size(shape: readonly number[]): number {
  return shape.reduce((a, b) => a * b, 1);
}

/**
 * Parameter list in a fixed order. Init (paper.md): GPT-2 N(0, 0.02) for the block's linear
 * weights, residual output projections N(0, 0.02/sqrt(2L)), zero biases, LayerNorm (1, 0);
 * read-in/read-out PyTorch's default nn.Linear init U(+-1/sqrt(fan_in)) for weight and bias;
 * the embedding read-in PyTorch's default nn.Embedding init N(0, 1); learned key scales 0 (the
 * paper's attention, config.ts 'learned-log-keys').
 */
export function paramSpecs(config: LoopedConfig): ParamSpec[] {
  const c = validateConfig(config);
  const { d, vocabSize: V, layers: L } = c;
  const m = mlpWidth(c);
  const gpt = { kind: 'normal', std: 0.02 } as const;
  const resid = { kind: 'normal', std: 0.02 / Math.sqrt(2 * L) } as const;
  const zero = { kind: 'const', value: 0 } as const;
  const one = { kind: 'const', value: 1 } as const;
  const specs: ParamSpec[] = [];
  if (c.readIn === 'linear') {
    specs.push({ name: 'readIn.weight', shape: [V, d], init: { kind: 'uniform', bound: 1 / Math.sqrt(V) } });
    specs.push({ name: 'readIn.bias', shape: [d], init: { kind: 'uniform', bound: 1 / Math.sqrt(V) } });
  } else {
    specs.push({ name: 'readIn.weight', shape: [V, d], init: { kind: 'normal', std: 1 } });
  }
  for (let l = 0; l < L; l++) {
    const p = `layers.${l}.`;
    specs.push(
      { name: `${p}ln1.weight`, shape: [d], init: one },
      { name: `${p}ln1.bias`, shape: [d], init: zero },
      { name: `${p}attn.qkv.weight`, shape: [d, 3 * d], init: gpt },
      { name: `${p}attn.qkv.bias`, shape: [3 * d], init: zero },
      { name: `${p}attn.proj.weight`, shape: [d, d], init: resid },
      { name: `${p}attn.proj.bias`, shape: [d], init: zero },
      { name: `${p}ln2.weight`, shape: [d], init: one },
      { name: `${p}ln2.bias`, shape: [d], init: zero },
      { name: `${p}mlp.fc.weight`, shape: [d, m], init: gpt },
      { name: `${p}mlp.fc.bias`, shape: [m], init: zero },
      { name: `${p}mlp.proj.weight`, shape: [m, d], init: resid },
      { name: `${p}mlp.proj.bias`, shape: [d], init: zero },
    );
    if (learnsKeyScale(c)) specs.push({ name: keyScaleName(l), shape: [c.heads], init: zero });
  }
  specs.push(
    { name: 'lnF.weight', shape: [d], init: one },
    { name: 'lnF.bias', shape: [d], init: zero },
    { name: 'readOut.weight', shape: [d, V], init: { kind: 'uniform', bound: 1 / Math.sqrt(d) } },
    { name: 'readOut.bias', shape: [V], init: { kind: 'uniform', bound: 1 / Math.sqrt(d) } },
  );
  return specs;
}

/** The learned key scales of layer `layer` ([heads]; config.ts 'learned-log-keys'). */
export const keyScaleName = (layer: number): string => `layers.${layer}.attn.keyScale`;

/** Every layer's key scale parameter, in layer order; none for attention without learned scales. */
export function keyScaleNames(c: LoopedConfig): string[] {
  return learnsKeyScale(c) ? Array.from({ length: c.layers }, (_, l) => keyScaleName(l)) : [];
}

/** Fresh parameters. `random` returns uniform numbers in [0, 1) (e.g. `() => rng.float()`). */
export function initParams(config: LoopedConfig, random: () => number): Params {
  let spare: number | undefined;
  const normal = (): number => {
    if (spare !== undefined) {
      const z = spare;
      spare = undefined;
      return z;
    }
    let u = 0;
    while (u === 0) u = random();
    const r = Math.sqrt(-2 * Math.log(u));
    const a = 2 * Math.PI * random();
    spare = r * Math.sin(a);
    return r * Math.cos(a);
  };
  const out: Params = {};
  for (const s of paramSpecs(config)) {
    const v = new Float32Array(size(s.shape));
    const init = s.init;
    if (init.kind === 'const') v.fill(init.value);
    else if (init.kind === 'normal') for (let i = 0; i < v.length; i++) v[i] = init.std * normal();
    else for (let i = 0; i < v.length; i++) v[i] = (2 * random() - 1) * init.bound;
    out[s.name] = v;
  }
  return out;
}

/** Zeros shaped like every parameter (AdamW's initial moments). */
export function zerosLikeParams(config: LoopedConfig): Params {
  const out: Params = {};
  for (const s of paramSpecs(config)) out[s.name] = new Float32Array(size(s.shape));
  return out;
}

/** Throws unless `params` has exactly the spec's names with the right sizes. */
export function checkParams(config: LoopedConfig, params: Params, what = 'parameters'): void {
  const specs = paramSpecs(config);
  for (const s of specs) {
    const v = params[s.name];
    if (!(v instanceof Float32Array)) throw new Error(`${what}: missing ${s.name}`);
    if (v.length !== size(s.shape)) throw new Error(`${what}: ${s.name} has ${v.length} values, expected ${size(s.shape)} for shape [${s.shape}]`);
  }
  const known = new Set(specs.map((s) => s.name));
  for (const k of Object.keys(params)) if (!known.has(k)) throw new Error(`${what}: unexpected ${k}`);
}

export function cloneParams(p: Params): Params {
  const out: Params = {};
  for (const [k, v] of Object.entries(p)) out[k] = v.slice();
  return out;
}

/** Every parameter (or moment) end to end in paramSpecs order: the training graph's flat form. */
export function packParams(config: LoopedConfig, p: Params): Float32Array {
  const specs = paramSpecs(config);
  const flat = new Float32Array(specs.reduce((n, s) => n + size(s.shape), 0));
  let at = 0;
  for (const s of specs) {
    flat.set(p[s.name]!, at);
    at += size(s.shape);
  }
  return flat;
}

/** Views into a flat array made by packParams, one per parameter (no copy). */
export function unpackParams(config: LoopedConfig, flat: Float32Array): Params {
  const out: Params = {};
  let at = 0;
  for (const s of paramSpecs(config)) {
    const n = size(s.shape);
    out[s.name] = flat.subarray(at, at + n);
    at += n;
  }
  if (at !== flat.length) throw new Error(`flat parameters: ${flat.length} values, expected ${at}`);
  return out;
}
