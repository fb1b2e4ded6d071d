// `looplens train --weight-decay X` through runCli: it reaches the recipe's optimizer and the model
// file, the training line and `info` state a decay that is not the paper's, bad values are usage
// errors, and a resume that would change it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { assertTrainOptionRefuses, cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const decayOf = async (file: string) => ((await loadModel(file)).metadata.training.recipe as { optimizer: { weightDecay: number } }).optimizer.weightDecay;

test('--weight-decay: help text, and bad values are usage errors naming the option', async () => {
  assert.match((await cli(['train', '--help'])).out, /--weight-decay X\s+AdamW's decoupled weight decay \(default: 0\.01, the paper's\)/);
  await assertTrainOptionRefuses('weight-decay', [['2', /--weight-decay must be <= 1, got 2/], ['-0.1', /--weight-decay must be >= 0, got -0\.1/], ['lots', /--weight-decay must be a number, got "lots"/]]);
});

test('train --weight-decay: recorded in the model file, stated by the training line and info; resume keeps it and refuses another', async () => {
  const out = path.join(tmpDir(), 'wd.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--weight-decay', '0.1', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /, lr 0\.001, weight decay 0\.1 \(the paper's: 0\.01\), lengths/);
  assert.equal(await decayOf(out), 0.1);
  assert.match((await cli(['info', out])).out, /^ {2}weight decay: 0\.1 \(the paper's: 0\.01\)$/m);
  const other = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--weight-decay', '0.01', '--out', out]);
  assert.equal(other.code, 1);
  assert.match(other.err, /cannot resume .*wd\.ckpt: it was trained with a different optimizer .*"weightDecay":0\.1.*Only --steps may change when resuming/);
  const same = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--out', out]);
  assert.equal(same.code, 0, same.err);
  assert.equal(await decayOf(out), 0.1);

  const plain = path.join(tmpDir(), 'p.onnx');
  const p = await cli(['train', ...QUICK_TRAIN, '--out', plain]);
  assert.doesNotMatch(p.out, /weight decay/);
  assert.equal(await decayOf(plain), 0.01);
  assert.doesNotMatch((await cli(['info', plain])).out, /weight decay/);
});
