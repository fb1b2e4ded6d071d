// The attention viewer's SVG export: one head's map with token labels, and several heads side by side
// under a title as one document.
import { heatmapSvg } from '../charts/exportImage';
import type { Ctx } from './context';
import { colourIndex, DEFAULT_SCALE, maskedColour } from './attentionPaint';

/** A head's map as a standalone SVG part (cells + token labels), coloured as the canvases are: on the view's scale, masked cells in the masked colour. */
export function headSvgPart(c: Ctx, head: number, data: Float32Array | undefined): { svg: string; w: number; h: number } {
  const maskedFill = `rgb(${maskedColour(c.palette).join(',')})`;
  const W = c.vm.attention.width;
  const scale = c.ui.scale ?? DEFAULT_SCALE;
  const off = head * W * W;
  const weight = (q: number, k: number) => data?.[off + q * W + k] ?? 0;
  const rowMax = Array.from({ length: W }, (_, q) => Math.max(...Array.from({ length: q + 1 }, (_, k) => weight(q, k))));
  const color = (q: number, k: number) => (k > q ? maskedFill : c.palette.ramp(colourIndex(weight(q, k), scale, rowMax[q]!) / 255));
  const cellPx = Math.max(6, Math.min(14, Math.floor(360 / W)));
  const svg = heatmapSvg({
    title: `head ${head + 1}`,
    rows: W,
    cols: W,
    color,
    rowLabels: c.vm.tokens.map((t) => t.label),
    colLabels: c.vm.tokens.map((t) => t.label),
    rowTitle: 'query',
    colTitle: 'key',
    background: c.palette.background,
    foreground: c.palette.foreground,
    cell: cellPx,
  });
  const m = /width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svg)!;
  return { svg, w: Number(m[1]), h: Number(m[2]) };
}

/** Several SVG documents side by side (4 to a row) under a title, as one document. */
export function combine(parts: { svg: string; w: number; h: number }[], background: string, title: string, foreground: string): string {
  const perRow = Math.min(4, Math.max(1, parts.length));
  const cw = Math.max(...parts.map((p) => p.w), 1);
  const ch = Math.max(...parts.map((p) => p.h), 1);
  const W = perRow * cw;
  const H = 24 + Math.ceil(parts.length / perRow) * ch;
  const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;');
  const inner = parts.map((p, i) => p.svg.replace('<svg xmlns="http://www.w3.org/2000/svg"', `<svg x="${(i % perRow) * cw}" y="${24 + Math.floor(i / perRow) * ch}"`)).join('');
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}"><rect width="100%" height="100%" fill="${background}"/><text x="8" y="16" font-family="sans-serif" font-size="13" fill="${foreground}">${esc(title)}</text>${inner}</svg>`;
}
