// probe:recipes' result: one markdown row per variant with its training time, the final oracle /
// paper-rule accuracy per length, the oracle learning curve at the first length and, for a task
// with a case split, the oracle per case at the longest length the variant still gets partly right
// (at a length far past training every case reads 0%, which says nothing).
import type { CaseCount } from '../../src/core/eval/caseTally';
import type { Variant } from './probeVariants';

export interface Outcome {
  variant: Variant;
  trainMin: number | null;
  curve: string[];
  /** length → [oracle, paper rule] */
  final: Map<number, [number, number]>;
  /** length → oracle accuracy per case label (tasks with a case split) */
  cases: Map<number, CaseCount[]>;
  error: string | null;
}

export function emptyOutcome(variant: Variant): Outcome {
  return { variant, trainMin: null, curve: [], final: new Map(), cases: new Map(), error: null };
}

/** Where a variant's case split is shown: the longest length whose oracle is at least this. */
const PARTLY_RIGHT = 0.1;

/** The longest of `lengths` the variant gets at least PARTLY_RIGHT of under the oracle; the first when none. */
export function caseLength(o: Outcome, lengths: readonly number[]): number {
  const partly = lengths.filter((n) => (o.final.get(n)?.[0] ?? 0) >= PARTLY_RIGHT);
  return partly.length > 0 ? partly[partly.length - 1]! : lengths[0]!;
}

/** An accuracy as a percentage with one decimal, without the sign. */
const pct = (x: number) => (100 * x).toFixed(1);

function markdown(head: readonly string[], rows: readonly (readonly string[])[]): string {
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

/** The table; `casesTitle` (the split's title) adds the per-case column. */
export function table(outcomes: readonly Outcome[], lengths: readonly number[], every: number, casesTitle: string | null): string {
  const byCase = (o: Outcome) => {
    const n = caseLength(o, lengths);
    const counts = o.cases.get(n) ?? [];
    return counts.length === 0 ? '-' : `n = ${n}: ${counts.map((c) => `${c.label}: ${c.examples ? `${pct(c.correct / c.examples)}%` : '-'} of ${c.examples}`).join(', ')}`;
  };
  const head = ['variant', 'options', 'training', ...lengths.map((n) => `n = ${n}`), `oracle at n = ${lengths[0]} every ${every} steps`, ...(casesTitle ? [`oracle by ${casesTitle}, at the longest length at least ${pct(PARTLY_RIGHT)}% right`] : [])];
  const rows = outcomes.map((o) => [
    o.variant.name,
    `\`${o.variant.args.join(' ')}\``,
    o.trainMin === null ? '-' : `${o.trainMin.toFixed(1)} min`,
    ...lengths.map((n) => {
      const f = o.final.get(n);
      return f ? `${pct(f[0])} / ${pct(f[1])}%` : (o.error ?? '-');
    }),
    o.curve.join(', '),
    ...(casesTitle ? [byCase(o)] : []),
  ]);
  return markdown(head, rows);
}

/**
 * With --seeds: one row per variant as given, its oracle over the seeds at each length as
 * "min-max% (mean M)" (one seed, or seeds that agree: the value), so two variants are told apart only by more than
 * their own spread.
 */
export function seedSpreadTable(outcomes: readonly Outcome[], lengths: readonly number[]): string {
  const groups = new Map<string, Outcome[]>();
  for (const o of outcomes) {
    const group = o.variant.seeded?.group ?? o.variant.name;
    groups.set(group, [...(groups.get(group) ?? []), o]);
  }
  const head = ['variant', 'seeds', ...lengths.map((n) => `oracle at n = ${n}`)];
  const rows = [...groups].map(([group, os]) => {
    const seeds = os.map((o) => o.variant.seeded?.seed ?? '-').join(', ');
    return [
      group,
      seeds,
      ...lengths.map((n) => {
        const xs = os.flatMap((o) => (o.final.has(n) ? [o.final.get(n)![0]] : []));
        if (xs.length === 0) return '-';
        const missing = os.length - xs.length;
        const [lo, hi] = [pct(Math.min(...xs)), pct(Math.max(...xs))];
        const spread = xs.length === 1 ? `${lo}% (one seed)` : lo === hi ? `${lo}% (every seed)` : `${lo}-${hi}% (mean ${pct(xs.reduce((a, b) => a + b, 0) / xs.length)})`;
        return `${spread}${missing > 0 ? `, ${missing} of ${os.length} seeds without a result` : ''}`;
      }),
    ];
  });
  return markdown(head, rows);
}
