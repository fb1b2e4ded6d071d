// `looplens train --lr-floor F` end to end through runCli: the option reaches the recipe and the
// model file, the training line, `info` and the model editor state it, bad values are usage errors,
// and a resume that would change it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { buildModelPage } from '../../../src/extension/modelEditor/modelPage';
import type { LoopLensModelPage } from '../../../src/protocol/modelPage';
import { assertTrainOptionRefuses, cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';


test('--lr-floor: help text, and bad values are usage errors naming the option', async () => {
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--lr-floor F\s+cosine decay ends at F x the peak lr instead of 0 \(default: 0, the paper's\)/);
  await assertTrainOptionRefuses('lr-floor', [['1', /--lr-floor must be < 1, got 1/], ['-0.1', /--lr-floor must be >= 0, got -0\.1/], ['tenth', /--lr-floor must be a number, got "tenth"/]]);
});

test('train --lr-floor: the recipe and the model file record it; the training line, info and the model page state it; resume keeps it', async () => {
  const out = path.join(tmpDir(), 'f.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--lr-floor', '0.25', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /, lr 0\.001 \(cosine to 0\.25 x lr\), lengths/);
  const recipe = (await loadModel(out)).metadata.training.recipe as { schedule: Record<string, unknown> };
  assert.equal(recipe.schedule.minLrFraction, 0.25);

  const info = await cli(['info', out]);
  assert.equal(info.code, 0, info.err);
  assert.match(info.out, /^ {2}learning rate: 0\.001, constant to step \d+, then cosine to 0\.25 x lr$/m);
  const page = buildModelPage({ fileName: 'f.onnx', path: out, onDisk: true }, fs.readFileSync(out)) as LoopLensModelPage;
  assert.match(page.recipe.find((f) => f.label === 'learning rate')!.value, /^0\.001, constant to step \d+, then cosine to 0\.25 x lr$/);

  // Another floor (or none) would not continue the same run: refused like any other recipe change.
  for (const floor of ['0.5', '0']) {
    const other = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--lr-floor', floor, '--out', out]);
    assert.equal(other.code, 1, floor);
    assert.match(other.err, /cannot resume .*f\.ckpt: it was trained with a different schedule .*"minLrFraction":0\.25.*Only --steps may change when resuming/);
  }
  const same = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--out', out]);
  assert.equal(same.code, 0, same.err);
  assert.match(same.out, /trained 5 steps/);
  assert.equal(((await loadModel(out)).metadata.training.recipe as typeof recipe).schedule.minLrFraction, 0.25);
});

test('train without --lr-floor: no new key in the recipe, no floor in the output; adding one on resume is refused', async () => {
  const out = path.join(tmpDir(), 'p.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.doesNotMatch(t.out, /x lr/);
  const recipe = (await loadModel(out)).metadata.training.recipe as { schedule: Record<string, unknown> };
  assert.equal('minLrFraction' in recipe.schedule, false);
  assert.match((await cli(['info', out])).out, /learning rate: 0\.001, constant to step \d+, then cosine to 0$/m);
  const floored = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--lr-floor', '0.1', '--out', out]);
  assert.equal(floored.code, 1);
  assert.match(floored.err, /different schedule/);
  // --lr-floor 0 is the paper's schedule, the same recipe: it resumes.
  const zero = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--lr-floor', '0', '--out', out]);
  assert.equal(zero.code, 0, zero.err);
});
