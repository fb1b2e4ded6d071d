// Linear probes at the shown step: can each program variable be read linearly from the hidden
// state after this many iterations? Fitted over random inputs of the same length, held-out
// accuracy next to the majority-value baseline it has to beat, and a plain verdict. The rows are
// a d3 join keyed by variable, so a step change rewrites the numbers of the rows it keeps.
import { select } from 'd3';
import type { ProbeView } from '../../src/protocol/stepper';
import type { Ctx } from './context';
import { el } from '../shared/dom';
import { fmt, setText } from './parts';

const CELLS = ['variable', 'held-out', 'baseline', '', 'verdict', 'fit / test'];

/** Builds the card's content; returns what shows the probes of a step. */
export function createProbesTable(box: HTMLElement): (ctx: Ctx) => void {
  const note = el('p', { class: 'muted' });
  const summary = el('p', { class: 'st-caption' });
  const tbody = el('tbody');
  const table = el('table', { class: 'st-probes' }, el('thead', {}, el('tr', {}, ...CELLS.map((t) => el('th', { text: t })))), tbody);
  box.replaceChildren(note, summary, table);
  return (ctx) => {
    const c = ctx.vm.compare;
    const step = ctx.ui.step;
    const probes = (c?.probes ?? []).filter((p) => p.step === step);
    note.hidden = probes.length > 0;
    summary.hidden = table.hidden = probes.length === 0;
    if (probes.length === 0) {
      setText(note, c?.probeNote ?? (c && c.probeExamples > 0 ? `No program variable takes two values at step ${step}: nothing to probe.` : 'No probes.'));
      return;
    }
    const beat = probes.filter((p) => p.beatsBaseline).length;
    setText(
      summary,
      beat === 0
        ? `At step ${step} no probe beats its baseline: the hidden state does not linearly encode these variables here (${c!.probeExamples} random inputs of this length).`
        : `Step ${step}: ${beat} of ${probes.length} probes beat their baseline (${c!.probeExamples} random inputs of this length; a quarter held out).`,
    );
    select(tbody)
      .selectAll<HTMLTableRowElement, ProbeView>('tr')
      .data(probes, (p) => p.variable)
      .join((enter) =>
        enter.append((p) =>
          el(
            'tr',
            {},
            el('th', { text: p.variable, attrs: { scope: 'row' } }),
            el('td', { class: 'num' }),
            el('td', { class: 'num muted' }),
            el('td', { class: 'st-bars' }, el('span', { class: 'st-bar probe' }), el('span', { class: 'st-bar base' })),
            el('td'),
            el('td', { class: 'num muted' }),
          ),
        ),
      )
      .each(function (p) {
        const [, held, base, bars, verdict, sizes] = Array.from(this.cells);
        setText(held!, fmt.pct(p.heldOutAccuracy));
        setText(base!, fmt.pct(p.baselineAccuracy));
        const [probeBar, baseBar] = Array.from(bars!.children) as HTMLElement[];
        probeBar!.style.width = `${Math.round(p.heldOutAccuracy * 100)}%`;
        baseBar!.style.width = `${Math.round(p.baselineAccuracy * 100)}%`;
        verdict!.classList.toggle('muted', !p.beatsBaseline);
        setText(verdict!, p.beatsBaseline ? 'beats the baseline' : 'not above the baseline');
        setText(sizes!, `${p.trainSamples} / ${p.testSamples}`);
      });
  };
}
