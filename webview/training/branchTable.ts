// A last stage run as branches, each kept as its own model (setup.keepBranches): each branch's
// accuracy beside the model's, their weights' mean, so the spread the mean hides is in sight.
import type { TrainingViewState } from '../../src/protocol/training';
import { el } from '../shared/dom';
import { accuracyCell } from '../shared/evaluationCells';

export function keptBranches(s: TrainingViewState): HTMLElement | null {
  const branches = s.result?.branches;
  const mean = s.result?.evaluation?.rows;
  if (!branches || branches.length === 0) return null;
  const files = branches.map((b) => `branch ${b.index}: ${b.file ?? 'not kept (it finished before a resume from a checkpoint that did not keep it)'}`).join(' · ');
  const section = el(
    'section',
    { class: 'pn-card', attrs: { id: 'kept-branches' } },
    el('h2', { text: 'Each branch alone' }),
    el('p', { class: 'pn-caption', text: `The last stage ran as ${branches[0]!.of} branches from the same weights, each on its own data; the model is the mean of their weights. Each branch saved as a model of its own: ${files}.` }),
  );
  if (!mean || mean.length === 0) return section;
  const columns: { title: string; rows: typeof mean | null }[] = [{ title: 'the model (mean)', rows: mean }, ...branches.map((b) => ({ title: `branch ${b.index}`, rows: b.rows }))];
  const head = el('tr', {}, el('th', { text: 'length' }), ...columns.flatMap((c) => [el('th', { text: `${c.title}: oracle` }), el('th', { text: 'paper rule' })]));
  const body = mean.map((row) =>
    el(
      'tr',
      { class: row.length <= s.setup.maxTrainLength ? 'trained' : '' },
      el('td', { text: String(row.length) }),
      ...columns.flatMap((c) => {
        const r = c.rows?.find((x) => x.length === row.length);
        return r ? [accuracyCell(r.oracle), accuracyCell(r.perBatch)] : [el('td', { text: '–' }), el('td', { text: '–' })];
      }),
    ),
  );
  section.append(el('div', { class: 'pn-table-box' }, el('table', { class: 'pn-table' }, el('thead', {}, head), el('tbody', {}, ...body))));
  return section;
}
