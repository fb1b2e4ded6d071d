// A position x iteration heatmap on canvas (rows are loop steps, columns positions), shared by the
// logit lens and the hidden-state views: cells painted once per view model from a colour index
// per cell, axis labels, T(n) and stop markers; the selected step and the hovered cell are drawn
// on an overlay canvas, so a step change repaints only that. Click a row to go to that step.
import type { Ctx } from './context';
import { el } from '../shared/dom';
import { heatmapSvg } from '../charts/exportImage';
import { sizeCanvas } from '../shared/pixelRatio';

export interface HeatGridSpec {
  /** Column positions (indices into vm.tokens). */
  columns: number[];
  /** Colour value in [0, 1] of (step t, column index c), or null for an empty cell. */
  value(t: number, c: number): number | null;
  /** Tooltip lines of a cell. */
  tooltip(t: number, c: number): string[];
  /** Extra marks per column: a step to dot (e.g. where it settles), or null. */
  mark?(c: number): number | null;
  ariaLabel: string;
  /** Height budget of the map (px). */
  maxHeight: number;
  minCell: number;
}

export interface HeatGrid {
  element: HTMLElement;
  /** Repaints everything (new view model, theme, size). */
  draw(ctx: Ctx): void;
  /** Moves the selected-step outline. */
  select(ctx: Ctx): void;
  /** The map as an SVG document. */
  svg(ctx: Ctx, title: string): string;
}

const LEFT = 30;
const TOP = 18;

export function createHeatGrid(spec: HeatGridSpec): HeatGrid {
  const cells = el('canvas', { class: 'st-grid-cells', attrs: { role: 'img', 'aria-label': spec.ariaLabel } });
  const overlay = el('canvas', { class: 'st-grid-overlay' });
  const box = el('div', { class: 'st-grid-box' }, cells, overlay);
  let cw = 10;
  let ch = 8;
  let T = 1;
  let ctxRef: Ctx | null = null;
  let hover: { t: number; c: number } | null = null;

  const dims = (ctx: Ctx) => {
    T = ctx.vm.steps.length;
    const C = spec.columns.length;
    const avail = Math.max(120, (box.parentElement?.clientWidth ?? 400) - LEFT - 8);
    cw = Math.max(spec.minCell, Math.min(26, avail / Math.max(1, C)));
    ch = Math.max(3, Math.min(12, spec.maxHeight / T));
    return { w: LEFT + C * cw + 4, h: TOP + T * ch + 4 };
  };

  /** The ratio both canvases were sized at (the overlay repaints at it until the next draw). */
  let dpr = 1;
  const setSize = (cv: HTMLCanvasElement, w: number, h: number) => {
    dpr = sizeCanvas(cv, w, h);
    const g = cv.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    return g;
  };

  function paintOverlay(ctx: Ctx): void {
    const { w, h } = { w: parseFloat(overlay.style.width), h: parseFloat(overlay.style.height) };
    const g = overlay.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, w, h);
    const C = spec.columns.length;
    const y = TOP + (ctx.ui.step - 1) * ch;
    g.strokeStyle = ctx.palette.foreground;
    g.lineWidth = 1.5;
    g.strokeRect(LEFT - 0.5, y - 0.5, C * cw + 1, ch + 1);
    g.fillStyle = ctx.palette.foreground;
    g.beginPath();
    g.moveTo(LEFT - 6, y + ch / 2 - 4);
    g.lineTo(LEFT - 1, y + ch / 2);
    g.lineTo(LEFT - 6, y + ch / 2 + 4);
    g.fill();
    if (hover) {
      g.strokeStyle = ctx.palette.warn;
      g.lineWidth = 2;
      g.strokeRect(LEFT + hover.c * cw, TOP + (hover.t - 1) * ch, cw, ch);
    }
  }

  overlay.addEventListener('mousemove', (ev) => {
    if (!ctxRef) return;
    const r = overlay.getBoundingClientRect();
    const c = Math.floor((ev.clientX - r.left - LEFT) / cw);
    const t = Math.floor((ev.clientY - r.top - TOP) / ch) + 1;
    if (c < 0 || c >= spec.columns.length || t < 1 || t > T) {
      hover = null;
      ctxRef.tooltip.hide();
      paintOverlay(ctxRef);
      return;
    }
    hover = { t, c };
    ctxRef.tooltip.show(ev, spec.tooltip(t, c));
    paintOverlay(ctxRef);
  });
  overlay.addEventListener('mouseleave', () => {
    hover = null;
    ctxRef?.tooltip.hide();
    if (ctxRef) paintOverlay(ctxRef);
  });
  overlay.addEventListener('click', (ev) => {
    if (!ctxRef) return;
    const r = overlay.getBoundingClientRect();
    const t = Math.floor((ev.clientY - r.top - TOP) / ch) + 1;
    if (t >= 1 && t <= T) ctxRef.actions.setStep(t);
  });

  return {
    element: box,
    draw(ctx) {
      ctxRef = ctx;
      const { w, h } = dims(ctx);
      const g = setSize(cells, w, h);
      setSize(overlay, w, h);
      const p = ctx.palette;
      const C = spec.columns.length;
      // cells through an ImageData of C x T pixels, scaled up without smoothing
      const img = new ImageData(Math.max(1, C), T);
      const d = img.data;
      const empty = p.lut.slice(0, 4);
      for (let t = 1; t <= T; t++) {
        for (let c = 0; c < C; c++) {
          const v = spec.value(t, c);
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
      // marks (a dot per column) and markers for T(n) and the stop
      if (spec.mark) {
        g.fillStyle = p.warn;
        for (let c = 0; c < C; c++) {
          const t = spec.mark(c);
          if (t === null) continue;
          g.beginPath();
          g.arc(LEFT + c * cw + cw / 2, TOP + (t - 0.5) * ch, Math.max(1.5, Math.min(cw, ch) / 3), 0, 2 * Math.PI);
          g.fill();
        }
      }
      const line = (step: number | null, color: string, dash: number[]) => {
        if (step === null || step < 1 || step > T) return;
        g.strokeStyle = color;
        g.setLineDash(dash);
        g.lineWidth = 1.5;
        g.beginPath();
        g.moveTo(LEFT - 2, TOP + step * ch);
        g.lineTo(LEFT + C * cw + 2, TOP + step * ch);
        g.stroke();
        g.setLineDash([]);
      };
      line(ctx.vm.halting.oracleStep, getComputedStyle(document.body).getPropertyValue('--vscode-charts-yellow').trim() || '#cca700', [4, 3]);
      line(ctx.vm.halting.adaptiveStep, getComputedStyle(document.body).getPropertyValue('--vscode-charts-purple').trim() || '#b180d7', []);
      // labels
      g.fillStyle = p.muted;
      g.font = `10px ${p.monoFont}`;
      g.textBaseline = 'middle';
      g.textAlign = 'right';
      const every = Math.max(1, Math.ceil(11 / ch));
      for (let t = 1; t <= T; t++) if (t === 1 || t % (every > 1 ? Math.ceil(every / 5) * 5 : 1) === 0) g.fillText(String(t), LEFT - 8, TOP + (t - 0.5) * ch);
      g.textAlign = 'center';
      const cEvery = cw >= 9 ? 1 : Math.ceil(10 / cw);
      spec.columns.forEach((pos, c) => {
        if (c % cEvery !== 0) return;
        g.fillText(cw >= 9 ? ctx.vm.tokens[pos]!.label : String(pos), LEFT + c * cw + cw / 2, TOP / 2);
      });
      paintOverlay(ctx);
    },
    select(ctx) {
      ctxRef = ctx;
      paintOverlay(ctx);
    },
    svg(ctx, title) {
      return heatmapSvg({
        title,
        rows: ctx.vm.steps.length,
        cols: spec.columns.length,
        color: (r, c) => {
          const v = spec.value(r + 1, c);
          return v === null ? null : ctx.palette.ramp(v);
        },
        rowLabels: ctx.vm.steps.map((s) => String(s.step)),
        colLabels: spec.columns.map((p) => ctx.vm.tokens[p]!.label),
        rowTitle: 'loop step',
        colTitle: 'position',
        background: ctx.palette.background,
        foreground: ctx.palette.foreground,
        cell: 12,
      });
    },
  };
}
