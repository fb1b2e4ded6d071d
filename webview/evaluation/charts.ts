// The Evaluation panel's charts: exact match vs test length under the four stopping rules with the
// training range shaded, and the step each adaptive rule chose next to T(n); a second model's
// results (the overlay) on both, in its own colours and named in the legend, with its own training
// range outlined in its colour where it differs from the first model's.
import type { AccuracyInterval, EvalSummaryRow, EvaluationRow, EvaluationViewState } from '../../src/protocol/evaluation';
import { drawChart, type ChartSeries } from '../charts/lineChart';
import { fmt } from '../shared/format';
import { trainedBands } from './trainedRange';

/** From 1 to the longest test length or trained range drawn (an overlay's too). */
function lengthAxis(s: EvaluationViewState) {
  const ls = s.setup.lengths;
  const lo = Math.min(1, ...ls);
  const hi = Math.max(...ls, s.setup.maxTrainLength ?? 1, ...trainedBands(s).map((b) => b.to));
  return { label: `test length ${s.setup.lengthLabel}`, domain: [lo, hi] as [number, number], integer: true, format: (v: number) => fmt.int(v) };
}

/** Rows from older evaluations (or older model files) have no calibrated values: no points, not zeros. */
function calibratedPoints(rows: EvalSummaryRow[], value: (r: EvalSummaryRow) => number | undefined): { x: number; y: number }[] {
  return rows.flatMap((r) => {
    const y = value(r);
    return y === undefined || !Number.isFinite(y) ? [] : [{ x: r.length, y }];
  });
}

/** A row's accuracy with its interval (host-computed; absent in states saved before intervals existed). */
function withCi(r: EvaluationRow, y: number, ci: AccuracyInterval | null | undefined) {
  return { x: r.length, y, lo: ci?.low ?? null, hi: ci?.high ?? null };
}

/** With an overlay, the first model's series are named too, so the legend tells the two apart. */
function whose(s: EvaluationViewState): string {
  return s.overlay && s.overlay.rows.length > 0 ? `${s.setup.modelName}: ` : '';
}

/** The overlaid model's oracle and paper-rule accuracies, in their own colours. */
function overlaySeries(s: EvaluationViewState): ChartSeries[] {
  const o = s.overlay;
  if (!o || o.rows.length === 0) return [];
  return [
    { label: `${o.modelName}: oracle`, color: 'c-orange', style: 'line-dots', errorBars: true, points: o.rows.map((r) => withCi(r, r.oracle, r.ci?.oracle)) },
    { label: `${o.modelName}: paper rule`, color: 'c-red', style: 'line-dots', dashed: true, errorBars: true, points: o.rows.map((r) => withCi(r, r.perBatch, r.ci?.perBatch)) },
  ];
}

export function drawAccuracy(box: HTMLElement, s: EvaluationViewState, openExample?: (length: number) => void): void {
  const rows = s.rows;
  const who = whose(s);
  const failing = new Set((s.failures ?? []).map((f) => f.length));
  drawChart(box, {
    onClickX: openExample ? (x) => openExample(x) : undefined,
    clickHint: failing.size > 0 ? 'click: open an example this length gets wrong in the stepper' : undefined,
    ariaLabel: 'Exact-match accuracy against test length',
    height: 240,
    x: lengthAxis(s),
    y: { label: 'exact match', domain: [0, 1], format: fmt.pct, ticks: 5 },
    bands: trainedBands(s), // the first model's range, and an overlay's own where it differs
    series: [
      { label: `${who}oracle: read at ${s.setup.oracleRule}`, color: 'c-yellow', style: 'line-dots', wide: true, errorBars: true, points: rows.map((r) => withCi(r, r.oracle, r.ci?.oracle)) },
      { label: `${who}adaptive (the paper's rule: one step per length)`, color: 'c-blue', style: 'line-dots', errorBars: true, points: rows.map((r) => withCi(r, r.perBatch, r.ci?.perBatch)) },
      { label: `${who}adaptive, per example`, color: 'c-purple', style: 'line-dots', dashed: true, hollow: true, errorBars: true, points: rows.map((r) => withCi(r, r.perExample, r.ci?.perExample)) },
      { label: `${who}length-calibrated (the stepper's stop)`, color: 'c-green', style: 'line-dots', dashed: true, points: calibratedPoints(rows, (r) => r.calibrated) },
      ...overlaySeries(s),
    ],
    empty: s.status === 'running' ? 'Evaluating the first length…' : 'No lengths were evaluated.',
  });
}

/**
 * The overlaid model's chosen steps, and its own T(n) where that differs from the first model's
 * (one of them reads every length at a fixed depth).
 */
function overlayStepSeries(s: EvaluationViewState): ChartSeries[] {
  const o = s.overlay;
  if (!o || o.rows.length === 0) return [];
  const ownOracle = o.rows.some((r) => {
    const first = s.rows.find((f) => f.length === r.length);
    return first !== undefined && first.oracleStep !== r.oracleStep;
  });
  return [
    ...(ownOracle ? [{ label: `${o.modelName}: its T(n)`, color: 'c-yellow', style: 'line-dots', dashed: true, hollow: true, points: o.rows.map((r) => ({ x: r.length, y: r.oracleStep })) } satisfies ChartSeries] : []),
    { label: `${o.modelName}: paper rule: chosen step`, color: 'c-red', style: 'line-dots', points: o.rows.map((r) => ({ x: r.length, y: r.perBatchStep })) },
    { label: `${o.modelName}: per example: mean chosen step`, color: 'c-red', style: 'line-dots', dashed: true, hollow: true, points: o.rows.map((r) => ({ x: r.length, y: r.perExampleStep })) },
    { label: `${o.modelName}: length-calibrated step`, color: 'c-orange', style: 'line-dots', dashed: true, points: calibratedPoints(o.rows, (r) => r.calibratedStep) },
  ];
}

export function drawSteps(box: HTMLElement, s: EvaluationViewState): void {
  const rows = s.rows;
  const who = whose(s);
  drawChart(box, {
    ariaLabel: 'Mean chosen loop step against test length',
    height: 240,
    x: lengthAxis(s),
    y: { label: 'loop steps', format: (v) => (Number.isInteger(v) ? fmt.int(v) : v.toFixed(1)), ticks: 5 },
    bands: trainedBands(s),
    series: [
      { label: s.setup.oracleRule, color: 'c-yellow', style: 'line-dots', wide: true, points: rows.map((r) => ({ x: r.length, y: r.oracleStep })) },
      { label: `${who}paper rule: chosen step`, color: 'c-blue', style: 'line-dots', points: rows.map((r) => ({ x: r.length, y: r.perBatchStep })) },
      { label: `${who}per example: mean chosen step`, color: 'c-purple', style: 'line-dots', dashed: true, hollow: true, points: rows.map((r) => ({ x: r.length, y: r.perExampleStep })) },
      { label: `${who}length-calibrated step`, color: 'c-green', style: 'line-dots', dashed: true, points: calibratedPoints(rows, (r) => r.calibratedStep) },
      ...overlayStepSeries(s),
    ],
    empty: s.status === 'running' ? 'Evaluating the first length…' : 'No lengths were evaluated.',
  });
}
