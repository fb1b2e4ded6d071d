// `looplens compare A.onnx B.onnx … [--lengths L,…] [--examples N]`: models of one task side by side
// on the same test inputs (one seed for all), oracle and the paper's rule per length: seeds of a
// recipe, the branches a run kept, fine-tunes and their soup.
import * as path from 'node:path';
import { modelTestLengths } from '../../core/train/testLengths';
import { evaluationRunsAtOnce, fittingBatchSize } from '../../core/eval/evalLimits';
import { evaluateParams, ORACLE, PER_BATCH, PER_EXAMPLE } from '../../core/eval/evaluate';
import { loadModel, type LoadedModel } from '../../core/model/modelFile';
import { defineCommand } from '../framework/command';
import { UsageError } from '../framework/errors';
import { DEFAULT_EVAL_BATCH, printModelComparison, evalProviderFrom, evalProviderOptions, type ComparedModel } from '../support/training';

const MAX_MODELS = 32;

export const compareCommand = defineCommand({
  name: 'compare',
  summary: 'Evaluate models of one task side by side on the same test inputs: oracle and the paper rule per length.',
  usage: 'looplens compare MODEL MODEL... [--lengths L,L,...] [--examples N] [--seed S] [--json]',
  positionals: [{ name: 'MODEL', description: `two to ${MAX_MODELS} .onnx model files of one task (seeds of a recipe, the branches a run kept, fine-tunes and their soup)`, required: true, variadic: true }],
  options: {
    lengths: { type: 'string', valueName: 'L,L,...', description: 'test lengths (n; n_b for multiplication with n_a = 2)', defaultText: "those `looplens eval` picks for the first model" },
    examples: { type: 'string', valueName: 'N', description: 'random examples per length, the same for every model (the paper reports 6400)', defaultText: '1280' },
    seed: { type: 'string', valueName: 'S', description: 'seed of the test examples', defaultText: '1234' },
    json: { type: 'boolean', description: "print each model's evaluation summary as JSON" },
    ...evalProviderOptions,
  },
  examples: ['looplens compare runs/copy-cpu.onnx runs/copy-cpu-branch1.onnx runs/copy-cpu-branch2.onnx runs/copy-cpu-branch3.onnx --lengths 30,38', 'looplens compare runs/seed0.onnx runs/seed1.onnx --examples 6400'],
  async run(args, ctx) {
    const names = args.positionalsFrom(0);
    if (names.length < 2 || names.length > MAX_MODELS) throw new UsageError(`compare takes 2 to ${MAX_MODELS} model files, got ${names.length}`);
    const ep = evalProviderFrom(args, ctx);
    const examples = args.intOr('examples', 1280, { min: 1, max: 10_000_000 });
    const seed = args.intOr('seed', 1234, { min: 0, max: 2 ** 31 - 1 });
    const models: { name: string; model: LoadedModel }[] = [];
    for (const name of names) models.push({ name, model: await loadModel(path.resolve(ctx.cwd, name)) });
    const first = models[0]!.model;
    for (const m of models.slice(1)) {
      if (m.model.task.name !== first.task.name) throw new UsageError(`${m.name} is a ${m.model.task.name} model and ${models[0]!.name} a ${first.task.name} one: compare models of one task`);
    }
    const lengths = args.intList('lengths', { min: 1, max: 500 }) ?? modelTestLengths(first);
    const compared: ComparedModel[] = [];
    for (const [i, { name, model }] of models.entries()) {
      const batchSize = fittingBatchSize(model.task, model.config, { lengths, examples, batchSize: DEFAULT_EVAL_BATCH, calibration: 0, runsAtOnce: evaluationRunsAtOnce(ep.workers) });
      const bar = ctx.progress({ label: `evaluating ${i + 1}/${models.length}`, total: lengths.length * Math.ceil(examples / batchSize), unit: 'batch' });
      const result = await evaluateParams(model.task, model.config, model.params, { lengths, examples, batchSize, seed, rules: [ORACLE, PER_BATCH, PER_EXAMPLE], provider: ep.provider, cpuThreads: ep.cpuThreads, workers: ep.workers, log: ep.log, onProgress: (p) => bar.update(p.done, { n: p.length }) });
      bar.finish();
      compared.push({ title: name, result });
    }
    if (args.flag('json')) {
      ctx.print(JSON.stringify({ seed, examples, models: compared.map((c) => ({ model: c.title, summary: c.result!.summary })) }, null, 2));
      return;
    }
    ctx.print(`${first.task.title}: ${models.length} models on the same ${examples} examples per length (seed ${seed})`);
    printModelComparison(ctx, compared);
  },
});
