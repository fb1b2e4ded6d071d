// The cells every evaluation table shares (the Evaluation panel, the model page, the Training
// panel's final evaluation), so one number reads the same in all three: an accuracy graded by colour
// with its 95% interval on hover where the host sent one, and the mean loop step a rule read.
import type { AccuracyInterval, EvaluationRow } from '../../src/protocol/evaluation';
import { fmt } from './format';
import { accuracyClass } from './accuracy';
import { el } from './dom';

/** A mean loop step to one decimal; '–' where no example set one. */
export const stepText = (v: number | undefined): string => (v !== undefined && Number.isFinite(v) ? v.toFixed(1) : '–');

/** An accuracy cell: the value in its grade's colour, with its interval on hover when known. */
export function accuracyCell(value: number, ci?: AccuracyInterval | null): HTMLElement {
  const td = el('td', { class: accuracyClass(value), text: fmt.pct(value) });
  if (ci) td.title = `95% confidence interval (Wilson): ${fmt.pct(ci.low)} – ${fmt.pct(ci.high)}`;
  return td;
}

/** The oracle, the paper's rule and its step, the per-example rule and its mean step. */
export function ruleCells(r: EvaluationRow): HTMLElement[] {
  return [
    accuracyCell(r.oracle, r.ci?.oracle),
    accuracyCell(r.perBatch, r.ci?.perBatch),
    el('td', { text: stepText(r.perBatchStep) }),
    accuracyCell(r.perExample, r.ci?.perExample),
    el('td', { text: stepText(r.perExampleStep) }),
  ];
}

/** The length-calibrated rule and its step; '–' in rows evaluated before it existed. */
export function calibratedCells(r: EvaluationRow): HTMLElement[] {
  const accuracy = r.calibrated === undefined ? el('td', { text: '–' }) : accuracyCell(r.calibrated, r.ci?.calibrated);
  return [accuracy, el('td', { text: stepText(r.calibratedStep) })];
}
