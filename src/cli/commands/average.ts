// `looplens average MODEL MODEL... --out SOUP.onnx`: a model soup, the mean of the weights of models
// of one network (core/train/modelSoup.ts), written as a model file that records its ingredients.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel, saveModel } from '../../core/model/modelFile';
import { modelSoup, recordedSoupText, SoupError } from '../../core/train/modelSoup';
import { defineCommand } from '../framework/command';
import { UsageError } from '../framework/errors';
import { shownPath } from '../support/shownPath';

export const averageCommand = defineCommand({
  name: 'average',
  summary: "Average the weights of models of one network (a model soup, e.g. fine-tunes of one model) into a new model file.",
  usage: 'looplens average MODEL MODEL... --out SOUP.onnx',
  positionals: [{ name: 'MODEL', description: 'two or more .onnx model files of one task and network (the soup records each by the name given here)', required: true, variadic: true }],
  options: {
    out: { type: 'string', valueName: 'FILE', description: 'the soup model file to write (not one of the models averaged)' },
  },
  examples: ['looplens average runs/ft-a.onnx runs/ft-b.onnx runs/ft-c.onnx --out runs/soup.onnx && looplens eval runs/soup.onnx --examples 6400'],
  async run(args, ctx) {
    const names = args.positionalsFrom(0);
    const outArg = args.string('out');
    if (outArg === undefined) throw new UsageError('--out FILE is needed: the soup model file to write');
    if (!/\.onnx$/i.test(outArg)) throw new UsageError(`--out must name a .onnx model file, got "${outArg}"`);
    const out = path.resolve(ctx.cwd, outArg);
    const files = names.map((n) => path.resolve(ctx.cwd, n));
    if (files.includes(out)) throw new UsageError(`--out ${outArg} is one of the models averaged: write the soup to a new file`);
    let soup;
    try {
      soup = modelSoup(await Promise.all(files.map(async (f, i) => ({ name: names[i]!, model: await loadModel(f) }))));
    } catch (err) {
      if (err instanceof SoupError) throw new UsageError(err.message);
      throw err;
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const bytes = await saveModel(out, soup);
    ctx.print(`${soup.task.title}: ${recordedSoupText(soup.training)} → ${shownPath(ctx.cwd, out)} (${(bytes / 1024).toFixed(0)} KiB)`);
    ctx.print(`Evaluate it: looplens eval ${shownPath(ctx.cwd, out)} --examples 6400`);
  },
});
