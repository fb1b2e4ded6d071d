// The comparison cards: head ↔ selector matching (beside the program), and answer agreement
// across steps with the linear probes (below), each with its measure defined in plain words.
import type { Ctx, View } from './context';
import { el } from '../shared/dom';
import { section } from './parts';
import { agreementLegend, drawAgreement } from './agreementChart';
import { drawHeadSelectorTable } from './headSelectorTable';
import { createProbesTable } from './probesTable';

export function createHeadSelectorCard(parent: HTMLElement, ctx: Ctx): View {
  const c = ctx.vm.compare;
  if (!c || c.headMatches.length === 0) return { update() {} };
  const matrix = el('div', { class: 'st-matrix-box' });
  const card = parent.appendChild(
    section(
      'Heads ↔ selectors',
      'st-heads-selectors',
      el('p', { class: 'st-caption', text: 'Mean similarity of each head to each selector over the compared steps (best in bold); click a head to focus it.' }),
      matrix,
      el('p', { class: 'st-def', text: c.similarityDefinition }),
    ),
  );
  let drawnFor = -1;
  let select: (ctx: Ctx) => void = () => {};
  return {
    element: card,
    update(next) {
      if (drawnFor !== next.layout) {
        drawnFor = next.layout;
        select = drawHeadSelectorTable(matrix, next);
      } else select(next);
    },
  };
}

export function createCompareSection(parent: HTMLElement, ctx: Ctx): View {
  if (!ctx.vm.compare) {
    parent.append(section('Learned steps vs program steps', 'st-compare', el('p', { class: 'muted', text: 'Comparisons need the task’s RASP-L program; none is available for this view.' })));
    return { update() {} };
  }
  const c = ctx.vm.compare;
  const chart = el('div', { class: 'st-chart' });
  const probes = el('div');
  const card = parent.appendChild(
    section(
      'Learned steps vs program steps',
      'st-compare',
      el(
        'div',
        { class: 'st-compare-grid' },
        el('div', {}, el('h3', { text: 'Answer agreement per step' }), chart, agreementLegend()),
        el('div', {}, el('h3', { text: 'Linear probes: program variables in the hidden state' }), probes, el('p', { class: 'st-def', text: c.probeDefinition })),
      ),
    ),
  );
  const showProbes = createProbesTable(probes);
  let current = ctx;
  let drawnFor = -1;
  let width = 0;
  let select: (step: number) => void = () => {};
  const resize = new ResizeObserver(() => {
    if (chart.clientWidth === width) return;
    width = chart.clientWidth;
    select = drawAgreement(chart, current);
  });
  resize.observe(chart);
  return {
    element: card,
    update(next) {
      current = next;
      if (drawnFor !== next.layout) {
        drawnFor = next.layout;
        select = drawAgreement(chart, next);
      } else select(next.ui.step);
      showProbes(next); // the probes are per step
    },
    dispose: () => resize.disconnect(),
  };
}
