// ChildWorker with tiny fake workers (.mjs files written to a temp folder) that break the protocol:
// a refused line never reaches the listeners, its reason (message type and field) is logged and
// kept, the child is stopped rather than waited for, and the run it carried ends as a failure that
// shows the reason, never as a success and never hanging.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildWorker } from '../../../src/extension/workers/childWorker';
import { parseEvalOutbound } from '../../../src/extension/evaluate/evalWorkerMessages';
import type { EvalWorkerInbound, EvalWorkerOutbound } from '../../../src/extension/evaluate/evalWorkerProtocol';
import { applyEvalExit, applyEvalMessage, initialEvaluationState } from '../../../src/extension/evaluate/evaluationState';
import { TrainingRun } from '../../../src/extension/train/trainingRun';
import type { EvaluationSetup } from '../../../src/protocol/evaluation';
import type { TrainingSetup } from '../../../src/protocol/training';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from './helpers';

/** Writes `body` as a .mjs worker; `send(m)` writes one JSON line. */
function fakeWorker(body: string): string {
  const file = path.join(tmpDir(), 'fake-worker.mjs');
  fs.writeFileSync(file, `const send = (m, done) => process.stdout.write(JSON.stringify(m) + '\\n', done);\n${body}\n`);
  return file;
}

const goodRow = { length: 2, oracleStep: 2, examples: 8, oracle: 1, perBatch: 1, perBatchStep: 2, perExample: 1, perExampleStep: 2 };

const setup: EvaluationSetup = {
  modelPath: '/tmp/m.onnx', modelName: 'm.onnx', task: 'parity', taskTitle: 'Parity', model: { d: 16, layers: 1, heads: 2 }, trainedWith: '30 steps', maxTrainLength: 5,
  lengthLabel: 'n', oracleRule: 'T(n) = n', lengths: [2], examples: 8, batchSize: 8, seed: 1, extraSteps: 2, calibrationExamples: 64,
};

/** Runs a fake eval worker as the Evaluator does (start on ready, fold messages, then the exit). */
async function evaluateWith(script: string, stopGraceMs?: number) {
  const logs: string[] = [];
  const w = new ChildWorker<EvalWorkerInbound, EvalWorkerOutbound>({ script, parse: parseEvalOutbound, onLog: (l) => logs.push(l), ...(stopGraceMs === undefined ? {} : { stopGraceMs }) });
  const delivered: EvalWorkerOutbound[] = [];
  let s = initialEvaluationState(setup);
  w.onMessage((m) => {
    delivered.push(m);
    if (m.type === 'ready') w.send({ type: 'start', options: { modelPath: setup.modelPath, lengths: [2], examples: 8, batchSize: 8, seed: 1, provider: 'cpu' } });
    s = applyEvalMessage(s, m);
  });
  const exit = await w.exited;
  s = applyEvalExit(s, exit, w.protocolError);
  return { w, exit, s, logs, delivered };
}

test('a malformed result line, then exit 0: the evaluation fails with the reason, it does not succeed or hang', async () => {
  const script = fakeWorker(`
send({ type: 'ready', pid: process.pid });
send({ type: 'row', row: ${JSON.stringify(goodRow)} });
send({ type: 'result', rows: [{ ...${JSON.stringify(goodRow)}, oracle: 'x' }], perExampleRule: 'r', seconds: 1 }, () => process.exit(0));`);
  const { exit, s, logs, delivered, w } = await evaluateWith(script);
  assert.equal(exit.code, 0);
  assert.deepEqual(delivered.map((m) => m.type), ['ready', 'row'], 'the refused line never reaches the listeners');
  const reason = 'eval worker sent a malformed "result" message: rows[0].oracle must be a finite number in 0..1, got "x"';
  assert.equal(w.protocolError, reason);
  assert.ok(logs.includes(reason), logs.join('\n'));
  assert.equal(s.status, 'failed');
  assert.equal(s.error, `${reason}. The evaluation process ended without a result (exit code 0).`);
  assert.deepEqual(s.rows.map((r) => r.length), [2], 'the rows that did pass are kept');
});

test('a malformed ready: the host closes the worker\'s input (its cancel) instead of waiting forever for it', async () => {
  const script = fakeWorker(`
send({ type: 'ready', pid: 'me' });
process.stdin.resume();
process.stdin.on('end', () => process.exit(0));`);
  const { exit, s, delivered } = await evaluateWith(script);
  assert.equal(exit.code, 0);
  assert.deepEqual(delivered, []);
  assert.equal(s.status, 'failed');
  assert.match(s.error ?? '', /^eval worker sent a malformed "ready" message: pid must be an integer >= 0, got "me"\. The evaluation process ended without a result \(exit code 0\)\.$/);
});

// The timeout is below ChildWorker's default 60 s grace, so a 300 ms grace that is not honoured fails the test.
test('after a refused line nothing more is delivered, and a worker that ignores its closed input is killed', { timeout: 30_000 }, async () => {
  const script = fakeWorker(`
send({ type: 'ready', pid: process.pid });
send({ type: 'progress', done: 1, total: 1, length: 2, extra: 1 });
send({ type: 'progress', done: 9, total: 1, length: 2 });
send({ type: 'result', rows: [${JSON.stringify(goodRow)}], perExampleRule: 'r', seconds: 1 });
setInterval(() => undefined, 1000);`);
  const { exit, s, delivered } = await evaluateWith(script, 300);
  assert.equal(exit.signal, 'SIGKILL');
  assert.deepEqual(delivered.map((m) => m.type), ['ready', 'progress'], 'the result after the refused line is not trusted');
  assert.equal(s.status, 'failed');
  assert.match(s.error ?? '', /"progress" message: has done 9 of 1\. The evaluation process ended without a result \(killed by SIGKILL/);
});

test('lines that are not JSON (stray output) are only logged, as before', async () => {
  const script = fakeWorker(`
process.stdout.write('hello from a library\\n');
send({ type: 'ready', pid: process.pid });
process.stdin.resume();
process.stdin.on('data', () => send({ type: 'result', rows: [${JSON.stringify(goodRow)}], perExampleRule: 'r', seconds: 1 }, () => process.exit(0)));`);
  const { s, logs, w } = await evaluateWith(script);
  assert.equal(w.protocolError, undefined);
  assert.ok(logs.includes('hello from a library'));
  assert.deepEqual(w.lastLines, logs.filter((l) => l.trim() !== ''), 'kept for a host to say why a child stopped');
  assert.equal(s.status, 'finished');
});

test('training: a worker whose only result line is malformed ends as a failure that names it, not as finished', async () => {
  const dir = tmpDir();
  const script = fakeWorker(`
send({ type: 'ready', pid: process.pid });
process.stdin.resume();
process.stdin.once('data', () => {
  send({ type: 'start', recipe: ${JSON.stringify(microParity(10))}, step: 0, resumed: false });
  send({ type: 'result', status: 'finished', step: 'ten', elapsedSeconds: 1, finalLoss: 0.5, modelPath: ${JSON.stringify(path.join(dir, 'm.onnx'))} }, () => process.exit(0));
});`);
  const trainingSetup: TrainingSetup = {
    task: 'parity', taskTitle: 'Parity', preset: 'test-micro', model: { d: 16, layers: 1, heads: 2 }, steps: 10, batchSize: 8, lr: 3e-3,
    curriculum: { start: 2, interval: 5, end: 6 }, maxTrainLength: 5, seed: 3, modelPath: path.join(dir, 'm.onnx'), checkpointPath: path.join(dir, 'm.ckpt'),
    provider: 'cpu', finalEval: null, quickEvalLengths: [],
  };
  const logs: string[] = [];
  const run = new TrainingRun({ worker: { script }, start: { recipe: microParity(10) }, setup: trainingSetup, log: (l) => logs.push(l) });
  const s = await run.finished;
  const reason = 'training worker sent a malformed "result" message: step must be an integer >= 0, got "ten"';
  assert.equal(s.status, 'failed');
  assert.equal(s.error?.kind, 'internal');
  assert.equal(s.error?.message, `${reason}. The training worker was stopped without a result (exit code 0).`);
  assert.equal(s.result, null);
  assert.ok(logs.includes(reason), logs.join('\n'));
  assert.equal(run.isActive, false);
});
