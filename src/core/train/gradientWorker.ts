// A gradient worker (a worker thread, bundled to dist/gradient-worker.js): holds one-thread
// sessions of the 'gradient' training graph and answers each share of a data-parallel step with its
// part of the loss and its gradient (dataParallel.ts sums them and updates).
import { parentPort } from 'node:worker_threads';
import * as ort from 'onnxruntime-node';
import { openSession, type OpenedSession } from '../infer/executionProvider';
import { SessionCache } from '../infer/sessionCache';
import type { LoopedConfig } from '../model/config';
import { buildTrainGraph, trainNames as n } from '../model/trainGraph';
import { toModelBytes } from '../onnx/serialize';
import type { ShareReply, ShareRequest } from './gradientShares';
import { batchFeeds } from './trainStep';

const port = parentPort;
if (!port) throw new Error('gradient-worker.js runs as a worker thread');
let config: LoopedConfig | undefined;
/** Two shapes kept compiled, as the one-session runner keeps: a curriculum's change back and forth. */
const sessions = new SessionCache(2);

function sessionFor(c: LoopedConfig, batch: number, width: number, horizon: number): Promise<OpenedSession> {
  return sessions.get(`${batch}x${width}x${horizon}`, () =>
    openSession(toModelBytes(buildTrainGraph({ config: c, batch, width, horizon, mode: 'gradient' })), { provider: 'cpu', cpuThreads: 1, memoryPattern: false, spinning: false }),
  );
}

async function answer(req: Extract<ShareRequest, { type: 'share' }>): Promise<ShareReply> {
  if (!config) return { id: req.id, error: 'gradient worker: a share came before the model' };
  const { share: b, params } = req;
  const opened = await sessionFor(config, b.batch, b.width, b.horizon);
  const out = await opened.session.run({
    [n.params]: new ort.Tensor('float32', params, [params.length]),
    ...batchFeeds(b),
    [n.denominator]: new ort.Tensor('float32', Float32Array.of(req.denominator), []),
  });
  return { id: req.id, loss: Number((out[n.loss]!.data as Float32Array)[0]), grad: out[n.flatGrad]!.data as Float32Array };
}

port.on('message', (req: ShareRequest) => {
  if (req.type === 'init') {
    config = req.config;
    return;
  }
  answer(req).then(
    (reply) => port.postMessage(reply, 'grad' in reply ? [reply.grad.buffer as ArrayBuffer] : []),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies ShareReply),
  );
});
