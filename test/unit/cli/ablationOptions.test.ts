// `looplens train --fixed-steps N` and `--no-injection` end to end through runCli: the options
// reach the recipe and the model file, eval / trace / info say which rule the model uses, and bad
// values or a resume that would switch ablation are usage errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { assertTrainOptionRefuses, cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';


test('bad --fixed-steps values are usage errors naming the option', async () => {
  await assertTrainOptionRefuses('fixed-steps', [['0', /--fixed-steps must be >= 1, got 0/], ['-2', /--fixed-steps must be >= 1, got -2/], ['deep', /--fixed-steps must be an integer, got "deep"/], ['20000', /--fixed-steps must be <= 10000/]]);
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--fixed-steps N\s+ablation, the fixed-depth baseline/);
  assert.match(help.out, /--no-injection\s+ablation: no input injection/);
});

test('train --fixed-steps: the recipe and the model file record the depth; eval, trace and info use and state it', async () => {
  const out = path.join(tmpDir(), 'p.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--fixed-steps', '6', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /ablation: a fixed depth of 6 loop steps, with input injection/);
  const m = await loadModel(out);
  assert.equal(m.metadata.stepsRule.fixedSteps, 6);
  assert.equal(m.metadata.training.recipe.fixedSteps, 6);
  assert.equal(m.metadata.training.recipe.horizon, 6);
  assert.equal(m.task.fixedSteps, 6);

  const e = await cli(['eval', out, '--lengths', '3,9', '--examples', '8', '--batch', '8', '--ep', 'cpu', '--threads', '1']);
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /loops: a fixed depth of 6 loop steps for every input \(the fixed-depth baseline\): the oracle reads every length at step 6, the adaptive rules search steps 1\.\.26/);
  assert.match(e.out, /^\s+3\s+6\s+\d+\.\d%/m, 'T(n) column: 6 at n = 3');
  assert.match(e.out, /^\s+9\s+6\s+\d+\.\d%/m, 'T(n) column: 6 at n = 9');

  const tr = await cli(['trace', out, '--input', '1011', '--ep', 'cpu', '--threads', '1']);
  assert.equal(tr.code, 0, tr.err);
  assert.match(tr.out, /T\(n\) = 6 \(fixed depth\);/);
  const rows = tr.out.split('\n').filter((l) => /^\s+\d+\s/.test(l));
  assert.equal(rows.length, 26, 'the depth + 20 steps');
  assert.match(rows[5]!, /← T\(n\)/);

  const info = await cli(['info', out]);
  assert.equal(info.code, 0, info.err);
  assert.match(info.out, /LoopLens model format 2/);
  assert.match(info.out, /loops: a fixed depth of 6 loop steps/);

  // Resuming keeps the depth; asking for another one, or for no injection, is refused up front.
  const other = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--fixed-steps', '7', '--out', out]);
  assert.equal(other.code, 2);
  assert.match(other.err, /cannot resume .*p\.ckpt: it was trained with a fixed depth of 6 steps, not a fixed depth of 7 steps\. A resumed run keeps its depth rule/);
  const noInj = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--no-injection', '--out', out]);
  assert.equal(noInj.code, 2);
  assert.match(noInj.err, /it was trained with input injection, not without/);
  const same = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--out', out]);
  assert.equal(same.code, 0, same.err);
  assert.equal((await loadModel(out)).metadata.stepsRule.fixedSteps, 6);
});

test('train --no-injection: the model file records it; eval and info say so; a T(n) run cannot be resumed at a fixed depth', async () => {
  const out = path.join(tmpDir(), 'n.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--no-injection', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /ablation: each example read at its T\(n\), without input injection/);
  const m = await loadModel(out);
  assert.equal(m.config.inputInjection, false);
  assert.equal((m.metadata.training.recipe.model as { inputInjection: boolean }).inputInjection, false);
  assert.equal(m.metadata.stepsRule.fixedSteps, undefined);
  assert.equal(m.metadata.formatVersion, 1);

  const e = await cli(['eval', out, '--lengths', '3', '--examples', '8', '--batch', '8', '--ep', 'cpu', '--threads', '1']);
  assert.equal(e.code, 0, e.err);
  assert.match(e.out, /loops: T\(n\) = n: the oracle reads each input at its T\(n\).*; no input injection \(ablation\): the input enters once, at the first loop step/);
  assert.match(e.out, /^\s+3\s+3\s+\d+\.\d%/m);
  const info = await cli(['info', out]);
  assert.match(info.out, /no input injection \(ablation\)/);

  const fixedNow = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--fixed-steps', '4', '--out', out]);
  assert.equal(fixedNow.code, 2);
  assert.match(fixedNow.err, /it was trained with T\(n\) per example, not a fixed depth of 4 steps/);
});
