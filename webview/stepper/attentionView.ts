// The attention viewer: every head of the chosen layer at the selected step as small multiples
// (rows are queries, columns keys, causal mask shaded), with token labels on both axes; a token
// ruler to hover a query or a key and see it highlighted in every head at once with each head's
// weight; a colour scale choice (linear, log, row-normalised) with its legend; a head's RASP-L
// selector label only where it beats the uniform baseline (core/view/headLabels.ts); sorting and
// filtering by that score; and one head enlarged beside the grid (attentionDetail.ts). Cells are
// painted from a colour lookup table into ImageData (attentionPaint.ts), so a step redraws all heads
// in a few milliseconds even for 16 heads x 54 positions. Ideas from CircuitsVis and BertViz.
import '@vscode-elements/elements/dist/vscode-single-select/index.js';
import '@vscode-elements/elements/dist/vscode-option/index.js';
import { axisBottom, scaleLinear, select } from 'd3';
import type { AttentionScale, HeadLabelView } from '../../src/protocol/stepper';
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { exportBar } from '../shared/exportBar';
import { svgPngBase64 } from '../charts/exportImage';
import { pixelRatio, sizeCanvas } from '../shared/pixelRatio';
import { fmt, setText } from './parts';
import { DEFAULT_SCALE, maskedColour, paint, SCALE_TEXT, tickEvery, tokenName, type Hover } from './attentionPaint';
import { combine, headSvgPart } from './attentionSvg';
import { createDetail } from './attentionDetail';

interface Card {
  head: number;
  fig: HTMLElement;
  /** The token labels on both axes, in the theme's colours. */
  labels: HTMLCanvasElement;
  cells: HTMLCanvasElement;
  overlay: HTMLCanvasElement;
  label: HTMLElement;
  readout: HTMLElement;
}

export function createAttentionView(parent: HTMLElement, first: Ctx): View {
  let ctx = first;
  const caption = el('p', { class: 'st-caption' });
  const legend = el('span', { class: 'st-legend-scale' });
  const scaleSelect = el('vscode-single-select', { attrs: { 'aria-label': 'Colour scale', id: 'st-scale' } }) as HTMLElement & { value: string };
  for (const s of ['linear', 'log', 'row'] as AttentionScale[]) scaleSelect.append(el('vscode-option', { text: SCALE_TEXT[s], attrs: { value: s } }));
  scaleSelect.addEventListener('change', () => ctx.actions.patchUi({ scale: scaleSelect.value as AttentionScale }));
  const hasCompare = (first.vm.compare?.headLabels.length ?? 0) > 0;
  const sortSelect = el('vscode-single-select', { attrs: { 'aria-label': 'Order of heads', id: 'st-sort' } }) as HTMLElement & { value: string };
  sortSelect.append(el('vscode-option', { text: 'head number', attrs: { value: 'index' } }), el('vscode-option', { text: 'score over the baseline', attrs: { value: 'score' } }));
  sortSelect.addEventListener('change', () => ctx.actions.patchUi({ sortHeads: sortSelect.value as 'index' | 'score' }));
  const matched = el('input', { attrs: { type: 'checkbox', id: 'st-matched' } });
  matched.addEventListener('change', () => ctx.actions.patchUi({ matchedOnly: matched.checked }));
  let hoverMode: 'query' | 'key' = 'query';
  const modeButtons = (['query', 'key'] as const).map((m) => {
    const b = el('button', { class: `st-seg${m === hoverMode ? ' on' : ''}`, text: m === 'query' ? 'as queries' : 'as keys', attrs: { type: 'button', 'aria-pressed': m === hoverMode } });
    b.addEventListener('click', () => {
      hoverMode = m;
      modeButtons.forEach((x, i) => {
        const on = (['query', 'key'] as const)[i] === m;
        x.classList.toggle('on', on);
        x.setAttribute('aria-pressed', String(on));
      });
    });
    return b;
  });
  const toolbar = el(
    'div',
    { class: 'st-att-toolbar' },
    el('label', { class: 'st-tool' }, 'Colour', scaleSelect),
    legend,
    hasCompare ? el('label', { class: 'st-tool' }, 'Order', sortSelect) : null,
    hasCompare ? el('label', { class: 'st-tool st-check' }, matched, 'only heads that beat the uniform baseline') : null,
    el('span', { class: 'st-tool' }, 'Hover tokens', el('span', { class: 'st-segs' }, ...modeButtons)),
  );
  const ruler = el('div', { class: 'st-ruler', attrs: { 'aria-label': 'Tokens: hover one to highlight it in every head' } });
  const grid = el('div', { class: 'st-heads' });
  const detail = el('div', { class: 'st-detail', attrs: { tabindex: 0, 'aria-label': 'Enlarged head: + and − zoom, arrows pan, 0 resets, [ and ] change head, Escape closes' } });
  detail.hidden = true;
  const body = el('div', { class: 'st-att-body' }, grid, detail);
  const exports = exportBar([
    { label: 'CSV', title: 'This layer’s attention at this step as CSV (head, query, key, weight)', run: () => ctx.actions.exportData('attention', 'csv') },
    { label: 'JSON', title: 'The same as JSON records', run: () => ctx.actions.exportData('attention', 'json') },
    { label: 'PNG', title: 'The maps as a PNG image', run: async () => ctx.actions.exportImage(`${ctx.vm.task.name}-attention-step${ctx.ui.step}-layer${ctx.ui.layer + 1}`, 'png', await gridPng()) },
    { label: 'SVG', title: 'The maps as an SVG image', run: () => ctx.actions.exportImage(`${ctx.vm.task.name}-attention-step${ctx.ui.step}-layer${ctx.ui.layer + 1}`, 'svg', gridSvg()) },
  ]);
  const card = el('section', { class: 'st-card st-attention', attrs: { 'aria-label': 'Attention per head' } }, el('div', { class: 'card-head' }, el('h2', { text: 'Attention per head' }), exports), caption, toolbar, ruler, body);
  parent.append(card);

  const W = first.vm.attention.width;
  const H = first.vm.attention.heads;
  let cards: Card[] = [];
  let layoutKey = '';
  let cell = 2;
  let margin = 0;
  let every = 1;
  /** The palette the axis labels were painted with: a new one (the theme changed) repaints them. */
  let labelsPalette: Ctx['palette'] | null = null;
  let hover: Hover = { q: null, k: null };
  let data: Float32Array | undefined;
  const img = new ImageData(W, W);
  const scratch = el('canvas');
  scratch.width = W;
  scratch.height = W;
  const scratchCtx = scratch.getContext('2d')!;
  const chips: HTMLElement[] = [];

  // The token ruler: one chip per position; hover highlights it as a query or a key everywhere.
  first.vm.tokens.forEach((t, i) => {
    const chip = el('span', { class: `st-chip-tok${t.scored ? ' scored' : ''}`, text: t.label, title: `position ${i}${t.scored ? ` · answer, target ${t.target ?? '?'}` : ''}` });
    chip.addEventListener('mouseenter', () => setHover(hoverMode === 'query' ? { q: i, k: null } : { q: null, k: i }));
    chip.addEventListener('mouseleave', () => setHover({ q: null, k: null }));
    chips.push(chip);
  });
  ruler.append(el('span', { class: 'st-ruler-label', text: 'tokens' }), ...chips);

  const labelOf = (c: Ctx, h: number): HeadLabelView | undefined => c.vm.compare?.headLabels.find((l) => l.layer === c.ui.layer && l.head === h);
  const stepLabel = (c: Ctx, h: number) => labelOf(c, h)?.perStep[c.ui.step - 1] ?? null;

  function order(c: Ctx): number[] {
    let heads = Array.from({ length: H }, (_, h) => h);
    if (c.ui.matchedOnly && hasCompare) heads = heads.filter((h) => labelOf(c, h)?.perStep.some((x) => x !== null));
    if (c.ui.sortHeads === 'score' && hasCompare) heads.sort((a, b) => (labelOf(c, b)?.score ?? -Infinity) - (labelOf(c, a)?.score ?? -Infinity) || a - b);
    return heads;
  }

  function mapSize(c: Ctx): number {
    const compact = c.ui.compact === true;
    const target = compact ? (H > 8 ? 96 : 130) : H > 8 ? 150 : H > 4 ? 190 : 240;
    return Math.max(Math.min(target, W * 16), Math.min(W * 2, 60));
  }

  /** Rebuilds the cards when the layout changes (layer, order, filter, size, pixel ratio); else keeps them. */
  function layout(c: Ctx): void {
    const heads = order(c);
    const size = mapSize(c);
    const key = `${c.ui.layer}|${heads.join(',')}|${size}|${c.ui.enlargedHead ?? ''}|${c.ui.focusHead ?? ''}|${pixelRatio()}`;
    if (key === layoutKey) return;
    layoutKey = key;
    cell = size / W;
    margin = cell >= 9 ? 16 : 14;
    every = tickEvery(cell);
    labelsPalette = c.palette;
    drawn.clear();
    cards = heads.map((h) => {
      const labels = el('canvas', { class: 'st-map-labels' });
      const cells = el('canvas', { class: 'st-heatmap' });
      const overlay = el('canvas', { class: 'st-map-overlay' });
      const full = margin + size;
      sizeCanvas(labels, full, full);
      for (const cv of [cells, overlay]) {
        sizeCanvas(cv, size, size);
        cv.style.left = `${margin}px`;
        cv.style.top = `${margin}px`;
      }
      drawLabels(labels, c);
      const label = el('span', { class: 'st-head-match' });
      const readout = el('div', { class: 'st-readout', text: ' ' });
      const fig = el(
        'figure',
        { class: `st-head${c.ui.focusHead === h ? ' focused' : ''}${c.ui.enlargedHead === h ? ' enlarged' : ''}`, attrs: { tabindex: 0, 'data-head': h, 'aria-label': `Head ${h + 1}: Enter enlarges it` } },
        el('figcaption', {}, el('span', { class: 'st-head-name', text: `head ${h + 1}` }), label),
        el('div', { class: 'st-map' }, labels, cells, overlay),
        readout,
      );
      fig.style.width = `${Math.max(96, full)}px`;
      const enlarge = () => c.actions.patchUi({ enlargedHead: ctx.ui.enlargedHead === h ? null : h });
      fig.addEventListener('click', enlarge);
      fig.addEventListener('keydown', (e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          enlarge();
        }
      });
      overlay.addEventListener('mousemove', (ev) => {
        const r = overlay.getBoundingClientRect();
        const k = Math.floor((ev.clientX - r.left) / cell);
        const q = Math.floor((ev.clientY - r.top) / cell);
        if (q < 0 || k < 0 || q >= W || k >= W) return;
        setHover({ q, k });
        const a = data ? data[(h * W + q) * W + k]! : NaN;
        ctx.tooltip.show(ev, [`head ${h + 1} · query ${tokenName(ctx.vm, q)} → key ${tokenName(ctx.vm, k)}`, k > q ? 'masked (causal)' : `attention ${fmt.p3(a)}`]);
      });
      overlay.addEventListener('mouseleave', () => {
        ctx.tooltip.hide();
        setHover({ q: null, k: null });
      });
      return { head: h, fig, labels, cells, overlay, label, readout };
    });
    if (cards.length === 0) grid.replaceChildren(el('p', { class: 'muted', text: 'No head of this layer beats the uniform baseline of any selector: clear the filter to see them all.' }));
    else grid.replaceChildren(...cards.map((k) => k.fig));
  }

  /** Paints a map's token labels (again: the canvas is cleared first) in the current palette. */
  function drawLabels(cv: HTMLCanvasElement, c: Ctx): void {
    const g = cv.getContext('2d')!;
    const full = margin + W * cell;
    const dpr = cv.width / full;
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, full, full);
    g.fillStyle = c.palette.muted;
    g.font = `${Math.max(8, Math.min(11, cell))}px ${c.palette.monoFont}`;
    g.textBaseline = 'middle';
    const answer = c.vm.tokens.findIndex((t) => t.scored);
    c.vm.tokens.forEach((t, i) => {
      const show = every === 1 || i % every === 0 || i === answer;
      if (!show) return;
      const text = every === 1 ? t.label : i === answer ? '=' : String(i);
      const mid = margin + i * cell + cell / 2;
      g.textAlign = 'center';
      g.fillText(text, mid, margin / 2);
      g.textAlign = 'right';
      g.fillText(text, margin - 2, mid);
    });
  }

  /** Paints every card's cells for the current step/layer. */
  function paintCells(c: Ctx): void {
    if (!data) return;
    const masked = maskedColour(c.palette);
    const scale = c.ui.scale ?? DEFAULT_SCALE;
    for (const card of cards) {
      paint(img.data, data, card.head * W * W, W, scale, c.palette.lut, masked);
      scratchCtx.putImageData(img, 0, 0);
      const g = card.cells.getContext('2d')!;
      g.imageSmoothingEnabled = false;
      g.drawImage(scratch, 0, 0, card.cells.width, card.cells.height);
      const lab = stepLabel(c, card.head);
      const sel = lab ? c.vm.program?.selectors[lab.selector]?.name : null;
      const text = lab && sel ? `≈ ${sel} ${fmt.p2(lab.similarity)}` : '';
      setText(card.label, text);
      const title = lab && sel ? `beats the uniform baseline (${fmt.p2(lab.baseline)}) of selector ${sel} at step ${c.ui.step}: similarity ${fmt.p3(lab.similarity)}` : '';
      if (card.label.title !== title) card.label.title = title;
    }
  }

  /** Cards whose overlay shows something (the rest are left alone: no repaint while stepping without a hover). */
  const drawn = new Set<Card>();
  function paintOverlay(card: Card): void {
    const { q, k } = hover;
    if (q === null && k === null && !drawn.has(card)) return;
    const g = card.overlay.getContext('2d')!;
    const dpr = card.overlay.width / (W * cell);
    g.setTransform(dpr, 0, 0, dpr, 0, 0);
    g.clearRect(0, 0, W * cell, W * cell);
    if (q === null && k === null) {
      drawn.delete(card);
      card.readout.textContent = ' ';
      return;
    }
    drawn.add(card);
    g.strokeStyle = ctx.palette.foreground;
    g.lineWidth = 1;
    g.fillStyle = ctx.palette.foreground;
    g.globalAlpha = 0.12;
    if (q !== null) g.fillRect(0, q * cell, W * cell, cell);
    if (k !== null) g.fillRect(k * cell, 0, cell, W * cell);
    g.globalAlpha = 1;
    if (q !== null) g.strokeRect(0.5, q * cell + 0.5, W * cell - 1, Math.max(1, cell - 1));
    if (k !== null) g.strokeRect(k * cell + 0.5, 0.5, Math.max(1, cell - 1), W * cell - 1);
    if (q !== null && k !== null) {
      g.strokeStyle = ctx.palette.warn;
      g.lineWidth = 2;
      g.strokeRect(k * cell, q * cell, Math.max(2, cell), Math.max(2, cell));
    }
    if (!data) return;
    const off = card.head * W * W;
    if (q !== null && k !== null) card.readout.textContent = k > q ? `q${q}→k${k}: masked` : `q${q}→k${k}: ${fmt.p3(data[off + q * W + k]!)}`;
    else if (q !== null) {
      let best = 0;
      for (let j = 1; j <= q; j++) if (data[off + q * W + j]! > data[off + q * W + best]!) best = j;
      card.readout.textContent = `q${q} → k${best} (${ctx.vm.tokens[best]!.label}) ${fmt.p2(data[off + q * W + best]!)}`;
    } else if (k !== null) {
      let best = k;
      let sum = 0;
      for (let i = k; i < W; i++) {
        sum += data[off + i * W + k]!;
        if (data[off + i * W + k]! > data[off + best * W + k]!) best = i;
      }
      card.readout.textContent = `k${k} ← q${best} ${fmt.p2(data[off + best * W + k]!)}, mean ${fmt.p2(sum / (W - k))}`;
    }
  }

  /** The ruler's chips shaded by the weights of the hovered query in the enlarged (else focused, else first shown) head. */
  let rulerShaded = false;
  function paintRuler(): void {
    if (hover.q === null && hover.k === null && !rulerShaded) return;
    rulerShaded = hover.q !== null || hover.k !== null;
    const h = ctx.ui.enlargedHead ?? ctx.ui.focusHead ?? cards[0]?.head ?? 0;
    chips.forEach((chip, i) => {
      chip.classList.toggle('hovered', hover.q === i || hover.k === i);
      let w: number | null = null;
      if (data && hover.q !== null && hover.k === null && i <= hover.q) w = data[(h * W + hover.q) * W + i]!;
      if (data && hover.k !== null && hover.q === null && i >= hover.k) w = data[(h * W + i) * W + hover.k]!;
      chip.style.background = w === null ? '' : ctx.palette.ramp(w);
      chip.style.color = w === null ? '' : ctx.palette.heatText(w);
      chip.title = `position ${i}${ctx.vm.tokens[i]!.scored ? ` · answer, target ${ctx.vm.tokens[i]!.target ?? '?'}` : ''}${w !== null ? ` · head ${h + 1}: ${fmt.p3(w)}` : ''}`;
    });
  }

  function setHover(next: Hover): void {
    if (next.q === hover.q && next.k === hover.k) return;
    hover = next;
    cards.forEach(paintOverlay);
    paintRuler();
    enlargedView.hover();
  }

  function drawLegend(c: Ctx): void {
    const scale = c.ui.scale ?? DEFAULT_SCALE;
    const w = 140;
    legend.replaceChildren();
    const svg = select(legend).append('svg').attr('width', w + 16).attr('height', 30).attr('class', 'st-legend-svg').attr('role', 'img').attr('aria-label', `colour scale: ${SCALE_TEXT[scale]}`);
    const n = 32;
    for (let i = 0; i < n; i++) svg.append('rect').attr('x', 8 + (i * w) / n).attr('y', 2).attr('width', w / n + 0.5).attr('height', 10).attr('fill', c.palette.ramp(i / (n - 1)));
    const x = scaleLinear().domain([0, 1]).range([8, 8 + w]);
    const ticks = scale === 'log' ? [0, 1 / 3, 2 / 3, 1] : [0, 0.5, 1];
    const text = (v: number) => (scale === 'log' ? ['10⁻³', '10⁻²', '0.1', '1'][Math.round(v * 3)]! : scale === 'row' ? (v === 1 ? 'row max' : String(v)) : String(v));
    svg.append('g').attr('class', 'st-axis').attr('transform', 'translate(0,13)').call(axisBottom(x).tickValues(ticks).tickFormat((v) => text(Number(v))).tickSize(3));
  }

  // One head enlarged: axes with every token, zoom and pan.
  const enlargedView = createDetail(detail, () => ctx, () => data, (next) => setHover(next), () => hover);

  function gridSvg(): string {
    const c = ctx;
    const scale = c.ui.scale ?? DEFAULT_SCALE;
    const parts = cards.map((card) => headSvgPart(c, card.head, data));
    return combine(parts, c.palette.background, `${c.vm.title} · layer ${c.ui.layer + 1}, step ${c.ui.step} · ${SCALE_TEXT[scale]}`, c.palette.foreground);
  }

  async function gridPng(): Promise<string> {
    const svg = gridSvg();
    const m = /width="(\d+(?:\.\d+)?)" height="(\d+(?:\.\d+)?)"/.exec(svg)!;
    return svgPngBase64(svg, Number(m[1]), Number(m[2]));
  }

  let legendFor = '';
  return {
    element: card,
    update(c) {
      ctx = c;
      const { layers } = c.vm.attention;
      const scale = c.ui.scale ?? DEFAULT_SCALE;
      // a select re-renders its shadow DOM on every write: write only what changed
      if (scaleSelect.value !== scale) scaleSelect.value = scale;
      const sort = c.ui.sortHeads ?? 'index';
      if (sortSelect.value !== sort) sortSelect.value = sort;
      matched.checked = c.ui.matchedOnly === true;
      setText(
        caption,
        `Layer ${c.ui.layer + 1} of ${layers}, step ${c.ui.step}: rows are queries, columns keys (causal: the upper triangle is masked). ` +
          (hasCompare ? 'A label names the RASP-L selector a head resembles at this step, only where it beats that selector’s uniform-attention baseline. ' : '') +
          'Click a head (or press Enter on it) to enlarge it; hover a map or a token to highlight that query or key in every head.',
      );
      data = c.attention.get(c.ui.step, c.ui.layer);
      c.attention.prefetch(c.ui.step, c.ui.layer);
      layout(c);
      // the cards outlive a theme change (same layout): their labels take its colours like the rest
      if (labelsPalette !== c.palette) {
        labelsPalette = c.palette;
        for (const k of cards) drawLabels(k.labels, c);
      }
      const legendKey = `${scale}|${c.layout}`;
      if (legendKey !== legendFor) {
        legendFor = legendKey;
        drawLegend(c);
      }
      if (!data) {
        grid.classList.add('loading');
        return;
      }
      grid.classList.remove('loading');
      paintCells(c);
      cards.forEach(paintOverlay);
      paintRuler();
      enlargedView.update();
    },
  };
}
