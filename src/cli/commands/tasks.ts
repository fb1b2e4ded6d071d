// `looplens tasks [TASK] [--input TEXT | --length N]`: lists the built-in tasks, or shows one row of
// a task exactly as the model sees it (tokens, targets, mask, T(n)).
import { getTask, taskNames, TaskInputError, type Task, type TaskExample } from '../../core/tasks';
import { Rng } from '../../core/util/rng';
import { defineCommand } from '../framework/command';
import { UsageError } from '../framework/errors';
import { renderTable } from '../../core/eval/lengthReport';

function rowTable(task: Task, ex: TaskExample): string {
  const pos = ex.input.map((_, i) => String(i));
  const sym = (t: number) => task.symbols[t] ?? String(t);
  const rows = [
    ['pos', ...pos],
    ['input', ...ex.input.map(sym)],
    ['target', ...ex.target.map((t, i) => (ex.mask[i] ? sym(t) : '_'))],
    ['mask', ...ex.mask.map(String)],
  ];
  return renderTable(rows[0]!, rows.slice(1), ['left']);
}

export const tasksCommand = defineCommand({
  name: 'tasks',
  summary: 'List the built-in tasks, or show one task row (tokens, targets, mask, T(n)).',
  usage: 'looplens tasks [TASK] [--input TEXT | --length N] [--seed S]',
  positionals: [{ name: 'TASK', description: `one of ${taskNames.join(', ')}` }],
  options: {
    input: { type: 'string', valueName: 'TEXT', description: 'the input to encode, e.g. 1011 (parity) or 1110+0101 (addition)' },
    length: { type: 'string', valueName: 'N', description: 'a random input of this length (n_b for multiplication, with n_a = 2)' },
    seed: { type: 'string', valueName: 'S', description: 'seed for --length', defaultText: '0' },
  },
  examples: ['looplens tasks', 'looplens tasks addition --input 1110+0101', 'looplens tasks unique_set --length 8'],
  run(args, ctx) {
    const name = args.positional(0);
    if (name === undefined) {
      if (args.has('input') || args.has('length')) throw new UsageError('--input and --length need a TASK');
      const rows = taskNames.map((n) => {
        const t = getTask(n);
        return [n, t.inputSyntax, String(t.curriculum.end - 1), String(t.testLength), `${t.paperBlock.layers}L ${t.paperBlock.heads}H`, t.description];
      });
      ctx.print(renderTable(['task', 'example input', 'train n ≤', 'test n', 'paper block', 'description'], rows, ['left', 'left', 'right', 'right', 'right', 'left']));
      return;
    }
    let task: Task;
    try {
      task = getTask(name);
    } catch (err) {
      throw new UsageError((err as Error).message);
    }
    if (args.has('input') && args.has('length')) throw new UsageError('give --input or --length, not both');
    let ex: TaskExample;
    try {
      if (args.has('input')) {
        ex = task.fromText(args.requiredString('input'));
      } else {
        const n = args.intOr('length', task.testLength, { min: 1, max: 1000 });
        ex = task.sampleAt(new Rng(args.intOr('seed', 0)), task.lengthNames.length === 2 ? [2, n] : [n]);
      }
    } catch (err) {
      if (err instanceof TaskInputError) throw new UsageError(err.message);
      throw err;
    }
    const r = task.render(ex);
    ctx.print(`${task.title}: ${r.input} → ${r.answer === '' ? '(empty)' : r.answer}   ${r.gloss}`);
    ctx.print(`lengths ${task.lengthNames.map((k, i) => `${k}=${ex.lengths[i]}`).join(' ')}, T(n) = ${ex.steps}, adaptive budget ${task.maxSteps(ex.lengths)} steps, width ${ex.input.length}`);
    ctx.print(rowTable(task, ex));
  },
});
