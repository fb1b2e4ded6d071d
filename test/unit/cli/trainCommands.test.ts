// looplens start / train / eval / trace through runCli: a real (very short) run end to end, and bad
// arguments → usage message, exit 2, no stack trace; bad files → message, exit 1.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { loadModel } from '../../../src/core/model/modelFile';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';
import { train } from '../../../src/core/train/trainer';
import { readTrainingCheckpoint } from '../../../src/core/train/trainingCheckpoint';
import { readCheckpoint, writeCheckpoint } from '../../../src/core/train/checkpoint';
import { microParity } from '../../support/tinyRecipes';

const noStack = (text: string) => assert.doesNotMatch(text, /\n\s+at .+:\d+:\d+/, 'no stack trace');

test('main job with --steps: trains, evaluates, prints the table and where the model is; eval and trace read the file', async () => {
  const dir = tmpDir();
  const out = path.join(dir, 'parity.onnx');
  const io = memoryIO();
  const code = await runCli(['start', '--steps', '12', '--examples', '8', '--lengths', '3,6', '--out', out, '--ep', 'cpu', '--threads', '1'], commands, io);
  assert.equal(code, 0, io.err());
  assert.match(io.out(), /training a looped transformer on parity \(inputs of length 1\.\.20\)/);
  assert.match(io.out(), /trained 12 steps in/);
  assert.match(io.out(), /length\s+T\(n\)\s+oracle acc\s+paper rule acc\s+per-example acc\s+paper rule step\s+per-example step/);
  assert.match(io.out(), /^\s+3\s+3\s+\d+\.\d%/m);
  assert.match(io.out(), /^\s+6\s+6\s+\d+\.\d%/m);
  assert.match(io.out(), new RegExp(`model file: ${out.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  assert.match(io.out(), /LoopLens: Open Looped Model/);
  assert.match(io.err(), /train parity/, 'progress on stderr');
  assert.ok(fs.existsSync(out) && fs.existsSync(path.join(dir, 'parity.ckpt')));

  // Running it again reuses the finished checkpoint instead of training from scratch; more steps continue it.
  const io1 = memoryIO();
  assert.equal(await runCli(['start', '--steps', '12', '--examples', '8', '--lengths', '3', '--out', out, '--ep', 'cpu'], commands, io1), 0, io1.err());
  assert.match(io1.out(), /found the finished run .*parity\.ckpt: evaluating it again/);
  const io1b = memoryIO();
  assert.equal(await runCli(['start', '--steps', '14', '--examples', '8', '--lengths', '3', '--out', out, '--ep', 'cpu'], commands, io1b), 0, io1b.err());
  assert.match(io1b.out(), /continuing the interrupted run .* from step 12/);
  assert.match(io1b.out(), /trained 14 steps/);

  const io2 = memoryIO();
  assert.equal(await runCli(['eval', out, '--lengths', '4', '--examples', '16', '--batch', '8', '--ep', 'cpu', '--all-rules', '--calibrated'], commands, io2), 0, io2.err());
  assert.match(io2.out(), /stable3 acc\s+calibrated acc\s+paper rule step/);
  assert.match(io2.out(), /Parity model parity\.onnx: d=64, 1 layer\(s\), 4 heads; trained 14 steps \(cpu preset\)/);
  assert.match(io2.out(), /exact match, 16 examples per length, batches of 8/);
  assert.match(io2.out(), /ex-answer acc\s+ex-min acc\s+stable3 acc/);
  const io2b = memoryIO();
  assert.equal(await runCli(['eval', out, '--lengths', '4,6', '--examples', '16', '--batch', '8', '--ep', 'cpu', '--positions'], commands, io2b), 0, io2b.err());
  // parity at the test width n + 2: the answer at '=' (+0) and one trailing pad (+1) are masked
  assert.match(io2b.out(), /accuracy \(%\) per masked position at T\(n\)/);
  assert.match(io2b.out(), /^length\s+\+0\s+\+1\s*$/m);
  assert.match(io2b.out(), /^\s+4\s+\d+\s+\d+\s*$/m);

  const io3 = memoryIO();
  assert.equal(await runCli(['trace', out, '--input', '10110', '--ep', 'cpu'], commands, io3), 0, io3.err());
  assert.match(io3.out(), /Parity: 10110= → expected 1/);
  assert.match(io3.out(), /T\(n\) = 5;/);
  assert.match(io3.out(), /length-calibrated rule \(the paper's rule on 256 random inputs of this length\) picks step \d+/);
  const lines = io3.out().split('\n').filter((l) => /^\s+\d+\s/.test(l));
  assert.equal(lines.length, 25, 'T(n) + 20 steps');
  assert.match(lines[4]!, /← T\(n\)/);

  const io4 = memoryIO();
  assert.equal(await runCli(['trace', out, '--input', '101', '--json', '--steps', '4'], commands, io4), 0);
  const j = JSON.parse(io4.out()) as { oracleStep: number; steps: unknown[] };
  assert.equal(j.oracleStep, 3);
  assert.equal(j.steps.length, 4);

  // bad --input text is a usage error of trace (the model file itself is fine)
  const io5 = memoryIO();
  assert.equal(await runCli(['trace', out, '--input', '10a1'], commands, io5), 2);
  assert.match(io5.err(), /--input: parity input must be binary digits/);
  noStack(io5.err());
});

test('bad arguments: usage message, exit 2, no stack trace', async () => {
  const dir = tmpDir();
  const cases: [string[], RegExp][] = [
    [['train'], /train: --task is required/],
    [['train', '--task', 'sorting'], /unknown task "sorting"; valid tasks: parity/],
    [['train', '--task', 'parity', '--preset', 'gpu'], /unknown preset "gpu"; valid presets: paper, cpu/],
    [['train', '--task', 'parity', '--steps', '0'], /--steps must be >= 1, got 0/],
    [['train', '--task', 'parity', '--lr', 'fast'], /--lr must be a number/],
    [['train', '--task', 'parity', '--ep', 'tpu'], /--ep must be one of auto, cpu, cuda/],
    [['train', '--task', 'parity', '--resume', '--out', path.join(dir, 'x.onnx')], /--resume: no checkpoint at .*x\.ckpt/],
    [['train', '--task', 'parity', '--heads', '5'], /head/],
    [['train', '--task', 'parity', '--width', 'wide'], /--width must be one of fixed, curriculum/],
    [['train', '--task', 'parity', '--max-length', '0'], /--max-length must be >= 1/],
    [['eval'], /missing MODEL/],
    [['eval', 'm.onnx', '--lengths', '10,,20'], /comma-separated integers/],
    [['trace', 'm.onnx'], /--input is required/],
    [['start', '--steps', 'many'], /--steps must be an integer/],
    [['start', '--task', 'nope'], /unknown task "nope"/],
  ];
  for (const [argv, re] of cases) {
    const io = memoryIO();
    assert.equal(await runCli(argv, commands, io), 2, argv.join(' '));
    assert.match(io.err(), re, argv.join(' '));
    assert.match(io.err(), /usage: looplens/, argv.join(' '));
    noStack(io.err());
  }
});

test('files that are not models: clear message, exit 1, no stack trace', async () => {
  const dir = tmpDir();
  const text = path.join(dir, 'notes.onnx');
  fs.writeFileSync(text, 'not a model at all');
  const cases: [string[], RegExp][] = [
    [['eval', path.join(dir, 'missing.onnx')], /looplens eval: no model file at .*missing\.onnx/],
    [['trace', text, '--input', '101'], /looplens trace: .*notes\.onnx is not (a readable ONNX model|an ONNX model)/],
  ];
  for (const [argv, re] of cases) {
    const io = memoryIO();
    assert.equal(await runCli(argv, commands, io), 1, argv.join(' '));
    assert.match(io.err(), re);
    noStack(io.err());
  }
});

test('train --resume continues the checkpoint\'s own recipe; conflicting options are refused', async () => {
  const dir = tmpDir();
  const out = path.join(dir, 'p.onnx');
  const io = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--steps', '3', '--seed', '4', '--no-eval', '--out', out, '--ep', 'cpu'], commands, io), 0, io.err());
  assert.match(io.out(), /trained 3 steps/);
  const io2 = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--steps', '5', '--resume', '--no-eval', '--out', out, '--ep', 'cpu'], commands, io2), 0, io2.err());
  assert.match(io2.err(), /resuming from .*p\.ckpt at step 3/);
  assert.match(io2.out(), /seed 4/, 'the checkpoint\'s seed, not the default');
  assert.match(io2.out(), /trained 5 steps/);
  const io3 = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--resume', '--seed', '1', '--no-eval', '--out', out, '--ep', 'cpu'], commands, io3), 1);
  assert.match(io3.err(), /different seed/);
  noStack(io3.err());
});

test('Ctrl-C stops train after a checkpoint and prints a resume command that names the model plainly', async () => {
  const dir = tmpDir();
  const out = path.join(dir, 'stop.onnx');
  const io = { ...memoryIO(), cwd: path.join(path.parse(dir).root, 'elsewhere') }; // the model lies outside the working folder
  const listening = process.listenerCount('SIGINT');
  const run = runCli(['train', '--task', 'parity', '--steps', '100000', '--no-eval', '--out', out, '--ep', 'cpu'], commands, io);
  // one Ctrl-C once train listens for it (a second one would quit the process at once)
  while (process.listenerCount('SIGINT') === listening) await new Promise((resolve) => setTimeout(resolve, 20));
  process.emit('SIGINT', 'SIGINT');
  assert.equal(await run, 130, io.err());
  assert.match(io.out(), /stopped at step \d+\/100000; checkpoint .*stop\.ckpt/);
  // an absolute path, not a '../..' one relative to a folder the model is not in
  assert.ok(io.out().includes(`continue with: looplens train --task parity --out ${out} --resume`), io.out());
  assert.ok(fs.existsSync(path.join(dir, 'stop.ckpt')), 'the checkpoint was written before stopping');
  assert.equal(process.listenerCount('SIGINT'), listening, 'train no longer listens for Ctrl-C');
});

test('train --eval-every prints the learning curve at the test lengths', async () => {
  const out = path.join(tmpDir(), 'c.onnx');
  const io = memoryIO();
  assert.equal(await runCli(['train', '--task', 'parity', '--steps', '4', '--eval-every', '2', '--lengths', '3,5', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1'], commands, io), 0, io.err());
  const text = io.out() + io.err();
  assert.match(text, /step 2: n=3 oracle \d+(\.\d+)?% adaptive \d+(\.\d+)?%, n=5 oracle/);
  assert.match(text, /step 4: n=3 oracle/);
});

test("train --resume goes on with the checkpoint's learning curve unless --eval-every or --lengths says otherwise", async () => {
  const out = path.join(tmpDir(), 'curve.onnx');
  const base = ['train', '--task', 'parity', '--preset', 'tiny', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1'];
  const first = memoryIO();
  assert.equal(await runCli([...base, '--steps', '4', '--eval-every', '2', '--lengths', '3,5'], commands, first), 0, first.err());
  const resumed = memoryIO();
  assert.equal(await runCli([...base, '--resume', '--steps', '8'], commands, resumed), 0, resumed.err());
  const text = resumed.out() + resumed.err();
  assert.match(text, /the learning curve goes on as it was drawn: every 2 steps at lengths 3,5/);
  assert.match(text, /step 6: n=3 oracle \d+(\.\d+)?% adaptive \d+(\.\d+)?%, n=5 oracle/);
  assert.match(text, /step 8: n=3 oracle/);
  const other = memoryIO();
  assert.equal(await runCli([...base, '--resume', '--steps', '10', '--eval-every', '1', '--lengths', '4'], commands, other), 0, other.err());
  assert.doesNotMatch(other.out(), /goes on as it was drawn/);
  assert.match(other.out() + other.err(), /step 9: n=4 oracle/);
});

test('a run stopped before its first curve point keeps its curve: the checkpoint holds the settings, and --resume draws it on', async () => {
  const dir = tmpDir();
  const abort = new AbortController();
  const quickEval = { every: 5, lengths: [3, 5], examples: 16 };
  await train({ recipe: microParity(12), checkpointPath: path.join(dir, 'early.ckpt'), quickEval, cpuThreads: 1, signal: abort.signal, onEvent: (e) => e.type === 'progress' && e.step === 3 && abort.abort() });
  const ck = await readTrainingCheckpoint(path.join(dir, 'early.ckpt'));
  assert.equal(ck.step, 3);
  assert.deepEqual(ck.quickEval, quickEval);
  assert.ok(!ck.state.history.some((h) => (h as { kind?: string }).kind === 'eval'), 'no curve point yet');
  const io = memoryIO();
  assert.equal(await runCli(['train', '--out', path.join(dir, 'early.onnx'), '--resume', '--no-eval', '--ep', 'cpu', '--threads', '1'], commands, io), 0, io.err());
  const text = io.out() + io.err();
  assert.match(text, /the learning curve goes on as it was drawn: every 5 steps at lengths 3,5/);
  assert.match(text, /^step 5: n=3 oracle \d+(\.\d+)?% adaptive \d+(\.\d+)?%, n=5 oracle/m);
  assert.match(text, /^step 10: n=3 oracle/m);
  // malformed settings are a damaged file
  const state = await readCheckpoint(path.join(dir, 'early.ckpt'));
  for (const bad of [{ ...quickEval, lengths: [] }, { ...quickEval, every: 0 }, 'every 5']) {
    await writeCheckpoint(path.join(dir, 'damaged.ckpt'), { ...state, extra: { ...state.extra, quickEval: bad } });
    await assert.rejects(readTrainingCheckpoint(path.join(dir, 'damaged.ckpt')), /damaged\.ckpt is corrupt: its learning curve's settings are malformed/, JSON.stringify(bad));
  }
  // and so is a malformed record of the checkpoints a run went on from
  for (const bad of [[], [{ checkpoint: '', step: 3 }], [{ checkpoint: 'a.ckpt', step: -1 }], 'a.ckpt']) {
    await writeCheckpoint(path.join(dir, 'damaged.ckpt'), { ...state, extra: { ...state.extra, forks: bad } });
    await assert.rejects(readTrainingCheckpoint(path.join(dir, 'damaged.ckpt')), /damaged\.ckpt is corrupt: its forks \(the checkpoints it went on from\) are malformed/, JSON.stringify(bad));
  }
});

test('train --d/--layers/--heads/--max-length/--interval/--width change the preset and say so', async () => {
  const out = path.join(tmpDir(), 'small.onnx');
  const io = memoryIO();
  const argv = ['train', '--task', 'copy', '--d', '16', '--layers', '1', '--heads', '2', '--max-length', '4', '--interval', '2', '--width', 'fixed', '--steps', '3', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1'];
  assert.equal(await runCli(argv, commands, io), 0, io.err());
  assert.match(io.out(), /d=16, 1 layer\(s\), 2 heads, .*lengths 1\.\.4 \(\+1 every 2 steps\), fixed-width rows/);
  const saved = await loadModel(out);
  assert.deepEqual([saved.config.d, saved.config.layers, saved.config.heads], [16, 1, 2]);
  assert.deepEqual(saved.metadata.training.recipe.curriculum, { start: 2, interval: 2, end: 5 });
});
