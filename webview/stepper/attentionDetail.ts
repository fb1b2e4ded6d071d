// The attention viewer's enlarged head: one head's map beside the grid, a canvas of cells under an SVG
// with token axes, zoomed and panned with d3-zoom (mouse or keyboard), with a read-out of the hovered
// cell, the head's RASP-L selector label and its own PNG/SVG export.
import { axisBottom, axisLeft, scaleLinear, select, zoom, zoomIdentity, type ZoomBehavior, type ZoomTransform } from 'd3';
import type { Ctx } from './context';
import { el } from '../shared/dom';
import { exportBar } from '../shared/exportBar';
import { canvasPngBase64 } from '../charts/exportImage';
import { pixelRatio, sizeCanvas } from '../shared/pixelRatio';
import { fmt } from './parts';
import { DEFAULT_SCALE, maskedColour, paint, tickEvery, tokenName, type Hover } from './attentionPaint';
import { headSvgPart } from './attentionSvg';

export interface DetailView {
  update(): void;
  hover(): void;
}

/** The enlarged head: a canvas of cells under an SVG with token axes; d3-zoom pans and zooms both. */
export function createDetail(box: HTMLElement, getCtx: () => Ctx, getData: () => Float32Array | undefined, setHover: (h: Hover) => void, getHover: () => Hover): DetailView {
  const M = { top: 8, right: 8, bottom: 54, left: 54 };
  let head: number | null = null;
  let transform: ZoomTransform = zoomIdentity;
  let side = 400;
  let dpr = 1; // the ratio the canvas was sized at by build()
  const title = el('strong', { class: 'st-detail-title' });
  const label = el('span', { class: 'st-head-match' });
  const btn = (text: string, t: string, f: () => void) => {
    const b = el('button', { class: 'st-icon', text, title: t, attrs: { type: 'button', 'aria-label': t } });
    b.addEventListener('click', (e) => {
      e.stopPropagation();
      f();
    });
    return b;
  };
  const stage = el('div', { class: 'st-detail-stage' });
  const canvas = el('canvas', { class: 'st-detail-cells' });
  stage.append(canvas);
  const svgSel = select(stage).append('svg').attr('class', 'st-detail-svg');
  const readout = el('p', { class: 'st-readout' });
  let zoomer: ZoomBehavior<SVGSVGElement, unknown> | null = null;
  const img = { data: null as ImageData | null, canvas: el('canvas') };
  const step = (dh: number) => {
    const c = getCtx();
    if (head === null) return;
    const H = c.vm.attention.heads;
    c.actions.patchUi({ enlargedHead: (head + dh + H) % H });
  };
  const exportName = () => `${getCtx().vm.task.name}-attention-step${getCtx().ui.step}-layer${getCtx().ui.layer + 1}-head${(head ?? 0) + 1}`;
  const exports = exportBar([
    { label: 'PNG', title: 'This head as a PNG image (what is in view)', run: () => getCtx().actions.exportImage(exportName(), 'png', canvasPngBase64(canvas)) },
    { label: 'SVG', title: 'This head as an SVG image (all cells, with token labels)', run: () => getCtx().actions.exportImage(exportName(), 'svg', headSvg()) },
  ]);
  box.append(
    el(
      'div',
      { class: 'st-detail-head' },
      el('div', {}, title, ' ', label),
      el('span', { class: 'st-detail-tools' }, btn('‹', 'Previous head ([)', () => step(-1)), btn('›', 'Next head (])', () => step(1)), btn('+', 'Zoom in (+)', () => zoomBy(1.5)), btn('−', 'Zoom out (−)', () => zoomBy(1 / 1.5)), btn('⟲', 'Reset zoom (0)', () => reset()), btn('×', 'Close (Escape)', () => getCtx().actions.patchUi({ enlargedHead: null }))),
    ),
    stage,
    readout,
    exports,
  );

  function headSvg(): string {
    const c = getCtx();
    return headSvgPart(c, head ?? 0, getData()).svg;
  }

  function zoomBy(f: number): void {
    if (zoomer) svgSel.call(zoomer.scaleBy, f);
  }
  function reset(): void {
    if (zoomer) svgSel.call(zoomer.transform, zoomIdentity);
  }

  box.addEventListener('keydown', (e) => {
    const pan = 40;
    const keys: Record<string, () => void> = {
      '+': () => zoomBy(1.5),
      '=': () => zoomBy(1.5),
      '-': () => zoomBy(1 / 1.5),
      '0': () => reset(),
      ArrowLeft: () => zoomer && svgSel.call(zoomer.translateBy, pan / transform.k, 0),
      ArrowRight: () => zoomer && svgSel.call(zoomer.translateBy, -pan / transform.k, 0),
      ArrowUp: () => zoomer && svgSel.call(zoomer.translateBy, 0, pan / transform.k),
      ArrowDown: () => zoomer && svgSel.call(zoomer.translateBy, 0, -pan / transform.k),
      '[': () => step(-1),
      ']': () => step(1),
      Escape: () => getCtx().actions.patchUi({ enlargedHead: null }),
    };
    const f = keys[e.key];
    if (!f) return;
    e.preventDefault();
    e.stopPropagation(); // the step keys (←/→) belong to the map while it has focus
    f();
  });

  function paintImage(): void {
    const c = getCtx();
    const data = getData();
    const W = c.vm.attention.width;
    if (!data || head === null) return;
    if (!img.data || img.data.width !== W) {
      img.data = new ImageData(W, W);
      img.canvas.width = W;
      img.canvas.height = W;
    }
    const scale = c.ui.scale ?? DEFAULT_SCALE;
    paint(img.data.data, data, head * W * W, W, scale, c.palette.lut, maskedColour(c.palette));
    img.canvas.getContext('2d')!.putImageData(img.data, 0, 0);
  }

  function render(): void {
    const c = getCtx();
    const W = c.vm.attention.width;
    const inner = side - M.left - M.right;
    const g = canvas.getContext('2d')!;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, side, side);
    g.save();
    g.beginPath();
    g.rect(M.left, M.top, inner, inner);
    g.clip();
    g.translate(M.left + transform.x, M.top + transform.y);
    g.scale(transform.k, transform.k);
    g.imageSmoothingEnabled = false;
    g.drawImage(img.canvas, 0, 0, inner, inner);
    const cellPx = inner / W;
    const { q, k } = getHover();
    g.lineWidth = 1 / transform.k;
    g.strokeStyle = c.palette.foreground;
    if (q !== null) g.strokeRect(0, q * cellPx, inner, cellPx);
    if (k !== null) g.strokeRect(k * cellPx, 0, cellPx, inner);
    if (q !== null && k !== null) {
      g.strokeStyle = c.palette.warn;
      g.lineWidth = 2 / transform.k;
      g.strokeRect(k * cellPx, q * cellPx, cellPx, cellPx);
    }
    g.restore();
    // axes: positions under the zoom, labelled with tokens where there is room
    const x = scaleLinear().domain([0, W]).range([M.left + transform.x, M.left + transform.x + inner * transform.k]);
    const y = scaleLinear().domain([0, W]).range([M.top + transform.y, M.top + transform.y + inner * transform.k]);
    const every = tickEvery(cellPx * transform.k);
    const visible = (s: typeof x, lo: number, hi: number) => Array.from({ length: W }, (_, i) => i).filter((i) => i % every === 0 && s(i + 0.5) >= lo && s(i + 0.5) <= hi).map((i) => i + 0.5);
    const name = (v: number) => {
      const i = Math.floor(v);
      return every === 1 ? c.vm.tokens[i]!.label : `${i}`;
    };
    svgSel.select<SVGGElement>('g.x').attr('transform', `translate(0,${M.top + inner})`).call(axisBottom(x).tickValues(visible(x, M.left, M.left + inner)).tickFormat((v) => name(Number(v))).tickSize(3));
    svgSel.select<SVGGElement>('g.y').attr('transform', `translate(${M.left},0)`).call(axisLeft(y).tickValues(visible(y, M.top, M.top + inner)).tickFormat((v) => name(Number(v))).tickSize(3));
  }

  function build(): void {
    const c = getCtx();
    side = Math.max(260, Math.min(520, box.clientWidth - 4));
    dpr = sizeCanvas(canvas, side, side);
    const inner = side - M.left - M.right;
    svgSel.attr('width', side).attr('height', side).selectAll('*').remove();
    svgSel.append('g').attr('class', 'st-axis x');
    svgSel.append('g').attr('class', 'st-axis y');
    svgSel.append('text').attr('class', 'st-axis-title').attr('x', M.left + inner / 2).attr('y', side - 6).attr('text-anchor', 'middle').text('key');
    svgSel.append('text').attr('class', 'st-axis-title').attr('transform', `translate(12,${M.top + inner / 2}) rotate(-90)`).attr('text-anchor', 'middle').text('query');
    const hit = svgSel.append('rect').attr('class', 'st-detail-hit').attr('x', M.left).attr('y', M.top).attr('width', inner).attr('height', inner);
    zoomer = zoom<SVGSVGElement, unknown>()
      .scaleExtent([1, Math.max(2, c.vm.attention.width / 4)])
      .translateExtent([[0, 0], [inner, inner]])
      .extent([[0, 0], [inner, inner]])
      .on('zoom', (ev: { transform: ZoomTransform }) => {
        transform = ev.transform;
        render();
      });
    svgSel.call(zoomer).on('dblclick.zoom', null);
    svgSel.call(zoomer.transform, transform);
    hit.on('mousemove', (ev: MouseEvent) => {
      const W = getCtx().vm.attention.width;
      const r = (hit.node() as SVGRectElement).getBoundingClientRect();
      const cellPx = (inner * transform.k) / W;
      const k = Math.floor((ev.clientX - r.left - transform.x) / cellPx);
      const q = Math.floor((ev.clientY - r.top - transform.y) / cellPx);
      if (q < 0 || k < 0 || q >= W || k >= W || head === null) return;
      setHover({ q, k });
      const data = getData();
      const a = data ? data[(head * W + q) * W + k]! : NaN;
      getCtx().tooltip.show(ev, [`head ${head + 1} · query ${tokenName(getCtx().vm, q)} → key ${tokenName(getCtx().vm, k)}`, k > q ? 'masked (causal)' : `attention ${fmt.p3(a)}`]);
    });
    hit.on('mouseleave', () => {
      getCtx().tooltip.hide();
      setHover({ q: null, k: null });
    });
  }

  let builtFor = '';
  return {
    update() {
      const c = getCtx();
      const next = c.ui.enlargedHead ?? null;
      box.hidden = next === null;
      box.parentElement?.classList.toggle('with-detail', next !== null);
      if (next === null) {
        head = null;
        return;
      }
      if (next !== head) transform = zoomIdentity;
      head = next;
      const key = `${c.vm.attention.width}|${box.clientWidth}|${pixelRatio()}`;
      if (key !== builtFor) {
        builtFor = key;
        build();
      }
      const lab = c.vm.compare?.headLabels.find((l) => l.layer === c.ui.layer && l.head === head)?.perStep[c.ui.step - 1] ?? null;
      const sel = lab ? c.vm.program?.selectors[lab.selector]?.name : null;
      title.textContent = `Layer ${c.ui.layer + 1} · head ${head + 1} · step ${c.ui.step}`;
      label.textContent = lab && sel ? `≈ ${sel} ${fmt.p2(lab.similarity)} (baseline ${fmt.p2(lab.baseline)})` : '';
      paintImage();
      render();
      this.hover();
    },
    hover() {
      if (head === null) return;
      const { q, k } = getHover();
      const data = getData();
      const c = getCtx();
      const W = c.vm.attention.width;
      if (data && q !== null && k !== null) readout.textContent = `query ${tokenName(c.vm, q)} → key ${tokenName(c.vm, k)}: ${k > q ? 'masked' : fmt.p3(data[(head * W + q) * W + k]!)}`;
      else readout.textContent = 'Scroll or +/− to zoom, drag or arrows to pan.';
      render();
    },
  };
}
