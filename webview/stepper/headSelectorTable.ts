// Head ↔ selector matching: one row per attention head, one column per RASP-L selector, each cell
// the head's mean similarity to the selector over the compared steps (best per row in bold), the
// best match at the selected step, and the uniform-attention floor as the last row. Built once per
// layout: a step change rewrites only the step's column.
import type { Ctx } from './context';
import { el } from '../shared/dom';
import { fmt, setText } from './parts';

/**
 * Draws the table (once per layout); returns what updates it for a step or focus change: the
 * "best at step" column and the focused row, written only where they change.
 */
export function drawHeadSelectorTable(box: HTMLElement, ctx: Ctx): (ctx: Ctx) => void {
  const { vm, palette: p } = ctx;
  const c = vm.compare;
  const prog = vm.program;
  box.replaceChildren();
  if (!c || !prog || c.headMatches.length === 0 || prog.selectors.length === 0) {
    box.append(el('p', { class: 'muted', text: 'No selector to match heads with.' }));
    return () => {};
  }
  const cell = (x: number | null, bold = false) => {
    const td = el('td', { class: `num${bold ? ' best' : ''}`, text: x === null ? '–' : fmt.p2(x) });
    if (x !== null) {
      td.style.background = p.heat(x);
      td.style.color = p.heatText(x);
    }
    return td;
  };
  const stepHead = el('th');
  const head = el('tr', {}, el('th', { text: 'head' }), ...prog.selectors.map((s) => el('th', { text: s.name, title: s.line ? `line ${s.line}` : '' })), stepHead);
  let current = ctx;
  const rows = c.headMatches.map((m) => {
    const atStep = el('td', { class: 'st-at-step' });
    const tr = el(
      'tr',
      {},
      el('th', { text: vm.model.layers > 1 ? `L${m.layer + 1}·h${m.head + 1}` : `h${m.head + 1}`, attrs: { scope: 'row' } }),
      ...m.meanBySelector.map((x, k) => cell(x, k === m.best.selector)),
      atStep,
    );
    tr.addEventListener('click', () => {
      if (m.layer !== current.ui.layer) current.actions.setLayer(m.layer);
      current.actions.focusHead(m.head);
    });
    return { m, tr, atStep };
  });
  const floor = el('tr', { class: 'st-baseline' }, el('th', { text: 'uniform', title: 'uniform causal attention: the floor', attrs: { scope: 'row' } }), ...c.uniformBaseline.map((x) => cell(x)), el('td'));
  box.append(el('div', { class: 'st-scroll-x' }, el('table', { class: 'st-matrix' }, el('thead', {}, head), el('tbody', {}, ...rows.map((r) => r.tr), floor))));
  const select = (next: Ctx) => {
    current = next;
    const { ui } = next;
    setText(stepHead, `best at step ${ui.step}`);
    for (const { m, tr, atStep } of rows) {
      const at = m.perStep[ui.step - 1];
      setText(atStep, at && at.selector >= 0 ? `${prog.selectors[at.selector]!.name} ${fmt.p2(at.similarity)}` : '–');
      tr.classList.toggle('focused', m.layer === ui.layer && m.head === ui.focusHead);
    }
  };
  select(ctx);
  return select;
}
