// The "Accuracy at every loop step" card(s): exact match at each loop step, one line per test length,
// T(n) ringed and the paper rule's step dotted, a line per length under the chart (stepCurves.ts
// says what). With an overlay whose state keeps curves, its own card follows the first's, on the
// same axes. Drawn with the panels' line chart (lineChart.ts).
import type { EvaluationViewState } from '../../src/protocol/evaluation';
import { drawChart } from '../charts/lineChart';
import { fmt } from '../shared/format';
import { el } from '../shared/dom';
import { card, withExports } from '../shared/panelParts';
import { stepChartContent, type StepChartContent } from './stepCurves';

const HEADING = 'Accuracy at every loop step';

function drawStepChart(box: HTMLElement, c: StepChartContent): void {
  drawChart(box, {
    ariaLabel: `Exact-match accuracy of ${c.modelName} at every loop step, one line per test length; a ring marks each length's T(n), a dot the step the paper's rule picks`,
    height: 260,
    x: { label: 'loop step', domain: [1, Math.max(2, c.lastStep)], integer: true, format: (v) => fmt.int(v) },
    y: { label: 'exact match', domain: [0, 1], format: fmt.pct, ticks: 5 },
    series: c.lines.map((l) => ({ label: l.label, color: l.color, dashed: l.dashed, style: 'line', marks: l.marks, points: l.points.map((p) => ({ x: p.step, y: p.accuracy, note: p.note })) })),
    markLegend: [
      { shape: 'ring', label: 'T(n): the step the oracle reads' },
      { shape: 'dot', label: "the step the paper's rule picks for the length" },
    ],
    // a shorter length's curve ends earlier: the read-out lists the lengths that reach the step
    readoutAtX: true,
    empty: c.empty,
  });
}

const CAPTION =
  'Exact match of the test inputs of each length after every loop step, up to T(n) plus the adaptive rules’ extra steps: where the answer forms, and whether it holds past T(n) or decays. Ring: T(n); dot: the step the paper’s rule picks for the whole length (its lowest mean −log max-probability). Hover for each length’s accuracy and confidence score at a step.';

/** One model's card: its chart and a line per length; `id` names the chart box (#chart-by-step…), `exports` makes its export links. */
function stepCard(id: string, caption: string, exports: (box: HTMLElement) => HTMLElement) {
  const box = el('div', { attrs: { id } });
  const summary = el('ul', { class: 'pn-step-summary', attrs: { 'aria-label': 'Each length at its best step, T(n), the paper rule\'s step and the last step' } });
  const section = withExports(card(HEADING, caption, el('div', {}, box, summary)), exports(box));
  section.id = `eval-${id.replace(/^chart-/, '')}`;
  return {
    section,
    show(c: StepChartContent, named: boolean) {
      section.querySelector('h2')!.textContent = named ? `${HEADING} · ${c.modelName}` : HEADING;
      drawStepChart(box, c);
      summary.replaceChildren(...c.lines.map((l) => el('li', { class: `ch-key ${l.color}` }, el('span', { class: `ch-swatch${l.dashed ? ' dashed' : ''}` }), l.summary)));
    },
  };
}

/**
 * The first model's card, then an overlay's when it has curves (its card leaves the page
 * otherwise). `exports` makes a card's export links for its chart box (`first`: the data exports too).
 */
export function stepChartView(exports: (box: HTMLElement, name: string, first: boolean) => HTMLElement): { element: HTMLElement; show(s: EvaluationViewState): void } {
  const first = stepCard('chart-by-step', CAPTION, (box) => exports(box, 'by-step', true));
  const overlay = stepCard('chart-by-step-overlay', 'The overlaid model’s, on the same axes, each length in the same colour (its numbers are in the CSV and JSON above).', (box) => exports(box, 'by-step-overlay', false));
  const slot = el('div');
  return {
    element: el('div', {}, first.section, slot),
    show(s) {
      const o = stepChartContent(s, 'overlay');
      first.show(stepChartContent(s, 'first')!, !!s.overlay);
      if (!o) {
        slot.replaceChildren();
        return;
      }
      if (slot.firstChild !== overlay.section) slot.replaceChildren(overlay.section);
      overlay.show(o, true);
    },
  };
}
