// A loop step x column heat map on canvas (rows are loop steps 1..T, columns e.g. positions): the
// stepper's logit lens and hidden-state maps (webview/stepper/traceGrid.ts) and the Evaluation
// panel's answer positions. Cells are painted from the palette's colour ramp (theme.ts); marked steps
// are a line under their row or a frame around it with an HTML label to its right (readable by
// assistive technology and tests); the selected step and the hovered cell are drawn on an overlay
// canvas, so a step change repaints only that. Styles: media/looplens.css (.hm-*).
import { el } from '../shared/dom';
import { sizeCanvas } from '../shared/pixelRatio';
import type { Tooltip } from '../shared/tooltip';
import { heatmapSvg } from './exportImage';
import type { Palette } from './theme';

/** A marked loop step: a line under its row (`below`), or a frame around it (`frame`) named by `label`. */
export interface StepMark {
  step: number | null;
  color: string;
  dash: number[];
  /** Where the dash pattern starts: two frames on one step, offset, alternate their colours. */
  dashOffset?: number;
  style: 'below' | 'frame';
  /** Written right of the map at the row (frames only). */
  label?: string;
}

/** What one drawing shows; a new frame redraws everything. */
export interface HeatGridFrame {
  /** Loop steps 1..rows. */
  rows: number;
  columns: number;
  /** Colour value in [0, 1] of (step t, column c), or null for an empty cell. */
  value(t: number, c: number): number | null;
  /** Tooltip lines of a cell (the first is its heading). */
  tooltip(t: number, c: number): string[];
  /** A column's label; `roomy` when cells are wide enough for a token, else a short form. */
  columnLabel(c: number, roomy: boolean): string;
  /** A dot per column at a step (e.g. where it settles), or null. */
  mark?(c: number): number | null;
  stepMarks: StepMark[];
  /** The step outlined across the map with an arrow (the stepper's current step), or null. */
  selected: number | null;
  palette: Palette;
  tip: Tooltip;
}

export interface HeatGridSpec {
  ariaLabel: string;
  /** Height budget of the map (px). */
  maxHeight: number;
  minCell: number;
  /** Clicking a row goes to that step (the stepper); absent: rows are not clickable. */
  onRowClick?(t: number): void;
}

export interface HeatGrid {
  element: HTMLElement;
  /** Repaints everything (new data, theme, size). */
  draw(frame: HeatGridFrame): void;
  /** Moves the selected-step outline. */
  select(step: number | null): void;
  /** The map last drawn as an SVG document (its marked steps framed and labelled). */
  svg(title: string, columnTitle: string): string;
}

const LEFT = 30;
const TOP = 18;
const MAX_CELL = 26;
const LABEL_FONT = 10;
/** Marked steps' labels keep at least this far apart vertically (px). */
const LABEL_GAP = LABEL_FONT + 2;

export function createHeatGrid(spec: HeatGridSpec): HeatGrid {
  const cells = el('canvas', { class: 'hm-cells', attrs: { role: 'img', 'aria-label': spec.ariaLabel } });
  const overlay = el('canvas', { class: `hm-overlay${spec.onRowClick ? ' clickable' : ''}` });
  const labels = el('div', { class: 'hm-mark-labels' });
  const box = el('div', { class: 'hm-box' }, cells, overlay, labels);
  let cw = 10;
  let ch = 8;
  let frame: HeatGridFrame | null = null;
  let selected: number | null = null;
  let hover: { t: number; c: number } | null = null;
  /** The ratio both canvases were sized at (the overlay repaints at it until the next draw). */
  let dpr = 1;

  const framed = (f: HeatGridFrame) => f.stepMarks.filter((m) => m.style === 'frame' && m.label && m.step !== null && m.step >= 1 && m.step <= f.rows);
  const dims = (f: HeatGridFrame) => {
    const C = f.columns;
    const longest = Math.max(0, ...framed(f).map((m) => m.label!.length));
    const right = longest > 0 ? 10 + longest * 6.2 : 4;
    const avail = Math.max(120, (box.parentElement?.clientWidth ?? 400) - LEFT - right - 8);
    cw = Math.max(spec.minCell, Math.min(MAX_CELL, avail / Math.max(1, C)));
    ch = Math.max(3, Math.min(12, spec.maxHeight / f.rows));
    return { w: LEFT + C * cw + right, h: TOP + f.rows * ch + 4 };
  };

  const setSize = (cv: HTMLCanvasElement, w: number, h: number) => {
    dpr = sizeCanvas(cv, w, h);
    const g = cv.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    return g;
  };

  function paintOverlay(): void {
    if (!frame) return;
    const w = parseFloat(overlay.style.width);
    const h = parseFloat(overlay.style.height);
    const g = overlay.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const p = frame.palette;
    if (selected !== null && selected >= 1 && selected <= frame.rows) {
      const y = TOP + (selected - 1) * ch;
      g.strokeStyle = p.foreground;
      g.lineWidth = 1.5;
      g.strokeRect(LEFT - 0.5, y - 0.5, frame.columns * cw + 1, ch + 1);
      g.fillStyle = p.foreground;
      g.beginPath();
      g.moveTo(LEFT - 6, y + ch / 2 - 4);
      g.lineTo(LEFT - 1, y + ch / 2);
      g.lineTo(LEFT - 6, y + ch / 2 + 4);
      g.fill();
    }
    if (hover) {
      g.strokeStyle = p.warn;
      g.lineWidth = 2;
      g.strokeRect(LEFT + hover.c * cw, TOP + (hover.t - 1) * ch, cw, ch);
    }
  }

  /** The cell under the pointer, or null outside the map. */
  const cellAt = (ev: MouseEvent) => {
    if (!frame) return null;
    const r = overlay.getBoundingClientRect();
    const c = Math.floor((ev.clientX - r.left - LEFT) / cw);
    const t = Math.floor((ev.clientY - r.top - TOP) / ch) + 1;
    return c < 0 || c >= frame.columns || t < 1 || t > frame.rows ? null : { t, c };
  };
  overlay.addEventListener('mousemove', (ev) => {
    if (!frame) return;
    hover = cellAt(ev);
    if (hover) frame.tip.show(ev, frame.tooltip(hover.t, hover.c));
    else frame.tip.hide();
    paintOverlay();
  });
  overlay.addEventListener('mouseleave', () => {
    hover = null;
    frame?.tip.hide();
    paintOverlay();
  });
  overlay.addEventListener('click', (ev) => {
    const at = cellAt(ev);
    if (at && spec.onRowClick) spec.onRowClick(at.t);
  });

  function paintCells(g: CanvasRenderingContext2D, f: HeatGridFrame): void {
    const p = f.palette;
    const C = f.columns;
    const T = f.rows;
    // cells through an ImageData of C x T pixels, scaled up without smoothing
    const img = new ImageData(Math.max(1, C), T);
    const d = img.data;
    const empty = p.lut.slice(0, 4);
    for (let t = 1; t <= T; t++) {
      for (let c = 0; c < C; c++) {
        const v = f.value(t, c);
        const o = ((t - 1) * C + c) * 4;
        if (v === null) {
          d.set(empty, o);
          d[o + 3] = 90;
          continue;
        }
        const i = Math.round(Math.max(0, Math.min(1, v)) * 255) * 4;
        d[o] = p.lut[i]!;
        d[o + 1] = p.lut[i + 1]!;
        d[o + 2] = p.lut[i + 2]!;
        d[o + 3] = 255;
      }
    }
    const scratch = el('canvas');
    scratch.width = Math.max(1, C);
    scratch.height = T;
    scratch.getContext('2d')!.putImageData(img, 0, 0);
    g.imageSmoothingEnabled = false;
    g.drawImage(scratch, LEFT, TOP, C * cw, T * ch);
  }

  function paintMarks(g: CanvasRenderingContext2D, f: HeatGridFrame): void {
    const C = f.columns;
    if (f.mark) {
      g.fillStyle = f.palette.warn;
      for (let c = 0; c < C; c++) {
        const t = f.mark(c);
        if (t === null) continue;
        g.beginPath();
        g.arc(LEFT + c * cw + cw / 2, TOP + (t - 0.5) * ch, Math.max(1.5, Math.min(cw, ch) / 3), 0, 2 * Math.PI);
        g.fill();
      }
    }
    for (const m of f.stepMarks) {
      if (m.step === null || m.step < 1 || m.step > f.rows) continue;
      g.strokeStyle = m.color;
      g.setLineDash(m.dash);
      g.lineDashOffset = m.dashOffset ?? 0;
      g.lineWidth = m.style === 'frame' ? 2 : 1.5;
      if (m.style === 'frame') g.strokeRect(LEFT - 2, TOP + (m.step - 1) * ch - 1, C * cw + 4, ch + 2);
      else {
        g.beginPath();
        g.moveTo(LEFT - 2, TOP + m.step * ch);
        g.lineTo(LEFT + C * cw + 2, TOP + m.step * ch);
        g.stroke();
      }
      g.setLineDash([]);
      g.lineDashOffset = 0;
    }
  }

  function paintAxes(g: CanvasRenderingContext2D, f: HeatGridFrame): void {
    const p = f.palette;
    g.fillStyle = p.muted;
    g.font = `${LABEL_FONT}px ${p.monoFont}`;
    g.textBaseline = 'middle';
    g.textAlign = 'right';
    const every = Math.max(1, Math.ceil(11 / ch));
    const rowEvery = every > 1 ? Math.ceil(every / 5) * 5 : 1;
    for (let t = 1; t <= f.rows; t++) if (t === 1 || t % rowEvery === 0) g.fillText(String(t), LEFT - 8, TOP + (t - 0.5) * ch);
    g.textAlign = 'center';
    const roomy = cw >= 9;
    // every column's label when they fit, else every k-th, k as wide as the widest label needs
    const widest = Math.max(0, ...Array.from({ length: f.columns }, (_, c) => g.measureText(f.columnLabel(c, roomy)).width));
    const cEvery = Math.max(1, Math.ceil((widest + 3) / cw));
    for (let c = 0; c < f.columns; c += cEvery) g.fillText(f.columnLabel(c, roomy), LEFT + c * cw + cw / 2, TOP / 2);
  }

  /** The framed steps' labels as HTML right of the map, pushed apart where their rows are close. */
  function placeLabels(f: HeatGridFrame): void {
    let lastY = -Infinity;
    const spans = framed(f)
      .sort((a, b) => a.step! - b.step!)
      .map((m) => {
        const y = Math.max(TOP + (m.step! - 0.5) * ch, lastY + LABEL_GAP);
        lastY = y;
        const span = el('span', { class: 'hm-mark-label', text: m.label!, attrs: { 'data-step': m.step! } });
        span.style.left = `${LEFT + f.columns * cw + 6}px`;
        span.style.top = `${y}px`;
        span.style.color = m.color;
        return span;
      });
    labels.replaceChildren(...spans);
  }

  return {
    element: box,
    draw(f) {
      frame = f;
      selected = f.selected;
      hover = null;
      const { w, h } = dims(f);
      const g = setSize(cells, w, h);
      setSize(overlay, w, h);
      box.dataset.rows = String(f.rows);
      box.dataset.columns = String(f.columns);
      paintCells(g, f);
      paintMarks(g, f);
      paintAxes(g, f);
      placeLabels(f);
      paintOverlay();
    },
    select(step) {
      selected = step;
      paintOverlay();
    },
    svg(title, columnTitle) {
      const f = frame;
      if (!f) throw new Error('the map has not been drawn yet');
      return heatmapSvg({
        title,
        rows: f.rows,
        cols: f.columns,
        color: (r, c) => {
          const v = f.value(r + 1, c);
          return v === null ? null : f.palette.ramp(v);
        },
        rowLabels: Array.from({ length: f.rows }, (_, r) => String(r + 1)),
        colLabels: Array.from({ length: f.columns }, (_, c) => f.columnLabel(c, true)),
        rowTitle: 'loop step',
        colTitle: columnTitle,
        background: f.palette.background,
        foreground: f.palette.foreground,
        cell: 12,
        rowMarks: framed(f).map((m) => ({ row: m.step! - 1, color: m.color, dashed: m.dash.length > 0, label: m.label! })),
      });
    },
  };
}
