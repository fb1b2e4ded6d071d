// Drawings out of the page: an SVG chart as a standalone SVG document (computed styles inlined,
// since the page's stylesheet and theme variables do not travel with it; the editor background
// behind it), the same rasterised to PNG, a canvas as PNG, and a heatmap as an SVG of cells.
// The page sends the result to its host, which saves it (src/protocol/export.ts).

const STYLE_PROPS = [
  'fill', 'fill-opacity', 'stroke', 'stroke-width', 'stroke-opacity', 'stroke-dasharray', 'opacity',
  'font-family', 'font-size', 'font-weight', 'font-style', 'text-anchor', 'dominant-baseline', 'display', 'visibility',
];

function inlineStyles(src: Element, dst: Element): void {
  const cs = getComputedStyle(src);
  const style = STYLE_PROPS.map((p) => `${p}:${cs.getPropertyValue(p)}`).join(';');
  dst.setAttribute('style', style);
  for (let i = 0; i < src.children.length; i++) inlineStyles(src.children[i]!, dst.children[i]!);
}

/**
 * A standalone SVG document of `svg` as drawn now, on `background`; `add` may complete the copy
 * (styles already inlined) with what the page draws beside the SVG, e.g. on a canvas.
 */
export function svgDocument(svg: SVGSVGElement, background: string, add?: (clone: SVGSVGElement) => void): string {
  const clone = svg.cloneNode(true) as SVGSVGElement;
  inlineStyles(svg, clone);
  add?.(clone);
  const w = svg.width.baseVal.value || svg.getBoundingClientRect().width;
  const h = svg.height.baseVal.value || svg.getBoundingClientRect().height;
  clone.setAttribute('xmlns', 'http://www.w3.org/2000/svg');
  clone.setAttribute('width', String(w));
  clone.setAttribute('height', String(h));
  clone.setAttribute('viewBox', `0 0 ${w} ${h}`);
  const bg = document.createElementNS('http://www.w3.org/2000/svg', 'rect');
  bg.setAttribute('width', '100%');
  bg.setAttribute('height', '100%');
  bg.setAttribute('fill', background);
  clone.insertBefore(bg, clone.firstChild);
  return new XMLSerializer().serializeToString(clone);
}

/** base64 of a canvas's PNG bytes. */
export function canvasPngBase64(canvas: HTMLCanvasElement): string {
  return canvas.toDataURL('image/png').replace(/^data:image\/png;base64,/, '');
}

/** Rasterises an SVG document at `scale` and returns base64 of the PNG bytes. */
export function svgPngBase64(svgText: string, width: number, height: number, scale = 2): Promise<string> {
  return new Promise((resolve, reject) => {
    const img = new Image();
    img.onload = () => {
      const canvas = document.createElement('canvas');
      canvas.width = Math.max(1, Math.round(width * scale));
      canvas.height = Math.max(1, Math.round(height * scale));
      const g = canvas.getContext('2d')!;
      g.scale(scale, scale);
      g.drawImage(img, 0, 0, width, height);
      resolve(canvasPngBase64(canvas));
    };
    img.onerror = () => reject(new Error('the chart could not be drawn as an image'));
    img.src = `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svgText)}`;
  });
}

export interface HeatmapSvgSpec {
  title: string;
  rows: number;
  cols: number;
  /** Colour of cell (row, col), or null for none. */
  color(row: number, col: number): string | null;
  rowLabels: string[];
  colLabels: string[];
  rowTitle: string;
  colTitle: string;
  background: string;
  foreground: string;
  cell?: number;
  /** Rows framed in a colour (dashed or solid), each named by a label right of the map (e.g. T(n)). */
  rowMarks?: { row: number; color: string; dashed: boolean; label: string }[];
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** A heatmap as an SVG document of <rect> cells with labelled axes (for maps drawn on canvas in the page). */
export function heatmapSvg(s: HeatmapSvgSpec): string {
  const cell = s.cell ?? 14;
  const left = 40;
  const top = 44;
  const marks = s.rowMarks ?? [];
  const labelRoom = marks.length > 0 ? 10 + Math.max(...marks.map((m) => m.label.length)) * 6.5 : 0;
  const w = left + s.cols * cell + 10 + labelRoom;
  const h = top + s.rows * cell + 10;
  const font = `font-family="monospace" font-size="${Math.min(11, cell - 2)}" fill="${esc(s.foreground)}"`;
  const parts = [`<svg xmlns="http://www.w3.org/2000/svg" width="${w}" height="${h}" viewBox="0 0 ${w} ${h}">`, `<rect width="100%" height="100%" fill="${esc(s.background)}"/>`];
  parts.push(`<text x="${left}" y="14" font-family="sans-serif" font-size="12" fill="${esc(s.foreground)}">${esc(s.title)}</text>`);
  parts.push(`<text x="${left}" y="28" font-family="sans-serif" font-size="10" fill="${esc(s.foreground)}">${esc(s.colTitle)} →, ${esc(s.rowTitle)} ↓</text>`);
  for (let r = 0; r < s.rows; r++) {
    for (let c = 0; c < s.cols; c++) {
      const col = s.color(r, c);
      if (col) parts.push(`<rect x="${left + c * cell}" y="${top + r * cell}" width="${cell}" height="${cell}" fill="${col}"/>`);
    }
  }
  s.colLabels.forEach((l, c) => parts.push(`<text x="${left + c * cell + cell / 2}" y="${top - 4}" text-anchor="middle" ${font}>${esc(l)}</text>`));
  s.rowLabels.forEach((l, r) => parts.push(`<text x="${left - 4}" y="${top + r * cell + cell / 2}" dy="0.35em" text-anchor="end" ${font}>${esc(l)}</text>`));
  for (const m of marks) {
    const y = top + m.row * cell;
    parts.push(`<rect x="${left - 1.5}" y="${y - 1}" width="${s.cols * cell + 3}" height="${cell + 2}" fill="none" stroke="${esc(m.color)}" stroke-width="2"${m.dashed ? ' stroke-dasharray="4 3"' : ''}/>`);
    parts.push(`<text x="${left + s.cols * cell + 8}" y="${y + cell / 2}" dy="0.35em" font-family="monospace" font-size="10" fill="${esc(m.color)}">${esc(m.label)}</text>`);
  }
  parts.push('</svg>');
  return parts.join('');
}

/** An SVG document (e.g. heatmapSvg's) rasterised to PNG (base64), at the size it states. */
export function svgTextPngBase64(svgText: string): Promise<string> {
  const m = /width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svgText);
  if (!m) throw new Error('the image has no size');
  return svgPngBase64(svgText, Number(m[1]), Number(m[2]));
}

/** The SVG of the chart drawn in `box`, as a document on the editor background. */
export function chartSvg(box: HTMLElement): string {
  const svg = box.querySelector('svg');
  if (!svg) throw new Error('the chart has not been drawn yet');
  return svgDocument(svg, getComputedStyle(document.body).getPropertyValue('--vscode-editor-background').trim() || '#ffffff');
}

/** The chart drawn in `box` as PNG (base64). */
export async function chartPng(box: HTMLElement): Promise<string> {
  const svg = box.querySelector('svg');
  if (!svg) throw new Error('the chart has not been drawn yet');
  return svgPngBase64(chartSvg(box), svg.width.baseVal.value, svg.height.baseVal.value);
}

/** PNG and SVG export items for the chart in `box`; `send` posts the image to the host. */
export function chartImageItems(box: HTMLElement, name: () => string, send: (name: string, format: 'png' | 'svg', data: string) => void): { label: string; title: string; run(): Promise<void> | void }[] {
  return [
    { label: 'PNG', title: 'This chart as a PNG image', run: async () => send(name(), 'png', await chartPng(box)) },
    { label: 'SVG', title: 'This chart as an SVG image', run: () => send(name(), 'svg', chartSvg(box)) },
  ];
}
