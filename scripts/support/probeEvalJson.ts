// What probe:recipes reads from `looplens eval --json [--cases]`: per length the oracle and the
// paper rule's accuracy, and the oracle's count per case label. Only the fields read here are
// typed, so fields the report gains later are ignored.
import type { CaseCount } from '../../src/core/eval/caseTally';

export interface EvalJson {
  summary: { rows: { length: number; oracle: number; perBatch: number }[] };
  cases?: { byLength: Record<string, CaseCount[]> };
}

export interface EvalNumbers {
  /** length → [oracle, paper rule] */
  final: Map<number, [number, number]>;
  /** length → oracle accuracy per case label (tasks with a case split) */
  cases: Map<number, CaseCount[]>;
}

/** The numbers of an eval command's output: its JSON follows any progress lines; throws when there is none. */
export function parseEvalOutput(out: string): EvalNumbers {
  const report = JSON.parse(out.slice(out.indexOf('{'))) as EvalJson;
  const final = new Map<number, [number, number]>();
  const cases = new Map<number, CaseCount[]>();
  for (const r of report.summary.rows) final.set(r.length, [r.oracle, r.perBatch]);
  for (const [n, counts] of Object.entries(report.cases?.byLength ?? {})) cases.set(Number(n), counts);
  return { final, cases };
}
