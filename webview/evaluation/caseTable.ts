// The case split's card under the charts (heat tables): one row per test length, one column per
// case label; each cell's tint runs from red (0%) to green (100%) by the oracle's accuracy so the
// case a model fails on stands out, and its text gives the oracle's and the paper rule's accuracy
// and how many inputs had that case (its tooltip adds the per-example rule). With an overlay, the
// overlaid model's table follows the first's, each captioned with its model. Hidden for a task
// without a split. Layout: caseGrid.ts; styles: media/panels.css (.pn-cases).
import type { EvaluationViewState } from '../../src/protocol/evaluation';
import { el } from '../shared/dom';
import { card } from '../shared/panelParts';
import { caseGrid, overlayCaseGrid, type CaseCell, type CaseGrid } from './caseGrid';
import { accuracyClass } from '../shared/accuracy';

function heatCell(c: CaseCell): HTMLElement {
  const td = el('td', { class: `case-cell ${c.accuracy === null ? 'empty' : accuracyClass(c.accuracy)}`, title: c.title }, el('span', { class: 'case-acc', text: c.text }), el('span', { class: 'case-n', text: c.detail }));
  if (c.accuracy !== null) td.style.setProperty('--heat', `${Math.round(100 * c.accuracy)}%`);
  return td;
}

/** One model's heat table; `caption` names the model when there are two. */
function heatTable(g: CaseGrid, lengthLabel: string, id: string, caption: boolean): HTMLElement {
  const head = el('tr', {}, el('th', { text: lengthLabel, attrs: { scope: 'col' } }), ...g.labels.map((l) => el('th', { text: l, attrs: { scope: 'col' } })));
  const body = g.rows.map((r) =>
    el(
      'tr',
      { class: r.trained ? 'trained' : '' },
      el('th', { text: String(r.length), attrs: { scope: 'row' } }),
      ...(r.pending === null ? r.cells.map(heatCell) : [el('td', { class: 'pending', text: r.pending, attrs: { colspan: g.labels.length } })]),
    ),
  );
  return el(
    'table',
    { class: 'pn-table pn-cases', attrs: { id, 'aria-label': `${g.heading} · ${g.modelName}` } },
    ...(caption ? [el('caption', { text: g.modelName })] : []),
    el('thead', {}, head),
    el('tbody', {}, ...body),
  );
}

/**
 * A slot for the card: `decorate` adds its export links once; `show` redraws it from a state. For
 * a state without a split the card leaves the page (not just hidden), so its links never come
 * before the results' ones in the page's order.
 */
export function caseView(decorate: (card: HTMLElement) => HTMLElement): { element: HTMLElement; show(s: EvaluationViewState): void } {
  const slot = el('div');
  const box = el('div', { class: 'pn-table-box' });
  const section = card(
    'Exact match by case',
    'Each cell: exact match of the test inputs of that length in that case at T(n) (the oracle) / at the step the paper’s rule picks for the whole length, and how many inputs there were; the colour follows the oracle. Hover a cell for the counts and the per-example rule. Accuracy per length alone does not show which inputs a model fails on.',
    box,
  );
  section.id = 'eval-cases';
  const heading = section.querySelector('h2')!;
  const decorated = decorate(section);
  return {
    element: slot,
    show(s) {
      const first = caseGrid(s);
      const overlay = overlayCaseGrid(s);
      if (!first && !overlay) {
        slot.replaceChildren();
        return;
      }
      if (slot.firstChild !== decorated) slot.replaceChildren(decorated);
      heading.textContent = (first ?? overlay)!.heading;
      // with an overlay, each table says whose it is (even when only one of them has a split)
      const named = !!s.overlay;
      box.replaceChildren(...(first ? [heatTable(first, s.setup.lengthLabel, 'case-table', named)] : []), ...(overlay ? [heatTable(overlay, s.setup.lengthLabel, 'case-table-overlay', true)] : []));
    },
  };
}
