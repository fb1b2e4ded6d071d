// Accumulates evaluation results per test length and halting rule, and prints the table the CLI
// shows: length, oracle accuracy, adaptive accuracies, mean chosen step.
import { describeRule, type HaltingRule } from '../infer/halting';

export interface RuleStats {
  rule: HaltingRule;
  examples: number;
  correct: number;
  /** Sum of chosen steps, for the mean. */
  stepSum: number;
  /** How often the chosen step equals T(n). */
  atOracleStep: number;
}

export interface LengthRow {
  /** The test length (n; n_b for multiplication). */
  length: number;
  /** T(n) at this length (the first example's, since a row holds one length). */
  oracleStep: number;
  rules: RuleStats[];
}

export const ruleKey = (r: HaltingRule): string => JSON.stringify(r);

export class LengthReport {
  private rows = new Map<number, LengthRow>();

  /** Adds one batch's outcome for one rule: per-example correctness and chosen steps. */
  add(length: number, rule: HaltingRule, correct: ArrayLike<number>, chosenSteps: ArrayLike<number>, oracleSteps: ArrayLike<number | bigint>): void {
    if (correct.length !== chosenSteps.length || correct.length !== oracleSteps.length) throw new Error('correct, chosenSteps and oracleSteps must have one entry per example');
    let row = this.rows.get(length);
    if (!row) {
      row = { length, oracleStep: Number(oracleSteps[0] ?? 0), rules: [] };
      this.rows.set(length, row);
    }
    let stats = row.rules.find((s) => ruleKey(s.rule) === ruleKey(rule));
    if (!stats) {
      stats = { rule, examples: 0, correct: 0, stepSum: 0, atOracleStep: 0 };
      row.rules.push(stats);
    }
    for (let i = 0; i < correct.length; i++) {
      stats.examples++;
      stats.correct += correct[i] ? 1 : 0;
      stats.stepSum += chosenSteps[i]!;
      if (chosenSteps[i] === Number(oracleSteps[i])) stats.atOracleStep++;
    }
  }

  /** Takes in another report's rows (of lengths this one does not hold yet). */
  absorb(other: LengthReport): void {
    for (const [length, row] of other.rows) {
      if (this.rows.has(length)) throw new Error(`length ${length} is in both reports`);
      this.rows.set(length, row);
    }
  }

  /** Rows sorted by length. */
  table(): LengthRow[] {
    return [...this.rows.values()].sort((a, b) => a.length - b.length);
  }

  accuracy(length: number, rule: HaltingRule): number | undefined {
    const s = this.rows.get(length)?.rules.find((r) => ruleKey(r.rule) === ruleKey(rule));
    return s && s.examples > 0 ? s.correct / s.examples : undefined;
  }

  meanStep(length: number, rule: HaltingRule): number | undefined {
    const s = this.rows.get(length)?.rules.find((r) => ruleKey(r.rule) === ruleKey(rule));
    return s && s.examples > 0 ? s.stepSum / s.examples : undefined;
  }

  toJSON(): { length: number; oracleStep: number; rules: { rule: string; examples: number; accuracy: number; meanStep: number; atOracleStep: number }[] }[] {
    return this.table().map((row) => ({
      length: row.length,
      oracleStep: row.oracleStep,
      rules: row.rules.map((s) => ({ rule: describeRule(s.rule), examples: s.examples, accuracy: s.correct / s.examples, meanStep: s.stepSum / s.examples, atOracleStep: s.atOracleStep / s.examples })),
    }));
  }

  /**
   * Plain-text table: one column per rule's accuracy, plus the mean chosen step of each adaptive
   * rule. `columns` picks and orders the rules (default: in the order they were first added).
   */
  format(columns?: { rule: HaltingRule; title: string }[]): string {
    const rows = this.table();
    const cols = columns ?? uniqueRules(rows).map((rule) => ({ rule, title: describeRule(rule) }));
    const head = ['length', 'T(n)', ...cols.map((c) => `${c.title} acc`), ...cols.filter((c) => c.rule.kind !== 'oracle').map((c) => `${c.title} step`)];
    const body = rows.map((r) => {
      const acc = cols.map((c) => fmtPct(this.accuracy(r.length, c.rule)));
      const steps = cols.filter((c) => c.rule.kind !== 'oracle').map((c) => fmtNum(this.meanStep(r.length, c.rule)));
      return [String(r.length), String(r.oracleStep), ...acc, ...steps];
    });
    return renderTable(head, body);
  }
}

function uniqueRules(rows: LengthRow[]): HaltingRule[] {
  const seen = new Map<string, HaltingRule>();
  for (const r of rows) for (const s of r.rules) if (!seen.has(ruleKey(s.rule))) seen.set(ruleKey(s.rule), s.rule);
  return [...seen.values()];
}

const fmtPct = (v: number | undefined) => (v === undefined ? '-' : `${(100 * v).toFixed(1)}%`);
const fmtNum = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1));

/** Text table with a header rule; columns are right-aligned unless `align[i]` is 'left'. */
export function renderTable(head: string[], body: string[][], align: ('left' | 'right')[] = []): string {
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((r) => (r[i] ?? '').length)));
  const pad = (c: string, i: number) => (align[i] === 'left' ? c.padEnd(widths[i]!) : c.padStart(widths[i]!));
  const line = (cells: string[]) => cells.map(pad).join('  ').trimEnd();
  return [line(head), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n');
}
