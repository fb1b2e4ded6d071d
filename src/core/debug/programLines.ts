// Where a RASP-L task file's statements are, as the debugger needs them: which lines assign which
// variable and in which part (top level and pre: run once before the loop, step: once per loop
// iteration, post: only when the answer is read out), and the line of the step: block itself.
import type { BlockName, Program, Stmt } from '../rasp/ast';

export type LinePhase = 'before' | 'step' | 'post';

export interface AssignLine {
  /** 1-based line of the assignment. */
  line: number;
  variable: string;
  phase: LinePhase;
}

export interface ProgramLines {
  /** Every assignment, in source order. */
  assigns: AssignLine[];
  /** 1-based line of `step:`; null when the program has no step block. */
  stepLine: number | null;
  /** Last line of the step block's body (breakpoints after it are not in the loop). */
  stepEnd: number | null;
}

function assignsOf(stmts: Stmt[], phase: LinePhase): AssignLine[] {
  return stmts.flatMap((s) => (s.kind === 'assign' ? [{ line: s.span.start.line, variable: s.target, phase }] : []));
}

export function programLines(program: Program): ProgramLines {
  const block = (name: BlockName) => program.blocks[name]?.body ?? [];
  const step = program.blocks.step;
  const assigns = [...assignsOf(program.top, 'before'), ...assignsOf(block('pre'), 'before'), ...assignsOf(block('step'), 'step'), ...assignsOf(block('post'), 'post')].sort((a, b) => a.line - b.line);
  const stepEnd = step && step.body.length > 0 ? Math.max(...step.body.map((s) => s.span.end.line)) : null;
  return { assigns, stepLine: step?.span.start.line ?? null, stepEnd };
}

/** The variables a program assigns inside its step block (they change from one iteration to the next). */
export function loopVariables(lines: ProgramLines): Set<string> {
  return new Set(lines.assigns.filter((a) => a.phase === 'step').map((a) => a.variable));
}
