// Finds the Task a recipe, checkpoint or model file was made for: a built-in by name, or a RASP-L
// task rebuilt from the .raspl source it carries (so the original file is not needed).
import { RaspError } from '../../rasp/errors';
import { getTask } from '../../tasks';
import { TaskInputError, type RaspSourceRef, type Task } from '../../tasks/types';
import { taskFromRaspl } from './fromRaspl';

/** What names a task: `task` alone for a built-in, plus `taskFile` for a custom RASP-L task. */
export interface TaskRef {
  task: string;
  taskFile?: RaspSourceRef;
}

// Parsing a program is not free and the trainer asks per batch; sources are small, keep a few.
const cache = new Map<string, Task>();
const CACHE_SIZE = 8;

/** The task a recipe or model describes; throws TaskInputError when it cannot be rebuilt. */
export function resolveTask(ref: TaskRef): Task {
  if (ref.taskFile === undefined) return getTask(ref.task);
  const { file, source } = ref.taskFile;
  if (typeof file !== 'string' || typeof source !== 'string') throw new TaskInputError(`the custom task "${ref.task}" has a damaged task file record (needs file and source strings)`);
  const key = `${file}\0${source}`;
  let task = cache.get(key);
  if (task === undefined) {
    try {
      task = taskFromRaspl(source, file);
    } catch (e) {
      if (e instanceof RaspError) throw new TaskInputError(`the custom task's program no longer loads: ${e.format(file)}`);
      throw e;
    }
    if (cache.size >= CACHE_SIZE) cache.delete(cache.keys().next().value!);
    cache.set(key, task);
  }
  if (task.name !== ref.task) throw new TaskInputError(`the task file ${file} defines the task "${task.name}", but this was made for "${ref.task}"`);
  return task;
}
