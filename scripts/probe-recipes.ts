// A recipe search: trains several variants of a task's recipe with `looplens train`, a few side by
// side on one thread each (two 1-thread runs beat one 2-thread run on a small machine), then
// evaluates each final model with `looplens eval --json` and prints one markdown table: training
// time, the final oracle / paper-rule accuracy per length, the oracle learning curve at the first
// length and, for a task with a case split (`looplens eval --cases`), the oracle per case at the
// last length. Every variant shares --base; a variant adds its own options.
// Run the same command again after an interruption: a variant that finished with the same train
// arguments (<name>.args.json) is reused (its evaluation too, if made with the same eval
// arguments), one interrupted after a checkpoint is resumed with `train --resume`; --fresh retrains all.
// --seeds S,S,... runs every variant once per seed (NAME-sS) and adds each variant's seed spread.
// Usage: npm run probe:recipes -- --task addition --base "--max-length 6 --steps 2000"
//        --variant "h16=--heads 16" --variant "lr3e-3=--heads 16 --lr 3e-3"
//        [--lengths 4,6,8] [--examples 640] [--jobs 2] [--every 500] [--seeds 0,1] [--out runs/probes] [--fresh]
import { appendFileSync, existsSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { arg, loadavg, positiveInt } from './support/benchArgs';
import { cli, CLI } from './support/probeCli';
import { parseEvalOutput, type EvalNumbers } from './support/probeEvalJson';
import { readText, readVariantFiles, variantPaths, writeRecordedArgs, type VariantPaths } from './support/probeFiles';
import { planVariant, reusableEval, type Plan } from './support/probeResume';
import { emptyOutcome, seedSpreadTable, table, type Outcome } from './support/probeTable';
import { lastLine, learningCurve, trainMinutes } from './support/probeTrainLog';
import { parseSeeds, parseVariants, withSeeds, words, type Variant } from './support/probeVariants';
import { getTask, isTaskName } from '../src/core/tasks';

/** One variant's commands, files, and what an earlier run left of it. */
interface Job {
  variant: Variant;
  paths: VariantPaths;
  plan: Plan;
  trainArgs: string[];
  evalArgs: string[];
  /** the length whose learning curve the table shows */
  curveLength: string;
  /** a reused variant's earlier evaluation, when made with the same eval arguments */
  earlierEval: EvalNumbers | null;
}

/** Trains the job (or resumes it); the log of its whole training, this run's output and the exit code. */
async function train(j: Job): Promise<{ code: number; log: string; out: string }> {
  writeRecordedArgs(j.paths, { train: j.trainArgs }); // before training: a killed run must still say what it was
  if (j.plan.action === 'resume') {
    const note = `\n[probe:recipes] resuming with --resume\n`;
    const before = (readText(j.paths.trainLog) ?? '') + note;
    appendFileSync(j.paths.trainLog, note);
    const t = await cli([...j.trainArgs, '--resume'], j.paths.trainLog, true);
    if (t.code === 0 || /^resuming from /m.test(t.out)) return { code: t.code, log: before + t.out, out: t.out };
    console.log(`  ${j.variant.name}: the checkpoint could not be resumed (${lastLine(t.out)}); training from scratch`);
  }
  const t = await cli(j.trainArgs, j.paths.trainLog);
  return { code: t.code, log: t.out, out: t.out };
}

async function runJob(j: Job): Promise<Outcome> {
  const outcome = emptyOutcome(j.variant);
  const t = j.plan.action === 'reuse' ? { code: 0, log: readText(j.paths.trainLog) ?? '', out: '' } : await train(j);
  outcome.curve = learningCurve(t.log, j.curveLength);
  outcome.trainMin = trainMinutes(t.log);
  if (t.code !== 0 || outcome.trainMin === null) {
    outcome.trainMin = null;
    outcome.error = `training failed (exit ${t.code}): ${lastLine(t.out)}`;
    return outcome;
  }
  let numbers = j.earlierEval;
  if (!numbers) {
    const e = await cli(j.evalArgs, j.paths.evalLog);
    if (e.code !== 0) {
      outcome.error = `evaluation failed (exit ${e.code})`;
      return outcome;
    }
    numbers = parseEvalOutput(e.out);
    writeRecordedArgs(j.paths, { train: j.trainArgs, eval: j.evalArgs });
  }
  outcome.final = numbers.final;
  outcome.cases = numbers.cases;
  return outcome;
}

/** What the run does with the job, said when it starts on it. */
function startLine(j: Job): string {
  const { name, args } = j.variant;
  switch (j.plan.action) {
    case 'reuse':
      return `  reusing ${name}: trained earlier with the same arguments${j.earlierEval ? ', and evaluated' : '; evaluating it again'}`;
    case 'resume':
      return `  resuming ${name} from ${path.basename(j.paths.checkpoint)}: ${args.join(' ')}`;
    case 'train':
      return `  started ${name}: ${args.join(' ')}${j.plan.reason ? ` (from scratch: ${j.plan.reason})` : ''}`;
  }
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const task = arg('task', '');
  if (!task) throw new Error('give --task TASK');
  const base = words(arg('base', ''));
  const lengths = arg('lengths', '');
  if (!/^\d+(,\d+)*$/.test(lengths)) throw new Error('give --lengths L,L,... (the first one gets the learning curve)');
  // only a built-in task is known here by name; a RASP-L task file has no case split
  const split = isTaskName(task) ? getTask(task).cases : undefined;
  const examples = positiveInt('examples', '640');
  const every = positiveInt('every', '500');
  const dir = path.resolve(arg('out', path.join('runs', 'probes', task)));
  const jobs = positiveInt('jobs', '2');
  const fresh = process.argv.includes('--fresh');
  const seeds = parseSeeds(arg('seeds', ''));
  const all = withSeeds(parseVariants(process.argv), seeds, base);
  mkdirSync(dir, { recursive: true });
  const work: Job[] = all.map((variant) => {
    const paths = variantPaths(dir, variant.name);
    const trainArgs = ['train', '--task', task, ...base, ...variant.args, '--threads', '1', '--out', paths.model, '--no-eval', '--eval-every', String(every), '--lengths', lengths];
    const evalArgs = ['eval', paths.model, '--lengths', lengths, '--examples', String(examples), '--threads', '1', '--json', ...(split ? ['--cases'] : [])];
    const files = readVariantFiles(paths);
    const plan = planVariant(files, trainArgs, fresh);
    const earlierEval = plan.action === 'reuse' ? reusableEval(files.recorded, evalArgs, readText(paths.evalLog)) : null;
    return { variant, paths, plan, trainArgs, evalArgs, curveLength: lengths.split(',')[0]!, earlierEval };
  });
  console.log(`probing ${all.length} variant(s) of ${task} (${base.join(' ') || 'the cpu preset'}), ${jobs} at a time on one thread each; load average at start: ${loadavg()}`);
  const named = (action: Plan['action'], verb: string) => {
    const names = work.filter((j) => j.plan.action === action).map((j) => j.variant.name);
    return names.length > 0 ? [`${verb} ${names.join(', ')}`] : [];
  };
  const earlier = [...named('reuse', 'reusing'), ...named('resume', 'resuming')];
  if (earlier.length > 0) console.log(`from an earlier run in ${dir}: ${earlier.join('; ')} (--fresh starts over)`);
  const outcomes: Outcome[] = new Array(work.length);
  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const i = next++;
      const j = work[i]!;
      console.log(startLine(j));
      outcomes[i] = await runJob(j);
      console.log(`  finished ${j.variant.name}${outcomes[i].error ? `: ${outcomes[i].error}` : ''} (load average ${loadavg()})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, work.length) }, worker));
  console.log(`\nload average at end: ${loadavg()}; final evaluation: ${examples} examples per length, oracle / the paper's rule; logs and models in ${dir}\n`);
  const tableLengths = lengths.split(',').map(Number);
  console.log(table(outcomes, tableLengths, every, split?.title ?? null));
  if (seeds.length > 0) console.log(`\nthe seed spread of each variant, oracle:\n\n${seedSpreadTable(outcomes, tableLengths)}`);
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
