// The stepper's program side for a RASP-L task file (e.g. models/tasks/parity.raspl): loads it
// once, then runs it on the model's own row for as many loop steps as the model was traced, and
// adapts the interpreter's trace to the comparisons' per-step arrays.
import { loadTask } from '../tasks/analyze';
import type { ProgramStepTrace } from '../compare/programSteps';
import { programStepTraceFromRasp } from '../compare/raspProgramSteps';

/** A program to compare a model with (the stepper's StepperProgramSource has this shape; view/ sits above this folder). */
export interface ProgramSource {
  /** Runs the task's step program on `row` for `steps` loop steps. */
  run(row: readonly number[], steps: number): ProgramStepTrace;
}

/** `file` is shown in the panel and opened by "open program" (give the absolute path). Throws RaspError on a broken file. */
export function raspProgramSource(source: string, file: string): ProgramSource {
  const task = loadTask(source, file);
  return {
    run: (row, steps) => {
      const trace = programStepTraceFromRasp(task.run(row, { steps, trace: true }).trace, source);
      return { ...trace, file };
    },
  };
}
