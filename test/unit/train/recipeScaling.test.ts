// Changing a preset's step count rescales its curriculum and its lr hold (planRecipe), so a short
// run still trains on the preset's lengths and decays its rate; what cannot be rescaled is warned about.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { curriculumReachesEndAt, nPointsAt } from '../../../src/core/train/curriculum';
import { cpuRecipe, paperRecipe, tinyRecipe } from '../../../src/core/train/presets';
import { describeScaling, makeRecipe, planRecipe, recipeFitWarnings, scaledInterval } from '../../../src/core/train/recipePlan';
import { lrAt, validateRecipe } from '../../../src/core/train/recipe';
import { taskNames } from '../../../src/core/tasks';
import { taskFromRaspl } from '../../../src/core/programs/tasks/fromRaspl';
import * as fs from 'node:fs';
import * as path from 'node:path';

test('the issue\'s case: a 300-step cpu parity run trains on lengths 1..20 and decays its rate', () => {
  const before = cpuRecipe('parity');
  assert.deepEqual(before.curriculum, { start: 2, interval: 100, end: 21 });
  const plan = planRecipe('parity', 'cpu', { steps: 300 });
  const r = plan.recipe;
  // 19 length increases took 1900 of 6000 steps (31.7%); now 5 steps each: 95 of 300 (31.7%).
  assert.deepEqual(r.curriculum, { start: 2, interval: 5, end: 21 });
  assert.equal(nPointsAt(r.curriculum, 299) - 1, 20, 'the last step trains on lengths up to 20');
  assert.equal(r.schedule.holdSteps, 21 * 5, "the paper's hold: curriculum end x interval");
  assert.equal(lrAt(r, 0), 1e-3);
  assert.ok(lrAt(r, 200) < 1e-3 * 0.7, 'the rate decays inside the run');
  assert.ok(lrAt(r, 299) < 1e-5, 'and reaches ~0 at its end');
  assert.deepEqual(plan.scaling, { from: { steps: 6000, interval: 100, holdSteps: 2100 }, to: { steps: 300, interval: 5, holdSteps: 105 } });
  assert.deepEqual(plan.warnings, []);
  assert.match(describeScaling(plan.scaling!), /^scaled to 300 steps: the curriculum adds a length every 5 steps \(the preset: every 100 of 6,000 steps\), the learning rate decays from step 105 \(the preset: 2,100\)$/);
  // width and horizon depend on the lengths, not the pace: unchanged
  assert.deepEqual([r.width, r.horizon], [before.width, before.horizon]);
});

test('the curriculum keeps its share of the run for every preset, task and step count', () => {
  for (const preset of ['cpu', 'paper', 'tiny'] as const) {
    for (const task of taskNames) {
      const base = preset === 'cpu' ? cpuRecipe(task) : preset === 'paper' ? paperRecipe(task) : tinyRecipe(task);
      const share = curriculumReachesEndAt(base.curriculum) / base.steps;
      for (const factor of [0.1, 0.5, 2, 3]) {
        const steps = Math.max(1, Math.round(base.steps * factor));
        const r = makeRecipe(task, preset, { steps });
        const span = r.curriculum.end - r.curriculum.start;
        const got = curriculumReachesEndAt(r.curriculum) / r.steps;
        // rounding the interval to whole steps moves the share by at most half an interval per length
        assert.ok(Math.abs(got - share) <= (0.5 * span) / r.steps + 1e-9, `${preset} ${task} x${factor}: share ${got} vs ${share}`);
        assert.equal(r.schedule.holdSteps, r.curriculum.end * r.curriculum.interval, `${preset} ${task}: the hold moves with the curriculum`);
        assert.equal(nPointsAt(r.curriculum, r.steps - 1), r.curriculum.end, `${preset} ${task} x${factor}: reaches its longest length`);
        validateRecipe(r);
      }
    }
  }
});

test('the preset itself, its own step count and an explicit interval are left alone', () => {
  assert.deepEqual(makeRecipe('parity', 'cpu'), cpuRecipe('parity'));
  const same = planRecipe('parity', 'cpu', { steps: 6000 });
  assert.equal(same.scaling, undefined);
  assert.deepEqual(same.recipe, cpuRecipe('parity'));
  // the user's interval wins, and what it means is said
  const mine = planRecipe('parity', 'cpu', { steps: 300, interval: 100 });
  assert.equal(mine.recipe.curriculum.interval, 100);
  assert.equal(mine.scaling, undefined);
  assert.equal(mine.warnings.length, 2);
  assert.match(mine.warnings[0]!, /reach lengths up to 20 at step 1,900, after the run's 300 steps: this run trains on lengths up to 3 only/);
  assert.match(mine.warnings[1]!, /learning rate stays at 0\.001 for all 300 steps: its cosine decay would start at step 2,100/);
});

test('a longer run slows the curriculum down; a new longest length spreads it over the same share', () => {
  const longer = makeRecipe('parity', 'cpu', { steps: 12_000 });
  assert.equal(longer.curriculum.interval, 200);
  assert.equal(longer.schedule.holdSteps, 4200);
  const shorterLengths = makeRecipe('parity', 'cpu', { maxLength: 10 });
  assert.equal(shorterLengths.curriculum.end, 11);
  // 1900 of 6000 steps for 9 increases
  assert.equal(shorterLengths.curriculum.interval, Math.round(1900 / 9));
  assert.equal(scaledInterval(cpuRecipe('parity'), 6000, 2), 100, 'one length: nothing to pace');
});

test('too few steps for one step per length: the interval stops at 1 and a warning says so', () => {
  const plan = planRecipe('parity', 'cpu', { steps: 20 });
  assert.equal(plan.recipe.curriculum.interval, 1);
  assert.equal(plan.warnings.length, 2);
  assert.match(plan.warnings[0]!, /reaches lengths up to 20 only at step 19 of 20: few steps are left/);
  assert.match(plan.warnings[1]!, /stays at 0\.001 for all 20 steps/);
  assert.deepEqual(recipeFitWarnings(cpuRecipe('parity')), [], 'the presets themselves are fine');
  for (const t of taskNames) assert.deepEqual([recipeFitWarnings(tinyRecipe(t)), recipeFitWarnings(paperRecipe(t))], [[], []], t);
});

test('tiny preset: every task, d 64, short lengths, a custom task gets its own curriculum cut short', () => {
  for (const t of taskNames) {
    const r = validateRecipe(tinyRecipe(t));
    assert.equal(r.preset, 'tiny');
    assert.equal(r.widthMode, 'curriculum');
    assert.ok(r.steps <= 2000 && r.curriculum.end <= 11, `${t}: ${r.steps} steps, lengths up to ${r.curriculum.end - 1}`);
    assert.deepEqual([r.model.d, r.model.layers], [64, 1], t);
    assert.deepEqual(makeRecipe(t, 'tiny'), r);
  }
  const source = fs.readFileSync(path.join(__dirname, '../../../models/tasks/copy.raspl'), 'utf8');
  const custom = taskFromRaspl(source, 'copy.raspl');
  const r = validateRecipe(tinyRecipe(custom));
  assert.equal(r.taskFile?.file, 'copy.raspl');
  assert.ok(r.curriculum.end - r.curriculum.start <= 8 && r.curriculum.end <= custom.curriculum.end);
});

test('given stages, the curriculum keeps the pace of the steps before the first stage, not of the total', () => {
  const preset = cpuRecipe('binary_sum');
  // The preset followed by a fine-tuning stage: its curriculum, hold and draws are the preset's.
  const extended = planRecipe('binary_sum', 'cpu', { steps: preset.steps + 2000, stages: [{ fromStep: preset.steps, maxLength: 19, lr: 1e-4, longShare: 0.5 }] });
  assert.deepEqual(extended.recipe.curriculum, preset.curriculum);
  assert.equal(extended.recipe.schedule.holdSteps, preset.schedule.holdSteps);
  assert.equal(extended.scaling, undefined);
  // A first stage at half the preset's steps: the curriculum takes the same share of those steps.
  const early = planRecipe('binary_sum', 'cpu', { stages: [{ fromStep: preset.steps / 2, maxLength: 19 }] });
  assert.equal(early.recipe.curriculum.interval, preset.curriculum.interval / 2);
  assert.equal(early.recipe.schedule.holdSteps, preset.schedule.holdSteps / 2);
  assert.deepEqual(early.warnings, []);
  assert.deepEqual(early.scaling?.to, { steps: preset.steps / 2, interval: preset.curriculum.interval / 2, holdSteps: preset.schedule.holdSteps / 2, staged: true });
  assert.match(describeScaling(early.scaling!), /^scaled to 6,000 steps before the first stage: the curriculum adds a length every 100 steps \(the preset: every 200 of 12,000 steps\)/);
  // A staged preset's stages move with its steps, and its curriculum with them.
  const addition = planRecipe('addition', 'cpu', { steps: cpuRecipe('addition').steps / 2 });
  assert.match(describeScaling(addition.scaling!), /^scaled to 10,000 steps before the first stage: .* \(the preset: every 500 of 20,000 steps before the first stage\)/);
});
