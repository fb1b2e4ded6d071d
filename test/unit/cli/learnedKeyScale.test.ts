// `--attention-scale learned-log-keys`: scores times 1 + s ln(keys), s learned per head from 0. A model
// with the paper's attention fine-tunes into it with its function unchanged at the start (its key
// scales at 0), the run learns the scales, records the model it started from, and resumes; attention
// that cannot start there is refused. (test/unit/model/torchParity.test.ts holds the graphs to PyTorch.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadModel, weightsCrc32 } from '../../../src/core/model/modelFile';
import type { LoopedConfig } from '../../../src/core/model/config';
import type { Params } from '../../../src/core/model/params';
import { inferenceModelBytes } from '../../../src/core/model/inferenceGraph';
import { startingWeights } from '../../../src/core/train/fineTune';
import type { TrainRecipe } from '../../../src/core/train/recipe';
import { cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const QUICK_RUN = ['--preset', 'tiny', '--steps', '3', '--interval', '1', '--no-eval', '--ep', 'cpu', '--threads', '1'];
const LEARNED = ['--attention-scale', 'learned-log-keys'];

async function trained(dir: string, name: string, extra: string[] = []): Promise<string> {
  const file = path.join(dir, name);
  const r = await cli(['train', ...QUICK_TRAIN, ...extra, '--out', file]);
  assert.equal(r.code, 0, r.err);
  return file;
}

/** Every loop step's logits on a few parity inputs. */
async function stepLogits(config: LoopedConfig, params: Params): Promise<Float32Array> {
  const session = await ort.InferenceSession.create(inferenceModelBytes(config, params, 'eval'));
  const [B, W] = [3, 7];
  const tokens = BigInt64Array.from({ length: B * W }, (_, i) => BigInt((i * 7 + 3) % 4));
  const out = await session.run({ tokens: new ort.Tensor('int64', tokens, [B, W]), num_steps: new ort.Tensor('int64', BigInt64Array.of(5n), []) });
  await session.release();
  return out.logits!.data as Float32Array;
}

test('a paper-attention model fine-tuned with learned key scales starts as the same function, learns the scales, and records where it started', async () => {
  const dir = tmpDir();
  const base = await trained(dir, 'base.onnx');
  const source = await loadModel(base);
  const out = path.join(dir, 'learned.onnx');
  const t = await cli(['train', '--init-from', base, ...QUICK_RUN, ...LEARNED, '--lr', '0.01', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.match(t.out, /heads \(scores x \(1 \+ s ln keys\), s learned\), batch/);

  const tuned = await loadModel(out);
  const recipe = tuned.metadata.training.recipe as unknown as TrainRecipe; // the record holds the run's recipe as JSON
  assert.equal(tuned.config.attentionScale, 'learned-log-keys');
  assert.equal(recipe.initFrom?.weightsCrc32, weightsCrc32(source.config, source.params), 'recorded by the weights of the model it started from');
  const scales = Object.keys(tuned.params).filter((k) => k.endsWith('.keyScale'));
  assert.deepEqual(scales, ['layers.0.attn.keyScale'], 'one key scale per head, per layer');
  assert.equal(tuned.params['layers.0.attn.keyScale']!.length, tuned.config.heads);
  assert.ok(tuned.params['layers.0.attn.keyScale']!.some((v) => v !== 0), 'three steps move the key scales from 0');

  // the starting weights: the model's, with every key scale at 0, computing the same logits
  const start = startingWeights(recipe, source, 'base.onnx');
  assert.deepEqual(Array.from(start['layers.0.attn.keyScale']!), new Array(tuned.config.heads).fill(0));
  const [before, after] = [await stepLogits(source.config, source.params), await stepLogits(tuned.config, start)];
  assert.ok(before.every((v, i) => Math.abs(v - after[i]!) <= 1e-5 * Math.max(1, Math.abs(v))), 'the same function at the start');

  const info = await cli(['info', out]);
  assert.match(info.out, /attention: scores times 1 \+ s ln\(number of keys each query sees\), s learned per head from 0/);
  const s = Array.from(tuned.params['layers.0.attn.keyScale']!, (v) => (10 * v).toFixed(2)).join(' ');
  assert.ok(info.out.includes(`\n  key scales s, per head: layer 1: ${s}\n`), info.out);
  const e = await cli(['eval', out, '--lengths', '3', '--examples', '8', '--batch', '8', '--ep', 'cpu', '--threads', '1']);
  assert.equal(e.code, 0, e.err);
  const resumed = await cli(['train', '--out', out, '--resume', '--steps', '5', '--ep', 'cpu', '--threads', '1', '--no-eval']);
  assert.equal(resumed.code, 0, resumed.err);
  assert.equal((await loadModel(out)).config.attentionScale, 'learned-log-keys');
});

test('learned key scales start only from the paper\'s attention, and a learned model does not drop them', async () => {
  const dir = tmpDir();
  const logKeys = await trained(dir, 'log.onnx', ['--attention-scale', 'log-keys']);
  const fromLog = await cli(['train', '--init-from', logKeys, ...QUICK_RUN, ...LEARNED, '--out', path.join(dir, 'a.onnx')]);
  assert.equal(fromLog.code, 2, fromLog.err);
  assert.match(fromLog.err, /cannot start from that model's weights: attentionScale: the recipe has learned-log-keys, the model log-keys/);

  const learned = await trained(dir, 'learned.onnx', LEARNED);
  const dropped = await cli(['train', '--init-from', learned, ...QUICK_RUN, '--attention-scale', 'none', '--out', path.join(dir, 'b.onnx')]);
  assert.equal(dropped.code, 2, dropped.err);
  assert.match(dropped.err, /attentionScale: the recipe has none, the model learned-log-keys/);
  const kept = await cli(['train', '--init-from', learned, ...QUICK_RUN, '--out', path.join(dir, 'c.onnx')]);
  assert.equal(kept.code, 0, kept.err);
  assert.equal((await loadModel(path.join(dir, 'c.onnx'))).config.attentionScale, 'learned-log-keys');
});
