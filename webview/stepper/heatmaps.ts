// Attention of every head of the chosen layer at the selected step, as small multiples: rows are
// queries, columns keys (causal: the upper triangle is masked). Each head is labelled with the
// RASP-L selector it resembles most at this step. Hover reads a value; click focuses the head.
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { fmt, section } from './parts';

export function createHeatmaps(parent: HTMLElement): View {
  const caption = el('p', { class: 'st-caption' });
  const grid = el('div', { class: 'st-heads' });
  parent.append(section('Attention per head', 'st-attention', caption, grid));
  return {
    update(c) {
      render(grid, caption, c);
    },
  };
}

function cellSize(width: number, heads: number): number {
  // Few heads get large maps; many heads get small multiples that still fit a column.
  const target = heads > 16 ? 84 : heads > 8 ? 110 : heads > 4 ? 150 : 200;
  return Math.max(2, Math.min(16, Math.floor(target / width)));
}

function render(grid: HTMLElement, caption: HTMLElement, ctx: Ctx): void {
  const { vm, ui } = ctx;
  const { heads, width: W, layers } = vm.attention;
  const data = ctx.attention.get(ui.step, ui.layer);
  ctx.attention.prefetch(ui.step, ui.layer);
  caption.textContent = `Layer ${ui.layer + 1} of ${layers}, step ${ui.step}: rows are queries, columns keys; darker = more attention. ` + (vm.compare?.headMatches.length ? 'Labels: the most similar RASP-L selector at this step and its similarity.' : '');
  if (!data) {
    grid.replaceChildren(el('p', { class: 'muted', text: 'Loading attention…' }));
    return;
  }
  const cell = cellSize(W, heads);
  const margin = cell >= 9 ? 14 : 0;
  const cards: HTMLElement[] = [];
  for (let h = 0; h < heads; h++) {
    const match = vm.compare?.headMatches.find((m) => m.layer === ui.layer && m.head === h);
    const atStep = match?.perStep[ui.step - 1];
    const selName = atStep && atStep.selector >= 0 ? vm.program!.selectors[atStep.selector]!.name : null;
    const card = el(
      'figure',
      { class: `st-head${ui.focusHead === h ? ' focused' : ''}`, attrs: { tabindex: 0, 'aria-label': `Head ${h + 1}` } },
      el('figcaption', {}, el('span', { class: 'st-head-name', text: `head ${h + 1}` }), selName ? el('span', { class: 'st-head-match', text: `≈ ${selName} ${fmt.p2(atStep!.similarity)}`, title: `most similar selector at step ${ui.step}: ${selName} (similarity ${fmt.p3(atStep!.similarity)})` }) : null),
      drawHead(ctx, data.subarray(h * W * W, (h + 1) * W * W), W, cell, margin, h),
    );
    card.style.width = `${Math.max(84, margin + W * cell)}px`; // the map sets the card's width; labels ellipsize
    card.addEventListener('click', () => ctx.actions.focusHead(ui.focusHead === h ? null : h));
    card.addEventListener('keydown', (e) => {
      if (e.key === 'Enter') ctx.actions.focusHead(ui.focusHead === h ? null : h);
    });
    cards.push(card);
  }
  grid.replaceChildren(...cards);
}

function drawHead(ctx: Ctx, a: Float32Array, W: number, cell: number, margin: number, head: number): HTMLCanvasElement {
  const { palette: p, vm, tooltip } = ctx;
  const size = margin + W * cell;
  const dpr = window.devicePixelRatio || 1;
  const canvas = el('canvas', { class: 'st-heatmap' });
  canvas.width = Math.round(size * dpr);
  canvas.height = Math.round(size * dpr);
  canvas.style.width = `${size}px`;
  canvas.style.height = `${size}px`;
  const g = canvas.getContext('2d')!;
  g.scale(dpr, dpr);
  for (let q = 0; q < W; q++) {
    for (let k = 0; k < W; k++) {
      g.fillStyle = k > q ? p.grid : p.heat(a[q * W + k]!);
      g.globalAlpha = k > q ? 0.25 : 1;
      g.fillRect(margin + k * cell, margin + q * cell, cell, cell);
    }
  }
  g.globalAlpha = 1;
  if (margin) {
    g.fillStyle = p.muted;
    g.font = `${Math.min(11, cell)}px ${p.monoFont}`;
    g.textAlign = 'center';
    g.textBaseline = 'middle';
    vm.tokens.forEach((t, i) => {
      g.fillText(t.label, margin + i * cell + cell / 2, margin / 2);
      g.fillText(t.label, margin / 2, margin + i * cell + cell / 2);
    });
  }
  canvas.addEventListener('mousemove', (ev) => {
    const r = canvas.getBoundingClientRect();
    const k = Math.floor((ev.clientX - r.left - margin) / cell);
    const q = Math.floor((ev.clientY - r.top - margin) / cell);
    if (q < 0 || k < 0 || q >= W || k >= W) return tooltip.hide();
    const tok = (i: number) => vm.tokens[i]!.label;
    tooltip.show(ev, [`head ${head + 1} · query ${q} (${tok(q)}) → key ${k} (${tok(k)})`, k > q ? 'masked (causal)' : `attention ${fmt.p3(a[q * W + k]!)}`]);
  });
  canvas.addEventListener('mouseleave', () => tooltip.hide());
  return canvas;
}
