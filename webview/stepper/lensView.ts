// The logit lens per iteration: for every answer position (columns) and loop step (rows) the
// probability the read-out gives the target token (core/view/lens.ts), the top tokens on hover,
// and a dot where each position settles (right from that step up to T(n)). "When does each answer
// digit settle" is one look; click a row to go to that step.
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { exportBar } from '../shared/exportBar';
import { svgTextPngBase64 } from '../charts/exportImage';
import { fmt } from './parts';
import { createTraceGrid } from './traceGrid';
import { gradientLegend } from '../charts/gradientLegend';

export function createLensView(parent: HTMLElement, first: Ctx): View {
  let ctx = first;
  const vm = first.vm;
  const columns = vm.tokens.filter((t) => t.scored).map((t) => t.position);
  const sym = (id: number) => ctx.vm.model.symbols[id] ?? `<${id}>`;
  const grid = createTraceGrid({
    columns,
    ariaLabel: 'Probability of the target token per answer position and loop step',
    maxHeight: 300,
    minCell: 6,
    value: (t, c) => ctx.vm.lens.targetProb[t - 1]![columns[c]!] ?? null,
    mark: (c) => ctx.vm.lens.settleStep[columns[c]!] ?? null,
    tooltip: (t, c) => {
      const p = columns[c]!;
      const l = ctx.vm.lens;
      const tok = ctx.vm.tokens[p]!;
      const top = l.topIds[t - 1]![p]!.map((id, i) => `${sym(id)} ${fmt.p3(l.topProbs[t - 1]![p]![i]!)}`).join(' · ');
      const settle = l.settleStep[p];
      return [`step ${t} · position ${p} (target ${tok.target ?? '?'})`, `P(target) = ${fmt.p3(l.targetProb[t - 1]![p] ?? NaN)}`, `top ${l.k}: ${top}`, settle === null ? `not settled by step ${l.settleHorizon}` : `settles at step ${settle}`];
    },
  });
  const summary = el('p', { class: 'st-caption' });
  const name = () => `${ctx.vm.task.name}-logit-lens`;
  const svg = () => grid.svg(ctx, `${ctx.vm.title} · P(target) per answer position and loop step`);
  const exports = exportBar([
    { label: 'CSV', title: 'Target probability and top tokens per step and answer position', run: () => ctx.actions.exportData('lens', 'csv') },
    { label: 'JSON', title: 'The same as JSON records', run: () => ctx.actions.exportData('lens', 'json') },
    { label: 'PNG', title: 'The map as a PNG image', run: async () => ctx.actions.exportImage(name(), 'png', await pngOf(svg())) },
    { label: 'SVG', title: 'The map as an SVG image', run: () => ctx.actions.exportImage(name(), 'svg', svg()) },
  ]);
  const legend = el('div', { class: 'st-legend-row' });
  const card = el(
    'section',
    { class: 'st-card st-lens', attrs: { 'aria-label': 'Logit lens per iteration' } },
    el('div', { class: 'card-head' }, el('h2', { text: 'Logit lens: when each answer position settles' }), exports),
    el('p', { class: 'st-caption', text: 'Rows are loop steps, columns the answer positions (their target above). Colour: the probability the read-out gives the target token after that step; dots: the step from which the position is right up to T(n). Dashed line: T(n); solid: the stop. Hover for the top tokens; click a row to go to that step.' }),
    el('div', { class: 'st-scroll-x' }, grid.element),
    legend,
    summary,
  );
  parent.append(card);
  let drawnFor = -1;
  return {
    element: card,
    update(c) {
      ctx = c;
      if (drawnFor !== c.layout) {
        drawnFor = c.layout;
        grid.draw(c);
        legend.replaceChildren(gradientLegend(c.palette, 'P(target)', [0, 0.5, 1], (v) => String(v)));
        const l = c.vm.lens;
        const settled = columns.filter((p) => l.settleStep[p] !== null);
        const last = settled.reduce<number | null>((a, p) => (a === null || l.settleStep[p]! > l.settleStep[a]! ? p : a), null);
        summary.textContent =
          columns.length === 0
            ? 'No scored position.'
            : `${settled.length} of ${columns.length} answer positions are right from some step up to T(n) = ${l.settleHorizon}` +
              (last !== null ? `; the last to settle is position ${last} at step ${l.settleStep[last]}.` : '.');
      } else grid.select(c);
    },
  };
}

/** An SVG document as PNG (base64), at its size. */
export const pngOf = svgTextPngBase64;
