// Staged recipes: the curriculum, then stages that train every length up to a longer one with fresh
// AdamW moments and their own decay; validation, presets and overrides, and a real staged run that
// resumes across a stage's start exactly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { adamStepOf, answerHoldOf, finalEnd, learningRateOf, longShareOf, mostAnswerHold, nPointsOf, parseStages, rescaledStages, stageAt, stagesSpecText, startsStage } from '../../../src/core/train/stages';
import { batchShape, lrAt, recipeHorizon, validateRecipe, type TrainRecipe } from '../../../src/core/train/recipe';
import { cpuRecipe } from '../../../src/core/train/presets';
import { planRecipe } from '../../../src/core/train/recipePlan';
import { train } from '../../../src/core/train/trainer';
import { EtaEstimator } from '../../../src/core/train/eta';
import { loopText } from '../../../src/core/train/recipeDiff';
import { trainedLengthsAt, recordedStagesText } from '../../../src/core/train/trainRecord';
import { readCheckpoint } from '../../../src/core/train/checkpoint';
import type { TrainEvent, TrainPoint } from '../../../src/core/train/trainEvents';
import { getTask } from '../../../src/core/tasks';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';

/** microParity (lengths 1..5, 30 steps) with two stages: 1..7 from step 12, 1..9 from step 20. */
function stagedParity(): TrainRecipe {
  const r = microParity(30);
  const task = getTask('parity');
  return { ...r, schedule: { ...r.schedule, holdSteps: 6 }, stages: [{ fromStep: 12, maxLength: 7, lr: 2e-3 }, { fromStep: 20, maxLength: 9, lr: 1e-3 }], width: task.rowWidth(10), horizon: task.horizon(10) };
}

test('each step belongs to one stage: the curriculum until the first, then every length of each stage from its first step', () => {
  const r = stagedParity();
  assert.deepEqual(stageAt(r, 0), { index: -1, from: 0, to: 12 });
  assert.deepEqual(stageAt(r, 11), { index: -1, from: 0, to: 12 });
  assert.deepEqual(stageAt(r, 12), { index: 0, from: 12, to: 20 });
  assert.deepEqual(stageAt(r, 29), { index: 1, from: 20, to: 30 });
  assert.deepEqual([0, 5, 11, 12, 19, 20, 29].map((s) => nPointsOf(r, s)), [2, 3, 4, 8, 8, 10, 10]);
  assert.deepEqual([11, 12, 13, 20, 21].map((s) => adamStepOf(r, s)), [12, 1, 2, 1, 2], "AdamW's bias correction starts again with each stage");
  assert.deepEqual([0, 11, 12, 19, 20].map((s) => startsStage(r, s)), [false, false, true, false, true]);
  assert.equal(finalEnd(r), 10);
  assert.equal(finalEnd(microParity(30)), 6, 'one curriculum: its own end');
  assert.deepEqual(trainedLengthsAt(r, 30), { min: 1, max: 9 });
  assert.deepEqual(trainedLengthsAt(r, 12), { min: 1, max: 3 });
});

test("each stage has its own rate: the curriculum's decays to 0 at the first stage, and each stage starts at its peak and decays over itself", () => {
  const r = stagedParity();
  assert.equal(lrAt(r, 0), 3e-3, "held at the recipe's peak");
  assert.ok(lrAt(r, 11) < 3e-3 * 0.1, `the curriculum's cosine nears 0 before the first stage: ${lrAt(r, 11)}`);
  assert.equal(lrAt(r, 12), 2e-3, "the first stage starts at its own peak (no hold, no warm-up: the recipe's is 0)");
  assert.ok(lrAt(r, 19) < lrAt(r, 13) && lrAt(r, 19) > 0);
  assert.equal(learningRateOf(r, 20), 1e-3);
  const warm = { ...r, schedule: { ...r.schedule, warmupSteps: 2 } };
  assert.equal(lrAt(warm, 12), 1e-3, "the recipe's warm-up runs again at each stage's start");
  assert.equal(lrAt(warm, 13), 2e-3, 'then the peak');
  assert.ok(lrAt(warm, 15) < 2e-3, 'then the decay');
});

test('bad stages are refused with the reason; the width must hold the last stage', () => {
  const r = stagedParity();
  const bad = (stages: unknown, re: RegExp) => assert.throws(() => validateRecipe({ ...r, stages } as TrainRecipe), re);
  bad([], /stages: a staged recipe needs at least one stage/);
  bad([{ fromStep: 0, maxLength: 7, lr: 1e-3 }], /stage 1 must start at a step after 0 and before the run's 30 steps end, got 0/);
  bad([{ fromStep: 30, maxLength: 7, lr: 1e-3 }], /before the run's 30 steps end, got 30/);
  bad([{ fromStep: 12, maxLength: 7, lr: 1e-3 }, { fromStep: 12, maxLength: 9, lr: 1e-3 }], /stage 2 must start at a step after 12/);
  bad([{ fromStep: 12, maxLength: 3, lr: 1e-3 }], /stages: stage 1's longest length must be an integer of at least 5 \(the curriculum's\), got 3/);
  bad([{ fromStep: 12, maxLength: 7, lr: 1e-3 }, { fromStep: 20, maxLength: 6, lr: 1e-3 }], /stage 2's longest length must be an integer of at least 7 \(stage 1's\), got 6/);
  bad([{ fromStep: 12, maxLength: 7, lr: -1 }], /stage 1's learning rate must be a positive number, got -1/);
  bad([null], /stage 1 is not an object/);
  assert.throws(() => validateRecipe({ ...r, width: microParity(30).width }), /too narrow for the recipe's longest example/);
  assert.equal(validateRecipe(r), r);
});

test("addition's cpu preset trains in stages, with rows and loop steps for its last; changing the steps moves the stages with them", () => {
  const r = validateRecipe(cpuRecipe('addition'));
  const task = getTask('addition');
  assert.deepEqual(r.stages?.map((s) => s.maxLength), [12, 16, 19, 24]);
  assert.equal(finalEnd(r), 25);
  assert.equal(r.width, task.rowWidth(25));
  assert.equal(r.horizon, task.horizon(25));
  assert.deepEqual(trainedLengthsAt(r, 26999), { min: 1, max: 19 });
  assert.deepEqual(trainedLengthsAt(r, r.steps), { min: 1, max: 24 });
  const half = planRecipe('addition', 'cpu', { steps: 14300 });
  assert.deepEqual(half.recipe.stages?.map((s) => s.fromStep), [10000, 11750, 12500, 13500], 'each stage keeps its share of the run');
  assert.equal(half.recipe.curriculum.interval, 250);
  assert.deepEqual(rescaledStages(r.stages!, 28600, 40).map((s) => s.fromStep), [28, 33, 35, 38]);
  assert.throws(() => planRecipe('addition', 'cpu', { steps: 5 }), /stage 3 must start at a step after 4 and before the run's 5 steps end/, 'too few steps for four stages');
  assert.match(recordedStagesText(r)!, /^then 1\.\.12 from step 20,000 \(lr 0\.001\), 1\.\.16 from step 23,500 \(lr 0\.001\), 1\.\.19 from step 25,000 \(lr 0\.001\), 1\.\.24 from step 27,000 \(lr 0\.0003, 0\.5 of each batch at 24\), each with fresh AdamW moments/);
  assert.equal(recordedStagesText(microParity(30)), undefined);
});

test('another longest length makes one curriculum (with a warning); the same one keeps the stages; a fine-tune is always one stage', () => {
  const other = planRecipe('addition', 'cpu', { maxLength: 12 });
  assert.equal(other.recipe.stages, undefined);
  assert.equal(other.recipe.curriculum.end, 13);
  assert.equal(other.recipe.width, getTask('addition').rowWidth(13));
  assert.match(other.warnings[0]!, /^The cpu preset trains addition in stages \(lengths 1\.\.8, then 1\.\.12 from step 20,000 .*\); with the longest length 12 this run has one curriculum instead\.$/);
  const same = planRecipe('addition', 'cpu', { maxLength: 24 });
  assert.deepEqual(same.recipe, cpuRecipe('addition'));
  assert.deepEqual(same.warnings, []);
  const single = planRecipe('addition', 'cpu', { singleStage: true, interval: 1 });
  assert.equal(single.recipe.stages, undefined);
  assert.equal(single.recipe.curriculum.end, 25, "the preset's longest length, in one curriculum");
  assert.deepEqual(single.warnings, [], 'asked for: no warning');
});

test('a staged run trains each stage at its lengths and resumes across a stage start exactly', async () => {
  const dir = tmpDir();
  const straight = await train({ recipe: stagedParity(), cpuThreads: 1, historyEvery: 2 });
  const seen = straight.history.filter((h): h is TrainPoint => h.kind === 'train').map((h) => [h.step, h.nPoints]);
  assert.deepEqual(seen.filter(([s]) => [12, 14, 20, 22, 30].includes(s!)), [[12, 4], [14, 8], [20, 8], [22, 10], [30, 10]]);

  const ckpt = path.join(dir, 'staged.ckpt');
  const abort = new AbortController();
  const first = await train({
    recipe: stagedParity(),
    checkpointPath: ckpt,
    historyEvery: 2,
    cpuThreads: 1,
    signal: abort.signal,
    onEvent: (e: TrainEvent) => {
      if (e.type === 'progress' && e.step === 12) abort.abort(); // stopped just before the first stage's first step
    },
  });
  assert.equal(first.status, 'cancelled');
  assert.equal((await readCheckpoint(ckpt)).curriculum.nPoints, 8, "the checkpoint names the next step's lengths: the stage's");
  const second = await train({ checkpointPath: ckpt, resume: true, historyEvery: 2, cpuThreads: 1 });
  assert.equal(second.step, 30);
  for (const k of Object.keys(straight.params)) assert.deepEqual(second.params[k], straight.params[k], k);
});

test('stages as typed: FROM:LONGEST[:LR][:long=SHARE][:hold=K], comma-separated, or none; what does not read is named', () => {
  assert.deepEqual(parseStages(' 20000:12, 23_500:16:3e-4 '), [{ fromStep: 20000, maxLength: 12 }, { fromStep: 23500, maxLength: 16, lr: 3e-4 }]);
  assert.deepEqual(parseStages('none'), []);
  assert.deepEqual(parseStages('  '), []);
  for (const bad of ['12', '20000:12,', '20000:12:0', '20000:12:2', '20000:12:x', '-5:12', '20000:1.5', 'a:b'])
    assert.throws(() => parseStages(bad), /^Error: stage \d \(".*"\) does not read as FROM:LONGEST\[:LR\]\[:long=SHARE\]\[:hold=K\]\[:branches=B\], comma-separated/, bad);
  const r = cpuRecipe('addition');
  assert.equal(stagesSpecText(r), '20000:12, 23500:16, 25000:19, 27000:24:0.0003:long=0.5', 'the rate only where it is not the recipe\'s');
  assert.equal(stagesSpecText({ ...r, stages: [{ fromStep: 5, maxLength: 9, lr: 3e-4 }] }), '5:9:0.0003');
  assert.equal(stagesSpecText(microParity(30)), 'none');
  assert.deepEqual(parseStages(stagesSpecText(r)).map((s) => ({ ...s, lr: s.lr ?? r.schedule.lr })), r.stages, 'round trip');
  assert.deepEqual(parseStages('36000:19:1e-4:long=0.5, 37000:19 : long = 0'), [{ fromStep: 36000, maxLength: 19, lr: 1e-4, longShare: 0.5 }, { fromStep: 37000, maxLength: 19, longShare: 0 }]);
  for (const bad of ['5:9:long=1', '5:9:long=x', '5:9:long=', '5:9:long=0.5:1e-4', '5:9:1e-4:0.5'])
    assert.throws(() => parseStages(bad), /a share at least 0 and below 1, a hold a whole number of loop steps up to 100, branches a whole number from 2 to 16$/, bad);
  const long = { ...r, stages: [{ fromStep: 5, maxLength: 9, lr: 3e-4, longShare: 0.5 }, { fromStep: 9, maxLength: 9, lr: r.schedule.lr }] };
  assert.equal(stagesSpecText(long), '5:9:0.0003:long=0.5, 9:9');
  assert.deepEqual(parseStages(stagesSpecText(long)).map((s) => ({ ...s, lr: s.lr ?? r.schedule.lr })), long.stages, 'round trip with a long share');
});

test("a stage's own long share replaces the recipe's for its steps; bad ones are refused; the record says it", () => {
  const base = stagedParity();
  const r: TrainRecipe = { ...base, longShare: 0.25, stages: [base.stages![0]!, { ...base.stages![1]!, longShare: 0.5 }] };
  assert.deepEqual([0, 11, 12, 19, 20, 29].map((s) => longShareOf(r, s)), [0.25, 0.25, 0.25, 0.25, 0.5, 0.5]);
  assert.equal(longShareOf({ ...r, stages: [{ ...base.stages![0]!, longShare: 0 }] }, 12), 0, "0 in a stage is uniform lengths, whatever the recipe's");
  assert.equal(longShareOf(stagedParity(), 25), 0, 'neither: uniform lengths');
  validateRecipe(r);
  for (const bad of [1, -0.1, NaN, '0.5'])
    assert.throws(() => validateRecipe({ ...r, stages: [{ ...base.stages![0]!, longShare: bad as number }] }), /stage 1's long share \(of each batch at its longest length\) must be a number in \[0, 1\), got/, String(bad));
  assert.equal(recordedStagesText(JSON.parse(JSON.stringify(r))), 'then 1..7 from step 12 (lr 0.002), 1..9 from step 20 (lr 0.001, 0.5 of each batch at 9), each with fresh AdamW moments and its own decay');
  assert.equal(recordedStagesText({ stages: [{ ...base.stages![0]!, longShare: 0 }] }), 'then 1..7 from step 12 (lr 0.002, uniform lengths), each with fresh AdamW moments and its own decay', "0 in a stage: the paper's uniform lengths, said so");
});

/** The recipe's `key` stated in every stage trains the same weights as the recipe; `other` in its last stage trains other weights. */
async function assertStagesOwn(base: TrainRecipe, key: 'longShare' | 'answerHold', other: number, why: string): Promise<void> {
  const plain = await train({ recipe: base, cpuThreads: 1 });
  const stated = await train({ recipe: { ...base, stages: base.stages!.map((s) => ({ ...s, [key]: base[key] })) }, cpuThreads: 1 });
  for (const k of Object.keys(plain.params)) assert.deepEqual(stated.params[k], plain.params[k], k);
  const changed = await train({ recipe: { ...base, stages: [base.stages![0]!, { ...base.stages![1]!, [key]: other }] }, cpuThreads: 1 });
  assert.ok(Object.keys(plain.params).some((k) => JSON.stringify(changed.params[k]) !== JSON.stringify(plain.params[k])), why);
}

test("a stage's long share is what its batches draw: the recipe's share stated in each stage trains the same weights, another does not", async () => {
  await assertStagesOwn({ ...stagedParity(), longShare: 0.5 }, 'longShare', 0, 'uniform lengths in the last stage draw other batches');
});

test("given stages replace the preset's and stay where given; the longest length is then the curriculum's own", () => {
  const given = planRecipe('parity', 'cpu', { steps: 3000, maxLength: 10, stages: parseStages('2000:20:3e-4') });
  assert.deepEqual(given.recipe.stages, [{ fromStep: 2000, maxLength: 20, lr: 3e-4 }]);
  assert.equal(given.recipe.curriculum.end, 11);
  assert.equal(given.recipe.width, getTask('parity').rowWidth(21), 'rows for the last stage');
  const keptLr = planRecipe('parity', 'cpu', { lr: 2e-3, stages: parseStages('3000:20') });
  assert.equal(keptLr.recipe.stages![0]!.lr, 2e-3, "a stage without a rate takes the recipe's (after --lr)");
  const moved = planRecipe('addition', 'cpu', { steps: 13500, stages: parseStages('10000:12') });
  assert.deepEqual(moved.recipe.stages?.map((s) => s.fromStep), [10000], 'not rescaled with the steps');
  const none = planRecipe('addition', 'cpu', { stages: [] });
  assert.equal(none.recipe.stages, undefined);
  assert.equal(none.recipe.curriculum.end, 9, "the preset's curriculum alone");
  assert.deepEqual(none.warnings, [], 'asked for: no warning');
  assert.throws(() => planRecipe('parity', 'cpu', { stages: parseStages('7000:20') }), /stages: stage 1 must start at a step after 0 and before the run's 6000 steps end, got 7000/);
});

test("the ETA costs each stage's steps at its own lengths", () => {
  const r = { ...stagedParity(), widthMode: 'fixed' as const }; // rows of width 10 throughout: the work is 10 x (2 + mean T)
  const eta = new EtaEstimator(getTask('parity'), r);
  eta.observe(0, 3000); // the session's first step (ONNX Runtime's warm-up) is left out
  eta.observe(1, 30); // n_points 2: 10 x (2 + 1) = 30 units, so 1 ms a unit
  // from step 20 (the last stage, n_points 10): 10 steps of 10 x (2 + 5) units
  assert.ok(Math.abs(eta.remainingSeconds(20) - (10 * 70) / 1000) < 1e-9);
  // from step 12 (the first stage, n_points 8): 8 steps of 10 x (2 + 4), then the last stage's
  assert.ok(Math.abs(eta.remainingSeconds(12) - (8 * 60 + 10 * 70) / 1000) < 1e-9);
  // The last stage with half of each batch at 9: its mean T is 0.5 * 5 + 0.5 * 9 = 7, so 10 x (2 + 7) units a step.
  const long = new EtaEstimator(getTask('parity'), { ...r, stages: [r.stages![0]!, { ...r.stages![1]!, longShare: 0.5 }] });
  long.observe(0, 3000);
  long.observe(1, 30);
  assert.ok(Math.abs(long.remainingSeconds(12) - (8 * 60 + 10 * 90) / 1000) < 1e-9);
  assert.ok(Math.abs(long.msPerStep(20) - 90) < 1e-9);
});

test('a stage may carry its own answer hold: typed, validated, drawn, given loop steps, costed and recorded', () => {
  assert.deepEqual(parseStages('36000:19:1e-4:long=0.5:hold=4, 37000:19:hold=0'), [{ fromStep: 36000, maxLength: 19, lr: 1e-4, longShare: 0.5, answerHold: 4 }, { fromStep: 37000, maxLength: 19, answerHold: 0 }]);
  for (const bad of ['5:9:hold=1.5', '5:9:hold=-1', '5:9:hold=101', '5:9:hold=x', '5:9:hold=4:long=0.5', '5:9:hold=4:1e-4'])
    assert.throws(() => parseStages(bad), /a hold a whole number of loop steps up to 100, branches a whole number from 2 to 16$/, bad);
  const base = stagedParity();
  const r: TrainRecipe = { ...base, answerHold: 1, stages: [base.stages![0]!, { ...base.stages![1]!, answerHold: 4 }] };
  assert.equal(stagesSpecText(r), '12:7:0.002, 20:9:0.001:hold=4');
  assert.deepEqual(parseStages(stagesSpecText(r)).map((s) => ({ ...s, lr: s.lr ?? r.schedule.lr })), r.stages, 'round trip with a hold');
  assert.deepEqual([0, 11, 12, 19, 20, 29].map((s) => answerHoldOf(r, s)), [1, 1, 1, 1, 4, 4]);
  assert.equal(answerHoldOf({ ...r, stages: [{ ...base.stages![0]!, answerHold: 0 }] }, 12), 0, "0 in a stage reads at T(n), whatever the recipe's");
  assert.equal(mostAnswerHold(r), 4);
  // fixed-width rows keep one graph with the run's most loop steps; curriculum rows get the stage's
  assert.equal(recipeHorizon(r), r.horizon + 4);
  assert.deepEqual(batchShape(r, 10, answerHoldOf(r, 25)), { width: r.width, horizon: r.horizon + 4 });
  const narrow: TrainRecipe = { ...r, widthMode: 'curriculum' };
  assert.equal(batchShape(narrow, 6, answerHoldOf(narrow, 5)).horizon, getTask('parity').horizon(6) + 1);
  assert.equal(batchShape(narrow, 10, answerHoldOf(narrow, 25)).horizon, getTask('parity').horizon(10) + 4);
  validateRecipe(r);
  for (const bad of [-1, 1.5, 101, '4'])
    assert.throws(() => validateRecipe({ ...r, stages: [{ ...base.stages![0]!, answerHold: bad as number }] }), /stage 1's answer hold \(the loop steps an answer must hold past T\(n\)\) must be an integer in \[0, 100\], got/, String(bad));
  assert.throws(() => validateRecipe({ ...base, fixedSteps: 12, stages: [base.stages![0]!, { ...base.stages![1]!, answerHold: 2 }] }), /stages: stage 2's answer hold: the fixed-depth baseline reads every example at one step/);
  validateRecipe({ ...base, fixedSteps: 12, stages: [{ ...base.stages![0]!, answerHold: 0 }, base.stages![1]!] });
  assert.equal(
    recordedStagesText(JSON.parse(JSON.stringify({ ...r, stages: [{ ...base.stages![0]!, answerHold: 0 }, r.stages![1]!] }))),
    'then 1..7 from step 12 (lr 0.002, each example read at T(n)), 1..9 from step 20 (lr 0.001, each example read at a random step from T(n) to T(n) + 4), each with fresh AdamW moments and its own decay',
  );
  assert.equal(loopText(r), 'each example read at a random step from T(n) to T(n) + 1 (in stages, as each says), with input injection');
  assert.equal(loopText(base), 'each example read at its T(n), with input injection');
  // the ETA: each example of the held stage is read a mean 2 steps late, so 10 x (2 + 5 + 2) units a step
  const eta = new EtaEstimator(getTask('parity'), { ...base, widthMode: 'fixed', stages: r.stages });
  eta.observe(0, 3000);
  eta.observe(1, 30);
  assert.ok(Math.abs(eta.msPerStep(20) - 90) < 1e-9);
});

test("a stage's answer hold is what its batches read: the recipe's hold stated in each stage trains the same weights, another does not", async () => {
  await assertStagesOwn({ ...stagedParity(), answerHold: 2 }, 'answerHold', 0, 'reads at T(n) in the last stage train other weights');
});
