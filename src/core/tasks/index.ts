// The task registry: look a task up by name (`getTask('parity')`).
import { addition } from './addition';
import { binarySum } from './binarySum';
import { copy } from './copy';
import { multiplication } from './multiplication';
import { parity } from './parity';
import { TaskInputError, type Task, type TaskName } from './types';
import { uniqueSet } from './uniqueSet';

export * from './types';

const registry: Record<TaskName, Task> = {
  parity,
  copy,
  addition,
  binary_sum: binarySum,
  multiplication,
  unique_set: uniqueSet,
};

export const taskNames: readonly TaskName[] = ['parity', 'copy', 'addition', 'binary_sum', 'multiplication', 'unique_set'];

export function isTaskName(name: string): name is TaskName {
  return (taskNames as readonly string[]).includes(name);
}

/** The task called `name`; an unknown name throws TaskInputError listing the valid names. */
export function getTask(name: string): Task {
  if (!isTaskName(name)) throw new TaskInputError(`unknown task "${name}"; valid tasks: ${taskNames.join(', ')}`);
  return registry[name];
}

/** The built-in tasks with hard inputs to draw a recipe's hardShare from ('unique_set'). */
export function tasksWithHardInputs(): TaskName[] {
  return taskNames.filter((n) => registry[n].hardInputs !== undefined);
}

/** Why `task` cannot take a hard share ("the parity task has no hard inputs to draw from (tasks with them: unique_set)"); undefined when it can. */
export function noHardInputsReason(task: Pick<Task, 'name' | 'hardInputs'>): string | undefined {
  return task.hardInputs ? undefined : `the ${task.name} task has no hard inputs to draw from (tasks with them: ${tasksWithHardInputs().join(', ')})`;
}

/** The built-in tasks with distinct inputs to draw a recipe's distinctShare from ('unique_set'). */
export function tasksWithDistinctInputs(): TaskName[] {
  return taskNames.filter((n) => registry[n].distinctInputs !== undefined);
}

/** Why `task` cannot take a distinct share ("the copy task has no distinct inputs to draw from (tasks with them: unique_set)"); undefined when it can. */
export function noDistinctInputsReason(task: Pick<Task, 'name' | 'distinctInputs'>): string | undefined {
  return task.distinctInputs ? undefined : `the ${task.name} task has no distinct inputs to draw from (tasks with them: ${tasksWithDistinctInputs().join(', ')})`;
}
