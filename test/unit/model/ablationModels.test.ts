// The paper's ablations in a model file: a fixed-depth model records its depth (format version 2),
// loads back read at that depth and is evaluated there; a model without input injection records
// it and runs a forward that does not add the input back after the first step.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { evaluateParams, ORACLE, PER_BATCH } from '../../../src/core/eval/evaluate';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import type { LoopedConfig } from '../../../src/core/model/config';
import { LoopLensModelError, modelFileBytes, parseModel, upgradeModelBytes, type ModelContents } from '../../../src/core/model/modelFile';
import { encodeMetadata, metaKeys, type TrainingRecord } from '../../../src/core/model/modelMetadata';
import { inferenceModelBytes } from '../../../src/core/model/inferenceGraph';
import { signModelBytes } from '../../../src/core/model/modelIntegrity';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { fixedDepthTask } from '../../../src/core/tasks/fixedDepth';
import { makeEvalBatch } from '../../../src/core/tasks/batches';
import { TrainStepRunner } from '../../../src/core/train/trainStep';
import { Rng } from '../../../src/core/util/rng';

const config: LoopedConfig = { vocabSize: 6, d: 16, layers: 1, heads: 2, readIn: 'linear', inputInjection: true };
const rng = new Rng(21);
const params = initParams(config, () => rng.float());
const training = (recipe: Record<string, unknown>): TrainingRecord => ({
  preset: 'test',
  recipe: { task: 'parity', steps: 3, ...recipe },
  stepsCompleted: 3,
  seed: 1,
  elapsedSeconds: 1,
  finalLoss: 0.5,
  provider: 'cpu',
  finishedAt: '2026-01-01T00:00:00.000Z',
  lossCurve: [{ step: 3, loss: 0.5 }],
});
const fixed: ModelContents = { task: fixedDepthTask(getTask('parity'), 7), config, params, training: training({ fixedSteps: 7 }) };

test('a fixed-depth model file round-trips: its steps rule records the depth and the loaded task reads at it', () => {
  const m = parseModel(modelFileBytes(fixed));
  assert.equal(m.metadata.stepsRule.fixedSteps, 7);
  assert.equal(m.metadata.stepsRule.oracle, 'T(n) = 7 (fixed depth)');
  assert.equal(m.metadata.formatVersion, 2, 'a reader of version 1 would read it at T(n): it must refuse it');
  assert.equal(m.task.name, 'parity');
  assert.equal(m.task.fixedSteps, 7);
  assert.equal(m.task.steps([30]), 7);
  assert.equal(m.task.fromText('1011').steps, 7);
  // An upgrade (re-export) keeps the depth.
  assert.equal(upgradeModelBytes(modelFileBytes(fixed)).model.task.fixedSteps, 7);
  // A model without one is written as version 1, as before, and reads at T(n).
  const plain = parseModel(modelFileBytes({ ...fixed, task: getTask('parity'), training: training({}) }));
  assert.equal(plain.metadata.formatVersion, 1);
  assert.equal(plain.metadata.stepsRule.fixedSteps, undefined);
  assert.equal(plain.task.steps([30]), 30);
});

test('evaluating a loaded fixed-depth model reads every length at its depth; the adaptive rule searches 1..depth + extra', async () => {
  const m = parseModel(modelFileBytes(fixed));
  const r = await evaluateParams(m.task, m.config, m.params, { lengths: [3, 12], examples: 8, batchSize: 8, rules: [ORACLE, PER_BATCH], cpuThreads: 1 });
  assert.deepEqual(r.summary.rows.map((row) => [row.length, row.oracleStep]), [[3, 7], [12, 7]]);
  for (const n of [3, 12]) {
    assert.equal(r.report.meanStep(n, ORACLE), 7, `the oracle reads n = ${n} at step 7`);
    const paper = r.report.meanStep(n, PER_BATCH)!;
    assert.ok(paper >= 1 && paper <= 7 + m.task.adaptiveExtraSteps, `the paper's rule stays within 1..27, chose ${paper}`);
  }
});

test('the steps rule schema: a bad fixed depth, or one the training recipe contradicts, is a corrupt file', () => {
  const good = modelFileBytes(fixed);
  const signedWith = (edit: (meta: Record<string, string>) => void): Uint8Array => {
    const meta = encodeMetadata(parseModel(good).metadata);
    edit(meta);
    return signModelBytes(inferenceModelBytes(config, params, 'trace', { metadata: meta }));
  };
  const rule = JSON.parse(encodeMetadata(parseModel(good).metadata)[metaKeys.stepsRule]!) as Record<string, unknown>;
  const cases: [Uint8Array, RegExp][] = [
    [signedWith((m) => (m[metaKeys.stepsRule] = JSON.stringify({ ...rule, fixedSteps: 0 }))), /looplens\.steps_rule\.fixedSteps must be an integer in 1\.\.10000, got 0/],
    [signedWith((m) => (m[metaKeys.stepsRule] = JSON.stringify({ ...rule, fixedSteps: '7' }))), /looplens\.steps_rule\.fixedSteps must be an integer/],
    [signedWith((m) => (m[metaKeys.stepsRule] = JSON.stringify({ ...rule, fixedSteps: 8 }))), /steps rule \(fixed depth 8\) and its training recipe \(fixed depth 7\) disagree/],
    [signedWith((m) => (m[metaKeys.training] = JSON.stringify(training({})))), /steps rule \(fixed depth 7\) and its training recipe \(fixed depth none\) disagree/],
  ];
  for (const [bytes, re] of cases) assert.throws(() => parseModel(bytes), (e: Error) => e instanceof LoopLensModelError && re.test(e.message), String(re));
});

test('without input injection: the file records it, and the forward adds the input only once', async () => {
  const noInj: LoopedConfig = { ...config, inputInjection: false };
  const m = parseModel(modelFileBytes({ task: getTask('parity'), config: noInj, params, training: training({}) }));
  assert.equal(m.config.inputInjection, false);
  const run = async (c: LoopedConfig) => {
    const s = await LoopedSession.fromParams(c, m.params, 'eval', { cpuThreads: 1 });
    try {
      const ex = getTask('parity').fromText('110100');
      return (await s.run(BigInt64Array.from(ex.input, BigInt), 1, ex.input.length, 3)).data;
    } finally {
      await s.release();
    }
  };
  const [without, withInj] = [await run(m.config), await run({ ...m.config, inputInjection: true })];
  const step = (a: Float32Array, t: number) => a.subarray((t - 1) * (a.length / 3), t * (a.length / 3));
  // Step 1 reads E(x) in both (h_0 = 0 with injection); from step 2 on only the injected model adds E(x) back.
  assert.deepEqual(step(without, 1), step(withInj, 1));
  for (const t of [2, 3]) assert.notDeepEqual(step(without, t), step(withInj, t), `step ${t}`);
});

test('training graphs: at depth 1 injection changes nothing; at depth 3 the loss without it differs', async () => {
  const task = getTask('parity');
  const loss = async (c: LoopedConfig, depth: number) => {
    const b = makeEvalBatch(fixedDepthTask(task, depth), new Rng(3), [4], 8, { horizon: depth });
    const runner = TrainStepRunner.create(c, params, { provider: 'cpu', cpuThreads: 1 });
    try {
      return (await runner.step(b, 1e-3)).loss;
    } finally {
      await runner.release();
    }
  };
  const noInj = { ...config, inputInjection: false };
  assert.equal(await loss(noInj, 1), await loss(config, 1));
  assert.notEqual(await loss(noInj, 3), await loss(config, 3));
});
