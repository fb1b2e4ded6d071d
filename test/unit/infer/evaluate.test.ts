import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { evaluateParams, evalLengths, EvaluationCancelled, ORACLE, PER_BATCH, PER_EXAMPLE, PER_EXAMPLE_VARIANTS } from '../../../src/core/infer/evaluate';
import { traceInput } from '../../../src/core/infer/traceRunner';
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

test('evaluation: whole batches per length, every rule scored, reproducible, a length does not depend on the others', async () => {
  const rules = [ORACLE, PER_BATCH, ...PER_EXAMPLE_VARIANTS];
  const r = await evaluateParams(parity, config, params, { lengths: [3, 5], examples: 20, batchSize: 8, seed: 7, rules, provider: 'cpu', cpuThreads: 1 });
  const rows = r.report.table();
  assert.deepEqual(rows.map((x) => [x.length, x.oracleStep]), [[3, 3], [5, 5]]);
  for (const row of rows) {
    assert.equal(row.rules.length, rules.length);
    for (const s of row.rules) {
      assert.equal(s.examples, 20);
      assert.ok(s.correct >= 0 && s.correct <= 20);
      const mean = s.stepSum / s.examples;
      assert.ok(mean >= 1 && mean <= row.oracleStep + 20, `mean step ${mean}`);
    }
    const oracle = row.rules.find((s) => s.rule.kind === 'oracle')!;
    assert.equal(oracle.stepSum, 20 * row.oracleStep, 'the oracle always reads at T(n)');
    assert.equal(oracle.atOracleStep, 20);
  }
  assert.deepEqual(r.summary.rows.map((x) => x.length), [3, 5]);
  assert.equal(r.summary.perExampleRule, 'max-confidence per example (mean over answer)');
  const again = await evaluateParams(parity, config, params, { lengths: [5], examples: 20, batchSize: 8, seed: 7, rules, provider: 'cpu', cpuThreads: 1 });
  assert.deepEqual(again.summary.rows[0], r.summary.rows[1]);
  const cal = await evaluateParams(parity, config, params, { lengths: [5], examples: 20, batchSize: 8, seed: 7, rules, calibration: 8, provider: 'cpu', cpuThreads: 1 });
  assert.deepEqual(cal.report.toJSON(), again.report.toJSON(), 'calibration draws its own inputs: the test examples are unchanged');
  const st = cal.calibrated!.get(5)!;
  assert.equal(st.examples, 20);
  assert.ok(st.stepSum >= 20 && st.stepSum <= 20 * 25);
  assert.equal(cal.summary.rows[0]!.calibrated, st.correct / 20);
  // Per-length scope: the first calibration draw (the same inputs as the per-batch scope's first) decides every batch.
  const once = await evaluateParams(parity, config, params, { lengths: [5], examples: 20, batchSize: 8, seed: 7, rules, calibration: 8, calibrationScope: 'length', provider: 'cpu', cpuThreads: 1 });
  const oneStep = once.calibrated!.get(5)!.stepSum / 20;
  assert.ok(Number.isInteger(oneStep) && oneStep >= 1 && oneStep <= 25, `one step for the whole length, got mean ${oneStep}`);
  assert.deepEqual(once.report.toJSON(), again.report.toJSON());
  const otherSeed = await evaluateParams(parity, config, params, { lengths: [5], examples: 20, batchSize: 8, seed: 8, rules: [PER_EXAMPLE], provider: 'cpu', cpuThreads: 1 });
  assert.equal(otherSeed.report.table()[0]!.rules[0]!.examples, 20);
});

test('evaluation lengths: n, or [2, n_b] for multiplication; cancellation stops between batches', async () => {
  assert.deepEqual(evalLengths(parity, 9), [9]);
  assert.deepEqual(evalLengths(getTask('multiplication'), 9), [2, 9]);
  const abort = new AbortController();
  await assert.rejects(
    evaluateParams(parity, config, params, { lengths: [4], examples: 64, batchSize: 8, signal: abort.signal, onProgress: (p) => p.done === 2 && abort.abort(), cpuThreads: 1 }),
    (e: Error) => e instanceof EvaluationCancelled,
  );
});

test('trace of one input from the model file: per-step output, confidence, T(n) and rule choices; same logits as the eval graph', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looplens-trace-'));
  dirs.push(dir);
  const file = path.join(dir, 'm.onnx');
  await saveModel(file, { task: parity, config, params, training: { preset: 'test', recipe: {}, stepsCompleted: 0, seed: 0, elapsedSeconds: 0, finalLoss: null, provider: 'cpu', finishedAt: '', lossCurve: [] } });
  const model = await loadModel(file);
  const r = await traceInput(model, '1011', { provider: 'cpu' });
  assert.equal(r.oracleStep, 4);
  assert.equal(r.chosen.oracle, 4);
  assert.equal(r.steps.length, 24, 'T(n) + 20 steps by default');
  assert.equal(r.rendered.answer, '1');
  assert.equal(r.trace.width, 6);
  for (const s of r.steps) {
    assert.match(s.predicted, /^[01=._<>4]*$/);
    assert.ok(s.confidence > 0 && s.confidence <= 1 && s.answerConfidence > 0 && s.answerConfidence <= 1);
    assert.ok(s.score >= 0 && Number.isFinite(s.score), `score ${s.score}`);
  }
  const best = r.steps.reduce((a, b) => (b.score < a.score ? b : a));
  assert.equal(r.chosen.confidence, best.step, 'the adaptive choice is the lowest-score step');
  assert.ok(r.chosen.stable >= 1 && r.chosen.stable <= 24);
  assert.ok(r.chosen.calibrated! >= 1 && r.chosen.calibrated! <= 24, 'the length-calibrated choice is a computed step');
  assert.equal((await traceInput(model, '1011', { calibration: 0 })).chosen.calibrated, undefined);

  const lean = await LoopedSession.fromParams(config, params, 'eval', { provider: 'cpu' });
  const ex = parity.fromText('1011');
  const logits = await lean.run(BigInt64Array.from(ex.input.map(BigInt)), 1, ex.input.length, 24);
  await lean.release();
  for (let i = 0; i < logits.data.length; i++) assert.ok(Math.abs(logits.data[i]! - r.trace.logits[i]!) < 1e-5, `logit ${i}`);

  await assert.rejects(traceInput(model, '10a1'), (e: Error) => e instanceof TaskInputError && /binary digits/.test(e.message));
  const short = await traceInput(model, '1', { steps: 3 });
  assert.equal(short.steps.length, 3);
});
