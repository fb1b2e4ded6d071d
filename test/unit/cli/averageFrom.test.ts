// `looplens train --average-from STEP` through runCli: help, bad values, the model file, the training
// line and `info`; a resume may add it before the run reaches it (checked against the run, not the
// preset) and may not move it after.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { assertTrainOptionRefuses, cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const averageFromOf = async (file: string) => (await loadModel(file)).metadata.training.recipe.averageFrom;

test('--average-from: help text, and bad values are usage errors', async () => {
  assert.match((await cli(['train', '--help'])).out, /--average-from STEP\s+save the mean of the weights after every step from STEP/);
  await assertTrainOptionRefuses('average-from', [['-1', /--average-from must be >= 0, got -1/], ['soon', /--average-from must be an integer, got "soon"/]]);
  const late = await cli(['train', ...QUICK_TRAIN, '--average-from', '4']);
  assert.equal(late.code, 2);
  assert.match(late.err, /averageFrom: the weight average must start before the run's 4 steps end: a step from 0 to 3, got 4/);
});

test('train --average-from: recorded, stated by the training line and info; a resume adds it before the run reaches it', async () => {
  const out = path.join(tmpDir(), 'avg.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--average-from', '2', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /, the weights averaged over steps 2 to 4, seed \d+$/m);
  assert.equal(await averageFromOf(out), 2);
  assert.match((await cli(['info', out])).out, /^ {2}weights: the weights averaged over steps 2 to 4 \(not the paper's last weights\)$/m);
  const moved = await cli(['train', ...QUICK_TRAIN, '--steps', '8', '--resume', '--average-from', '6', '--out', out]);
  assert.equal(moved.code, 1);
  assert.match(moved.err, /it was trained with a different averageFrom \(2 vs 6\)\. Only --steps may change when resuming \(and, while the run has not reached them, --average-from and the stages from step \d+ on\)/);

  const plain = path.join(tmpDir(), 'p.onnx');
  assert.equal((await cli(['train', ...QUICK_TRAIN, '--out', plain])).code, 0);
  assert.equal(await averageFromOf(plain), undefined);
  // 4 steps done, none averaged: the longer run may still average its last 3
  const added = await cli(['train', ...QUICK_TRAIN, '--steps', '8', '--resume', '--average-from', '5', '--out', plain]);
  assert.equal(added.code, 0, added.err);
  assert.equal(await averageFromOf(plain), 5);
});
