// The Training panel's four charts: loss, gradient norm (with the clipping threshold), learning
// rate with the curriculum's longest length, and the quick evaluations' accuracy.
import type { TrainingViewState } from '../../src/protocol/training';
import { drawChart, type ChartSeries } from '../charts/lineChart';
import { LENGTH_COLORS } from '../charts/palette';
import { fmt } from '../shared/format';
import { quickEvalLabels } from './accuracyLegend';

export interface TrainingChartBoxes {
  loss: HTMLElement;
  gradNorm: HTMLElement;
  schedule: HTMLElement;
  accuracy: HTMLElement;
}

function stepAxis(s: TrainingViewState) {
  return { label: 'training step', domain: [0, Math.max(1, s.setup.steps)] as [number, number], integer: true, format: (v: number) => (v >= 10000 ? `${Math.round(v / 1000)}k` : fmt.int(v)) };
}

export function drawTrainingCharts(boxes: TrainingChartBoxes, s: TrainingViewState): void {
  const h = s.history;
  const waiting = s.status === 'failed' || s.status === 'cancelled' ? 'No steps were logged.' : 'Waiting for the first logged steps…';
  drawChart(boxes.loss, {
    ariaLabel: 'Training loss per step',
    x: stepAxis(s),
    y: { label: 'loss', log: true, format: fmt.loss },
    series: [{ label: 'masked cross-entropy (mean over each logged window)', color: 'c-blue', points: h.map((p) => ({ x: p.step, y: p.loss })) }],
    empty: waiting,
  });
  drawChart(boxes.gradNorm, {
    ariaLabel: 'Gradient norm per step',
    x: stepAxis(s),
    y: { label: 'gradient norm', log: true, format: fmt.loss },
    series: [{ label: 'global gradient norm (before clipping)', color: 'c-orange', points: h.map((p) => ({ x: p.step, y: p.gradNorm })) }],
    hlines: [{ y: 1, label: 'clipped above 1.0', color: 'c-muted' }],
    empty: waiting,
  });
  drawChart(boxes.schedule, {
    ariaLabel: 'Learning rate and curriculum per step',
    x: stepAxis(s),
    y: { label: 'learning rate', format: fmt.lr, ticks: 4 },
    y2: { label: 'longest length', format: (v) => fmt.int(v), ticks: 4, domain: [0, Math.max(1, s.setup.maxTrainLength)] },
    series: [
      { label: 'learning rate', color: 'c-purple', points: h.map((p) => ({ x: p.step, y: p.lr })) },
      { label: 'curriculum: longest training length', color: 'c-green', style: 'step', axis: 'y2', points: h.map((p) => ({ x: p.step, y: p.nPoints - 1 })) },
    ],
    empty: waiting,
  });
  const lengths = s.setup.quickEvalLengths;
  const series: ChartSeries[] = [];
  lengths.forEach((n, i) => {
    const color = LENGTH_COLORS[i % LENGTH_COLORS.length]!;
    const labels = quickEvalLabels(s.setup, n);
    const rows = s.evals.map((e) => ({ step: e.step, row: e.rows.find((r) => r.length === n) }));
    series.push({ label: labels.read, color, style: 'line-dots', points: rows.map((r) => ({ x: r.step, y: r.row ? r.row.oracle : null })) });
    series.push({ label: labels.adaptive, color, style: 'line-dots', dashed: true, hollow: true, points: rows.map((r) => ({ x: r.step, y: r.row ? r.row.perBatch : null })) });
    // a run that keeps its branches: each later branch's own weights as dots off the mean's line
    const own = s.evals.flatMap((e) => (e.branch ? [{ step: e.step, index: e.branch.index, row: e.branch.rows.find((r) => r.length === n) }] : []));
    if (own.length > 0) series.push({ label: labels.branchAlone, color, style: 'dots', dotShape: 'diamond', points: own.map((o) => ({ x: o.step, y: o.row ? o.row.oracle : null, note: `branch ${o.index}` })) });
  });
  drawChart(boxes.accuracy, {
    ariaLabel: 'Quick evaluation accuracy during training',
    x: stepAxis(s),
    y: { label: 'exact match', domain: [0, 1], format: fmt.pct, ticks: 4 },
    series,
    empty: s.evals.length === 0 ? 'The first quick evaluation comes after a few hundred steps.' : 'No accuracy yet.',
  });
}
