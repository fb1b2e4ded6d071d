// `looplens export CHECKPOINT [--out MODEL]`: a training checkpoint as a model file, so a run can
// be evaluated, traced or opened in VS Code before it ends (or after it was stopped) without
// resuming it. The model's training record says how many of the recipe's steps it had done.
import * as path from 'node:path';
import { upgradeModelFile } from '../../core/model/modelFile';
import { exportCheckpoint } from '../../core/train/exportCheckpoint';
import { validateRecipe, type TrainRecipe } from '../../core/train/recipe';
import { recordedTrainedLengths, trainedLengthsAt } from '../../core/train/trainRecord';
import { defineCommand } from '../framework/command';
import { shownPath } from '../support/shownPath';

export const exportCommand = defineCommand({
  name: 'export',
  summary: 'Save a training checkpoint (of a run still going, or stopped) as a model file to evaluate or open.',
  usage: 'looplens export CHECKPOINT|OLD_MODEL.onnx [--out MODEL.onnx]',
  positionals: [{ name: 'CHECKPOINT', description: 'a .ckpt file written by looplens train (the model path with .ckpt), or a model file written before the integrity checksum', required: true }],
  options: {
    out: { type: 'string', valueName: 'FILE', description: 'model file to write', defaultText: 'the checkpoint path with -stepN.onnx; for a model file, its path with -reexported.onnx' },
  },
  examples: [
    'looplens export runs/copy-cpu.ckpt',
    'looplens export runs/copy-cpu.ckpt --out copy-halfway.onnx && looplens eval copy-halfway.onnx --examples 6400',
    'looplens export old-parity.onnx --out parity.onnx   # re-export a model file without the integrity checksum',
  ],
  async run(args, ctx) {
    const checkpoint = path.resolve(ctx.cwd, args.requiredPositional(0, 'CHECKPOINT'));
    const out = args.string('out');
    if (/\.onnx$/i.test(checkpoint)) {
      // A model file from before the integrity checksum: weights checked against their CRC-32, graph rebuilt, checksum added.
      const target = out === undefined ? checkpoint.replace(/\.onnx$/i, '-reexported.onnx') : path.resolve(ctx.cwd, out);
      // Older files lack the trained lengths; the curriculum is a pure function of the step, so the recipe and step count give them exactly.
      const r = await upgradeModelFile(checkpoint, target, (record, task) => {
        if (recordedTrainedLengths(record)) return record;
        const trainedLengths = trainedLengthsAt(validateRecipe(record.recipe as unknown as TrainRecipe), record.stepsCompleted, task);
        return trainedLengths ? { ...record, trainedLengths } : record;
      });
      const m = r.model;
      ctx.print(`${m.task.title}, ${m.metadata.training.stepsCompleted} steps (${m.metadata.training.preset} preset): weights checked, ${r.wasSigned ? 're-exported' : 'integrity checksum added'} → ${target} (${(r.bytes.length / 1024).toFixed(0)} KiB)`);
      ctx.print(`Evaluate it: looplens eval ${shownPath(ctx.cwd, target)} --examples 6400`);
      return;
    }
    const e = await exportCheckpoint(checkpoint, out === undefined ? undefined : path.resolve(ctx.cwd, out));
    ctx.print(`${e.taskTitle}, step ${e.step} of ${e.totalSteps} (${e.preset} preset) → ${e.modelPath} (${(e.bytes / 1024).toFixed(0)} KiB)`);
    ctx.print(`Evaluate it: looplens eval ${shownPath(ctx.cwd, e.modelPath)} --examples 6400`);
  },
});
