// Colors come from VS Code's theme variables, read at draw time, so every theme (dark, light,
// high contrast) gets fitting heatmaps and charts without a palette of our own: the stepper's canvas
// views and the heat maps the panels draw on canvas (heatGrid.ts).
import { interpolateRgb, color as d3color } from 'd3';

function cssVar(name: string, fallback: string): string {
  const v = getComputedStyle(document.body).getPropertyValue(name).trim();
  return v || fallback;
}

export interface Palette {
  background: string;
  foreground: string;
  muted: string;
  accent: string;
  pass: string;
  fail: string;
  warn: string;
  grid: string;
  /** The focus border: the selected step's frame and line. */
  focus: string;
  /** The editor's monospace font, for canvas text (canvas cannot read CSS variables). */
  monoFont: string;
  /** 0 → background, 1 → accent: used for attention, confidence and similarity. */
  heat(x: number): string;
  /** Readable text on top of heat(x). */
  heatText(x: number): string;
  /**
   * The maps' colour ramp as a lookup table: 256 RGBA entries from the editor background through
   * the accent to a strong end (the accent mixed with the foreground), so small and large weights
   * both stay visible in dark, light and high-contrast themes.
   */
  lut: Uint8ClampedArray;
  /** lut as CSS colours (for SVG exports and legends). */
  ramp(x: number): string;
}

export function palette(): Palette {
  const background = cssVar('--vscode-editor-background', '#1e1e1e');
  const foreground = cssVar('--vscode-editor-foreground', '#cccccc');
  const accent = cssVar('--vscode-charts-blue', '#3794ff');
  const ramp = interpolateRgb(background, accent);
  const lum = (c: string) => {
    const rgb = d3color(c)?.rgb();
    return rgb ? (0.2126 * rgb.r + 0.7152 * rgb.g + 0.0722 * rgb.b) / 255 : 0.5;
  };
  const fgLum = lum(foreground);
  const bgLum = lum(background);
  const strong = interpolateRgb(accent, foreground)(0.6);
  const lo = interpolateRgb(background, accent);
  const hi = interpolateRgb(accent, strong);
  const ramp3 = (x: number) => {
    const v = Math.max(0, Math.min(1, x));
    return v <= 0.6 ? lo(v / 0.6) : hi((v - 0.6) / 0.4);
  };
  const lut = new Uint8ClampedArray(256 * 4);
  for (let i = 0; i < 256; i++) {
    const c = d3color(ramp3(i / 255))?.rgb();
    lut.set([c?.r ?? 0, c?.g ?? 0, c?.b ?? 0, 255], i * 4);
  }
  return {
    background,
    foreground,
    muted: cssVar('--vscode-descriptionForeground', '#9d9d9d'),
    accent,
    pass: cssVar('--vscode-charts-green', '#89d185'),
    fail: cssVar('--vscode-charts-red', '#f14c4c'),
    warn: cssVar('--vscode-charts-orange', '#d18616'),
    grid: cssVar('--vscode-editorWidget-border', '#454545'),
    focus: cssVar('--vscode-focusBorder', '#0078d4'),
    monoFont: cssVar('--vscode-editor-font-family', 'monospace'),
    heat: (x) => ramp(Math.max(0, Math.min(1, x))),
    lut,
    ramp: (x) => {
      const i = Math.round(Math.max(0, Math.min(1, x)) * 255) * 4;
      return `rgb(${lut[i]},${lut[i + 1]},${lut[i + 2]})`;
    },
    heatText: (x) => {
      const l = lum(ramp(Math.max(0, Math.min(1, x))));
      return Math.abs(l - fgLum) >= Math.abs(l - bgLum) ? foreground : background;
    },
  };
}
