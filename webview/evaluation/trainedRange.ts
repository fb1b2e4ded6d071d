// Which lengths each model of the Evaluation panel trained on (pure, unit-tested): the first model's
// range (setup.maxTrainLength) and an overlaid model's own (EvaluationOverlay.maxTrainLength), for
// the tables' "trained" tags and the charts' shaded bands.
import type { EvaluationOverlay, EvaluationViewState } from '../../src/protocol/evaluation';

/** A shaded x range of a chart (lineChart.ts ChartSpec.bands); `color` (a c-* class) sets a band apart from the default one. */
export interface TrainedBand {
  from: number;
  to: number;
  label: string;
  color?: string;
}

/** The band colour of the overlaid model's range: its oracle curve's. */
export const OVERLAY_BAND_COLOR = 'c-orange';

/** Whether length n is within 1..max; never for an unknown range (null). */
export function trainedAt(max: number | null, n: number): boolean {
  return max !== null && n <= max;
}

/**
 * The overlaid model's longest training length. A state saved before overlays recorded it (field
 * absent) reads as unknown, like a file that predates the record (null): borrowing the first model's
 * range would mark lengths the overlay may never have seen as trained, which is the mistake the
 * field exists to fix, so an unknown range is shown as no "trained" tag rather than a guess.
 */
export function overlayMaxTrainLength(o: EvaluationOverlay): number | null {
  return o.maxTrainLength ?? null;
}

const range = (max: number) => `trained on 1..${max}`;

/**
 * The charts' training ranges. Alone (or with an overlay trained on the same lengths), one band, as
 * before ("(both models)" added then). With an overlay drawn (it has rows) whose range differs or is
 * unknown, the first model's band is named, and the overlay's, when known, is a second band in its
 * own colour. No band for a range a file does not record (nothing is guessed).
 */
export function trainedBands(s: EvaluationViewState): TrainedBand[] {
  const first = s.setup.maxTrainLength;
  const o = s.overlay && s.overlay.rows.length > 0 ? s.overlay : null;
  if (!o) return first === null ? [] : [{ from: 1, to: first, label: range(first) }];
  const other = overlayMaxTrainLength(o);
  if (first !== null && other === first) return [{ from: 1, to: first, label: `${range(first)} (both models)` }];
  return [
    ...(first === null ? [] : [{ from: 1, to: first, label: `${s.setup.modelName}: ${range(first)}` }]),
    ...(other === null ? [] : [{ from: 1, to: other, label: `${o.modelName}: ${range(other)}`, color: OVERLAY_BAND_COLOR }]),
  ];
}
