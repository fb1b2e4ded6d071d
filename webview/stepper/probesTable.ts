// Linear probes: can each program variable be read linearly from the hidden state? Held-out
// accuracy next to the majority-value baseline it has to beat.
import type { Ctx } from './context';
import { el } from '../shared/dom';
import { fmt } from './parts';

export function drawProbes(box: HTMLElement, ctx: Ctx): void {
  const probes = ctx.vm.compare?.probes ?? [];
  box.replaceChildren();
  if (probes.length === 0) {
    box.append(el('p', { class: 'muted', text: 'No probe: fewer than two comparable steps, or no variable takes two values.' }));
    return;
  }
  const bar = (x: number, cls: string) => {
    const b = el('span', { class: `st-bar ${cls}` });
    b.style.width = `${Math.round(x * 100)}%`;
    return b;
  };
  const rows = probes.map((pr) =>
    el(
      'tr',
      {},
      el('th', { text: pr.variable, attrs: { scope: 'row' } }),
      el('td', { class: 'num', text: fmt.pct(pr.heldOutAccuracy) }),
      el('td', { class: 'num muted', text: fmt.pct(pr.baselineAccuracy) }),
      el('td', { class: 'st-bars' }, bar(pr.heldOutAccuracy, 'probe'), bar(pr.baselineAccuracy, 'base')),
      el('td', { class: 'num muted', text: `${pr.trainSamples} / ${pr.testSamples}` }),
    ),
  );
  box.append(
    el(
      'table',
      { class: 'st-probes' },
      el('thead', {}, el('tr', {}, el('th', { text: 'variable' }), el('th', { text: 'held-out' }), el('th', { text: 'baseline' }), el('th', { text: '' }), el('th', { text: 'fit / test' }))),
      el('tbody', {}, ...rows),
    ),
  );
}
