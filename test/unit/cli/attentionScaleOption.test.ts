// `looplens train --attention-scale log-keys` end to end through runCli: the option reaches the
// model config in the file, info and the training line state it, eval runs the scaled graph, a bad
// value is a usage error and a resume cannot switch the attention.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { assertTrainOptionRefuses, cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';

test('bad --attention-scale values are usage errors naming the choices; --help describes the option', async () => {
  await assertTrainOptionRefuses('attention-scale', [['log', /--attention-scale must be one of none, log-keys, learned-log-keys; got "log"/], ['', /--attention-scale needs a non-empty value/]]);
  const help = await cli(['train', '--help']);
  assert.match(help.out, /--attention-scale none\|log-keys\|learned-log-keys\s+attention scores as the paper's \(none\), times ln\(number of keys\)/);
});

test('train --attention-scale log-keys: the config records it, info and the training line state it, eval runs it, a resume keeps it', async () => {
  const out = path.join(tmpDir(), 'p.onnx');
  const t = await cli(['train', ...QUICK_TRAIN, '--attention-scale', 'log-keys', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /4 heads \(scores x ln keys\), batch/);
  const m = await loadModel(out);
  assert.equal(m.config.attentionScale, 'log-keys');
  assert.equal(m.metadata.formatVersion, 3, 'a LoopLens that does not know the scale refuses the file instead of running it without');

  const info = await cli(['info', out]);
  assert.equal(info.code, 0, info.err);
  assert.match(info.out, /attention: scores times ln\(number of keys each query sees\) \(Scalable-Softmax; not in the paper\)/);
  const e = await cli(['eval', out, '--lengths', '3', '--examples', '8', '--batch', '8', '--ep', 'cpu', '--threads', '1']);
  assert.equal(e.code, 0, e.err);

  const switched = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--attention-scale', 'none', '--out', out]);
  assert.equal(switched.code, 1);
  assert.match(switched.err, /cannot resume .*p\.ckpt: it was trained with a different model .*log-keys.*Only --steps may change when resuming/);
  const same = await cli(['train', ...QUICK_TRAIN, '--steps', '5', '--resume', '--out', out]);
  assert.equal(same.code, 0, same.err);
  assert.equal((await loadModel(out)).config.attentionScale, 'log-keys');

  // the paper's attention leaves no key in the config, so its recipe matches one without the option
  const plain = path.join(tmpDir(), 'q.onnx');
  const n = await cli(['train', ...QUICK_TRAIN, '--attention-scale', 'none', '--out', plain]);
  assert.equal(n.code, 0, n.err);
  const p = await loadModel(plain);
  assert.deepEqual(['attentionScale' in p.config, p.metadata.formatVersion], [false, 1]);
  assert.doesNotMatch((await cli(['info', plain])).out, /attention:/);
});
