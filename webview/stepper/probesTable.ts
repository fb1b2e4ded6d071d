// Linear probes at the shown step: can each program variable be read linearly from the hidden
// state after this many iterations? Fitted over random inputs of the same length, held-out
// accuracy next to the majority-value baseline it has to beat, and a plain verdict.
import type { Ctx } from './context';
import { el } from '../shared/dom';
import { fmt } from './parts';

export function drawProbes(box: HTMLElement, ctx: Ctx): void {
  const c = ctx.vm.compare;
  const step = ctx.ui.step;
  const probes = (c?.probes ?? []).filter((p) => p.step === step);
  box.replaceChildren();
  if (probes.length === 0) {
    const why = c?.probeNote ?? (c && c.probeExamples > 0 ? `No program variable takes two values at step ${step}: nothing to probe.` : 'No probes.');
    box.append(el('p', { class: 'muted', text: why }));
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
      el('td', { class: pr.beatsBaseline ? '' : 'muted', text: pr.beatsBaseline ? 'beats the baseline' : 'not above the baseline' }),
      el('td', { class: 'num muted', text: `${pr.trainSamples} / ${pr.testSamples}` }),
    ),
  );
  const beat = probes.filter((p) => p.beatsBaseline).length;
  const summary =
    beat === 0
      ? `At step ${step} no probe beats its baseline: the hidden state does not linearly encode these variables here (${c!.probeExamples} random inputs of this length).`
      : `Step ${step}: ${beat} of ${probes.length} probes beat their baseline (${c!.probeExamples} random inputs of this length; a quarter held out).`;
  box.append(
    el('p', { class: 'st-caption', text: summary }),
    el(
      'table',
      { class: 'st-probes' },
      el('thead', {}, el('tr', {}, el('th', { text: 'variable' }), el('th', { text: 'held-out' }), el('th', { text: 'baseline' }), el('th', { text: '' }), el('th', { text: 'verdict' }), el('th', { text: 'fit / test' }))),
      el('tbody', {}, ...rows),
    ),
  );
}
