// probe:recipes' variants: each `--variant NAME=OPTIONS` on the command line, NAME naming its files.
// Pure, so the errors a long run could otherwise hit only after training are tested.

export interface Variant {
  name: string;
  /** The train options this variant adds to --base. */
  args: string[];
  /** With --seeds: the variant as given (NAME) and the seed this copy of it trains with. */
  seeded?: { group: string; seed: number };
}

/** Every `--variant NAME=OPTIONS` in `argv`, in order; a bad, missing or repeated NAME is an error. */
export function parseVariants(argv: readonly string[]): Variant[] {
  const out: Variant[] = [];
  argv.forEach((a, i) => {
    if (a !== '--variant') return;
    const spec = argv[i + 1] ?? '';
    const eq = spec.indexOf('=');
    // NAME becomes a file name in --out: no slashes, spaces or shell characters
    if (eq < 1 || !/^[\w.+-]+$/.test(spec.slice(0, eq))) throw new Error(`--variant needs NAME=OPTIONS (NAME of letters, digits, . + - _), got "${spec}"`);
    out.push({ name: spec.slice(0, eq), args: words(spec.slice(eq + 1)) });
  });
  if (out.length === 0) throw new Error('give at least one --variant NAME=OPTIONS');
  if (new Set(out.map((v) => v.name)).size !== out.length) throw new Error('variant names must differ');
  return out;
}

/** `--seeds S,S,...`: distinct non-negative integers; empty when the option is not given. */
export function parseSeeds(text: string): number[] {
  if (text === '') return [];
  const seeds = text.split(',').map(Number);
  if (!/^\d+(,\d+)*$/.test(text) || !seeds.every(Number.isSafeInteger)) throw new Error(`--seeds needs S,S,... (non-negative integers), got "${text}"`);
  if (new Set(seeds).size !== seeds.length) throw new Error(`--seeds must differ, got "${text}"`);
  return seeds;
}

/**
 * Each variant once per seed, NAME-sS with `--seed S` added last (the last option wins), so a table
 * reads a variant's seed spread, not one draw. A --seed of its own in --base or the variant would be
 * overridden without a word, so it is an error.
 */
export function withSeeds(variants: readonly Variant[], seeds: readonly number[], base: readonly string[]): Variant[] {
  if (seeds.length === 0) return [...variants];
  const setsSeed = (ws: readonly string[]) => ws.some((w) => w === '--seed' || w.startsWith('--seed='));
  if (setsSeed(base)) throw new Error('--base sets --seed; with --seeds every variant runs once per seed: drop one of them');
  return variants.flatMap((v) => {
    if (setsSeed(v.args)) throw new Error(`variant ${v.name} sets --seed; with --seeds every variant runs once per seed: drop one of them`);
    return seeds.map((seed) => ({ name: `${v.name}-s${seed}`, args: [...v.args, '--seed', String(seed)], seeded: { group: v.name, seed } }));
  });
}

/** A shell-like option string as words (no quoting: no train option value has a space). */
export function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== '');
}
