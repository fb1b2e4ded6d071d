// `looplens train --answer-hold K` end to end through runCli: the option reaches the recipe and the
// model file, the training line and `info` state it, bad values and a fixed depth are usage errors,
// and a resume that would change it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { assertResumeKeepsOption, assertTrainOptionRefuses, cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const HOLD_WORDS = /each example read at a random step from T\(n\) to T\(n\) \+ 3/;

test('--answer-hold: help text; bad values and a fixed depth are usage errors', async () => {
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--answer-hold K\s+read each training example at a random loop step from T\(n\) to T\(n\) \+ K/);
  await assertTrainOptionRefuses('answer-hold', [['-1', /--answer-hold must be >= 0, got -1/], ['101', /--answer-hold must be <= 100, got 101/], ['two', /--answer-hold must be an integer, got "two"/]]);
  const fixed = await cli(['train', '--task', 'parity', '--fixed-steps', '5', '--answer-hold', '2']);
  assert.equal(fixed.code, 2);
  assert.match(fixed.err, /answerHold: the fixed-depth baseline reads every example at one step \(fixedSteps\), not at T\(n\); train it without a hold/);
});

test('train --answer-hold: the recipe and the model file record it; the training line and info state it; resume keeps it', async () => {
  const out = path.join(tmpDir(), 'ah.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--answer-hold', '3', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, new RegExp(`rows[^,]*, ${HOLD_WORDS.source}, seed \\d+`));
  assert.equal((await loadModel(out)).metadata.training.recipe.answerHold, 3);
  const info = await cli(['info', out]);
  assert.match(info.out, new RegExp(`^ {2}loss: ${HOLD_WORDS.source} \\(not the paper's read at T\\(n\\)\\)$`, 'm'));

  await assertResumeKeepsOption(QUICK_TRAIN, out, 'answer-hold', '0', 'answerHold', 3);
});

test('train without --answer-hold: no key in the recipe, nothing in info', async () => {
  const out = path.join(tmpDir(), 'plain.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.doesNotMatch(t.out, /random step from T\(n\)/);
  assert.equal('answerHold' in (await loadModel(out)).metadata.training.recipe, false);
  assert.doesNotMatch((await cli(['info', out])).out, /loss:/);
});
