// `npm run diagnose:slots`: is a looped model wrong past its training lengths on the answer slots
// its RASP-L program writes at a late loop step, or on the slots late in the answer? For random
// inputs of one length it runs the model to T(n) and the task's program (models/tasks/TASK.raspl)
// on the same rows, and prints the model's accuracy per answer position by the loop step at which
// the program writes it (writeSteps.ts), and crossed with the position in the answer. On uniform
// inputs the two go together; `--inputs hard` (the task's hard inputs: for unique set, a random
// alphabet of 1 to 50 elements, many repeats) pulls them apart; `--inputs distinct` (unique set:
// no repeats, so every element is a first occurrence and its answer slot is its position). For
// multiplication the length is n_b, with n_a = 2, as `looplens eval` reads it. Last, what the model
// wrote at the positions it got wrong (wrongAnswers.ts): a neighbouring position's answer (a count or
// pointer one off), a pad, or other; and for each wrong example the one edit that explains it, if one
// does (wrongExamples.ts): an answer left out (an element taken for a repeat), one too many, one
// replaced, two swapped. `--extra K` reads K steps past T(n): is a missing answer late, or lost?
// Usage: npm run diagnose:slots -- MODEL --length N [--examples 640] [--inputs uniform|hard|distinct]
//        [--seed 1234] [--bin 5] [--program FILE.raspl] [--extra 0] [--threads 1]
import * as fs from 'node:fs';
import * as path from 'node:path';
import { predictionsAt } from '../src/core/infer/halting';
import { LoopedSession } from '../src/core/infer/loopedSession';
import { loadModel } from '../src/core/model/modelFile';
import { CrossTally, programWriteSteps } from '../src/core/programs/compare/writeSteps';
import { evalLengths } from '../src/core/eval/evalLimits';
import { raspProgramSource } from '../src/core/programs/source/raspProgramSource';
import type { TaskExample } from '../src/core/tasks/types';
import { WrongAnswerTally, wrongAnswerKind } from '../src/core/eval/wrongAnswers';
import { ExampleMissTally, rowMiss } from '../src/core/eval/wrongExamples';
import { arg, drawOptions, loadavg, positiveInt } from './support/benchArgs';

const BATCH = 64;

const pct = (right: number, total: number) => (total === 0 ? '' : `${((100 * right) / total).toFixed(1)}%`);
const cell = (right: number, total: number) => (total === 0 ? '' : `${Math.round((100 * right) / total)} (${total})`);

function row(cells: string[], widths: number[]): string {
  return cells.map((c, i) => c.padStart(widths[i]!)).join('  ');
}

async function main(): Promise<void> {
  const modelPath = process.argv[2];
  if (!modelPath || modelPath.startsWith('--')) throw new Error('usage: npm run diagnose:slots -- MODEL --length N [--examples 640] [--inputs uniform|hard|distinct] [--seed 1234] [--bin 5] [--program FILE.raspl] [--extra 0] [--threads 1]');
  const model = await loadModel(path.resolve(modelPath));
  const task = model.task;
  const { length, examples, threads, seed, rng } = drawOptions('640');
  const bin = positiveInt('bin', '5');
  const inputs = arg('inputs', 'uniform');
  if (inputs !== 'uniform' && inputs !== 'hard' && inputs !== 'distinct') throw new Error(`--inputs must be uniform, hard or distinct, got ${inputs}`);
  const drawn = inputs === 'hard' ? task.hardInputs : inputs === 'distinct' ? task.distinctInputs : undefined;
  if (inputs !== 'uniform' && !drawn) throw new Error(`${task.name} has no ${inputs} inputs; use --inputs uniform`);
  const programFile = path.resolve(arg('program', path.join(__dirname, '..', 'models', 'tasks', `${task.name}.raspl`)));
  if (!fs.existsSync(programFile)) throw new Error(`no RASP-L program at ${programFile}: name the task's program with --program FILE.raspl`);
  const program = raspProgramSource(fs.readFileSync(programFile, 'utf8'), programFile);

  const lengths = evalLengths(task, length); // as `looplens eval` reads them: multiplication's n_b with n_a = 2
  const width = task.widthFor(lengths);
  const sample = (): TaskExample => (drawn ? drawn.sampleAt(rng, lengths, width) : task.sampleAt(rng, lengths, width));
  const rows = Array.from({ length: examples }, sample);
  const extra = Number(arg('extra', '0')); // read this many loop steps past T(n): is a missing answer late or lost?
  if (!Number.isInteger(extra) || extra < 0) throw new Error(`--extra must be a whole number of loop steps, 0 or more, got ${arg('extra', '0')}`);
  const steps = rows[0]!.steps + extra; // the model's read step: T(n), or a fixed-depth model's depth, and the extra steps
  const programSteps = program.task.steps(lengths); // the program's own T(n), where its answer is complete

  const session = await LoopedSession.fromParams(model.config, model.params, 'eval', { provider: 'cpu', cpuThreads: threads });
  const byStep = new CrossTally(); // write step x answer slot
  const wrong = new WrongAnswerTally();
  const misses = new ExampleMissTally();
  let exact = 0;
  try {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const tokens = BigInt64Array.from(batch.flatMap((e) => e.input.map(BigInt)));
      const predicted = predictionsAt(await session.run(tokens, batch.length, width, steps), steps);
      batch.forEach((e, b) => {
        const writeSteps = programWriteSteps(program.run(e.input, programSteps).answers);
        let allRight = true;
        for (let p = e.answerStart; p < width; p++) {
          if (!e.mask[p]) continue;
          const written = predicted[b * width + p]!;
          const right = written === e.target[p];
          allRight &&= right;
          if (!right) wrong.add(wrongAnswerKind(e, p, written, task.tokens.pad));
          byStep.add(writeSteps[p]!, p - e.answerStart, right);
        }
        const miss = rowMiss(e.target, e.mask, e.answerStart, predicted.subarray(b * width, (b + 1) * width), task.tokens.pad);
        if (miss) misses.add(miss);
        if (allRight) exact++;
      });
    }
  } finally {
    await session.release();
  }

  console.log(`${model.task.title} model ${path.basename(modelPath)}: ${lengths.map((v, i) => `${task.lengthNames[i]} = ${v}`).join(', ')}, ${examples} ${inputs} inputs (seed ${seed}), read at step ${steps} (the program's T(n): ${programSteps}); program ${path.relative(process.cwd(), programFile)}; load average ${loadavg()}`);
  console.log(`exact match at step ${steps}: ${pct(exact, examples)}\n`);
  console.log('accuracy of the answer positions by the loop step at which the program writes them:');
  const stepKeys = [...byStep.rowKeys].sort((a, b) => a - b);
  const w1 = [12, 10, 9];
  console.log(row(['write step', 'positions', 'accuracy'], w1));
  for (const s of stepKeys) {
    const { right, total } = byStep.get(s);
    console.log(row([String(s), String(total), pct(right, total)], w1));
  }

  const slotBins = [...new Set([...byStep.columnKeys].map((k) => Math.floor(k / bin)))].sort((a, b) => a - b);
  const stepBins = [...new Set(stepKeys.map((s) => Math.floor(s / bin)))].sort((a, b) => a - b);
  const label = (b: number) => `${b * bin}-${b * bin + bin - 1}`;
  console.log(`\naccuracy % (positions) by write step (rows) and answer position +k (columns), in bins of ${bin}:`);
  const w2 = [12, ...slotBins.map(() => 11)];
  console.log(row(['step \\ +k', ...slotBins.map(label)], w2));
  for (const sb of stepBins) {
    const cells = slotBins.map((kb) => {
      let right = 0;
      let total = 0;
      for (let s = sb * bin; s < (sb + 1) * bin; s++) {
        for (let k = kb * bin; k < (kb + 1) * bin; k++) {
          const c = byStep.get(s, k);
          right += c.right;
          total += c.total;
        }
      }
      return cell(right, total);
    });
    console.log(row([label(sb), ...cells], w2));
  }

  console.log(`\nwhat the model wrote at the ${wrong.total} wrong answer positions:`);
  for (const [text, count] of wrong.rows()) console.log(`${String(count).padStart(8)}  ${pct(count, wrong.total).padStart(6)}  ${text}`);

  console.log(`\nthe one edit that makes each of the ${misses.total} wrong examples right, where one does, else how many it takes:`);
  for (const [text, count] of misses.rows()) console.log(`${String(count).padStart(8)}  ${pct(count, misses.total).padStart(6)}  ${text}`);
  if (misses.repeats > 0) console.log(`          (${misses.repeats} of the answers too many repeat an answer already written)`);
  for (const kind of ['left-out', 'too-many', 'replaced', 'swapped'] as const) {
    const places = misses.placesOf(kind, bin);
    if (places.length > 0) console.log(`  ${kind} by the answer's place: ${places.map(([from, n]) => `${from}-${from + bin - 1}: ${n}`).join(', ')}`);
  }
}

main().catch((e: unknown) => {
  console.error(`diagnose:slots: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
