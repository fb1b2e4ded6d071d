// A gradient worker (a worker thread, bundled to dist/gradient-worker.js): holds one-thread
// sessions of the 'gradient' training graph and answers each share of a data-parallel step with its
// part of the loss and its gradient (dataParallel.ts sums them and updates), trained in pieces small
// enough for the cache and summed here.
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { openSession, type OpenedSession } from '../infer/executionProvider';
import { SessionCache } from '../infer/sessionCache';
import type { LoopedConfig } from '../model/config';
import { buildTrainGraph, trainNames as n } from '../model/trainGraph';
import { toModelBytes } from '../onnx/serialize';
import { pieceCount, shareBounds, shareOf, type ShareReply, type ShareRequest } from './gradientShares';
import { batchFeeds, type TrainBatch } from './trainStep';

const port = parentPort;
if (!port) throw new Error('gradient-worker.js runs as a worker thread');
let config: LoopedConfig | undefined;
let pieceBytes: number | undefined;
/** Two shapes kept compiled, as the one-session runner keeps (a curriculum's change back and forth), each in pieces of two sizes at most. */
const sessions = new SessionCache(4);

function sessionFor(c: LoopedConfig, batch: number, width: number, horizon: number): Promise<OpenedSession> {
  return sessions.get(`${batch}x${width}x${horizon}`, () =>
    openSession(toModelBytes(buildTrainGraph({ config: c, batch, width, horizon, mode: 'gradient' })), { provider: 'cpu', cpuThreads: 1, memoryPattern: false, spinning: false }),
  );
}

async function answer(req: Extract<ShareRequest, { type: 'share' }>): Promise<ShareReply> {
  if (!config) return { id: req.id, error: 'gradient worker: a share came before the model' };
  const { share, params } = req;
  const count = pieceCount(share.batch, share.width, config.heads, pieceBytes);
  const bounds = shareBounds(share.batch, count);
  let loss = 0;
  let grad: Float32Array | undefined;
  for (let k = 0; k < count; k++) {
    const piece = count === 1 ? share : shareOf(share, bounds[k]!, bounds[k + 1]!);
    const part = await gradientOf(config, piece, params, req.denominator);
    loss += part.loss;
    if (grad === undefined) grad = part.grad;
    else for (let i = 0; i < grad.length; i++) grad[i]! += part.grad[i]!;
  }
  return { id: req.id, loss, grad: grad! };
}

/** One piece's part of the loss (over the whole batch's masked tokens) and its gradient. */
async function gradientOf(c: LoopedConfig, b: TrainBatch, params: Float32Array, denominator: number): Promise<{ loss: number; grad: Float32Array }> {
  const opened = await sessionFor(c, b.batch, b.width, b.horizon);
  const out = await opened.session.run({
    [n.params]: new ort.Tensor('float32', params, [params.length]),
    ...batchFeeds(b),
    [n.denominator]: new ort.Tensor('float32', Float32Array.of(denominator), []),
  });
  return { loss: Number((out[n.loss]!.data as Float32Array)[0]), grad: out[n.flatGrad]!.data as Float32Array };
}

port.on('message', (req: ShareRequest) => {
  if (req.type === 'init') {
    config = req.config;
    pieceBytes = req.pieceBytes;
    return;
  }
  answer(req).then(
    (reply) => port.postMessage(reply, 'grad' in reply ? [reply.grad.buffer as ArrayBuffer] : []),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies ShareReply),
  );
});
