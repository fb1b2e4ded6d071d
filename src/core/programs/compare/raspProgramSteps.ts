// Adapts the RASP-L interpreter's trace (src/core/rasp/trace.ts: one record per phase) to the
// per-step arrays the comparisons read. Only `init` (step 0) and the loop-step records are used:
// the model's iterations correspond to the program's step block, not to pre/post.
import type { ProgramTrace, TraceRecord } from '../../rasp/trace';
import type { ProgramSelectorTrace, ProgramStepTrace, ProgramVariableTrace } from './programSteps';

/** `source` is the program's text (the trace keeps only the file name). */
export function programStepTraceFromRasp(trace: ProgramTrace, source: string): ProgramStepTrace {
  const T = trace.steps;
  const byStep: (TraceRecord | undefined)[] = new Array(T + 1);
  for (const r of trace.records) {
    if (r.phase === 'init') byStep[0] = r;
    else if (r.phase === 'step' && r.step >= 1 && r.step <= T) byStep[r.step] = r;
  }

  const variables = new Map<string, ProgramVariableTrace>();
  byStep.forEach((r, s) => {
    for (const v of r?.variables ?? []) {
      let entry = variables.get(v.name);
      if (!entry) {
        entry = { name: v.name, line: v.line, values: new Array(T + 1).fill(null) };
        variables.set(v.name, entry);
      }
      entry.values[s] = v.values;
    }
  });

  // A selector keeps its id across steps (same call site); its readable name is taken from the first step it appears in.
  const selectors = new Map<string, ProgramSelectorTrace>();
  for (let s = 1; s <= T; s++) {
    for (const sel of byStep[s]?.selectors ?? []) {
      let entry = selectors.get(sel.id);
      if (!entry) {
        entry = { name: sel.name, line: sel.line, matrices: new Array(T).fill(null) };
        selectors.set(sel.id, entry);
      }
      // A head computing a max/min attends to the keys holding it, so that is what it is compared with.
      entry.matrices[s - 1] = sel.reads ?? sel.matrix;
    }
  }

  return {
    file: trace.file,
    source,
    width: trace.width,
    steps: T,
    variables: [...variables.values()].sort((a, b) => (a.line ?? 0) - (b.line ?? 0)),
    selectors: [...selectors.values()],
    answers: byStep.map((r) => r?.answer ?? null),
  };
}
