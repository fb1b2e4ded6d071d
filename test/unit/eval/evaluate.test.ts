import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { evalLengths } from '../../../src/core/eval/evalLimits';
import { evaluateParams, type EvaluateOptions, EvaluationCancelled, ORACLE, PER_BATCH, PER_EXAMPLE, PER_EXAMPLE_VARIANTS } from '../../../src/core/eval/evaluate';
import { initParams } from '../../../src/core/model/params';
import { loadModel } from '../../../src/core/model/modelFile';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { calibratedStep } from '../../../src/core/eval/calibration';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import type { LoopedConfig } from '../../../src/core/model/config';

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

test('positions at T(n): tallied batch by batch (oracle only) and read from the step accumulator (with the paper rule or by step) agree', async () => {
  // the shipped copy model: its answer spans several positions and forms over the steps, so a tally read at the wrong step differs
  const copy = await loadModel(path.join(__dirname, '../../../models/copy.onnx'));
  const base = { lengths: [4, 9], examples: 20, batchSize: 8, seed: 7, positions: true, provider: 'cpu' as const, cpuThreads: 1 };
  const run = (o: Partial<EvaluateOptions>) => evaluateParams(copy.task, copy.config, copy.params, { ...base, ...o });
  const alone = await run({ rules: [ORACLE] });
  const withRule = await run({ rules: [ORACLE, PER_BATCH] });
  const byStep = await run({ rules: [ORACLE], byStep: true });
  for (const n of base.lengths) {
    const t = alone.positions!.get(n)!;
    assert.equal(t.examples, 20);
    assert.equal(t.seen.length, n + 4, "copy's test rows are 2(n + 2) wide, masked from '=' (position n) on");
    assert.deepEqual(withRule.positions!.get(n), t);
    assert.deepEqual(byStep.positions!.get(n), t);
    const rates = byStep.byStep!.get(n)!.positions!;
    assert.deepEqual(rates[n - 1], t.correct.map((c, k) => c / t.seen[k]!));
    assert.notDeepEqual(rates[0], rates[n - 1], 'one step cannot copy the whole input: the steps differ');
  }
  assert.equal(alone.paperPositions, undefined, 'no paper rule, no tally at its step');
  assert.equal(withRule.paperPositions!.size, 2);
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

test('the calibrated step is the same whether its inputs run at once or in smaller batches (their scores add up)', async () => {
  const copy = await loadModel(path.join(__dirname, '../../../models/copy.onnx'));
  const session = await LoopedSession.fromParams(copy.config, copy.params, 'eval', { provider: 'cpu', cpuThreads: 1 });
  try {
    const step = (batchSize: number) => calibratedStep(copy.task, session, [12], { examples: 40, rng: new Rng(3), batchSize });
    const whole = await step(40);
    assert.ok(whole >= 12, `the copy model settles from T(n) = 12 on, got ${whole}`);
    assert.equal(await step(16), whole);
    assert.equal(await step(7), whole);
  } finally {
    await session.release();
  }
});
