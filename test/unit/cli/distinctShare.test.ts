// `looplens train --distinct-share F` end to end through runCli: the option reaches the recipe and
// the model file, the training line and `info` state it (beside a hard share when there is one), a
// task without distinct inputs, a share above 1 with the hard one and bad values are usage errors,
// and a resume that would change it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { assertResumeKeepsOption, assertTrainOptionRefuses, cli } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const QUICK_UNIQUE = ['--task', 'unique_set', '--preset', 'tiny', '--steps', '4', '--no-eval', '--ep', 'cpu', '--threads', '1'];
const DISTINCT_WORDS = /0\.5 of each batch from inputs of n different elements \(no repeats, so all n answer slots filled\)/;

test('--distinct-share: help text; bad values, a task without distinct inputs and a share above 1 with the hard one are usage errors', async () => {
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--distinct-share F\s+draw this share of each batch from the task's distinct inputs/);
  assert.match(help.out, /\(not in the paper\) \(default: 0, the paper's uniform inputs\)/);
  await assertTrainOptionRefuses('distinct-share', [['1', /--distinct-share must be < 1, got 1/], ['-0.5', /--distinct-share must be >= 0, got -0\.5/], ['half', /--distinct-share must be a number, got "half"/], ['0.5', /distinctShare: the parity task has no distinct inputs to draw from \(tasks with them: unique_set\)/]]);
  const copy = await cli(['train', '--task', 'copy', '--preset', 'tiny', '--steps', '5', '--distinct-share', '0.5']);
  assert.equal(copy.code, 2);
  assert.match(copy.err, /distinctShare: the copy task has no distinct inputs to draw from \(tasks with them: unique_set\)/);
  const both = await cli(['train', ...QUICK_UNIQUE, '--hard-share', '0.6', '--distinct-share', '0.6']);
  assert.equal(both.code, 2);
  assert.match(both.err, /distinctShare: the hard share 0\.6 and the distinct share 0\.6 take 1\.2 of each batch together; they may take at most 1/);
  const long = await cli(['train', ...QUICK_UNIQUE, '--max-length', '51', '--distinct-share', '0.5']);
  assert.equal(long.code, 2);
  assert.match(long.err, /distinctShare: the unique_set task has distinct inputs only up to length 50, the curriculum reaches 51/);
});

test('train --distinct-share: the recipe and the model file record it; the training line and info state it; resume keeps it', async () => {
  const out = path.join(tmpDir(), 'ds.onnx');
  const t = await cli(['train', ...QUICK_UNIQUE, '--distinct-share', '0.5', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, new RegExp(`rows[^,]*, ${DISTINCT_WORDS.source}, seed 0`));
  const recipe = (await loadModel(out)).metadata.training.recipe;
  assert.equal(recipe.distinctShare, 0.5);
  assert.equal('hardShare' in recipe, false);
  const info = await cli(['info', out]);
  assert.match(info.out, new RegExp(`^ {2}inputs: ${DISTINCT_WORDS.source} \\(not the paper's uniform inputs\\)$`, 'm'));

  await assertResumeKeepsOption(QUICK_UNIQUE, out, 'distinct-share', '0', 'distinctShare', 0.5);
});

test('train --hard-share with --distinct-share: both recorded, one inputs line naming both', async () => {
  const out = path.join(tmpDir(), 'both.onnx');
  const t = await cli(['train', ...QUICK_UNIQUE, '--hard-share', '0.25', '--distinct-share', '0.5', '--out', out]);
  assert.equal(t.code, 0, t.err);
  const recipe = (await loadModel(out)).metadata.training.recipe;
  assert.deepEqual([recipe.hardShare, recipe.distinctShare], [0.25, 0.5]);
  const info = await cli(['info', out]);
  assert.match(info.out, new RegExp(`^ {2}inputs: 0\\.25 of each batch from inputs over a random alphabet of 1 to 50 elements \\(many repeats\\), ${DISTINCT_WORDS.source} \\(not the paper's uniform inputs\\)$`, 'm'));
});

test('train without --distinct-share: no key in the recipe, nothing in info', async () => {
  const out = path.join(tmpDir(), 'u.onnx');
  const t = await cli(['train', ...QUICK_UNIQUE, '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.doesNotMatch(t.out, /distinct inputs|different elements/);
  assert.equal('distinctShare' in (await loadModel(out)).metadata.training.recipe, false);
  assert.doesNotMatch((await cli(['info', out])).out, /inputs:/);
});
