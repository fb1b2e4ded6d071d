// The stepper's and the debugger's program side for a RASP-L task file (e.g.
// models/tasks/parity.raspl): loads it once, then runs it on the model's own row for as many loop
// steps as the model was traced (adapting the interpreter's trace to the comparisons' per-step
// arrays), and evaluates expressions in its state after any step (watches, conditions, probes).
import type { Expr } from '../../rasp/ast';
import { evaluateParsed, type ExtraNames, type WatchValue } from '../../rasp/watch';
import { loadTask } from '../tasks/analyze';
import type { RaspTask } from '../tasks/raspTask';
import type { ProgramStepTrace } from '../compare/programSteps';
import { programStepTraceFromRasp } from '../compare/raspProgramSteps';

/** A program to compare a model with (the stepper's StepperProgramSource has this shape; view/ sits above this folder). */
export interface ProgramSource {
  /** Runs the task's step program on `row` for `steps` loop steps. */
  run(row: readonly number[], steps: number): ProgramStepTrace;
  /** Evaluates parsed expressions in the program's state after `steps` loop steps on `row` (post: not run). Throws RaspError. */
  evaluate?(row: readonly number[], steps: number, exprs: Expr[], extra?: ExtraNames): WatchValue[];
  /** The task file, when the program is one (its name, header and source lines). */
  readonly task?: RaspTask;
  readonly file?: string;
}

/** `file` is shown in the panel and opened by "open program" (give the absolute path). Throws RaspError on a broken file. */
export function raspProgramSource(source: string, file: string): ProgramSource & Required<Pick<ProgramSource, 'evaluate' | 'task' | 'file'>> {
  const task = loadTask(source, file);
  return {
    task,
    file,
    run: (row, steps) => {
      const trace = programStepTraceFromRasp(task.run(row, { steps, trace: true }).trace, source);
      return { ...trace, file };
    },
    evaluate: (row, steps, exprs, extra) => evaluateParsed(task.program, row, steps, exprs, extra),
  };
}
