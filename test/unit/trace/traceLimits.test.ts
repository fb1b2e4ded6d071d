// Issue 17, trace and stepper inputs: the bytes a trace will produce (steps × layers × heads ×
// width², plus read-out and hidden states) are estimated before it runs and a request over the
// limit is refused with the estimate; the stepper's typed input goes through the same call.
// Evaluations are checked the same way before their first batch.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { checkTraceBudget, openTraceSessions, releaseTraceSessions, traceText } from '../../../src/core/trace/traceInput';
import { stepperContent } from '../../../src/core/view/stepperContent';
import { checkEvaluationBudget, fittingBatchSize } from '../../../src/core/eval/evalLimits';
import { evalRunBytes, largestEvalBatch, traceOutputBytes } from '../../../src/core/infer/memoryEstimate';
import { parseModel, modelFileBytes } from '../../../src/core/model/modelFile';
import { initParams } from '../../../src/core/model/params';
import { getTask, TaskInputError } from '../../../src/core/tasks';
import { LIMITS, ResourceLimitError } from '../../../src/core/util/limits';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';

const parity = getTask('parity');
const shipped: LoopedConfig = { vocabSize: 6, d: 64, layers: 1, heads: 4, readIn: 'linear', inputInjection: true };
const small: LoopedConfig = { ...shipped, d: 16, heads: 2 };
const rng = new Rng(5);
const model = parseModel(modelFileBytes({ task: parity, config: small, params: initParams(small, () => rng.float()), training: { preset: 't', recipe: {}, stepsCompleted: 0, seed: 0, elapsedSeconds: 0, finalLoss: null, provider: 'cpu', finishedAt: '', lossCurve: [] } }));

test('the trace estimate grows as steps × heads × width² and is refused over the limit, with both numbers', () => {
  // The probe's numbers for the shipped parity model: 500 bits passed 8 GB, 2000 bits ~130 GB.
  assert.ok(traceOutputBytes(shipped, { batch: 1, width: 2002, steps: 2020 }) > 129e9, "about 130 GB");
  assert.throws(() => checkTraceBudget(shipped, 502, 520), (e: Error) => e instanceof ResourceLimitError && /tracing 502 positions for 520 loop steps \(attention of 1 layer\(s\) × 4 heads at every step\) would need about 2\.0 GiB, more than the 256 MiB LoopLens allows/.test(e.message));
  assert.doesNotThrow(() => checkTraceBudget(shipped, 42, 60));
  assert.throws(() => checkTraceBudget(shipped, 10, LIMITS.steps + 1), /needs 10001 loop steps; LoopLens allows at most 10000/);
});

test('the stepper\'s typed input is checked by the one trace call: too long, too large, and a calibration too large for one batch runs in several', async () => {
  const sessions = await openTraceSessions(model, { provider: 'cpu', cpuThreads: 1 });
  try {
    const content = (text: string) => stepperContent({ sessions, task: parity, text, modelLabel: 'm', calibration: 256 });
    await assert.rejects(content('1'.repeat(LIMITS.inputChars + 1)), (e: Error) => e instanceof TaskInputError && /at most 20000/.test(e.message));
    await assert.rejects(content('1'.repeat(2000)), (e: Error) => e instanceof ResourceLimitError && /would need about/.test(e.message));
    const r = await traceText(parity, sessions, '10'.repeat(100), { steps: 3 }); // 200 bits, 3 steps: the trace fits
    assert.equal(r.trace.width, 202);
    // a calibration larger than its budget runs in batches that fit (here a small budget, 20 of 64 inputs per batch)
    const budget = evalRunBytes(shipped, { batch: 20, width: 42, steps: 50 });
    const whole = await traceText(parity, sessions, '10'.repeat(20), { steps: 50, calibration: 64 });
    const batched = await traceText(parity, sessions, '10'.repeat(20), { steps: 50, calibration: 64, calibrationBytes: budget });
    assert.equal(batched.calibration?.error, undefined);
    assert.equal(batched.stops.calibrated, whole.stops.calibrated, 'the same stop, in batches');
    const none = await traceText(parity, sessions, '10'.repeat(20), { steps: 50, calibration: 64, calibrationBytes: 1 });
    assert.equal(none.stops.calibrated, null);
    assert.match(none.calibration?.error ?? '', /^not computed: one random input of this length would need about .*, more than the 1 bytes allowed$/);
  } finally {
    await releaseTraceSessions(sessions);
  }
});

test('an evaluation is checked before its first batch: lengths, and memory with the estimate', () => {
  const o = { lengths: [10, 40], examples: 1280, batchSize: 256 };
  assert.doesNotThrow(() => checkEvaluationBudget(parity, shipped, o));
  assert.throws(() => checkEvaluationBudget(parity, shipped, { ...o, lengths: [501] }), /test length 501 is outside 1\.\.500/);
  assert.throws(() => checkEvaluationBudget(parity, shipped, { ...o, examples: 10_000_000 }), (e: Error) => e instanceof ResourceLimitError && /evaluating length 40 \(10000000 examples in batches of 256\) would need about .* GiB, more than the 1\.0 GiB/.test(e.message));
  assert.throws(() => checkEvaluationBudget(parity, shipped, { ...o, lengths: [500], batchSize: 4096, examples: 4096 }), /use a smaller batch/);
});

test('the largest batch that fits: an evaluation or a calibration runs in smaller batches rather than being refused', () => {
  const shape = { width: 242, steps: 400 };
  const b = largestEvalBatch(shipped, shape, 256, LIMITS.calibrationBytes);
  assert.ok(b >= 1 && b < 256, `a smaller batch: ${b}`);
  assert.ok(evalRunBytes(shipped, { ...shape, batch: b }) <= LIMITS.calibrationBytes);
  assert.ok(evalRunBytes(shipped, { ...shape, batch: b + 1 }) > LIMITS.calibrationBytes, 'the largest one');
  assert.equal(largestEvalBatch(shipped, shape, 8, LIMITS.calibrationBytes), 8, 'never more than asked');
  assert.equal(largestEvalBatch(shipped, shape, 256, 1), 0, 'none fits a budget of one byte');

  const o = { lengths: [10, 400], examples: 1024, batchSize: 1024, calibration: 256 };
  assert.throws(() => checkEvaluationBudget(parity, shipped, o), ResourceLimitError);
  const fit = fittingBatchSize(parity, shipped, o);
  assert.ok(fit >= 1 && fit < 1024, `a smaller batch: ${fit}`);
  assert.doesNotThrow(() => checkEvaluationBudget(parity, shipped, { ...o, batchSize: fit }));
  assert.throws(() => checkEvaluationBudget(parity, shipped, { ...o, batchSize: fit + 1 }), ResourceLimitError);
  assert.equal(fittingBatchSize(parity, shipped, { lengths: [10], examples: 64, batchSize: 256 }), 64, 'no larger than the examples');
  const hopeless = { lengths: [400], examples: 1e7, batchSize: 256 }; // the per-example bookkeeping alone is over the budget
  assert.equal(fittingBatchSize(parity, shipped, hopeless), 1, 'none fits: 1, so that the evaluation refuses it');
  assert.throws(() => checkEvaluationBudget(parity, shipped, { ...hopeless, batchSize: 1 }), (e: Error) => e instanceof ResourceLimitError && /evaluating length 400/.test(e.message));
});
