// The evaluation table: one row per test length, with lengths still running shown as pending.
import type { EvaluationViewState } from '../../src/protocol/evaluation';
import { el } from '../shared/dom';
import { calibratedCells, ruleCells } from '../shared/evaluationCells';
import { fmt } from '../shared/format';
import { overlayMaxTrainLength, trainedAt } from './trainedRange';

export function evaluationTable(s: EvaluationViewState, openExample?: (length: number) => void): HTMLElement {
  const failures = new Map((s.failures ?? []).map((f) => [f.length, f]));
  const head = el('tr', {}, ...['length', 'T(n)', 'examples', 'oracle', 'adaptive (paper rule)', 'mean step', 'per example', 'mean step', 'length-calibrated', 'step'].map((t) => el('th', { text: t })));
  const done = new Map(s.rows.map((r) => [r.length, r]));
  const body = s.setup.lengths.map((n) => {
    const r = done.get(n);
    const trained = trainedAt(s.setup.maxTrainLength, n) ? 'trained' : '';
    if (!r) {
      const what = s.status === 'running' ? (s.progress?.length === n ? 'running…' : 'waiting') : 'not run';
      return el('tr', { class: trained }, el('td', { text: String(n) }), el('td', { class: 'pending', text: what, attrs: { colspan: 9 } }));
    }
    const f = failures.get(n);
    const tr = el(
      'tr',
      { class: `${trained}${f && openExample ? ' clickable' : ''}`, title: f ? `Click: open ${f.input} in the stepper (expected ${f.expected || '(empty)'}, the model says ${f.predicted || '(empty)'} under ${f.rule})` : '' },
      el('td', { text: String(r.length) }),
      el('td', { text: fmt.int(r.oracleStep) }),
      el('td', { text: fmt.int(r.examples) }),
      ...ruleCells(r),
      ...calibratedCells(r),
    );
    if (f && openExample) tr.addEventListener('click', () => openExample(n));
    return tr;
  });
  // the overlaid model's rows, under the first model's, tagged "trained" by its own range (unknown: none)
  const overlayMax = s.overlay ? overlayMaxTrainLength(s.overlay) : null;
  const overlayTrained = overlayMax === null ? 'trained lengths unknown' : `trained on 1..${overlayMax}`;
  const overlay = (s.overlay?.rows ?? []).map((r) =>
    el(
      'tr',
      { class: `overlay-row${trainedAt(overlayMax, r.length) ? ' trained' : ''}`, title: `${s.overlay!.modelName} (${overlayTrained})` },
      el('td', { text: `${r.length} · ${s.overlay!.modelName}` }),
      el('td', { text: fmt.int(r.oracleStep) }),
      el('td', { text: fmt.int(r.examples) }),
      ...ruleCells(r),
      ...calibratedCells(r),
    ),
  );
  return el('div', { class: 'pn-table-box' }, el('table', { class: 'pn-table', attrs: { id: 'eval-table' } }, el('thead', {}, head), el('tbody', {}, ...body, ...overlay)));
}
