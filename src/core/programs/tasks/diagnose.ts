// Problems of a .raspl source for the editor, as plain data (the VS Code layer maps them to
// Diagnostics). Static errors come from analyze(); a task file is also run on small random rows
// and a plain program on a short sample input, so runtime errors (index arithmetic, reading
// future positions) show up while typing. Runs are capped by a small work budget.
import { RaspError } from '../../rasp/errors';
import { runProgram } from '../../rasp/interpreter';
import { analyze, dryRunTask } from './analyze';

export interface Problem {
  /** 1-based. */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  message: string;
  severity: 'error' | 'warning';
}

/** Input used to try a plain program (it has no @input to sample from). */
export const SAMPLE_INPUT = [0, 1, 1, 0, 1, 2, 3, 3];
const DRY_RUN_BUDGET = 5_000_000;

function toProblem(e: RaspError, severity: Problem['severity'], suffix = ''): Problem {
  const { start, end } = e.span;
  const sameOrBefore = end.line < start.line || (end.line === start.line && end.column <= start.column);
  const via = e.callStack.length > 0 ? ` (in ${e.callStack.join(' › ')})` : '';
  return {
    line: start.line,
    column: start.column,
    endLine: sameOrBefore ? start.line : end.line,
    endColumn: sameOrBefore ? start.column + 1 : end.column,
    message: `${e.message}${via}${suffix}`,
    severity,
  };
}

export function diagnose(source: string, file: string): Problem[] {
  const a = analyze(source, file);
  if (a.errors.length > 0) return a.errors.map((e) => toProblem(e, 'error'));
  if (a.task !== null) {
    const e = dryRunTask(a.task, 1, undefined, DRY_RUN_BUDGET);
    return e === null ? [] : [toProblem(e, 'error', ' — found by running the task on a small random row')];
  }
  try {
    runProgram(a.program, SAMPLE_INPUT, { trace: false, budget: DRY_RUN_BUDGET });
    return [];
  } catch (e) {
    if (!(e instanceof RaspError)) throw e;
    // Without @input the program's real inputs are unknown, so this is only a warning.
    return [toProblem(e, 'warning', ` — found by running on the sample input ${SAMPLE_INPUT.join(' ')}`)];
  }
}
