// The shape of a RASP-L program's step-by-step trace as the comparisons read it: plain arrays,
// independent of the interpreter's own classes (raspProgramSteps.ts adapts a RASP-L trace to this).
// Steps: values[s] is the state after s loop steps (s = 0: before the first step);
// selectors' matrices[s - 1] is the selection made during step s.

export interface ProgramVariableTrace {
  name: string;
  /** 1-based source line of the assignment, when known. */
  line: number | null;
  /** values[s][p], s = 0 .. steps. Each row has the program's width; null before the variable exists (e.g. at s = 0 for one first assigned in the step). */
  values: (ArrayLike<number> | null)[];
}

export interface ProgramSelectorTrace {
  name: string;
  line: number | null;
  /** matrices[s - 1], s = 1 .. steps: row-major [query, key], 1 where the query reads the key (causal: key <= query; for a max/min aggregate only the selected keys holding the max/min); null when not used at that step. */
  matrices: (Uint8Array | null)[];
}

export interface ProgramStepTrace {
  file: string;
  source: string;
  /** Number of positions the program ran on (the model's row width when both read the same row). */
  width: number;
  /** Number of loop steps recorded. */
  steps: number;
  variables: ProgramVariableTrace[];
  selectors: ProgramSelectorTrace[];
  /** answers[s][p], s = 0 .. steps: the task's answer token read out of the program's state after s steps (only scored positions matter); null when the program has no read-out. */
  answers: (ArrayLike<number> | null)[];
}

/** Throws a clear error when a program trace's arrays disagree with its width and step count. */
export function checkProgramTrace(p: ProgramStepTrace): ProgramStepTrace {
  const W = p.width;
  if (!Number.isInteger(W) || W < 1) throw new Error(`program trace: width must be a positive integer, got ${W}`);
  if (!Number.isInteger(p.steps) || p.steps < 0) throw new Error(`program trace: steps must be a non-negative integer, got ${p.steps}`);
  const rows = (what: string, arr: (ArrayLike<number> | null)[], n: number, len: number) => {
    if (arr.length !== n) throw new Error(`program trace: ${what} has ${arr.length} steps, expected ${n}`);
    arr.forEach((r, s) => {
      if (r !== null && r.length !== len) throw new Error(`program trace: ${what} at step ${s} has ${r.length} values, expected ${len}`);
    });
  };
  for (const v of p.variables) rows(`variable "${v.name}"`, v.values, p.steps + 1, W);
  for (const s of p.selectors) rows(`selector "${s.name}"`, s.matrices, p.steps, W * W);
  rows('answers', p.answers, p.steps + 1, W);
  return p;
}
