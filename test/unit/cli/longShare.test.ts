// `looplens train --long-share F` end to end through runCli: the option reaches the recipe and the
// model file, the training line, `info` and the model editor state it, bad values are usage errors,
// and a resume that would change it is refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { buildModelPage } from '../../../src/extension/modelEditor/modelPage';
import type { LoopLensModelPage } from '../../../src/protocol/modelPage';
import { assertResumeKeepsOption, assertTrainOptionRefuses, cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';


test('--long-share: help text, and bad values are usage errors naming the option', async () => {
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--long-share F\s+draw this share of each batch at the curriculum's current longest length/);
  await assertTrainOptionRefuses('long-share', [['1', /--long-share must be < 1, got 1/], ['-0.5', /--long-share must be >= 0, got -0\.5/], ['half', /--long-share must be a number, got "half"/]]);
});

test('train --long-share: the recipe and the model file record it; the training line, info and the model page state it; resume keeps it', async () => {
  const out = path.join(tmpDir(), 'ls.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--long-share', '0.5', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /lengths 1\.\.\d+ \(\+1 every \d+ steps, 0\.5 of each batch at the longest length so far\)/);
  assert.equal((await loadModel(out)).metadata.training.recipe.longShare, 0.5);

  const info = await cli(['info', out]);
  assert.equal(info.code, 0, info.err);
  assert.match(info.out, /^ {2}lengths: 0\.5 of each batch at the longest length so far \(not the paper's uniform lengths\)$/m);
  const page = buildModelPage({ fileName: 'ls.onnx', path: out, onDisk: true }, fs.readFileSync(out)) as LoopLensModelPage;
  assert.match(page.recipe.find((f) => f.label === 'curriculum')!.value, /; 0\.5 of each batch at the longest length so far$/);

  for (const share of ['0.25', '0']) await assertResumeKeepsOption(QUICK_TRAIN, out, 'long-share', share, 'longShare', 0.5);
});

test('train without --long-share: no key in the recipe, nothing in info; --long-share 0 is the same recipe', async () => {
  const out = path.join(tmpDir(), 'u.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.doesNotMatch(t.out, /longest length/);
  assert.equal('longShare' in (await loadModel(out)).metadata.training.recipe, false);
  assert.doesNotMatch((await cli(['info', out])).out, /lengths:/);
  const zero = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--long-share', '0', '--out', out]);
  assert.equal(zero.code, 0, zero.err);
});
