// `looplens export CHECKPOINT [--out MODEL]`: a training checkpoint as a model file, so a run can
// be evaluated, traced or opened in VS Code before it ends (or after it was stopped) without
// resuming it. The model's training record says how many of the recipe's steps it had done.
import * as path from 'node:path';
import { saveModel } from '../../core/model/modelFile';
import { resolveTask } from '../../core/tasks/resolve';
import { checkpointResult } from '../../core/train/trainer';
import { trainingRecordOf } from '../../core/train/trainRecord';
import { defineCommand } from '../framework/command';
import { shownPath } from '../support/shownPath';

/** runs/copy-cpu.ckpt at step 4000 → runs/copy-cpu-step4000.onnx */
export function exportPathFor(checkpointPath: string, step: number): string {
  const ext = path.extname(checkpointPath);
  const stem = ext === '' ? checkpointPath : checkpointPath.slice(0, -ext.length);
  return `${stem}-step${step}.onnx`;
}

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'Save a training checkpoint (of a run still going, or stopped) as a model file to evaluate or open.',
  usage: 'looplens export CHECKPOINT [--out MODEL.onnx]',
  positionals: [{ name: 'CHECKPOINT', description: 'a .ckpt file written by looplens train (the model path with .ckpt)', required: true }],
  options: {
    out: { type: 'string', valueName: 'FILE', description: 'model file to write', defaultText: 'the checkpoint path with -stepN.onnx' },
  },
  examples: ['looplens export runs/copy-cpu.ckpt', 'looplens export runs/copy-cpu.ckpt --out copy-halfway.onnx && looplens eval copy-halfway.onnx --examples 6400'],
  async run(args, ctx) {
    const checkpoint = path.resolve(ctx.cwd, args.requiredPositional(0, 'CHECKPOINT'));
    const run = await checkpointResult(checkpoint);
    const out = path.resolve(ctx.cwd, args.string('out') ?? exportPathFor(checkpoint, run.step));
    const task = resolveTask(run.recipe);
    const bytes = await saveModel(out, { task, config: run.recipe.model, params: run.params, training: trainingRecordOf(run) });
    ctx.print(`${task.title}, step ${run.step} of ${run.recipe.steps} (${run.recipe.preset} preset) → ${out} (${(bytes / 1024).toFixed(0)} KiB)`);
    ctx.print(`Evaluate it: looplens eval ${shownPath(ctx.cwd, out)} --examples 6400`);
  },
});
