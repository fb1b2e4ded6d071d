// The finished model's evaluation (also saved in the model file): accuracy per test length under
// the oracle, the paper's adaptive rule and the per-example rule.
import type { TrainingViewState } from '../../src/protocol/training';
import { el } from '../shared/dom';
import { ruleCells } from '../shared/evaluationCells';
import { fmt } from '../shared/format';
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
      ...ruleCells(r),
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
