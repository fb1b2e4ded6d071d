// An accuracy-vs-length chart as a standalone SVG file, drawn with d3's scales and line generator
// (no DOM needed), for the models report.
import * as d3 from 'd3';

export interface PlotSeries {
  label: string;
  color: string;
  dashed?: boolean;
  points: { x: number; y: number }[];
}

export interface AccuracyPlot {
  title: string;
  /** Longest training length: the region left of it is shaded "trained". */
  trainedMax: number;
  /** The x axis's label (default "input length n"). */
  xLabel?: string;
  series: PlotSeries[];
}

const W = 640;
const H = 360;
const M = { top: 40, right: 20, bottom: 44, left: 52 };

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export function accuracyPlotSvg(p: AccuracyPlot): string {
  const xs = p.series.flatMap((s) => s.points.map((q) => q.x));
  const x = d3.scaleLinear().domain([Math.min(1, ...xs), Math.max(...xs)]).range([M.left, W - M.right]);
  const y = d3.scaleLinear().domain([0, 1]).range([H - M.bottom, M.top]);
  const line = d3.line<{ x: number; y: number }>().x((q) => x(q.x)).y((q) => y(q.y));
  const parts: string[] = [];
  parts.push(`<rect x="${M.left}" y="${M.top}" width="${x(p.trainedMax) - M.left}" height="${H - M.top - M.bottom}" fill="#8884" />`);
  parts.push(`<text x="${M.left + 6}" y="${M.top + 14}" font-size="11" fill="#555">trained lengths</text>`);
  for (const t of y.ticks(5)) {
    parts.push(`<line x1="${M.left}" x2="${W - M.right}" y1="${y(t)}" y2="${y(t)}" stroke="#ccc" />`);
    parts.push(`<text x="${M.left - 6}" y="${y(t) + 4}" font-size="11" text-anchor="end">${Math.round(t * 100)}%</text>`);
  }
  for (const t of x.ticks(10)) parts.push(`<text x="${x(t)}" y="${H - M.bottom + 16}" font-size="11" text-anchor="middle">${t}</text>`);
  parts.push(`<text x="${(M.left + W - M.right) / 2}" y="${H - 8}" font-size="12" text-anchor="middle">${esc(p.xLabel ?? 'input length n')}</text>`);
  parts.push(`<text x="${W / 2}" y="20" font-size="14" font-weight="bold" text-anchor="middle">${esc(p.title)}</text>`);
  p.series.forEach((s, i) => {
    parts.push(`<path d="${line(s.points) ?? ''}" fill="none" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''} />`);
    for (const q of s.points) parts.push(`<circle cx="${x(q.x)}" cy="${y(q.y)}" r="2.5" fill="${s.color}" />`);
    const ly = M.top + 30 + i * 16;
    parts.push(`<line x1="${W - M.right - 190}" x2="${W - M.right - 170}" y1="${ly}" y2="${ly}" stroke="${s.color}" stroke-width="2"${s.dashed ? ' stroke-dasharray="5 4"' : ''} />`);
    parts.push(`<text x="${W - M.right - 164}" y="${ly + 4}" font-size="11">${esc(s.label)}</text>`);
  });
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}" font-family="sans-serif"><rect width="${W}" height="${H}" fill="white" />${parts.join('')}</svg>\n`;
}
