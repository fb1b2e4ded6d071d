// `looplens train … --estimate` end to end through runCli: it times the planned run's batches (a
// stage's answer hold included), prints the projection, and trains nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cli } from './helpers';
import { tmpDir } from '../../support/tmpDir';
import { gradientWorkerScript } from '../../support/workerBundles';

test('train --estimate: the run, each timed batch and the projection; no model, no checkpoint', async () => {
  const out = path.join(tmpDir(), 'never.onnx');
  const r = await cli(['train', '--task', 'parity', '--preset', 'tiny', '--stages', '1200:12:3e-4:hold=2', '--steps', '1300', '--estimate', '--ep', 'cpu', '--threads', '1', '--out', out]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^projecting the cost of training parity \(tiny preset\): d=64, .*then 1\.\.12 from step 1,200 \(lr 0\.0003, each example read at a random step from T\(n\) to T\(n\) \+ 2\)/m);
  assert.match(r.out, /^timing 3 step\(s\), their mean, after a warm-up at 5 points of the curriculum and at each stage, on 1 thread\(s\); load average before: [\d.]+ [\d.]+ [\d.]+$/m);
  assert.equal((r.out.match(/^ {2}curriculum: lengths 1\.\.\d+, width \d+, horizon \d+: cpu \d+ ms\/step, wall \d+ ms\/step$/gm) ?? []).length, 5);
  assert.match(r.out, /^ {2}stage 1: lengths 1\.\.12 \(read up to 2 steps past T\(n\)\), width \d+, horizon \d+: cpu \d+ ms\/step/m);
  assert.match(r.out, /^projected run: .+ of CPU time for 1300 steps on 1 thread\(s\) \(.+ while the curriculum grows, .+ at its full length, .+ in its stages\), .+ of wall time at the timed steps' pace; checkpoints and evaluations not counted$/m);
  assert.match(r.out, /^evaluations \(not in the line above; CPU time, timed on random weights of the network\): the final evaluation \(640 examples at [\d, ]+\) about \d+ (s|min); with the training, .+ of CPU time in all$/m, 'the default final evaluation, no learning curve');
  assert.match(r.out, /nothing was trained$/m);
  assert.doesNotMatch(r.out, /^training /m);
  assert.equal(fs.existsSync(out), false);
  assert.equal(fs.existsSync(out.replace(/\.onnx$/, '.ckpt')), false);
});

test("train --estimate counts the learning curve's points and the final evaluation as asked, or none with --no-eval", async () => {
  const base = ['train', '--task', 'parity', '--preset', 'tiny', '--steps', '1000', '--estimate', '--ep', 'cpu', '--threads', '1'];
  const curve = await cli([...base, '--eval-every', '300', '--lengths', '4,8', '--examples', '100']);
  assert.equal(curve.code, 0, curve.err);
  assert.match(curve.out, /^evaluations \(.*\): the learning curve's 4 point\(s\) \(64 examples at 4, 8\) about \d+ (s|min), the final evaluation \(100 examples at 4, 8\) about \d+ (s|min); with the training, .+ of CPU time in all$/m);
  // a run keeping its branches evaluates each of them too
  const kept = await cli([...base, '--stages', '900:12:branches=2', '--keep-branches', '--eval-every', '25', '--lengths', '4,8', '--examples', '100']);
  assert.equal(kept.code, 0, kept.err);
  assert.match(kept.out, /the learning curve's 40 point\(s\) \(64 examples at 4, 8; 2 of them also read the branch alone\)/, 'steps 975 and 1000, in the second branch');
  assert.match(kept.out, /the final evaluation \(100 examples at 4, 8, of 3 models: the run's and each branch kept\) about \d+ (s|min)/);
  const none = await cli([...base, '--no-eval']);
  assert.equal(none.code, 0, none.err);
  assert.doesNotMatch(none.out, /^evaluations/m, 'nothing to evaluate, nothing said');
});

test('train --estimate: refused with --resume; in the help', async () => {
  const r = await cli(['train', '--task', 'parity', '--estimate', '--resume']);
  assert.equal(r.code, 2);
  assert.match(r.err, /--estimate projects a new run; a resumed run shows its remaining time as it trains/);
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--estimate\s+do not train: time a few real steps/);
});

test('train --estimate --data-parallel times shared batches up to --share-width and says so; misuse is a usage error', async () => {
  gradientWorkerScript(); // the bundle the CLI finds (as `npm run build` makes it)
  const base = ['train', '--task', 'parity', '--preset', 'tiny', '--steps', '300', '--estimate', '--threads', '1', '--no-eval'];
  const r = await cli([...base, '--data-parallel', '--share-width', '5']);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^timing 3 step\(s\), their mean, after a warm-up at 5 points of the curriculum and at each stage, on 2 one-thread workers for rows up to 5 wide, 1 thread\(s\) for wider; /m);
  assert.match(r.out, /^projected run: .+ of CPU time for 300 steps on 2 one-thread workers for rows up to 5 wide, 1 thread\(s\) for wider \(/m);
  const alone = await cli([...base, '--share-width', '5']);
  assert.equal(alone.code, 2);
  assert.match(alone.err, /--share-width sets how wide the rows --data-parallel shares may be: give it with --data-parallel/);
  const cuda = await cli([...base, '--data-parallel', '--ep', 'cuda']);
  assert.equal(cuda.code, 2);
  assert.match(cuda.err, /--data-parallel shares batches between CPU threads; it does not go with --ep cuda/);
});
