// For each attention head (layer, head) and each loop step, the RASP-L selector it most resembles,
// by selectorSimilarity; and per head, the mean similarity to each selector over the steps.
import type { ModelTrace } from '../../infer/modelTrace';
import { headAttention } from '../../infer/modelTrace';
import type { ProgramSelectorTrace } from './programSteps';
import { selectorSimilarity, uniformCausalAttention } from './selectorSimilarity';

export interface HeadStepMatch {
  /** Index into the selector list (ProgramView.selectors); -1 when no selector could be compared at this step. */
  selector: number;
  similarity: number;
}

export interface HeadMatch {
  layer: number;
  head: number;
  /** perStep[t - 1] for t = 1 .. comparedSteps. */
  perStep: HeadStepMatch[];
  /** Mean similarity over the compared steps, per selector; null when never comparable. */
  meanBySelector: (number | null)[];
  /** The selector with the highest mean similarity (-1 when none). */
  best: HeadStepMatch;
}

function argmaxNullable(xs: (number | null)[]): HeadStepMatch {
  let best: HeadStepMatch = { selector: -1, similarity: 0 };
  xs.forEach((x, i) => {
    if (x !== null && (best.selector < 0 || x > best.similarity)) best = { selector: i, similarity: x };
  });
  return best;
}

/**
 * Matches every head of `trace` with `selectors` over steps 1 .. min(trace.steps, programSteps).
 * The program must run on the model's row (same width); otherwise positions would not line up.
 */
export function matchHeads(trace: ModelTrace, selectors: ProgramSelectorTrace[], programSteps: number): HeadMatch[] {
  const W = trace.width;
  const steps = Math.min(trace.steps, programSteps);
  const out: HeadMatch[] = [];
  for (let l = 0; l < trace.layers; l++) {
    for (let h = 0; h < trace.heads; h++) {
      const sums = selectors.map(() => 0);
      const counts = selectors.map(() => 0);
      const perStep: HeadStepMatch[] = [];
      for (let t = 1; t <= steps; t++) {
        const a = headAttention(trace, t, l, h);
        const sims = selectors.map((s, k) => {
          const m = s.matrices[t - 1];
          const r = m ? selectorSimilarity(a, m, W).similarity : null;
          if (r !== null) {
            sums[k]! += r;
            counts[k]!++;
          }
          return r;
        });
        perStep.push(argmaxNullable(sims));
      }
      const meanBySelector = sums.map((s, k) => (counts[k]! > 0 ? s / counts[k]! : null));
      out.push({ layer: l, head: h, perStep, meanBySelector, best: argmaxNullable(meanBySelector) });
    }
  }
  return out;
}

/** Mean similarity of uniform causal attention to each selector over its steps: the floor a head must clear. */
export function uniformBaseline(selectors: ProgramSelectorTrace[], width: number, steps: number): (number | null)[] {
  const u = uniformCausalAttention(width);
  return selectors.map((s) => {
    let sum = 0;
    let n = 0;
    for (let t = 1; t <= Math.min(steps, s.matrices.length); t++) {
      const m = s.matrices[t - 1];
      const r = m ? selectorSimilarity(u, m, width).similarity : null;
      if (r !== null) {
        sum += r;
        n++;
      }
    }
    return n === 0 ? null : sum / n;
  });
}
