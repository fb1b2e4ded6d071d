// The evaluation worker in a real child process: rows stream per length, cancel, and a bad file.
// Every line it writes goes through the host's parser (evalWorkerMessages.ts) and must pass as is.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ChildWorker } from '../../../src/extension/workers/childWorker';
import { parseEvalOutbound } from '../../../src/extension/evaluate/evalWorkerMessages';
import type { EvalWorkerInbound, EvalWorkerOptions, EvalWorkerOutbound } from '../../../src/extension/evaluate/evalWorkerProtocol';
import { applyEvalExit, applyEvalMessage, evaluationCasesOf, evaluationSetupOf, initialEvaluationState } from '../../../src/extension/evaluate/evaluationState';
import { loadModel } from '../../../src/core/model/modelFile';
import { tmpDir, writeSmallModel } from './helpers';

const root = path.resolve(__dirname, '../../..');

/** Every decoded line of every worker, checked after the tests: the parser must pass each one unchanged. */
const lines: unknown[] = [];
const workers: ChildWorker<EvalWorkerInbound, EvalWorkerOutbound>[] = [];
after(() => {
  for (const w of workers) assert.equal(w.protocolError, undefined);
  assert.ok(lines.length > 0);
  for (const v of lines) assert.deepEqual(JSON.parse(JSON.stringify(parseEvalOutbound(v))), v);
});

function startWorker(options: Partial<EvalWorkerOptions> & { modelPath: string }) {
  const parse = (v: unknown) => {
    lines.push(v);
    return parseEvalOutbound(v);
  };
  const w = new ChildWorker<EvalWorkerInbound, EvalWorkerOutbound>({ script: 'src/extension/evaluate/evalWorker.ts', execArgv: ['--import', 'tsx'], cwd: root, parse });
  workers.push(w);
  const messages: EvalWorkerOutbound[] = [];
  w.onMessage((m) => {
    messages.push(m);
    if (m.type === 'ready') w.send({ type: 'start', options: { lengths: [2, 4], examples: 16, batchSize: 8, seed: 5, provider: 'cpu', cpuThreads: 1, ...options } });
  });
  return { w, messages };
}

test('rows arrive one length at a time, then the result; the panel state follows', async () => {
  const file = await writeSmallModel(path.join(tmpDir(), 'small.onnx'));
  const { w, messages } = startWorker({ modelPath: file });
  const exit = await w.exited;
  assert.equal(exit.code, 0);
  const types = messages.map((m) => m.type);
  assert.deepEqual(types.filter((t) => t !== 'progress' && t !== 'log'), ['ready', 'row', 'row', 'result']);
  const progress = messages.filter((m): m is Extract<EvalWorkerOutbound, { type: 'progress' }> => m.type === 'progress');
  assert.deepEqual(progress.map((p) => p.done), [1, 2, 3, 4]);
  assert.equal(progress[0]!.total, 4);
  const model = await loadModel(file);
  let s = initialEvaluationState(evaluationSetupOf(model, { lengths: [2, 4], examples: 16, batchSize: 8, seed: 5 }));
  assert.equal(s.setup.maxTrainLength, null, 'the small model records no trained lengths: unknown, not guessed from its recipe');
  assert.equal(s.setup.oracleRule, 'T(n) = n');
  for (const m of messages) s = applyEvalMessage(s, m);
  s = applyEvalExit(s, exit);
  assert.equal(s.status, 'finished');
  assert.deepEqual(s.rows.map((r) => [r.length, r.oracleStep, r.examples]), [[2, 2, 16], [4, 4, 16]]);
  for (const r of s.rows) for (const acc of [r.oracle, r.perBatch, r.perExample, r.calibrated!]) assert.ok(acc >= 0 && acc <= 1);
  // The stepper's stop, calibrated once per length: one step for all of that length's examples.
  for (const r of s.rows) assert.ok(Number.isInteger(r.calibratedStep) && r.calibratedStep! >= 1, `calibrated step ${r.calibratedStep}`);
  assert.equal(messages.some((m) => m.type === 'row' && m.cases), false, 'parity has no case split: no counts');
  // every row's accuracy at every loop step 1 .. T(n) + the adaptive rules' extra steps, read where the row reads it
  const rows = messages.filter((m): m is Extract<EvalWorkerOutbound, { type: 'row' }> => m.type === 'row');
  for (const { row: r, byStep: c } of rows) {
    assert.ok(c, `length ${r.length} has its curve`);
    assert.equal(c.oracleStep, r.oracleStep);
    assert.equal(c.accuracy.length, r.oracleStep + s.setup.extraSteps);
    assert.equal(c.score.length, c.accuracy.length);
    assert.equal(c.accuracy[c.oracleStep - 1], r.oracle, 'the oracle reads the curve at T(n)');
    assert.equal(c.paperStep, r.perBatchStep);
    assert.equal(c.accuracy[c.paperStep - 1], r.perBatch, "the paper rule reads it at its step");
    // each answer position's accuracy at every step: a row per step, every row as wide, to 4 decimals
    const p = c.positions!;
    assert.equal(p.length, c.accuracy.length, `length ${r.length}: a row of positions per step`);
    assert.ok(p[0]!.length >= 1 && p.every((row) => row.length === p[0]!.length), `length ${r.length}: every step has the same positions`);
    for (const x of p.flat()) assert.ok(x >= 0 && x <= 1 && Math.round(x * 1e4) / 1e4 === x, `a fraction to 4 decimals: ${x}`);
    // exact match needs every position right: no step's accuracy above its weakest position's
    p.forEach((row, i) => assert.ok(c.accuracy[i]! <= Math.min(...row) + 1e-4, `step ${i + 1}: exact match ${c.accuracy[i]} <= weakest position ${Math.min(...row)}`));
  }
  assert.deepEqual(s.stepCurves!.map((c) => [c.length, c.oracleStep]), [[2, 2], [4, 4]], 'the panel state keeps each length\'s curve');
});

test('a task with a case split: every row carries its counts, in the labels\' order, adding up to the row\'s examples', async () => {
  const file = await writeSmallModel(path.join(tmpDir(), 'addition.onnx'), undefined, 'addition');
  const { w, messages } = startWorker({ modelPath: file });
  assert.equal((await w.exited).code, 0);
  const model = await loadModel(file);
  const labels = model.task.cases!.labels;
  const rows = messages.filter((m): m is Extract<EvalWorkerOutbound, { type: 'row' }> => m.type === 'row');
  assert.equal(rows.length, 2);
  for (const r of rows) {
    assert.deepEqual(r.cases!.map((c) => c.label), labels);
    assert.equal(r.cases!.reduce((a, c) => a + c.examples, 0), 16);
    // each rule's right answers, split: `correct` the oracle's, then the paper rule's and the per-example rule's
    assert.equal(r.cases!.reduce((a, c) => a + c.correct, 0), Math.round(r.row.oracle * 16));
    assert.equal(r.cases!.reduce((a, c) => a + c.paperRule!, 0), Math.round(r.row.perBatch * 16));
    assert.equal(r.cases!.reduce((a, c) => a + c.perExample!, 0), Math.round(r.row.perExample * 16));
  }
  let s = initialEvaluationState(evaluationSetupOf(model, { lengths: [2, 4], examples: 16, batchSize: 8, seed: 5 }), null, evaluationCasesOf(model.task));
  for (const m of messages) s = applyEvalMessage(s, m);
  assert.deepEqual(s.cases!.rows.map((r) => r.length), [2, 4]);
  assert.equal(s.cases!.title, 'longest carry chain');
});

test('cancel stops between batches and says so', async () => {
  const file = await writeSmallModel(path.join(tmpDir(), 'small.onnx'));
  const { w, messages } = startWorker({ modelPath: file, lengths: [20, 30, 40], examples: 4096, batchSize: 8 });
  w.onMessage((m) => {
    if (m.type === 'progress' && m.done === 2) w.send({ type: 'cancel' });
  });
  const exit = await w.exited;
  assert.equal(exit.code, 0);
  assert.equal(messages.at(-1)?.type, 'cancelled');
  assert.equal(messages.some((m) => m.type === 'result'), false);
});

test('a file that is not a model gives a clear error and exit code 1', async () => {
  const file = path.join(tmpDir(), 'junk.onnx');
  fs.writeFileSync(file, 'not a model at all');
  const { w, messages } = startWorker({ modelPath: file });
  const exit = await w.exited;
  assert.equal(exit.code, 1);
  const err = messages.find((m) => m.type === 'error');
  assert.match(err && err.type === 'error' ? err.message : '', /junk\.onnx is not a readable ONNX model/);
});
