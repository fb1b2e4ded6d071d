// An evaluation worker (a worker thread, bundled to dist/eval-share-worker.js): holds a one-thread
// session of a model's eval graph and answers each request for a batch of a test length with its
// scores at every loop step, or for a length's calibrated step (evalShares.ts).
import { parentPort } from 'node:worker_threads';
import { LoopedSession } from '../infer/loopedSession';
import { makeEvalBatch } from '../tasks/batches';
import { getTask } from '../tasks';
import type { Task } from '../tasks/types';
import type { Rng } from '../util/rng';
import { calibratedStep } from './calibration';
import { evalInputsRng, calibrationInputsRng } from './evaluate';
import { evalLengths } from './evalLimits';
import { batchSizeAt, type EvalShareReply, type EvalShareRequest, type LengthPlan } from './evalShares';
import { scoreBatch } from './lengthConfidence';

const port = parentPort;
if (!port) throw new Error('eval-share-worker.js runs as a worker thread');
let model: Promise<{ task: Task; session: LoopedSession }> | undefined;
/** The input stream of the last length asked for, at its next batch: batches of a length come mostly in order. */
let inputs: { key: string; next: number; rng: Rng } | undefined;

/** The plan's `index`-th batch: the test inputs are drawn one length's stream in batch order, so earlier batches are drawn (not run) first. */
function batchAt(task: Task, plan: LengthPlan, index: number) {
  const key = JSON.stringify([plan.n, plan.examples, plan.batchSize, plan.seed, plan.maxSteps]);
  if (!inputs || inputs.key !== key || inputs.next > index) inputs = { key, next: 0, rng: evalInputsRng(plan.seed, plan.n) };
  const lengths = evalLengths(task, plan.n);
  for (;;) {
    const b = makeEvalBatch(task, inputs.rng, lengths, batchSizeAt(plan, inputs.next), { horizon: plan.maxSteps });
    if (inputs.next++ === index) return b;
  }
}

async function answer(req: Exclude<EvalShareRequest, { type: 'init' }>): Promise<EvalShareReply> {
  if (!model) return { id: req.id, error: 'eval worker: a request came before the model' };
  const { task, session } = await model;
  const lengths = evalLengths(task, req.plan.n);
  if (req.type === 'calibrate') {
    const step = await calibratedStep(task, session, lengths, { examples: req.examples, rng: calibrationInputsRng(req.plan.seed, req.plan.n), maxSteps: req.plan.maxSteps, batchSize: req.plan.batchSize });
    return { id: req.id, step };
  }
  const batch = batchAt(task, req.plan, req.index);
  const logits = await session.run(batch.tokens, batch.batch, batch.width, req.plan.maxSteps);
  return { id: req.id, scored: scoreBatch(logits, { targets: batch.targets, mask: batch.mask, steps: batch.steps }, req.plan.maxSteps) };
}

port.on('message', (req: EvalShareRequest) => {
  if (req.type === 'init') {
    model = LoopedSession.fromParams(req.config, req.params, 'eval', { provider: 'cpu', cpuThreads: 1 }).then((session) => ({ task: getTask(req.task), session }));
    model.catch(() => undefined); // reported to the requests that wait on it
    return;
  }
  answer(req).then(
    (reply) => port.postMessage(reply),
    (err: unknown) => port.postMessage({ id: req.id, error: err instanceof Error ? err.message : String(err) } satisfies EvalShareReply),
  );
});
