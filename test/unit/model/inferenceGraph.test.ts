// The trace and eval graphs: they load in a fresh onnxruntime-node session, and their per-iteration
// logits equal the training graph's forward at the same step (read at T(n_i) there).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';
import { initParams } from '../../../src/core/model/params';
import type { Params } from '../../../src/core/model/params';
import { inferenceModelBytes } from '../../../src/core/model/inferenceGraph';
import { decodeModelProto } from '../../../src/core/onnx/onnxSchema';
import { randomBatch, relError } from './torchReference';
import { runDebugTrainGraph } from '../../support/debugTrainGraph';
import type { TrainBatch } from '../../../src/core/train/trainStep';

async function trainingForward(config: LoopedConfig, params: Params, b: TrainBatch): Promise<{ logits: Float32Array; order: number[] }> {
  const out = await runDebugTrainGraph(config, params, b, ['debug.logits', 'debug.order']);
  return { logits: out['debug.logits']!.data as Float32Array, order: Array.from(out['debug.order']!.data as BigInt64Array, Number) };
}

async function runInference(bytes: Uint8Array, b: TrainBatch, steps: number): Promise<ort.InferenceSession.ReturnType> {
  const s = await ort.InferenceSession.create(bytes);
  return s.run({ tokens: new ort.Tensor('int64', b.tokens, [b.batch, b.width]), num_steps: new ort.Tensor('int64', BigInt64Array.of(BigInt(steps)), []) });
}

for (const config of [
  { vocabSize: 6, d: 16, layers: 2, heads: 4, readIn: 'linear', inputInjection: true },
  { vocabSize: 7, d: 8, layers: 1, heads: 2, readIn: 'embedding', inputInjection: false },
  { vocabSize: 6, d: 16, layers: 2, heads: 4, readIn: 'linear', inputInjection: true, attentionScale: 'log-keys' },
] as LoopedConfig[]) {
  test(`trace logits per iteration equal the training forward at the same step (${config.readIn}, injection ${config.inputInjection}, attention scale ${config.attentionScale ?? 'none'})`, async () => {
    const rng = new Rng(3);
    // Init plus noise: at GPT-2 init the block barely changes the state, so every step looks alike.
    const params = initParams(config, () => rng.float());
    for (const v of Object.values(params)) for (let i = 0; i < v.length; i++) v[i] += 0.3 * rng.normal();
    const [B, W, H] = [6, 7, 6];
    const b = randomBatch(rng, config.vocabSize, B, W, H, [4, 1, 6, 2, 6, 3]);
    const train = await trainingForward(config, params, b);
    const trace = await runInference(inferenceModelBytes(config, params, 'trace'), b, H);
    const V = config.vocabSize;
    assert.deepEqual(trace.logits!.dims, [H, B, W, V]);
    assert.deepEqual(trace.attention!.dims, [H, config.layers, B, config.heads, W, W]);
    assert.deepEqual(trace.hidden!.dims, [H, B, W, config.d]);
    const tl = trace.logits!.data as Float32Array;
    train.order.forEach((example, row) => {
      const t = Number(b.steps[example]);
      const ours = tl.subarray(((t - 1) * B + example) * W * V, ((t - 1) * B + example + 1) * W * V);
      const theirs = train.logits.subarray(row * W * V, (row + 1) * W * V);
      assert.ok(relError(ours, theirs) < 1e-5, `example ${example} at step ${t}: ${relError(ours, theirs)}`);
    });
    // Steps differ from each other (the loop really iterates).
    const change = relError(tl.subarray(0, W * V), tl.subarray(B * W * V, (B + 1) * W * V));
    assert.ok(change > 1e-2, `step 1 and step 2 logits differ by only ${change}`);

    const ev = await runInference(inferenceModelBytes(config, params, 'eval'), b, H);
    assert.deepEqual(Object.keys(ev), ['logits']);
    const evErr = relError(ev.logits!.data as Float32Array, tl);
    assert.ok(evErr < 1e-5, `eval vs trace logits: ${evErr}`);
  });
}

test('attention probabilities are causal and rows sum to 1; width and batch are dynamic', async () => {
  const config: LoopedConfig = { vocabSize: 6, d: 8, layers: 2, heads: 2, readIn: 'linear', inputInjection: true };
  const rng = new Rng(5);
  const params = initParams(config, () => rng.float());
  const bytes = inferenceModelBytes(config, params, 'trace', { metadata: { looplens: 'test' } });
  assert.deepEqual((decodeModelProto(bytes).metadata_props as unknown[])[0], { key: 'looplens', value: 'test' });
  for (const [B, W, T] of [[1, 3, 2], [2, 9, 4]]) {
    const b = randomBatch(rng, 6, B!, W!, T!, Array(B).fill(1));
    const r = await runInference(bytes, b, T!);
    const a = r.attention!.data as Float32Array;
    assert.equal(a.length, T! * 2 * B! * 2 * W! * W!);
    for (let row = 0; row < a.length / W!; row++) {
      const q = row % W!;
      let s = 0;
      for (let k = 0; k < W!; k++) {
        const v = a[row * W! + k]!;
        if (k > q) assert.equal(v, 0, 'attention above the diagonal');
        s += v;
      }
      assert.ok(Math.abs(s - 1) < 1e-5);
    }
  }
});

test("'log-keys' attention multiplies each query's scores by ln(keys it sees): p_log(q, k) is proportional to p(q, k) ^ ln(q + 1)", async () => {
  const plain: LoopedConfig = { vocabSize: 6, d: 16, layers: 1, heads: 4, readIn: 'linear', inputInjection: true };
  const scaled: LoopedConfig = { ...plain, attentionScale: 'log-keys' };
  const rng = new Rng(11);
  const params = initParams(plain, () => rng.float());
  for (const v of Object.values(params)) for (let i = 0; i < v.length; i++) v[i] += 0.5 * rng.normal();
  const [B, W] = [2, 9];
  const b = randomBatch(rng, 6, B, W, 1, [1, 1]);
  // Step 1's only layer sees the same input in both models, so its scores differ only by the scale.
  const p = (await runInference(inferenceModelBytes(plain, params, 'trace'), b, 1)).attention!.data as Float32Array;
  const s = (await runInference(inferenceModelBytes(scaled, params, 'trace'), b, 1)).attention!.data as Float32Array;
  let largest = 0;
  for (let row = 0; row < p.length / W; row++) {
    const q = row % W;
    const powered = Array.from({ length: q + 1 }, (_, k) => Math.pow(p[row * W + k]!, Math.log(q + 1)));
    const total = powered.reduce((a, x) => a + x, 0);
    powered.forEach((x, k) => (largest = Math.max(largest, Math.abs(x / total - s[row * W + k]!))));
  }
  assert.ok(largest < 1e-4, `largest difference ${largest}`);
  assert.ok(relError(s, p) > 1e-2, 'the scale changes the attention');
});
