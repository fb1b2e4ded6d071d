// The fixed-depth baseline (the paper's "NTP-Loop, fixed depth"): the same looped block run a fixed
// number of times whatever the input length. As a Task it is the task itself with every row read
// at step `fixedSteps` instead of its T(n): training batches, the oracle stop, the adaptive rules'
// budget (fixedSteps + the task's extra steps), traces and the stepper all follow from task.steps,
// task.maxSteps, task.horizon and the rows' `steps`, so nothing downstream needs to know.
import { LIMITS } from '../util/limits';
import { TaskInputError, type Task, type TaskExample } from './types';

/** Throws TaskInputError unless `steps` is a usable fixed depth. */
export function checkFixedSteps(steps: unknown): number {
  if (typeof steps !== 'number' || !Number.isSafeInteger(steps) || steps < 1 || steps > LIMITS.steps) {
    throw new TaskInputError(`a fixed depth must be an integer number of loop steps in 1..${LIMITS.steps}, got ${String(steps)}`);
  }
  return steps;
}

/** `task` with every example read at loop step `fixedSteps` (the rows themselves, answers included, are unchanged). */
export function fixedDepthTask(task: Task, fixedSteps: number): Task {
  const depth = checkFixedSteps(fixedSteps);
  if (task.fixedSteps !== undefined) {
    if (task.fixedSteps === depth) return task;
    throw new TaskInputError(`the ${task.name} task is already read at a fixed depth of ${task.fixedSteps} steps, not ${depth}`);
  }
  const atDepth = (ex: TaskExample): TaskExample => ({ ...ex, steps: depth });
  const hard = task.hardInputs;
  const distinct = task.distinctInputs;
  return {
    ...task,
    fixedSteps: depth,
    steps: (lengths) => {
      task.steps(lengths); // the task still checks the lengths
      return depth;
    },
    maxSteps: (lengths) => {
      task.steps(lengths);
      return depth + task.adaptiveExtraSteps;
    },
    horizon: () => depth,
    // The base task's own sampling, so a seed gives the same rows (and the same data stream) as without a fixed depth.
    sampleTraining: (rng, nPoints, width, atLongest) => atDepth(task.sampleTraining(rng, nPoints, width, atLongest)),
    sampleAt: (rng, lengths, width) => atDepth(task.sampleAt(rng, lengths, width)),
    ...(hard ? { hardInputs: { description: hard.description, sampleAt: (rng, lengths, width) => atDepth(hard.sampleAt(rng, lengths, width)) } } : {}),
    ...(distinct ? { distinctInputs: { description: distinct.description, maxLength: distinct.maxLength, sampleAt: (rng, lengths, width) => atDepth(distinct.sampleAt(rng, lengths, width)) } } : {}),
    fromText: (text, width) => atDepth(task.fromText(text, width)),
  };
}
