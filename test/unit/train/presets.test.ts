import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cpuRecipe, paperRecipe } from '../../../src/core/train/presets';
import { applyOverrides, makeRecipe, planRecipe } from '../../../src/core/train/recipePlan';
import { batchShape, lrAt, MAX_ANSWER_HOLD, RecipeError, recipeHorizon, validateRecipe } from '../../../src/core/train/recipe';
import { estimateTraining } from '../../../src/core/train/trainLimits';
import { getTask, taskNames } from '../../../src/core/tasks';

test('paper preset: the published recipe for every task', () => {
  const blocks: Record<string, [number, number]> = { parity: [1, 64], copy: [2, 8], addition: [3, 8], binary_sum: [2, 16], multiplication: [4, 8], unique_set: [3, 8] };
  for (const name of taskNames) {
    const r = validateRecipe(paperRecipe(name));
    const t = getTask(name);
    assert.deepEqual([r.model.d, r.model.layers, r.model.heads], [256, ...blocks[name]!], name);
    assert.equal(r.model.readIn, name === 'unique_set' ? 'embedding' : 'linear');
    assert.equal(r.model.vocabSize, name === 'unique_set' ? 60 : 6);
    assert.equal(r.model.inputInjection, true);
    assert.equal(r.batchSize, 64);
    assert.equal(r.steps, 100_001);
    assert.equal(r.schedule.lr, 1e-4);
    assert.equal(r.schedule.kind, 'cosine');
    assert.equal(r.schedule.holdSteps, t.curriculum.end * t.curriculum.interval);
    assert.deepEqual(r.optimizer, { beta1: 0.9, beta2: 0.999, eps: 1e-8, weightDecay: 0.01, maxGradNorm: 1 });
    assert.deepEqual(r.curriculum, t.curriculum);
    assert.equal(r.width, t.trainingWidth());
    assert.equal(r.horizon, t.horizon(t.curriculum.end));
    assert.equal(r.widthMode, 'curriculum', "the released code's rows grow with the curriculum");
  }
  const p = paperRecipe('parity');
  assert.deepEqual([p.width, p.horizon, p.schedule.holdSteps], [21, 23, 10_500]);
  assert.equal(lrAt(p, 10_499), 1e-4);
  assert.ok(lrAt(p, 60_000) < 1e-4 && lrAt(p, 60_000) > 0);
  assert.ok(lrAt(p, 100_000) < 1e-12);
});

test('cpu preset: small block, dense curriculum, rows only as wide as the curriculum needs', () => {
  const r = validateRecipe(cpuRecipe('parity'));
  assert.deepEqual([r.model.d, r.model.layers], [64, 1]);
  assert.deepEqual(r.curriculum, { start: 2, interval: 100, end: 21 });
  assert.equal(r.widthMode, 'curriculum');
  assert.deepEqual(batchShape(r, 2), { width: 2, horizon: 4 });
  assert.deepEqual(batchShape(r, 21), { width: 21, horizon: 23 });
  assert.deepEqual(batchShape({ ...r, widthMode: 'fixed' }, 2), { width: 21, horizon: 23 });
  for (const name of taskNames) {
    const c = validateRecipe(cpuRecipe(name));
    for (let n = c.curriculum.start; n <= c.curriculum.end; n++) {
      const s = batchShape(c, n);
      const t = getTask(name);
      const longest = name === 'multiplication' ? [2, n - 1] : [n - 1];
      assert.ok(s.width >= t.minWidth(longest), `${name} n_points ${n}: width ${s.width}`);
      assert.ok(s.horizon >= t.steps(longest), `${name} n_points ${n}: horizon ${s.horizon}`);
    }
  }
});

test('makeRecipe applies overrides and rejects unknown names and bad values', () => {
  const r = makeRecipe('parity', 'cpu', { steps: 50, seed: 9, lr: 5e-4, batchSize: 16 });
  assert.deepEqual([r.steps, r.seed, r.schedule.lr, r.batchSize], [50, 9, 5e-4, 16]);
  assert.equal(cpuRecipe('parity').steps !== 50, true, 'the preset itself is not modified');
  assert.throws(() => makeRecipe('parity', 'fast'), (e: Error) => e instanceof RecipeError && /unknown preset "fast"; valid presets: paper, cpu/.test(e.message));
  assert.throws(() => makeRecipe('sorting', 'cpu'), /unknown task "sorting"/);
  assert.throws(() => makeRecipe('parity', 'cpu', { steps: 0 }), /steps must be a positive integer/);
  assert.throws(() => makeRecipe('parity', 'cpu', { lr: -1 }), /learning rate must be a positive number/);
  assert.throws(() => validateRecipe({ ...cpuRecipe('parity'), widthMode: 'wide' as never }), /widthMode must be/);
});

test('model and curriculum overrides rebuild everything derived from them', () => {
  const r = makeRecipe('addition', 'paper', { d: 32, layers: 2, heads: 2, maxLength: 6, interval: 50, widthMode: 'curriculum', warmupSteps: 10 });
  assert.deepEqual([r.model.d, r.model.layers, r.model.heads], [32, 2, 2]);
  assert.deepEqual(r.curriculum, { start: 2, interval: 50, end: 7 });
  // Width and horizon follow the new longest length (addition: 3 * max_len, n_points + 2), and so does the lr hold.
  assert.equal(r.width, 21);
  assert.equal(r.horizon, 9);
  assert.equal(r.schedule.holdSteps, 7 * 50);
  assert.equal(r.widthMode, 'curriculum');
  assert.equal(r.schedule.warmupSteps, 10);
  assert.throws(() => makeRecipe('parity', 'cpu', { heads: 5 }), /head|divis/i);
});

test('the lr floor: an override sets it, 0 or none leaves the recipe byte-for-byte as it was, bad values are refused', () => {
  const plain = makeRecipe('parity', 'cpu');
  assert.equal('minLrFraction' in plain.schedule, false, 'no new key in a recipe that does not set it');
  assert.equal(JSON.stringify(makeRecipe('parity', 'cpu', { minLrFraction: 0 })), JSON.stringify(plain), '0 is the paper\'s: same bytes');
  assert.equal(JSON.stringify(makeRecipe('parity', 'cpu', { minLrFraction: undefined })), JSON.stringify(plain));
  const floored = makeRecipe('parity', 'cpu', { minLrFraction: 0.1 });
  assert.deepEqual(floored.schedule, { ...plain.schedule, minLrFraction: 0.1 });
  assert.equal(lrAt(floored, 0), 1e-3);
  assert.ok(Math.abs(lrAt(floored, floored.steps) - 1e-4) < 1e-15, 'ends at 0.1 x lr');
  assert.ok(lrAt(plain, plain.steps - 1) < 1e-9, 'without it: ~0');
  // Overriding a floored recipe with 0 takes the floor away again (no key).
  assert.equal(JSON.stringify(applyOverrides(floored, { minLrFraction: 0 })), JSON.stringify(plain));
  for (const [f, got] of [[1, '1'], [-0.5, '-0.5'], [NaN, 'NaN'], ['0.1', '"0.1"'], [null, 'null']] as const) {
    assert.throws(
      () => validateRecipe({ ...plain, schedule: { ...plain.schedule, minLrFraction: f as number } }),
      (e: Error) => e instanceof RecipeError && e.message === `training recipe: schedule minLrFraction (the lr floor) must be a number in [0, 1), got ${got}`,
      String(f),
    );
  }
  assert.throws(() => makeRecipe('parity', 'cpu', { minLrFraction: 1 }), /must be a number in \[0, 1\), got 1/);
  // The never-decays warning still holds with a floor (the rate is held at its peak), and names it.
  assert.deepEqual(planRecipe('parity', 'cpu', { minLrFraction: 0.1 }).warnings, []);
  const held = planRecipe('parity', 'cpu', { steps: 300, interval: 100, minLrFraction: 0.1 });
  assert.match(held.warnings.at(-1)!, /stays at 0\.001 for all 300 steps: its cosine decay \(to 0\.1 x lr\) would start at step 2,100\./);
});

test('the long share: an override sets it, 0 or none leaves the recipe byte-for-byte as it was, bad values are refused', () => {
  const plain = makeRecipe('unique_set', 'cpu');
  assert.equal('longShare' in plain, false, 'no new key in a recipe that does not set it');
  assert.equal(JSON.stringify(makeRecipe('unique_set', 'cpu', { longShare: 0 })), JSON.stringify(plain), '0 is the paper\'s uniform lengths: same bytes');
  const long = makeRecipe('unique_set', 'cpu', { longShare: 0.5 });
  assert.deepEqual(long, { ...plain, longShare: 0.5 });
  assert.equal(JSON.stringify(applyOverrides(long, { longShare: 0 })), JSON.stringify(plain));
  for (const [f, got] of [[1, '1'], [-0.5, '-0.5'], [NaN, 'NaN'], ['0.1', '"0.1"'], [null, 'null']] as const) {
    assert.throws(
      () => validateRecipe({ ...plain, longShare: f as number }),
      (e: Error) => e instanceof RecipeError && e.message === `training recipe: longShare (the share of each batch at the longest length) must be a number in [0, 1), got ${got}`,
      String(f),
    );
  }
});

test('the answer hold: an override sets it and lengthens every batch\'s horizon by it, 0 leaves the recipe as it was; bad values and a fixed depth are refused', () => {
  const plain = makeRecipe('addition', 'cpu');
  assert.equal('answerHold' in plain, false);
  assert.equal(JSON.stringify(makeRecipe('addition', 'cpu', { answerHold: 0 })), JSON.stringify(plain));
  const held = makeRecipe('addition', 'cpu', { answerHold: 4 });
  assert.deepEqual(held, { ...plain, answerHold: 4 });
  assert.equal(JSON.stringify(applyOverrides(held, { answerHold: 0 })), JSON.stringify(plain));
  for (const n of [1, 7, plain.curriculum.end]) assert.equal(batchShape(held, n).horizon, batchShape(plain, n).horizon + 4, `n_points ${n}`);
  assert.equal(recipeHorizon(held), plain.horizon + 4);
  assert.ok(estimateTraining(held).activationBytes > estimateTraining(plain).activationBytes, 'the memory estimate counts the late steps');
  for (const [k, got] of [[-1, '-1'], [1.5, '1.5'], [MAX_ANSWER_HOLD + 1, String(MAX_ANSWER_HOLD + 1)], ['2', '"2"']] as const) {
    assert.throws(
      () => validateRecipe({ ...plain, answerHold: k as number }),
      (e: Error) => e instanceof RecipeError && e.message === `training recipe: answerHold (the loop steps an answer must hold past T(n)) must be an integer in [0, ${MAX_ANSWER_HOLD}], got ${got}`,
      String(k),
    );
  }
  assert.throws(
    () => makeRecipe('addition', 'cpu', { answerHold: 2, fixedSteps: 20 }),
    (e: Error) => e instanceof RecipeError && e.message === 'training recipe: answerHold: the fixed-depth baseline reads every example at one step (fixedSteps), not at T(n); train it without a hold',
  );
});

test('the hard share: an override sets it, 0 leaves the recipe as it was; bad values and a task without hard inputs are refused', () => {
  const plain = makeRecipe('unique_set', 'cpu');
  assert.equal('hardShare' in plain, false);
  assert.equal(JSON.stringify(makeRecipe('unique_set', 'cpu', { hardShare: 0 })), JSON.stringify(plain));
  const hard = makeRecipe('unique_set', 'cpu', { hardShare: 0.25 });
  assert.deepEqual(hard, { ...plain, hardShare: 0.25 });
  assert.equal(JSON.stringify(applyOverrides(hard, { hardShare: 0 })), JSON.stringify(plain));
  for (const [f, got] of [[1, '1'], [-0.5, '-0.5'], [NaN, 'NaN'], ['0.1', '"0.1"']] as const) {
    assert.throws(
      () => validateRecipe({ ...plain, hardShare: f as number }),
      (e: Error) => e instanceof RecipeError && e.message === `training recipe: hardShare (the share of each batch from the task's hard inputs) must be a number in [0, 1), got ${got}`,
      String(f),
    );
  }
  assert.throws(
    () => makeRecipe('parity', 'cpu', { hardShare: 0.5 }),
    (e: Error) => e instanceof RecipeError && e.message === 'training recipe: hardShare: the parity task has no hard inputs to draw from (tasks with them: unique_set)',
  );
  assert.equal(JSON.stringify(makeRecipe('parity', 'cpu', { hardShare: 0 })), JSON.stringify(makeRecipe('parity', 'cpu')), '0 is allowed on every task');
});

test('the distinct share: an override sets it, 0 leaves the recipe as it was; bad values, a task without distinct inputs, a share above 1 with the hard one and lengths past 50 are refused', () => {
  const plain = makeRecipe('unique_set', 'cpu');
  assert.equal('distinctShare' in plain, false);
  assert.equal(JSON.stringify(makeRecipe('unique_set', 'cpu', { distinctShare: 0 })), JSON.stringify(plain));
  const distinct = makeRecipe('unique_set', 'cpu', { distinctShare: 0.25 });
  assert.deepEqual(distinct, { ...plain, distinctShare: 0.25 });
  assert.equal(JSON.stringify(applyOverrides(distinct, { distinctShare: 0 })), JSON.stringify(plain));
  for (const [f, got] of [[1, '1'], [-0.5, '-0.5'], [NaN, 'NaN'], ['0.1', '"0.1"']] as const) {
    assert.throws(
      () => validateRecipe({ ...plain, distinctShare: f as number }),
      (e: Error) => e instanceof RecipeError && e.message === `training recipe: distinctShare (the share of each batch from the task's distinct inputs) must be a number in [0, 1), got ${got}`,
      String(f),
    );
  }
  for (const task of ['parity', 'copy'] as const) {
    assert.throws(
      () => makeRecipe(task, 'cpu', { distinctShare: 0.5 }),
      (e: Error) => e instanceof RecipeError && e.message === `training recipe: distinctShare: the ${task} task has no distinct inputs to draw from (tasks with them: unique_set)`,
    );
    assert.equal(JSON.stringify(makeRecipe(task, 'cpu', { distinctShare: 0 })), JSON.stringify(makeRecipe(task, 'cpu')), '0 is allowed on every task');
  }
  // The two shares are rows of one batch: together at most all of it.
  assert.deepEqual(makeRecipe('unique_set', 'cpu', { hardShare: 0.5, distinctShare: 0.5 }), { ...plain, hardShare: 0.5, distinctShare: 0.5 });
  assert.equal(makeRecipe('unique_set', 'cpu', { hardShare: 0.7, distinctShare: 0.3 }).distinctShare, 0.3);
  assert.throws(
    () => makeRecipe('unique_set', 'cpu', { hardShare: 0.6, distinctShare: 0.6 }),
    (e: Error) => e instanceof RecipeError && e.message === 'training recipe: distinctShare: the hard share 0.6 and the distinct share 0.6 take 1.2 of each batch together; they may take at most 1',
  );
  // 50 elements make no input of 51 without a repeat.
  assert.equal(makeRecipe('unique_set', 'cpu', { maxLength: 50, distinctShare: 0.5 }).curriculum.end, 51);
  assert.throws(
    () => makeRecipe('unique_set', 'cpu', { maxLength: 51, distinctShare: 0.5 }),
    (e: Error) => e instanceof RecipeError && e.message === 'training recipe: distinctShare: the unique_set task has distinct inputs only up to length 50, the curriculum reaches 51',
  );
  assert.throws(
    () => makeRecipe('unique_set', 'cpu', { stages: [{ fromStep: 100, maxLength: 51 }], distinctShare: 0.5 }),
    (e: Error) => e instanceof RecipeError && e.message === 'training recipe: distinctShare: the unique_set task has distinct inputs only up to length 50, its last stage reaches 51',
  );
  assert.equal(makeRecipe('unique_set', 'cpu', { maxLength: 60 }).curriculum.end, 61, 'without a distinct share any length');
});
