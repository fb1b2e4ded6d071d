// How the attention viewer colours weights, shared by the small multiples and the enlarged head:
// the colour scales (linear, log, row-normalised), a head's cells painted from the palette's lookup
// table into an RGBA buffer, the causal mask's colour, and how densely axes are labelled.
import type { AttentionScale, StepperViewModel } from '../../src/protocol/stepper';
import type { Palette } from '../charts/theme';

const LOG_FLOOR = 1e-3;
/**
 * The scale a fresh view opens with: log, so diffuse heads (weights of a few percent spread over
 * many keys, as in the copy model's first layer) stay visible in every theme; linear and
 * row-normalised are one click away, and every read-out gives the raw weight.
 */
export const DEFAULT_SCALE: AttentionScale = 'log';

/** The hovered query and/or key (null: none). */
export interface Hover {
  q: number | null;
  k: number | null;
}

/** Colour index (0..255) of weight `a` in row `q` under `scale`; rowMax is the row's largest weight. */
export function colourIndex(a: number, scale: AttentionScale, rowMax: number): number {
  let v: number;
  if (scale === 'log') v = a <= 0 ? 0 : (Math.log10(Math.max(a, LOG_FLOOR)) - Math.log10(LOG_FLOOR)) / -Math.log10(LOG_FLOOR);
  else if (scale === 'row') v = rowMax > 0 ? a / rowMax : 0;
  else v = a;
  return Math.max(0, Math.min(255, Math.round(v * 255)));
}

export const SCALE_TEXT: Record<AttentionScale, string> = { linear: 'linear', log: 'log (10⁻³ … 1)', row: 'row-normalised (÷ row max)' };

/** Paints one head's [W, W] weights into an RGBA buffer (masked cells get `masked`). */
export function paint(buf: Uint8ClampedArray, a: Float32Array, off: number, W: number, scale: AttentionScale, lut: Uint8ClampedArray, masked: [number, number, number]): void {
  for (let q = 0; q < W; q++) {
    let rowMax = 0;
    if (scale === 'row') for (let k = 0; k <= q; k++) rowMax = Math.max(rowMax, a[off + q * W + k]!);
    for (let k = 0; k < W; k++) {
      const o = (q * W + k) * 4;
      if (k > q) {
        buf[o] = masked[0];
        buf[o + 1] = masked[1];
        buf[o + 2] = masked[2];
        buf[o + 3] = 255;
        continue;
      }
      const i = colourIndex(a[off + q * W + k]!, scale, rowMax) * 4;
      buf[o] = lut[i]!;
      buf[o + 1] = lut[i + 1]!;
      buf[o + 2] = lut[i + 2]!;
      buf[o + 3] = 255;
    }
  }
}

export function maskedColour(p: Palette): [number, number, number] {
  const g = p.lut; // background is entry 0; the grid colour is mixed in by CSS-free arithmetic
  const parse = (c: string): [number, number, number] => {
    const m = /rgba?\((\d+),\s*(\d+),\s*(\d+)/.exec(c);
    if (m) return [Number(m[1]), Number(m[2]), Number(m[3])];
    const h = /^#([0-9a-f]{6})/i.exec(c);
    return h ? [parseInt(h[1]!.slice(0, 2), 16), parseInt(h[1]!.slice(2, 4), 16), parseInt(h[1]!.slice(4, 6), 16)] : [128, 128, 128];
  };
  const grid = parse(p.grid);
  return [Math.round(0.82 * g[0]! + 0.18 * grid[0]), Math.round(0.82 * g[1]! + 0.18 * grid[1]), Math.round(0.82 * g[2]! + 0.18 * grid[2])];
}

/** Labels of a map's axes: every token when the cells are big enough, else every few positions. */
export function tickEvery(cell: number): number {
  if (cell >= 9) return 1;
  return [2, 5, 10, 20, 50].find((n) => n * cell >= 14) ?? 100;
}

export function tokenName(vm: StepperViewModel, i: number): string {
  const t = vm.tokens[i]!;
  return `${i} (${t.label})`;
}
