// probe:recipes' variants: each `--variant NAME=OPTIONS` on the command line, NAME naming its files.
// Pure, so the errors a long run could otherwise hit only after training are tested.

export interface Variant {
  name: string;
  /** The train options this variant adds to --base. */
  args: string[];
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

/** A shell-like option string as words (no quoting: no train option value has a space). */
export function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== '');
}
