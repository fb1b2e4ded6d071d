// A worker thread (bundled to dist/session-worker.js) holding a one-thread session of a model's eval
// graph: it answers each run request with the read-out of every loop step (sessionRuns.ts).
import { parentPort } from 'node:worker_threads';
import { LoopedSession } from './loopedSession';
import type { SessionRunReply, SessionRunRequest } from './sessionRuns';

const port = parentPort;
if (!port) throw new Error('session-worker.js runs as a worker thread');
let session: Promise<LoopedSession> | undefined;

async function answer(req: Extract<SessionRunRequest, { type: 'run' }>): Promise<{ reply: SessionRunReply; transfer: ArrayBuffer[] }> {
  if (!session) return { reply: { id: req.id, error: 'session worker: a run came before the model' }, transfer: [] };
  const run = await (await session).run(req.tokens, req.batch, req.width, req.steps);
  // a copy of its own: ONNX Runtime's output buffer cannot be handed over, the copy moves without another
  const data = run.data.slice();
  return { reply: { id: req.id, data }, transfer: [data.buffer] };
}

port.on('message', (req: SessionRunRequest) => {
  if (req.type === 'init') {
    session = LoopedSession.fromParams(req.config, req.params, 'eval', { provider: 'cpu', cpuThreads: 1 });
    // the pool waits for this before it stops the thread (also reported to the runs that wait on the session)
    session.then(
      () => port.postMessage({ id: req.id, opened: true } satisfies SessionRunReply),
      (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies SessionRunReply),
    );
    return;
  }
  answer(req).then(
    ({ reply, transfer }) => port.postMessage(reply, transfer),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies SessionRunReply),
  );
});
