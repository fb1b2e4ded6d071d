// The halting rules an evaluation scores, and how it splits them: the paper's rule sees the whole
// test set of a length at once (LengthConfidence), the others decide per batch.
import type { HaltingRule } from '../infer/halting';
import type { CaseRule } from './caseTally';

export const ORACLE: HaltingRule = { kind: 'oracle' };
/** The paper's rule: evaluateWith applies it to every test example of a length at once (LengthConfidence). */
export const PER_BATCH: HaltingRule = { kind: 'batch-confidence' };
/** The paper's per-example variant: each example stops at its own lowest mean -log(max prob). */
export const PER_EXAMPLE: HaltingRule = { kind: 'example-confidence', score: 'mean' };
/** Per-example scores measured next to the paper's, to see whether any stops one input well (on parity none did). */
export const PER_EXAMPLE_VARIANTS: HaltingRule[] = [
  PER_EXAMPLE,
  { kind: 'example-confidence', score: 'answer' },
  { kind: 'example-confidence', score: 'min' },
  { kind: 'stable', hold: 3 },
];

/** The per-example rule the summary (and the case split) reports: the first one asked for. */
export function perExampleRuleOf(rules: HaltingRule[]): HaltingRule | undefined {
  return rules.find((r) => r.kind === 'example-confidence' || r.kind === 'stable');
}

export interface RuleSplit {
  /** The paper's rule when asked for: scored over the whole length. */
  paperRule: HaltingRule | undefined;
  /** Every other rule: scored batch by batch. */
  batchRules: HaltingRule[];
  perExample: HaltingRule | undefined;
  /** The rules the case split counts besides the oracle. */
  caseRules: CaseRule[];
}

export function splitRules(rules: HaltingRule[]): RuleSplit {
  const paperRule = rules.find((r) => r.kind === 'batch-confidence');
  const perExample = perExampleRuleOf(rules);
  return {
    paperRule,
    batchRules: rules.filter((r) => r !== paperRule),
    perExample,
    caseRules: [...(paperRule ? ['paperRule' as const] : []), ...(perExample ? ['perExample' as const] : [])],
  };
}
