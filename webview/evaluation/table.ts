// The evaluation table: one row per test length, with lengths still running shown as pending.
import type { AccuracyInterval, EvaluationRow, EvaluationViewState } from '../../src/protocol/evaluation';
import { accuracyClass } from '../shared/accuracy';
import { el } from '../shared/dom';
import { fmt } from '../charts/format';
import { overlayMaxTrainLength, trainedAt } from './trainedRange';

const step = (v: number) => (Number.isFinite(v) ? v.toFixed(1) : '–');

/** An accuracy cell: the value, with its 95% interval on hover (the chart draws it as an error bar). */
function acc(value: number, ci: AccuracyInterval | null | undefined): HTMLElement {
  const td = el('td', { class: accuracyClass(value), text: fmt.pct(value) });
  if (ci) td.title = `95% confidence interval (Wilson): ${fmt.pct(ci.low)} – ${fmt.pct(ci.high)}`;
  return td;
}

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
      acc(r.oracle, (r as EvaluationRow).ci?.oracle),
      acc(r.perBatch, (r as EvaluationRow).ci?.perBatch),
      el('td', { text: step(r.perBatchStep) }),
      acc(r.perExample, (r as EvaluationRow).ci?.perExample),
      el('td', { text: step(r.perExampleStep) }),
      el('td', { class: r.calibrated === undefined ? '' : accuracyClass(r.calibrated), text: r.calibrated === undefined ? '–' : fmt.pct(r.calibrated) }),
      el('td', { text: step(r.calibratedStep ?? NaN) }),
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
      acc(r.oracle, r.ci?.oracle),
      acc(r.perBatch, r.ci?.perBatch),
      el('td', { text: step(r.perBatchStep) }),
      acc(r.perExample, r.ci?.perExample),
      el('td', { text: step(r.perExampleStep) }),
      el('td', { text: r.calibrated === undefined ? '–' : fmt.pct(r.calibrated) }),
      el('td', { text: step(r.calibratedStep ?? NaN) }),
    ),
  );
  return el('div', { class: 'pn-table-box' }, el('table', { class: 'pn-table', attrs: { id: 'eval-table' } }, el('thead', {}, head), el('tbody', {}, ...body, ...overlay)));
}
