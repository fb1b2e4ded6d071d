// The case split's card under the charts (a heat table): one row per test length, one column per
// case label; each cell's tint runs from red (0%) to green (100%) so the case a model fails on
// stands out, and its text gives the accuracy and how many inputs had that case. Hidden for a task
// without a split. Layout: caseGrid.ts; styles: media/panels.css (.pn-cases).
import type { EvaluationViewState } from '../../src/protocol/evaluation';
import { el } from '../shared/dom';
import { card } from '../shared/panelParts';
import { caseGrid, type CaseCell } from './caseGrid';
import { accuracyClass } from './table';

function heatCell(c: CaseCell): HTMLElement {
  const td = el('td', { class: `case-cell ${c.accuracy === null ? 'empty' : accuracyClass(c.accuracy)}`, title: c.title }, el('span', { class: 'case-acc', text: c.text }), el('span', { class: 'case-n', text: c.detail }));
  if (c.accuracy !== null) td.style.setProperty('--heat', `${Math.round(100 * c.accuracy)}%`);
  return td;
}

/**
 * A slot for the card: `decorate` adds its export links once; `show` redraws it from a state. For
 * a state without a split the card leaves the page (not just hidden), so its links never come
 * before the results' ones in the page's order.
 */
export function caseView(decorate: (card: HTMLElement) => HTMLElement): { element: HTMLElement; show(s: EvaluationViewState): void } {
  const slot = el('div');
  const box = el('div', { class: 'pn-table-box' });
  const section = card('Exact match at T(n) by case', 'Each cell: exact match at T(n) of the test inputs of that length in that case, and how many there were. Accuracy per length alone does not show which inputs a model fails on.', box);
  section.id = 'eval-cases';
  const heading = section.querySelector('h2')!;
  const decorated = decorate(section);
  return {
    element: slot,
    show(s) {
      const g = caseGrid(s);
      if (!g) {
        slot.replaceChildren();
        return;
      }
      if (slot.firstChild !== decorated) slot.replaceChildren(decorated);
      heading.textContent = s.overlay ? `${g.heading} · ${s.setup.modelName}` : g.heading;
      const head = el('tr', {}, el('th', { text: s.setup.lengthLabel, attrs: { scope: 'col' } }), ...g.labels.map((l) => el('th', { text: l, attrs: { scope: 'col' } })));
      const body = g.rows.map((r) =>
        el(
          'tr',
          { class: r.trained ? 'trained' : '' },
          el('th', { text: String(r.length), attrs: { scope: 'row' } }),
          ...(r.pending === null ? r.cells.map(heatCell) : [el('td', { class: 'pending', text: r.pending, attrs: { colspan: g.labels.length } })]),
        ),
      );
      box.replaceChildren(el('table', { class: 'pn-table pn-cases', attrs: { id: 'case-table', 'aria-label': g.heading } }, el('thead', {}, head), el('tbody', {}, ...body)));
    },
  };
}
