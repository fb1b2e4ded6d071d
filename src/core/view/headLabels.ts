// Which attention heads earn a selector label: a head is labelled with its most similar RASP-L
// selector at a step only where its similarity beats that selector's uniform-attention baseline
// by a margin; otherwise it gets no label (a label at the baseline would claim a match that
// uniform attention makes as well). Also the score heads are sorted and filtered by.
// Pure: no vscode, no I/O.
import type { HeadMatch } from '../programs/compare/headMatching';

/** A head must beat the uniform baseline's similarity by at least this much to be labelled. */
export const LABEL_MARGIN = 0.05;

export interface HeadStepLabel {
  /** Index into ProgramView.selectors. */
  selector: number;
  similarity: number;
  /** The uniform-attention baseline of that selector. */
  baseline: number;
}

export interface HeadLabelView {
  layer: number;
  head: number;
  /** perStep[t - 1]: the label at step t, or null (no selector beats its baseline by LABEL_MARGIN there). */
  perStep: (HeadStepLabel | null)[];
  /** Best mean similarity minus the baseline of that selector (how far the head beats uniform attention); null when never compared. */
  score: number | null;
  /** The selector behind `score` (-1 when none). */
  selector: number;
}

export function headLabels(matches: HeadMatch[], baseline: (number | null)[], margin = LABEL_MARGIN): HeadLabelView[] {
  return matches.map((m) => {
    const perStep = m.perStep.map((s): HeadStepLabel | null => {
      const b = s.selector >= 0 ? baseline[s.selector] : null;
      return b !== null && b !== undefined && s.similarity >= b + margin ? { selector: s.selector, similarity: s.similarity, baseline: b } : null;
    });
    // the score: the selector the head beats most, by its mean similarity over the compared steps
    let score: number | null = null;
    let selector = -1;
    m.meanBySelector.forEach((x, k) => {
      const b = baseline[k];
      if (x === null || b === null || b === undefined) return;
      if (score === null || x - b > score) {
        score = x - b;
        selector = k;
      }
    });
    return { layer: m.layer, head: m.head, perStep, score, selector };
  });
}
