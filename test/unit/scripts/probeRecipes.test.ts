// npm run probe:recipes' pure parts (scripts/support/probe*.ts): the --variant options, what it
// reads from `looplens train` and `looplens eval --json` output, its table, and whether a re-run
// reuses, resumes or retrains a variant from what an earlier run left in --out.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseEvalOutput } from '../../../scripts/support/probeEvalJson';
import { parseRecordedArgs, planVariant, reusableEval, type VariantFiles } from '../../../scripts/support/probeResume';
import { caseLength, emptyOutcome, seedSpreadTable, table, type Outcome } from '../../../scripts/support/probeTable';
import { lastLine, learningCurve, trainingFinished, trainMinutes } from '../../../scripts/support/probeTrainLog';
import { parseSeeds, parseVariants, withSeeds, type Variant } from '../../../scripts/support/probeVariants';

// What `looplens train --eval-every 500 --lengths 4,8,12 --no-eval` prints into a pipe (src/cli:
// progress lines every 10 s, "step N: n=L oracle P% adaptive P%, ..." per evaluation, "trained ...").
const HEAD = `training unique_set (cpu preset): d=64, 3 layer(s), 16 heads, batch 64, 1500 steps, lr 0.001, lengths 1..8 (+1 every 250 steps), rows as wide as the curriculum needs, seed 0
compiling the training graph…
LoopLens: using the CPU execution provider because the CUDA execution provider is not installed
train unique_set: 488/1500  33%  48.7 step/s  0:10 elapsed, ETA 0:22  loss 0.07853  lr 0.001000  n 2
step 500: n=4 oracle 0.0% adaptive 0.0%, n=8 oracle 0.0% adaptive 0.0%, n=12 oracle 0.0% adaptive 0.0%
train unique_set: 875/1500  58%  29.1 step/s  0:30 elapsed, ETA 0:16  loss 0.07959  lr 0.001000  n 4
step 1000: n=4 oracle 92.2% adaptive 92.2%, n=8 oracle 0.0% adaptive 0.0%, n=12 oracle 0.0% adaptive 0.0%
train unique_set: 1141/1500  76%  22.7 step/s  0:50 elapsed, ETA 0:12  loss 0.05791  lr 0.001000  n 5
`;
const FINISHED = `${HEAD}step 1500: n=4 oracle 98.4% adaptive 98.4%, n=8 oracle 28.1% adaptive 29.7%, n=12 oracle 6.3% adaptive 7.8%
train unique_set: 1500/1500 100%  18.3 step/s  1:22 elapsed  loss 0.07235  lr 4.39e-9  n 7
trained 1500 steps in 1.4 min, final loss 0.0724 (cpu)

model: /work/runs/probes/unique_set/h16.onnx (638 KB)
`;
// killed at step 1200 (its last checkpoint: 1000), then resumed by probe:recipes, which evaluates step 1000 again
const RESUMED = `${HEAD}
[probe:recipes] resuming with --resume
training unique_set (cpu preset): d=64, 3 layer(s), 16 heads, batch 64, 1500 steps, lr 0.001, lengths 1..8 (+1 every 250 steps), rows as wide as the curriculum needs, seed 0
resuming from /work/runs/probes/unique_set/h16.ckpt at step 1000
step 1000: n=4 oracle 93.8% adaptive 92.2%, n=8 oracle 0.0% adaptive 0.0%, n=12 oracle 0.0% adaptive 0.0%
step 1500: n=4 oracle 98.4% adaptive 98.4%, n=8 oracle 28.1% adaptive 29.7%, n=12 oracle 6.3% adaptive 7.8%
trained 1500 steps in 1.6 min, final loss 0.0724 (cpu)
`;

test('variants: NAME=OPTIONS in order, options split on blanks', () => {
  const argv = ['node', 'probe-recipes.ts', '--task', 'addition', '--variant', 'h16=--heads 16', '--base', '--steps 100', '--variant', 'lr3e-3.b_+=  --heads 16   --lr 3e-3 ', '--variant', 'preset='];
  assert.deepEqual(parseVariants(argv), [
    { name: 'h16', args: ['--heads', '16'] },
    { name: 'lr3e-3.b_+', args: ['--heads', '16', '--lr', '3e-3'] },
    { name: 'preset', args: [] },
  ]);
});

test('variants: a bad or missing NAME, a repeated NAME or no --variant at all is an error', () => {
  const parse = (...specs: string[]) => () => parseVariants(['node', 'p.ts', ...specs.flatMap((s) => ['--variant', s])]);
  for (const bad of ['h16', '=--heads 16', 'a/b=--heads 16', 'a b=--heads 16', '../x=--lr 1', '']) {
    assert.throws(parse(bad), /--variant needs NAME=OPTIONS/, JSON.stringify(bad));
  }
  assert.throws(() => parseVariants(['node', 'p.ts', '--variant']), /--variant needs NAME=OPTIONS .*got ""/);
  assert.throws(parse('a=--heads 8', 'b=--heads 16', 'a=--lr 1e-3'), /variant names must differ/);
  assert.throws(() => parseVariants(['node', 'p.ts', '--task', 'parity']), /give at least one --variant/);
});

test('seeds: --seeds S,S runs each variant once per seed, NAME-sS with --seed S last; none given changes nothing', () => {
  const variants: Variant[] = [{ name: 'i500', args: ['--interval', '500'] }, { name: 'base', args: [] }];
  assert.deepEqual(parseSeeds('0,1,12'), [0, 1, 12]);
  assert.deepEqual(parseSeeds(''), []);
  assert.deepEqual(withSeeds(variants, [0, 1], ['--steps', '100']), [
    { name: 'i500-s0', args: ['--interval', '500', '--seed', '0'], seeded: { group: 'i500', seed: 0 } },
    { name: 'i500-s1', args: ['--interval', '500', '--seed', '1'], seeded: { group: 'i500', seed: 1 } },
    { name: 'base-s0', args: ['--seed', '0'], seeded: { group: 'base', seed: 0 } },
    { name: 'base-s1', args: ['--seed', '1'], seeded: { group: 'base', seed: 1 } },
  ]);
  assert.deepEqual(withSeeds(variants, [], ['--seed', '3']), variants);
});

test('seeds: a malformed or repeated seed, or a --seed that --seeds would silently override, is an error', () => {
  for (const bad of ['1,,2', '-1', '1.5', 'a', '0,', '99999999999999999999']) assert.throws(() => parseSeeds(bad), /--seeds needs S,S,\.\.\. \(non-negative integers\)/, bad);
  assert.throws(() => parseSeeds('1,2,1'), /--seeds must differ/);
  assert.throws(() => withSeeds([{ name: 'a', args: [] }], [0], ['--seed', '2']), /--base sets --seed/);
  assert.throws(() => withSeeds([{ name: 'a', args: ['--seed', '2'] }], [0], []), /variant a sets --seed/);
  assert.throws(() => withSeeds([{ name: 'a', args: ['--seed=2'] }], [0], []), /variant a sets --seed/);
  assert.deepEqual(withSeeds([{ name: 'a', args: ['--seeds-like', '1'] }], [4], []).map((v) => v.name), ['a-s4'], 'only --seed itself counts');
});

test('seed spread: per variant, the oracle over its seeds as min-max (mean), and how many seeds have no result', () => {
  const seeded = (group: string, seed: number, final: [number, number][], error: string | null = null) =>
    outcome(`${group}-s${seed}`, [], { variant: { name: `${group}-s${seed}`, args: ['--seed', String(seed)], seeded: { group, seed } }, final: new Map(final.map(([n, x]) => [n, [x, x]])), error });
  const rows = [
    seeded('i500', 0, [[10, 0.967], [15, 0.467]]),
    seeded('i500', 1, [[10, 0.917], [15, 0.197]]),
    seeded('i250', 0, [[10, 0.891], [15, 0.153]]),
    seeded('i250', 1, [], 'training failed (exit 1): NaN loss'),
    seeded('hs', 0, [[10, 0.9471], [15, 0.1266]]),
    seeded('hs', 1, [[10, 0.906], [15, 0.1265]]),
  ];
  assert.equal(
    seedSpreadTable(rows, [10, 15]),
    [
      '| variant | seeds | oracle at n = 10 | oracle at n = 15 |',
      '| --- | --- | --- | --- |',
      '| i500 | 0, 1 | 91.7-96.7% (mean 94.2) | 19.7-46.7% (mean 33.2) |',
      '| i250 | 0, 1 | 89.1% (one seed), 1 of 2 seeds without a result | 15.3% (one seed), 1 of 2 seeds without a result |',
      '| hs | 0, 1 | 90.6-94.7% (mean 92.7) | 12.7% (every seed) |',
    ].join('\n'),
  );
});

test('train output: the oracle curve at the first length and the minutes of a finished run', () => {
  assert.deepEqual(learningCurve(FINISHED, 4), ['0', '92', '98']);
  assert.deepEqual(learningCurve(FINISHED, '12'), ['0', '0', '6']);
  assert.deepEqual(learningCurve(FINISHED, 1), [], 'n=1 is not n=12');
  assert.equal(trainMinutes(FINISHED), 1.4);
  assert.equal(trainingFinished(FINISHED), true);
  assert.equal(lastLine(FINISHED), 'model: /work/runs/probes/unique_set/h16.onnx (638 KB)');
});

test('train output: an interrupted run has a curve so far and no minutes', () => {
  assert.deepEqual(learningCurve(HEAD, 4), ['0', '92']);
  assert.equal(trainMinutes(HEAD), null);
  assert.equal(trainingFinished(HEAD), false);
  assert.equal(trainMinutes(''), null);
});

test('train output: a resumed log counts a step evaluated twice once, with the resumed run\'s value', () => {
  assert.deepEqual(learningCurve(RESUMED, 4), ['0', '94', '98']);
  assert.equal(trainMinutes(RESUMED), 1.6);
  assert.equal(trainMinutes(`${FINISHED}\ntrained 1500 steps in 2.5 min, final loss 0.07 (cpu)\n`), 2.5, 'the last run counts');
  assert.equal(trainMinutes('trained 1500 steps in 2.5 min (CPU time 2.4 min), final loss 0.07 (cpu)\n'), 2.5, 'the wall time, not the CPU time beside it');
});

test('train output: a length named n_b (multiplication) is read like n', () => {
  const out = 'step 250: n_b=3 oracle 40.6% adaptive 39.1%, n_b=11 oracle 0.0% adaptive 0.0%\nstep 500: n_b=3 oracle 87.5% adaptive 85.9%, n_b=11 oracle 1.6% adaptive 0.0%\n';
  assert.deepEqual(learningCurve(out, 3), ['41', '88']);
  assert.deepEqual(learningCurve(out, 11), ['0', '2']);
});

// `looplens eval --json --cases` into a pipe: progress lines, then the JSON (fields beyond those read trimmed)
const evalOutput = (cases: boolean) => `evaluating: 7/9  78%  0.43 batch/s  0:14 elapsed, ETA 0:05  n 8
evaluating: 9/9 100%  0.43 batch/s  0:19 elapsed  n 8
${JSON.stringify(
  {
    model: '/work/runs/probes/addition/h16.onnx',
    summary: {
      examplesPerLength: 64,
      seed: 1234,
      rows: [
        { length: 4, oracleStep: 5, examples: 64, oracle: 1, perBatch: 0.984375, perBatchStep: 5, perExample: 1, perExampleStep: 5 },
        { length: 8, oracleStep: 9, examples: 64, oracle: 0.5, perBatch: 0.25, perBatchStep: 10, perExample: 0.5, perExampleStep: 9.1 },
      ],
    },
    ...(cases
      ? {
          cases: {
            title: 'longest carry chain',
            labels: ['0', '1-2', '3-5', '6+'],
            byLength: {
              '4': [{ label: '0', examples: 20, correct: 20 }, { label: '1-2', examples: 44, correct: 44 }, { label: '3-5', examples: 0, correct: 0 }, { label: '6+', examples: 0, correct: 0 }],
              '8': [{ label: '0', examples: 10, correct: 9, paperRule: 9 }, { label: '1-2', examples: 40, correct: 20, paperRule: 10 }, { label: '3-5', examples: 14, correct: 3, paperRule: 1 }, { label: '6+', examples: 0, correct: 0, paperRule: 0 }],
            },
          },
        }
      : {}),
    seconds: 19.2,
  },
  null,
  2,
)}
`;

test('eval output: oracle and paper rule per length, and the case counts when there is a split', () => {
  const e = parseEvalOutput(evalOutput(true));
  assert.deepEqual([...e.final], [[4, [1, 0.984375]], [8, [0.5, 0.25]]]);
  assert.deepEqual([...e.cases.keys()], [4, 8]);
  assert.deepEqual(e.cases.get(8)!.map((c) => [c.label, c.examples, c.correct]), [['0', 10, 9], ['1-2', 40, 20], ['3-5', 14, 3], ['6+', 0, 0]]);
  assert.equal(parseEvalOutput(evalOutput(false)).cases.size, 0);
  assert.throws(() => parseEvalOutput('error: no such model file\n'));
});

function outcome(name: string, args: string[], o: Partial<Outcome>): Outcome {
  return { ...emptyOutcome({ name, args }), ...o };
}

test('table: one row per variant, oracle / paper rule per length, the curve; a failed run shows its error', () => {
  const e = parseEvalOutput(evalOutput(false));
  const rows = [
    outcome('h16', ['--heads', '16'], { trainMin: 12.34, curve: ['0', '92', '98'], final: e.final }),
    outcome('lr1', ['--lr', '1'], { curve: ['0'], error: 'training failed (exit 1): NaN loss' }),
  ];
  assert.equal(
    table(rows, [4, 8], 500, null),
    [
      '| variant | options | training | n = 4 | n = 8 | oracle at n = 4 every 500 steps |',
      '| --- | --- | --- | --- | --- | --- |',
      '| h16 | `--heads 16` | 12.3 min | 100.0 / 98.4% | 50.0 / 25.0% | 0, 92, 98 |',
      '| lr1 | `--lr 1` | - | training failed (exit 1): NaN loss | training failed (exit 1): NaN loss | 0 |',
    ].join('\n'),
  );
});

test('table: with a case split, the oracle per case at the longest length the variant gets at least 10% of ("-" where a case or the counts are missing)', () => {
  const e = parseEvalOutput(evalOutput(true));
  const rows = [outcome('h16', ['--heads', '16'], { trainMin: 2, curve: ['50', '100'], final: e.final, cases: e.cases }), outcome('none', [], {})];
  const lines = table(rows, [4, 8], 250, 'longest carry chain').split('\n');
  assert.equal(lines[0], '| variant | options | training | n = 4 | n = 8 | oracle at n = 4 every 250 steps | oracle by longest carry chain, at the longest length at least 10.0% right |');
  assert.equal(lines[1], '| --- | --- | --- | --- | --- | --- | --- |');
  assert.equal(lines[2], '| h16 | `--heads 16` | 2.0 min | 100.0 / 98.4% | 50.0 / 25.0% | 50, 100 | n = 8: 0: 90.0% of 10, 1-2: 50.0% of 40, 3-5: 21.4% of 14, 6+: - of 0 |');
  assert.equal(lines[3], '| none | `` | - | - | - |  | - |');
});

test('caseLength: the longest length at least 10% right under the oracle, else the first', () => {
  const o = outcome('x', [], { final: new Map([[4, [1, 1]], [8, [0.45, 0.4]], [12, [0.02, 0]]]) });
  assert.equal(caseLength(o, [4, 8, 12]), 8);
  assert.equal(caseLength(outcome('y', [], { final: new Map([[4, [0.05, 0]]]) }), [4, 8, 12]), 4);
  assert.equal(caseLength(outcome('z', [], {}), [4, 8]), 4);
});

const TRAIN = ['train', '--task', 'parity', '--preset', 'tiny', '--heads', '4', '--threads', '1', '--out', '/o/a.onnx', '--no-eval', '--eval-every', '20', '--lengths', '4,6'];
const EVAL = ['eval', '/o/a.onnx', '--lengths', '4,6', '--examples', '64', '--threads', '1', '--json'];
const none: VariantFiles = { model: false, checkpoint: false, trainLog: null, recorded: null };
const done: VariantFiles = { model: true, checkpoint: true, trainLog: FINISHED, recorded: { train: TRAIN, eval: EVAL } };
const interrupted: VariantFiles = { model: false, checkpoint: true, trainLog: HEAD, recorded: { train: TRAIN } };

test('resume: nothing earlier trains; a finished run with the same arguments is reused; an interrupted one is resumed', () => {
  assert.deepEqual(planVariant(none, TRAIN, false), { action: 'train', reason: null });
  assert.deepEqual(planVariant(done, TRAIN, false), { action: 'reuse' });
  assert.deepEqual(planVariant(interrupted, TRAIN, false), { action: 'resume' });
  // an earlier model of the same variant does not make an interrupted retraining finished
  assert.deepEqual(planVariant({ ...interrupted, model: true }, TRAIN, false), { action: 'resume' });
  // finished but the model file is gone: resuming the final checkpoint writes it
  assert.deepEqual(planVariant({ ...done, model: false }, TRAIN, false), { action: 'resume' });
  // the probe was killed before its log said anything: the checkpoint still resumes
  assert.deepEqual(planVariant({ ...interrupted, trainLog: null }, TRAIN, false), { action: 'resume' });
});

test('resume: changed or unrecorded arguments, no checkpoint, or --fresh retrain, saying why', () => {
  const changed = planVariant(done, TRAIN.map((w) => (w === '4' ? '8' : w)), false);
  assert.equal(changed.action, 'train');
  assert.match(changed.action === 'train' ? changed.reason! : '', /^its train arguments changed \(were: train --task parity --preset tiny --heads 4 /);
  assert.equal(planVariant(interrupted, [...TRAIN, '--lr', '1e-3'], false).action, 'train', 'a longer command line differs too');
  assert.deepEqual(planVariant({ ...done, recorded: null }, TRAIN, false), { action: 'train', reason: 'no record of the arguments its earlier files were trained with' });
  assert.deepEqual(planVariant({ ...interrupted, checkpoint: false }, TRAIN, false), { action: 'train', reason: 'its earlier training stopped before its first checkpoint' });
  for (const files of [done, interrupted]) assert.deepEqual(planVariant(files, TRAIN, true), { action: 'train', reason: '--fresh' });
  assert.deepEqual(planVariant(none, TRAIN, true), { action: 'train', reason: null });
});

test('resume: the earlier evaluation is reused only with the same eval arguments and a log that reads', () => {
  const log = evalOutput(false);
  assert.deepEqual(reusableEval(done.recorded, EVAL, log)?.final, parseEvalOutput(log).final);
  assert.equal(reusableEval(done.recorded, [...EVAL, '--cases'], log), null);
  assert.equal(reusableEval(done.recorded, EVAL.map((w) => (w === '64' ? '640' : w)), log), null);
  assert.equal(reusableEval({ train: TRAIN }, EVAL, log), null, 'no eval recorded: the model was retrained since');
  assert.equal(reusableEval(done.recorded, EVAL, null), null);
  assert.equal(reusableEval(done.recorded, EVAL, log.slice(0, log.length / 2)), null, 'cut short');
  assert.equal(reusableEval(null, EVAL, log), null);
});

test('resume: <name>.args.json reads back, anything else is no record', () => {
  assert.deepEqual(parseRecordedArgs(JSON.stringify({ train: TRAIN, eval: EVAL })), { train: TRAIN, eval: EVAL });
  assert.deepEqual(parseRecordedArgs(JSON.stringify({ train: TRAIN })), { train: TRAIN });
  assert.deepEqual(parseRecordedArgs(JSON.stringify({ train: TRAIN, eval: 'x' })), { train: TRAIN });
  for (const bad of ['', '{', 'null', '[]', '{"train":"train --task parity"}', '{"train":[1]}']) assert.equal(parseRecordedArgs(bad), null, bad);
});
