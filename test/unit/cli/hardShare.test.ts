// `looplens train --hard-share F` end to end through runCli: the option reaches the recipe and the
// model file, the training line and `info` state it, a task without hard inputs and bad values are
// usage errors, and a resume that would change it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { assertResumeKeepsOption, assertTrainOptionRefuses, cli } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const QUICK_UNIQUE = ['--task', 'unique_set', '--preset', 'tiny', '--steps', '4', '--no-eval', '--ep', 'cpu', '--threads', '1'];
const HARD_WORDS = /0\.5 of each batch from inputs over a random alphabet of 1 to 50 elements \(many repeats\)/;

test('--hard-share: help text; bad values and a task without hard inputs are usage errors', async () => {
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--hard-share F\s+draw this share of each batch from the task's hard inputs/);
  await assertTrainOptionRefuses('hard-share', [['1', /--hard-share must be < 1, got 1/], ['-0.5', /--hard-share must be >= 0, got -0\.5/], ['half', /--hard-share must be a number, got "half"/], ['0.5', /hardShare: the parity task has no hard inputs to draw from \(tasks with them: unique_set\)/]]);
});

test('train --hard-share: the recipe and the model file record it; the training line and info state it; resume keeps it', async () => {
  const out = path.join(tmpDir(), 'hs.onnx');
  const t = await cli(['train', ...QUICK_UNIQUE, '--hard-share', '0.5', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, new RegExp(`rows[^,]*, ${HARD_WORDS.source}, seed 0`));
  assert.equal((await loadModel(out)).metadata.training.recipe.hardShare, 0.5);
  const info = await cli(['info', out]);
  assert.match(info.out, new RegExp(`^ {2}inputs: ${HARD_WORDS.source} \\(not the paper's uniform inputs\\)$`, 'm'));

  await assertResumeKeepsOption(QUICK_UNIQUE, out, 'hard-share', '0', 'hardShare', 0.5);
});

test('train without --hard-share: no key in the recipe, nothing in info', async () => {
  const out = path.join(tmpDir(), 'u.onnx');
  const t = await cli(['train', ...QUICK_UNIQUE, '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.doesNotMatch(t.out, /hard inputs|random alphabet/);
  assert.equal('hardShare' in (await loadModel(out)).metadata.training.recipe, false);
  assert.doesNotMatch((await cli(['info', out])).out, /inputs:/);
});
