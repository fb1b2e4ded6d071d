// The evaluation table: one row per test length, with lengths still running shown as pending.
import type { EvaluationViewState } from '../../src/protocol/evaluation';
import { el } from '../shared/dom';
import { fmt } from '../charts/format';

const cls = (acc: number) => (acc >= 0.95 ? 'good' : acc < 0.6 ? 'bad' : '');
const step = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

export function evaluationTable(s: EvaluationViewState): HTMLElement {
  const head = el('tr', {}, ...['length', 'T(n)', 'examples', 'oracle', 'adaptive (per batch)', 'mean step', 'per example', 'mean step', 'length-calibrated', 'step'].map((t) => el('th', { text: t })));
  const done = new Map(s.rows.map((r) => [r.length, r]));
  const body = s.setup.lengths.map((n) => {
    const r = done.get(n);
    const trained = n <= s.setup.maxTrainLength ? 'trained' : '';
    if (!r) {
      const what = s.status === 'running' ? (s.progress?.length === n ? 'running…' : 'waiting') : 'not run';
      return el('tr', { class: trained }, el('td', { text: String(n) }), el('td', { class: 'pending', text: what, attrs: { colspan: 9 } }));
    }
    return el(
      'tr',
      { class: trained },
      el('td', { text: String(r.length) }),
      el('td', { text: fmt.int(r.oracleStep) }),
      el('td', { text: fmt.int(r.examples) }),
      el('td', { class: cls(r.oracle), text: fmt.pct(r.oracle) }),
      el('td', { class: cls(r.perBatch), text: fmt.pct(r.perBatch) }),
      el('td', { text: step(r.perBatchStep) }),
      el('td', { class: cls(r.perExample), text: fmt.pct(r.perExample) }),
      el('td', { text: step(r.perExampleStep) }),
      el('td', { class: r.calibrated === undefined ? '' : cls(r.calibrated), text: r.calibrated === undefined ? '–' : fmt.pct(r.calibrated) }),
      el('td', { text: step(r.calibratedStep ?? NaN) }),
    );
  });
  return el('div', { class: 'pn-table-box' }, el('table', { class: 'pn-table', attrs: { id: 'eval-table' } }, el('thead', {}, head), el('tbody', {}, ...body)));
}
