// `looplens train --task parity --preset cpu [...]`: trains a looped transformer with a progress bar,
// checkpoints as it goes, evaluates the result and saves the model file.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { defaultTestLengths } from '../../core/train/testLengths';
import { RaspError } from '../../core/rasp';
import { ATTENTION_SCALES } from '../../core/model/config';
import { taskNames, TaskInputError, type Task } from '../../core/tasks';
import { taskFromRaspl } from '../../core/programs/tasks/fromRaspl';
import { resolveTask } from '../../core/programs/tasks/resolve';
import { presetNames } from '../../core/train/presets';
import { applyOverrides, describeScaling, planRecipe, recipeFitWarnings, type RecipeScaling } from '../../core/train/recipePlan';
import { MAX_ANSWER_HOLD, MAX_TRAINING_STEPS, RecipeError, recipeTask, type TrainRecipe } from '../../core/train/recipe';
import { ablationConflictMessage, ablationConflicts, loopText } from '../../core/train/recipeDiff';
import { checkpointPathFor, DEFAULT_CHECKPOINT_EVERY, readTrainingCheckpointInfo } from '../../core/train/trainingCheckpoint';
import { checkTrainingResources, recipeWarnings } from '../../core/train/trainLimits';
import { recordedInitText } from '../../core/train/trainRecord';
import { finalEnd, parseStages, STAGES_SYNTAX, type StageSpec } from '../../core/train/stages';
import { quickEvalOfHistory, type QuickEvalSettings } from '../../core/train/quickEval';
import { startingPointOf, startingWeights, type StartingPoint } from '../../core/train/fineTune';
import type { Params } from '../../core/model/params';
import { loadModel, LoopLensModelError, type LoadedModel } from '../../core/model/modelFile';
import { recipeSummaryText } from '../../core/train/recipeSummary';
import { definedOnly } from '../../core/util/definedOnly';
import { LIMITS, ResourceLimitError } from '../../core/util/limits';
import { FileReadError, readRegularTextFileSync } from '../../core/util/safeRead';
import type { Args } from '../framework/args';
import { defineCommand } from '../framework/command';
import { UsageError } from '../framework/errors';
import { dataParallelChoice, printEvalTable, printKeptBranches, providerFrom, providerOptions, trainedStepsText, trainWithProgress } from '../support/training';
import { printRunEstimate } from '../support/runEstimate';
import { branchCurvePointCount } from '../../core/train/evalCost';
import { shownPath } from '../support/shownPath';

export const trainCommand = defineCommand({
  name: 'train',
  summary: 'Train a looped transformer on a task, then evaluate it and save the model file.',
  usage: 'looplens train --task TASK|--task-file FILE.raspl [--preset cpu|paper] [--steps N] [--seed S] [--lr X] [--out FILE] [--resume] [options]',
  options: {
    task: { type: 'string', valueName: 'TASK', description: `one of ${taskNames.join(', ')}` },
    'task-file': { type: 'string', valueName: 'FILE', description: 'your own RASP-L task file (.raspl, see models/tasks/README.md) instead of --task' },
    preset: { type: 'string', valueName: 'NAME', description: `training recipe: ${presetNames.join(', ')}`, defaultText: 'cpu' },
    steps: { type: 'string', valueName: 'N', description: "training steps (default: the preset's); the preset's curriculum and lr hold scale with them unless --interval is given" },
    seed: { type: 'string', valueName: 'S', description: 'seed for initialisation and data', defaultText: "the preset's" },
    lr: { type: 'string', valueName: 'X', description: "peak learning rate (default: the preset's)" },
    batch: { type: 'string', valueName: 'B', description: 'examples per training batch', defaultText: '64' },
    out: { type: 'string', valueName: 'FILE', description: 'model file to write', defaultText: 'runs/TASK-PRESET.onnx' },
    checkpoint: { type: 'string', valueName: 'FILE', description: 'checkpoint file', defaultText: 'the model path with .ckpt' },
    'checkpoint-every': { type: 'string', valueName: 'N', description: 'steps between checkpoints', defaultText: String(DEFAULT_CHECKPOINT_EVERY) },
    'save-at': { type: 'string', valueName: 'N,N,...', description: "also save the weights at these steps as models beside the checkpoint (MODEL-stepN.onnx) without stopping, and the run's checkpoint there (MODEL-stepN.ckpt), e.g. at stages' first steps: models to start probes from (--init-from), checkpoints to go on from with other later stages (--resume-from); the checkpoint keeps them, so a --resume saves those still ahead (given again, they replace them); a --resume-from run saves at its own only" },
    resume: { type: 'boolean', description: "continue from the checkpoint (only --steps may change, and --average-from or the stages until the run reaches them)" },
    'resume-from': { type: 'string', valueName: 'CKPT', description: "go on from another run's checkpoint as a run of its own, leaving CKPT as it is (--out names the new run), e.g. from the checkpoint --save-at keeps at a stage's first step with other later stages (--stages, --steps); what may change is as for --resume" },
    estimate: { type: 'boolean', description: "do not train: time a few real steps at points of the run's curriculum and at each stage, on the batches it would draw there, and project its CPU time, then time its evaluations (the learning curve's and the final one) and add them (--threads sets the threads)" },
    'init-from': { type: 'string', valueName: 'MODEL', description: "fine-tune: a new run that starts from this model file's weights instead of a random initialisation; the task and the network's shape are the model's, the rest of the recipe is this command's (not in the paper)" },
    lengths: { type: 'string', valueName: 'L,L,...', description: "test lengths for the final evaluation and the learning curve", defaultText: "half and all of the recipe's longest training length (its last stage's), half-way to the task's test length and the test length, e.g. 10,20,30,40 for parity; a resumed run's curve's" },
    examples: { type: 'string', valueName: 'N', description: 'final-evaluation examples per length', defaultText: '640' },
    'eval-batch': { type: 'string', valueName: 'B', description: 'final-evaluation batch size', defaultText: '64' },
    'no-eval': { type: 'boolean', description: 'skip the final evaluation' },
    'data-parallel': { type: 'boolean', description: "cut each batch into two shares trained at once, each on one thread of its own worker, in pieces small enough for the processor's cache (faster on two cores than one session on two threads); rows wider than --share-width run as one session on --threads (not in the paper)" },
    'share-width': { type: 'string', valueName: 'W', description: 'the widest rows --data-parallel shares between its workers; wider ones run as one session (default: it shares every batch)' },
    'keep-branches': { type: 'boolean', description: "a last stage run as branches (--stages …:branches=B): also save each branch's own weights as a model beside --out (MODEL-branch1.onnx, …), each evaluated as the model is, to see the spread their mean hides" },
    d: { type: 'string', valueName: 'N', description: "model width (default: the preset's)" },
    layers: { type: 'string', valueName: 'N', description: "layers in the looped block (default: the preset's)" },
    heads: { type: 'string', valueName: 'N', description: "attention heads (default: the preset's)" },
    'max-length': { type: 'string', valueName: 'N', description: "longest training length; the curriculum grows to it (default: the preset's)" },
    interval: { type: 'string', valueName: 'N', description: "curriculum: steps between length increases (default: the preset's)" },
    stages: { type: 'string', valueName: 'S:L,...', description: `after the curriculum, stages that each train every length up to L from step S with fresh AdamW moments and their own warm-up and decay, as a fine-tune from the model so far would (not in the paper): ${STAGES_SYNTAX}; branches=B runs the last stage B times from its first weights, each on its own data, and saves the mean of their weights; --max-length is then the curriculum's own (default: the preset's, moved with --steps)` },
    width: { type: 'string', valueName: 'fixed|curriculum', description: "training rows: fixed width (paper) or as wide as the curriculum needs (default: the preset's)" },
    warmup: { type: 'string', valueName: 'N', description: 'linear learning-rate warm-up steps (not in the paper)', defaultText: '0' },
    'lr-floor': { type: 'string', valueName: 'F', description: "cosine decay ends at F x the peak lr instead of 0 (default: 0, the paper's)" },
    'weight-decay': { type: 'string', valueName: 'X', description: "AdamW's decoupled weight decay (default: 0.01, the paper's)" },
    'attention-scale': { type: 'string', valueName: 'none|log-keys|learned-log-keys', description: "attention scores as the paper's (none), times ln(number of keys) (log-keys, Scalable-Softmax), or times 1 + s ln(number of keys) with s learned per head from 0 (learned-log-keys; with --init-from, a model with the paper's attention starts unchanged) (not in the paper) (default: none)" },
    'long-share': { type: 'string', valueName: 'F', description: "draw this share of each batch at the curriculum's current longest length, the rest uniform; a stage may set its own (--stages …:long=F) (not in the paper) (default: 0, the paper's uniform lengths)" },
    'average-from': { type: 'string', valueName: 'STEP', description: 'save the mean of the weights after every step from STEP (0-based, as --stages counts) to the end instead of the last weights; the learning curve then reads the average (not in the paper) (default: the last weights)' },
    'answer-hold': { type: 'string', valueName: 'K', description: 'read each training example at a random loop step from T(n) to T(n) + K, so its answer must hold K steps past T(n); a stage may set its own (--stages …:hold=K) (not in the paper) (default: 0, every example read at T(n))' },
    'hard-share': { type: 'string', valueName: 'F', description: "draw this share of each batch from the task's hard inputs (unique_set: a random alphabet of 1 to 50 elements, so many repeats), the rest uniform (not in the paper) (default: 0, the paper's uniform inputs)" },
    'distinct-share': { type: 'string', valueName: 'F', description: "draw this share of each batch from the task's distinct inputs (unique_set: n different elements of the 50, no repeats, so every answer slot is filled), the rest uniform; with --hard-share at most 1 together (not in the paper) (default: 0, the paper's uniform inputs)" },
    'eval-every': { type: 'string', valueName: 'N', description: "also evaluate (64 examples per test length) every N steps and print the learning curve (--resume goes on with the checkpoint's curve, its rhythm and lengths, unless this or --lengths is given)", defaultText: 'never' },
    'fixed-steps': { type: 'string', valueName: 'N', description: 'ablation, the fixed-depth baseline: run the block N times for every input and read every example at step N instead of its T(n); the model file records the depth and eval/trace use it', defaultText: 'T(n) per example' },
    'no-injection': { type: 'boolean', description: 'ablation: no input injection (the input enters once, at the first loop step, instead of being added back at every step)' },
    ...providerOptions,
  },
  examples: ['looplens train --task parity --preset cpu', 'looplens train --task parity --steps 2000 --out parity-short.onnx', 'looplens train --task parity --resume', 'looplens train --task addition --fixed-steps 20 --out runs/addition-fixed20.onnx   # the fixed-depth baseline', 'looplens train --task addition --no-injection --out runs/addition-noinj.onnx', 'looplens train --out runs/my-task-cpu.onnx --resume   # the checkpoint knows its task', 'looplens train --task-file models/tasks/copy.raspl --steps 2000', 'looplens train --init-from runs/unique_set-cpu.onnx --interval 1 --lr 1e-4 --steps 4000 --out runs/unique_set-ft.onnx   # fine-tune at full length', 'looplens train --resume-from runs/addition-cpu-step27000.ckpt --steps 29000 --out runs/addition-long.onnx   # the same run with a longer last stage (--save-at 27000 kept that checkpoint)'],
  async run(args, ctx) {
    const taskFile = args.string('task-file', '');
    const forkFrom = forkSource(args, ctx.cwd);
    const resume = args.flag('resume') || forkFrom !== undefined;
    const resumeOption = forkFrom !== undefined ? '--resume-from' : '--resume';
    const initFrom = args.string('init-from');
    if (initFrom !== undefined && resume) throw new UsageError(`give either --init-from (a new run from a model's weights) or ${resumeOption} (continue a checkpoint), not both`);
    const estimate = args.flag('estimate');
    if (estimate && resume) throw new UsageError('--estimate projects a new run; a resumed run shows its remaining time as it trains');
    // A checkpoint knows its task (a custom task's source included), so --resume with --out or --checkpoint needs neither.
    const savedRun = forkFrom !== undefined ? await savedRunAt(forkFrom, '--resume-from') : resume && taskFile === '' && args.string('task') === undefined ? await runToResume(args, ctx.cwd) : undefined;
    const savedRecipe = savedRun?.recipe;
    // So does a model to start from.
    const start = initFrom === undefined ? undefined : await startingModel(path.resolve(ctx.cwd, initFrom), initFrom);
    const taskName = taskFile === '' && !savedRecipe && !start ? args.requiredString('task') : args.string('task', '');
    if (taskFile !== '' && taskName !== '') throw new UsageError('give either --task or --task-file, not both');
    const task: Task | string = savedRecipe ? resolveTask(savedRecipe) : taskFile !== '' ? loadTaskFile(path.resolve(ctx.cwd, taskFile), taskFile) : taskName === '' && start ? start.model.task : taskName;
    // for the resume hint: a checkpoint knows its task, so a run whose task came from a checkpoint or a model names none
    const taskArgs = taskFile !== '' ? `--task-file ${taskFile} ` : taskName !== '' ? `--task ${taskName} ` : '';
    const preset = args.string('preset', 'cpu');
    const given = {
      steps: args.int('steps', { min: 1, max: MAX_TRAINING_STEPS }),
      seed: args.int('seed', { min: 0, max: 2 ** 32 - 1 }),
      lr: args.float('lr', { min: 0, exclusiveMin: true, max: 1 }),
      batchSize: args.int('batch', { min: 1, max: 4096 }),
      d: args.int('d', { min: 1, max: 4096 }),
      layers: args.int('layers', { min: 1, max: 64 }),
      heads: args.int('heads', { min: 1, max: 1024 }),
      attentionScale: args.choice('attention-scale', ATTENTION_SCALES),
      maxLength: args.int('max-length', { min: 1, max: 500 }),
      interval: args.int('interval', { min: 1, max: 10_000_000 }),
      stages: stagesOption(args.string('stages')),
      widthMode: args.choice('width', ['fixed', 'curriculum'] as const),
      warmupSteps: args.int('warmup', { min: 0, max: 10_000_000 }),
      minLrFraction: args.float('lr-floor', { min: 0, max: 1, exclusiveMax: true }),
      longShare: args.float('long-share', { min: 0, max: 1, exclusiveMax: true }),
      hardShare: args.float('hard-share', { min: 0, max: 1, exclusiveMax: true }),
      distinctShare: args.float('distinct-share', { min: 0, max: 1, exclusiveMax: true }),
      answerHold: args.int('answer-hold', { min: 0, max: MAX_ANSWER_HOLD }),
      weightDecay: args.float('weight-decay', { min: 0, max: 1 }),
      averageFrom: args.int('average-from', { min: 0, max: MAX_TRAINING_STEPS }),
      fixedSteps: args.int('fixed-steps', { min: 1, max: LIMITS.steps }),
      inputInjection: args.flag('no-injection') ? false : undefined,
    };
    // A fine-tuning run builds the model's network unless an option says otherwise (a conflict, refused below).
    const overrides = start ? { ...start.point.shape, ...definedOnly(given) } : given;
    let recipe: TrainRecipe;
    let scaling: RecipeScaling | undefined;
    try {
      // a changed --steps (or --max-length) rescales the preset's curriculum and lr hold, unless --interval is given
      // a resumed run's recipe is the checkpoint's with the overrides (below), checked against that run, not the preset
      ({ recipe, scaling } = planRecipe(task, preset, resume ? {} : overrides));
    } catch (err) {
      if (err instanceof RecipeError || err instanceof TaskInputError) throw new UsageError(err.message);
      throw err;
    }
    let initParams: Params | undefined;
    if (start) {
      recipe = { ...recipe, initFrom: start.point.init };
      try {
        initParams = startingWeights(recipe, start.model, `--init-from ${initFrom}`);
      } catch (err) {
        if (err instanceof RecipeError) throw new UsageError(err.message);
        throw err;
      }
    }
    const out = path.resolve(ctx.cwd, args.string('out', `runs/${recipe.task}-${recipe.preset}.onnx`));
    const checkpointPath = path.resolve(ctx.cwd, args.string('checkpoint', checkpointPathFor(out)));
    let curve: QuickEvalSettings | undefined; // a resumed run's learning curve, to go on with
    let keptBefore = false; // a resumed run started with --keep-branches keeps them
    if (resume) {
      // Continue the checkpoint's own recipe (read once: runToResume already did when no task was given);
      // only options given explicitly are checked against it (the trainer refuses conflicts except --steps).
      const run = savedRun ?? (await savedRunAt(checkpointPath, '--resume'));
      const saved = run.recipe;
      curve = run.quickEval ?? quickEvalOfHistory(run.history, saved.steps);
      keptBefore = forkFrom === undefined && run.keepBranches; // a fork keeps branches only when asked
      recipe = applyOverrides(saved, overrides);
      scaling = undefined; // a resumed run keeps its curriculum
      // A run cannot switch depth rule or injection half-way: say so before anything starts.
      const conflicts = ablationConflicts(saved, recipe);
      if (conflicts.length > 0) throw new UsageError(ablationConflictMessage(shownPath(ctx.cwd, forkFrom ?? checkpointPath), conflicts));
    }
    if (forkFrom !== undefined && forkFrom === checkpointPath) throw new UsageError(`--resume-from ${shownPath(ctx.cwd, forkFrom)} is this run's own checkpoint: continue it with --resume, or give the new run another --out`);
    if (forkFrom !== undefined && fs.existsSync(checkpointPath)) throw new UsageError(`${shownPath(ctx.cwd, checkpointPath)} already holds a run's checkpoint: continue that run with --resume, or give the new run another --out`);
    const checkpointEvery = args.intOr('checkpoint-every', DEFAULT_CHECKPOINT_EVERY, { min: 1 });
    const saveAt = args.intList('save-at', { min: 1 });
    const late = saveAt?.find((s) => s >= recipe.steps);
    if (late !== undefined) throw new UsageError(`--save-at ${late}: the run has ${recipe.steps} steps and saves its model after the last; give steps from 1 to ${recipe.steps - 1}`);
    const evalEvery = args.int('eval-every', { min: 1 });
    const lengths = args.intList('lengths', { min: 1, max: 500 });
    if (evalEvery !== undefined || lengths !== undefined) curve = undefined; // the command's own evaluation options
    const ev = {
      lengths: lengths ?? curve?.lengths ?? defaultTestLengths(recipeTask(recipe), finalEnd(recipe) - 1),
      examples: args.intOr('examples', 640, { min: 1, max: 1_000_000 }),
      batchSize: args.intOr('eval-batch', 64, { min: 1, max: 4096 }),
    };
    const quickEval = evalEvery !== undefined ? { every: evalEvery, lengths: ev.lengths, examples: 64 } : curve;
    if (curve) ctx.print(`the learning curve goes on as it was drawn: every ${curve.every} steps at lengths ${curve.lengths.join(',')} (--eval-every or --lengths sets another)`);
    const ep = providerFrom(args, ctx);
    const shareWidth = args.int('share-width', { min: 1, max: 100_000 });
    if (shareWidth !== undefined && !args.flag('data-parallel')) throw new UsageError('--share-width sets how wide the rows --data-parallel shares may be: give it with --data-parallel');
    if (args.flag('data-parallel')) ep.dataParallel = dataParallelChoice(ep, shareWidth);
    try {
      checkTrainingResources(recipe, undefined, ep.dataParallel); // memory against this machine's, before anything is allocated
    } catch (err) {
      if (err instanceof ResourceLimitError) throw new UsageError(err.message);
      throw err;
    }
    const keepBranches = args.flag('keep-branches') || keptBefore;
    if (keptBefore && !args.flag('keep-branches')) ctx.print('the run keeps each branch of its last stage, as it was started with --keep-branches');
    if (keepBranches && recipe.stages?.at(-1)?.branches === undefined) throw new UsageError('--keep-branches keeps the branches of a last stage run as branches, and this run has none: add branches=B to its last stage (--stages …:branches=B)');
    for (const w of recipeWarnings(recipe)) ctx.warn(`warning: ${w}`);
    for (const w of recipeFitWarnings(recipe)) ctx.warn(`warning: ${w}`);
    if (scaling) ctx.print(`the ${recipe.preset} preset's curriculum and learning rate are ${describeScaling(scaling)}`);
    if (estimate) {
      ctx.print(`projecting the cost of training ${recipeSummaryText(recipe)}`);
      await printRunEstimate(ctx, recipe, ep, {
        curve: quickEval,
        final: args.flag('no-eval') ? undefined : ev,
        finalModels: 1 + (keepBranches ? (recipe.stages?.at(-1)?.branches ?? 0) : 0),
        branchCurvePoints: keepBranches && quickEval ? branchCurvePointCount(recipe, quickEval.every) : 0,
      });
      return;
    }
    if (!resume && fs.existsSync(checkpointPath)) ctx.warn(`note: starting over; the existing checkpoint ${checkpointPath} will be replaced (use --resume to continue it)`);
    fs.mkdirSync(path.dirname(out), { recursive: true });
    fs.mkdirSync(path.dirname(checkpointPath), { recursive: true });

    ctx.print(`training ${recipeSummaryText(recipe)}`);
    if (recipe.fixedSteps !== undefined || !recipe.model.inputInjection) ctx.print(`ablation: ${loopText(recipe)}`);
    const startText = recordedInitText(recipe);
    if (startText !== undefined) ctx.print(`starting from ${startText}`);
    const r = await trainWithProgress(
      ctx,
      { recipe, initParams, checkpointPath, checkpointEvery, saveAt, resume, ...(forkFrom !== undefined ? { resumeFrom: forkFrom } : {}), quickEval, modelPath: out, keepBranches, finalEval: args.flag('no-eval') ? undefined : ev, provider: ep.provider, cpuThreads: ep.cpuThreads, dataParallel: ep.dataParallel, log: ep.log },
      `train ${recipe.task}`,
    );
    if (r.train.status === 'cancelled') {
      ctx.print(`stopped at step ${r.train.step}/${r.train.recipe.steps}; checkpoint ${checkpointPath}`);
      ctx.print(`continue with: looplens train ${taskArgs}--out ${shownPath(ctx.cwd, out)} --resume`);
      return 130;
    }
    ctx.print(`${trainedStepsText(r.train)}, final loss ${r.train.finalLoss?.toPrecision(3) ?? '-'} (${r.train.provider})`);
    if (r.evaluation) {
      ctx.print(`\nexact match on ${ev.examples} examples per length (${r.evaluation.seconds.toFixed(0)} s):`);
      printEvalTable(ctx, r.evaluation.report);
    }
    ctx.print(`\nmodel: ${out} (${((r.modelBytes ?? 0) / 1024).toFixed(0)} KB)`);
    if (r.branches) printKeptBranches(ctx, r.branches, r.evaluation);
  },
});

/** --stages as given (undefined: the preset's); a list that does not read is a usage error. */
function stagesOption(text: string | undefined): StageSpec[] | undefined {
  if (text === undefined) return undefined;
  try {
    return parseStages(text);
  } catch (err) {
    throw new UsageError(`--stages: ${(err as Error).message}`);
  }
}

/** The model `--init-from` names, and what a run takes from it; a file that is missing or not a model is a usage error. */
async function startingModel(file: string, shown: string): Promise<{ model: LoadedModel; point: StartingPoint }> {
  if (!fs.existsSync(file)) throw new UsageError(`--init-from: no model file at ${file}`);
  let model: LoadedModel;
  try {
    model = await loadModel(file);
  } catch (err) {
    if (err instanceof LoopLensModelError) throw new UsageError(`--init-from: ${err.message}`);
    throw err;
  }
  return { model, point: startingPointOf(model, shown) };
}

/** The checkpoint --resume-from names (resolved), or undefined; it needs --out for the new run and cannot be given with --resume. */
function forkSource(args: Args, cwd: string): string | undefined {
  const from = args.string('resume-from');
  if (from === undefined) return undefined;
  if (args.flag('resume')) throw new UsageError('give either --resume (continue this run) or --resume-from CKPT (go on from another run as a run of its own), not both');
  if (args.string('out') === undefined && args.string('checkpoint') === undefined) throw new UsageError('--resume-from needs --out MODEL: the new run writes its own model and checkpoint there, and leaves the one it starts from as it is');
  return path.resolve(cwd, from);
}

/** The recipe of the checkpoint that --out / --checkpoint name, for `train --resume` without --task. */
async function runToResume(args: Args, cwd: string): Promise<SavedRun> {
  const explicit = args.string('checkpoint') ?? (args.string('out') === undefined ? undefined : checkpointPathFor(path.resolve(cwd, args.string('out')!)));
  if (explicit === undefined) throw new UsageError('--resume without --task or --task-file needs --out MODEL or --checkpoint FILE to find the checkpoint');
  return savedRunAt(path.resolve(cwd, explicit), '--resume');
}

/** What a resumed run takes from its checkpoint: its recipe, its learning curve's settings (kept, or read off its history in an older checkpoint) and whether it keeps its branches. */
interface SavedRun {
  recipe: TrainRecipe;
  history: unknown[];
  quickEval?: QuickEvalSettings;
  keepBranches: boolean;
}

/** The recipe and history of a checkpoint; a missing file is a usage error, said as `option`'s. */
async function savedRunAt(file: string, option: '--resume' | '--resume-from'): Promise<SavedRun> {
  if (!fs.existsSync(file)) throw new UsageError(`${option}: no checkpoint at ${file}`);
  const ck = await readTrainingCheckpointInfo(file);
  return { recipe: ck.recipe, history: ck.history, ...(ck.quickEval ? { quickEval: ck.quickEval } : {}), keepBranches: ck.keepBranches };
}

/** Reads and checks a .raspl task file; a bad program is a usage error showing file:line:column. */
function loadTaskFile(file: string, shown: string): Task {
  let source: string;
  try {
    source = readRegularTextFileSync(file, { what: 'task file', maxBytes: LIMITS.raspSourceBytes });
  } catch (err) {
    throw new UsageError(`--task-file: cannot read ${shown}: ${err instanceof FileReadError && err.code === 'missing' ? 'no such file' : (err as Error).message}`);
  }
  try {
    return taskFromRaspl(source, path.basename(file));
  } catch (err) {
    if (err instanceof RaspError) throw new UsageError(`--task-file: ${err.format(shown)}`);
    throw err;
  }
}
