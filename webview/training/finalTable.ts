// The finished model's evaluation (also saved in the model file): accuracy per test length under
// the oracle, the paper's adaptive rule and the per-example rule.
import type { TrainingViewState } from '../../src/protocol/training';
import { accuracyClass } from '../shared/accuracy';
import { el } from '../shared/dom';
import { fmt } from '../charts/format';
import { finalTableReadHeads } from './accuracyLegend';

export function finalEvaluation(s: TrainingViewState): HTMLElement | null {
  const ev = s.result?.evaluation;
  if (!ev || ev.rows.length === 0) return null;
  const read = finalTableReadHeads(s.setup);
  const head = el('tr', {}, ...['length', read.step, read.accuracy, 'adaptive (paper rule)', 'its step', 'per example', 'mean step'].map((t) => el('th', { text: t })));
  const body = ev.rows.map((r) =>
    el(
      'tr',
      { class: r.length <= s.setup.maxTrainLength ? 'trained' : '' },
      el('td', { text: String(r.length) }),
      el('td', { text: String(r.oracleStep) }),
      el('td', { class: accuracyClass(r.oracle), text: fmt.pct(r.oracle) }),
      el('td', { class: accuracyClass(r.perBatch), text: fmt.pct(r.perBatch) }),
      el('td', { text: Number.isFinite(r.perBatchStep) ? r.perBatchStep.toFixed(1) : '–' }),
      el('td', { class: accuracyClass(r.perExample), text: fmt.pct(r.perExample) }),
      el('td', { text: Number.isFinite(r.perExampleStep) ? r.perExampleStep.toFixed(1) : '–' }),
    ),
  );
  return el(
    'section',
    { class: 'pn-card', attrs: { id: 'final-eval' } },
    el('h2', { text: 'Final evaluation' }),
    el('p', { class: 'pn-caption', text: `Exact match on ${fmt.int(ev.examplesPerLength)} random examples per length. Per example: ${ev.perExampleRule}.` }),
    el('div', { class: 'pn-table-box' }, el('table', { class: 'pn-table' }, el('thead', {}, head), el('tbody', {}, ...body))),
  );
}
