// The main job (`looplens` with no arguments, `npm start`): train a parity model with the cpu
// preset, evaluate it at the training and test lengths, print the table and say where the model
// file is and how to open it. An interrupted run is continued from its checkpoint.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultTestLengths } from '../../core/train/testLengths';
import { makeRecipe } from '../../core/train/recipePlan';
import { RecipeError, type TrainRecipe } from '../../core/train/recipe';
import { canResumeWith } from '../../core/train/recipeDiff';
import { finalEnd } from '../../core/train/stages';
import { checkpointPathFor, DEFAULT_CHECKPOINT_EVERY, readTrainingCheckpointInfo } from '../../core/train/trainingCheckpoint';
import { getTask, TaskInputError } from '../../core/tasks';
import { defineCommand } from '../framework/command';
import { UsageError } from '../framework/errors';
import { printEvalTable, providerFrom, providerOptions, trainedStepsText, trainWithProgress } from '../support/training';
import { shownPath } from '../support/shownPath';

/**
 * The checkpoint's step and the recipe to continue it with, when it is this job's run: the same
 * recipe up to `steps`, or the one this job planned for the checkpoint's own step count (a run
 * started with another --steps, whose curriculum was scaled to it: it keeps that pace). Else undefined.
 */
async function resumable(checkpointPath: string, recipe: TrainRecipe, planFor: (steps: number) => TrainRecipe): Promise<{ step: number; recipe: TrainRecipe } | undefined> {
  if (!fs.existsSync(checkpointPath)) return undefined;
  try {
    const ck = await readTrainingCheckpointInfo(checkpointPath);
    const ours = canResumeWith(ck.recipe, recipe) || canResumeWith(ck.recipe, planFor(ck.recipe.steps));
    return ours && ck.step <= recipe.steps ? { step: ck.step, recipe: { ...ck.recipe, steps: recipe.steps } } : undefined;
  } catch {
    return undefined;
  }
}

export const startCommand = defineCommand({
  name: 'start',
  summary: 'The main job: train a parity model (cpu preset), evaluate it on longer inputs, and show where the model file is.',
  usage: 'looplens start [--steps N] [--out FILE] [--examples N] [--fresh] [options]',
  options: {
    task: { type: 'string', valueName: 'TASK', description: 'task to train', defaultText: 'parity' },
    steps: { type: 'string', valueName: 'N', description: "training steps (default: the cpu preset's); small values make a quick demo" },
    seed: { type: 'string', valueName: 'S', description: 'seed for initialisation and data', defaultText: "the preset's" },
    out: { type: 'string', valueName: 'FILE', description: 'model file to write', defaultText: 'runs/TASK-cpu.onnx' },
    lengths: { type: 'string', valueName: 'L,L,...', description: 'test lengths', defaultText: '10,20,30,40 for parity' },
    examples: { type: 'string', valueName: 'N', description: 'evaluation examples per length', defaultText: '640' },
    fresh: { type: 'boolean', description: 'start over even if an interrupted run can be continued' },
    ...providerOptions,
    // One thread by default: the measured cpu-preset result is then reproduced bit for bit.
    threads: { ...providerOptions.threads!, defaultText: '1 (reproducible; 0 lets ONNX Runtime decide)' },
  },
  examples: ['looplens', 'looplens start --steps 300 --examples 64'],
  async run(args, ctx) {
    let recipe;
    const task = args.string('task', 'parity');
    const seed = args.int('seed', { min: 0, max: 2 ** 32 - 1 });
    try {
      recipe = makeRecipe(task, 'cpu', { steps: args.int('steps', { min: 1, max: 10_000_000 }), seed });
    } catch (err) {
      if (err instanceof RecipeError || err instanceof TaskInputError) throw new UsageError(err.message);
      throw err;
    }
    const out = path.resolve(ctx.cwd, args.string('out', `runs/${recipe.task}-cpu.onnx`));
    const checkpointPath = checkpointPathFor(out);
    const ev = {
      lengths: args.intList('lengths', { min: 1, max: 500 }) ?? defaultTestLengths(getTask(recipe.task), finalEnd(recipe) - 1),
      examples: args.intOr('examples', 640, { min: 1, max: 1_000_000 }),
      batchSize: 64,
    };
    const ep = providerFrom(args, ctx, 1);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const found = args.flag('fresh') ? undefined : await resumable(checkpointPath, recipe, (steps) => makeRecipe(task, 'cpu', { steps, seed }));
    const from = found?.step;
    if (found) recipe = found.recipe; // a run continues at the pace it started with

    const m = recipe.model;
    const trainMax = finalEnd(recipe) - 1;
    ctx.print(`LoopLens: training a looped transformer on ${recipe.task} (inputs of length 1..${trainMax}), then testing it on longer inputs.`);
    ctx.print(`model: d=${m.d}, ${m.layers} layer(s), ${m.heads} heads, one block applied T(n) = n times; ${recipe.steps} steps of batch ${recipe.batchSize} (the cpu preset).`);
    if (from === recipe.steps) ctx.print(`found the finished run ${checkpointPath}: evaluating it again (--fresh retrains)`);
    else if (from !== undefined) ctx.print(`continuing the interrupted run in ${checkpointPath} from step ${from} (--fresh starts over)`);
    const r = await trainWithProgress(
      ctx,
      { recipe, checkpointPath, checkpointEvery: DEFAULT_CHECKPOINT_EVERY, resume: from !== undefined, modelPath: out, finalEval: ev, provider: ep.provider, cpuThreads: ep.cpuThreads, log: ep.log },
      `train ${recipe.task}`,
    );
    if (r.train.status === 'cancelled') {
      ctx.print(`stopped at step ${r.train.step}/${recipe.steps}; run the same command again to continue.`);
      return 130;
    }
    ctx.print(`${trainedStepsText(r.train)} (final loss ${r.train.finalLoss?.toPrecision(3) ?? '-'}).`);
    if (r.evaluation) {
      const beyond = ev.lengths.filter((n) => n > trainMax);
      ctx.print(`\nexact-match accuracy on ${ev.examples} random inputs per length${beyond.length ? ` (lengths ${beyond.join(', ')} are longer than any training input)` : ''}:`);
      printEvalTable(ctx, r.evaluation.report);
    }
    const rel = shownPath(ctx.cwd, out);
    ctx.print('');
    ctx.print(`model file: ${out}`);
    const sample = recipe.task === 'parity' ? '1011010011' : getTask(recipe.task).inputSyntax;
    ctx.print(`  look inside:  npx looplens trace ${rel} --input ${sample}`);
    ctx.print(`  evaluate:     npx looplens eval ${rel} --lengths 10,20,30,40 --examples 6400`);
    ctx.print(`  in VS Code:   open this folder, run "LoopLens: Open Looped Model…" from the Command Palette, pick ${rel},`);
    ctx.print(`                then "LoopLens: Step Through Iterations" to watch each loop iteration.`);
  },
});
