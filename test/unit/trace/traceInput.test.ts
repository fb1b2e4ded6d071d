// The one trace call (core/trace): an input through a saved model's trace graph (built from its checked config and weights), with
// every rule's stop.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { openTraceSessions, releaseTraceSessions, traceText } from '../../../src/core/trace/traceInput';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import { loadModel, saveModel } from '../../../src/core/model/modelFile';
import { initParams } from '../../../src/core/model/params';
import { getTask, TaskInputError } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';

const dirs: string[] = [];
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const parity = getTask('parity');
const config: LoopedConfig = { vocabSize: 6, d: 16, layers: 1, heads: 2, readIn: 'linear', inputInjection: true };
const rng = new Rng(11);
const params = initParams(config, () => rng.float());

test('trace of one input from the model file: per-step output, confidence, T(n) and rule choices; same logits as the eval graph', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looplens-trace-'));
  dirs.push(dir);
  const file = path.join(dir, 'm.onnx');
  await saveModel(file, { task: parity, config, params, training: { preset: 'test', recipe: {}, stepsCompleted: 0, seed: 0, elapsedSeconds: 0, finalLoss: null, provider: 'cpu', finishedAt: '', lossCurve: [] } });
  const model = await loadModel(file);
  const sessions = await openTraceSessions(model, { provider: 'cpu' });
  const r = await traceText(model.task, sessions, '1011');
  assert.equal(r.example.steps, 4);
  assert.equal(r.stops.oracle, 4);
  assert.equal(r.steps.length, 24, 'T(n) + 20 steps by default');
  assert.equal(r.rendered.answer, '1');
  assert.equal(r.trace.width, 6);
  for (const s of r.steps) {
    assert.match(s.answerText, /^[01=._<>4]*$/);
    assert.ok(s.meanConfidence > 0 && s.meanConfidence <= 1 && s.answerConfidence > 0 && s.answerConfidence <= 1);
    assert.ok(s.score >= 0 && Number.isFinite(s.score), `score ${s.score}`);
  }
  const best = r.steps.reduce((a, b) => (b.score < a.score ? b : a));
  assert.equal(r.stops.perExample, best.step, 'the adaptive choice is the lowest-score step');
  assert.ok(r.stops.stable >= 1 && r.stops.stable <= 24);
  assert.ok(r.stops.calibrated! >= 1 && r.stops.calibrated! <= 24, 'the length-calibrated choice is a computed step');
  assert.equal(r.shownStop.step, r.stops.calibrated, 'the stop shown is the length-calibrated one');
  const uncalibrated = await traceText(model.task, sessions, '1011', { calibration: 0 });
  assert.equal(uncalibrated.stops.calibrated, null);
  assert.equal(uncalibrated.shownStop.step, uncalibrated.stops.perExample);

  const lean = await LoopedSession.fromParams(config, params, 'eval', { provider: 'cpu' });
  const ex = parity.fromText('1011');
  const logits = await lean.run(BigInt64Array.from(ex.input.map(BigInt)), 1, ex.input.length, 24);
  await lean.release();
  for (let i = 0; i < logits.data.length; i++) assert.ok(Math.abs(logits.data[i]! - r.trace.logits[i]!) < 1e-5, `logit ${i}`);

  await assert.rejects(traceText(model.task, sessions, '10a1'), (e: Error) => e instanceof TaskInputError && /binary digits/.test(e.message));
  const short = await traceText(model.task, sessions, '1', { steps: 3 });
  assert.equal(short.steps.length, 3);
  await releaseTraceSessions(sessions);
});
