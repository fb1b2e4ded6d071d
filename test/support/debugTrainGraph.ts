// Runs the training graph once with its debug outputs, on one batch with lr 0 and zero AdamW
// moments: the loss, gradients and logits that tests compare with other implementations.
import * as ort from 'onnxruntime-node';
import type { LoopedConfig } from '../../src/core/model/config';
import { packParams, type Params } from '../../src/core/model/params';
import { buildTrainGraph, trainNames } from '../../src/core/model/trainGraph';
import { toModelBytes } from '../../src/core/onnx/serialize';
import type { TrainBatch } from '../../src/core/train/trainStep';

/** `fetches`: output names to read (default: all of them). */
export async function runDebugTrainGraph(config: LoopedConfig, params: Params, b: TrainBatch, fetches?: string[]): Promise<ort.InferenceSession.ReturnType> {
  const g = buildTrainGraph({ config, batch: b.batch, width: b.width, horizon: b.horizon, debugOutputs: true });
  const s = await ort.InferenceSession.create(toModelBytes(g));
  const feeds: Record<string, ort.Tensor> = {
    step: new ort.Tensor('int64', BigInt64Array.of(1n), []),
    lr: new ort.Tensor('float64', Float64Array.of(0), []),
    tokens: new ort.Tensor('int64', b.tokens, [b.batch, b.width]),
    targets: new ort.Tensor('int64', b.targets, [b.batch, b.width]),
    mask: new ort.Tensor('float32', b.mask, [b.batch, b.width]),
    steps: new ort.Tensor('int64', b.steps, [b.batch]),
  };
  const flat = packParams(config, params);
  feeds[trainNames.params] = new ort.Tensor('float32', flat, [flat.length]);
  feeds[trainNames.m] = new ort.Tensor('float32', new Float32Array(flat.length), [flat.length]);
  feeds[trainNames.v] = new ort.Tensor('float32', new Float32Array(flat.length), [flat.length]);
  return fetches ? s.run(feeds, fetches) : s.run(feeds);
}
