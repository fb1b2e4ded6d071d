// The Training header's long share, hard and distinct shares, answer hold, weight decay and weight average
// (webview/training/recipeChips.ts): in and beside the curriculum's chip, beside the loop rule and
// next to the learning rate, in the CLI's training-line words; nothing for the paper's, for an
// older saved state, or for a value the host never writes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { averageChip, curriculumChip, distinctShareChip, forkedFromChip, hardShareChip, startedFromChip, weightDecayChip } from '../../../webview/training/recipeChips';
import { recipeSetup } from '../../../src/extension/train/trainPlan';
import { cpuRecipe } from '../../../src/core/train/presets';
import { applyOverrides, makeRecipe } from '../../../src/core/train/recipePlan';
import { recordedAverageText, recordedLongShareText } from '../../../src/core/train/trainRecord';

const curriculum = { start: 2, interval: 1000, end: 21 };

test("the curriculum chip: the paper's uniform lengths as before, a long share inside it", () => {
  assert.equal(curriculumChip({ maxTrainLength: 20, curriculum }), 'lengths 1..20 (+1 every 1,000 steps)', 'an older saved state, or uniform lengths');
  assert.equal(curriculumChip({ maxTrainLength: 20, curriculum, longShare: 0.5 }), 'lengths 1..20 (+1 every 1,000 steps, 0.5 of each batch at the longest length so far)');
  // a value the host never writes is not drawn
  for (const bad of [0, 1, 1.5, -0.5, NaN, Infinity, '0.5', null, [0.5], { valueOf: () => 0.5 }]) {
    assert.equal(curriculumChip({ maxTrainLength: 20, curriculum, longShare: bad as never }), 'lengths 1..20 (+1 every 1,000 steps)', String(bad));
  }
});

test("the curriculum chip of a staged recipe: the curriculum's own lengths, then each stage's", () => {
  const staged = recipeSetup(cpuRecipe('addition'));
  assert.deepEqual(staged.stageLengths, [12, 16, 19, 24]);
  assert.equal(curriculumChip(staged), 'lengths 1..24 (+1 every 500 steps to 8, then stages to 12, 16, 19, 24 (0.5 of each batch at 24))');
  assert.equal(recipeSetup(cpuRecipe('parity')).stageLengths, undefined, 'one curriculum');
  for (const bad of [[], [0], [1.5], ['12'], 'x', null]) {
    assert.equal(curriculumChip({ maxTrainLength: 20, curriculum, stageLengths: bad as never }), 'lengths 1..20 (+1 every 1,000 steps)', JSON.stringify(bad));
  }
});

test("the curriculum chip says a last stage run as branches (copy's cpu preset); a value the host never writes is left unsaid", () => {
  const copy = recipeSetup(cpuRecipe('copy'));
  assert.equal(copy.lastStageBranches, 3);
  assert.equal(curriculumChip(copy), 'lengths 1..19 (+1 every 100 steps to 19, then stages to 19 (0.5 of each batch at 19), the last as 3 branches)');
  assert.equal(recipeSetup(cpuRecipe('addition')).lastStageBranches, undefined);
  for (const bad of [1, 2.5, '3', null]) assert.doesNotMatch(curriculumChip({ ...copy, lastStageBranches: bad as never }), /branches/, JSON.stringify(bad));
});

test("the curriculum chip names a stage's own long share, where it differs from the recipe's", () => {
  assert.deepEqual(recipeSetup(cpuRecipe('addition')).stageLongShares, [0, 0, 0, 0.5], "the last stage's own share, the recipe's (none) in the others");
  assert.equal(recipeSetup(makeRecipe('addition', 'cpu', { stages: [{ fromStep: 20000, maxLength: 12 }] })).stageLongShares, undefined, 'no stage sets its own');
  const fineTune = recipeSetup(makeRecipe('unique_set', 'cpu', { steps: 38000, maxLength: 19, interval: 300, stages: [{ fromStep: 36000, maxLength: 19, lr: 1e-4, longShare: 0.5 }] }));
  assert.deepEqual(fineTune.stageLongShares, [0.5]);
  assert.equal(curriculumChip(fineTune), 'lengths 1..19 (+1 every 300 steps to 19, then stages to 19 (0.5 of each batch at 19))');
  // the recipe's share for the curriculum, uniform lengths in the last stage, the recipe's in the others
  const r = makeRecipe('addition', 'cpu', { longShare: 0.5, stages: [{ fromStep: 20000, maxLength: 12 }, { fromStep: 25000, maxLength: 19, longShare: 0 }] });
  const su = recipeSetup(r);
  assert.deepEqual(su.stageLongShares, [0.5, 0]);
  assert.equal(curriculumChip(su), 'lengths 1..19 (+1 every 500 steps to 8, then stages to 12, 19 (uniform lengths), 0.5 of each batch at the longest length so far)');
  // shares the host never writes (or not one per stage) are not drawn
  for (const bad of [[0.5], [0.5, 1], [0.5, '0'], [NaN, 0], 'x', null]) {
    assert.equal(curriculumChip({ ...su, stageLongShares: bad as never }), 'lengths 1..19 (+1 every 500 steps to 8, then stages to 12, 19, 0.5 of each batch at the longest length so far)', JSON.stringify(bad));
  }
});

test("the weight decay chip: only for one that is not the paper's", () => {
  assert.equal(weightDecayChip({}), undefined, "the paper's 0.01, or an older saved state");
  assert.equal(weightDecayChip({ weightDecay: 0.1 }), 'weight decay 0.1');
  assert.equal(weightDecayChip({ weightDecay: 0 }), 'weight decay 0', 'none at all is stated too');
  for (const bad of [-0.1, NaN, Infinity, '0.1', null, [0.1]]) assert.equal(weightDecayChip({ weightDecay: bad as never }), undefined, String(bad));
});

test("the host's setup of a recipe with both draws them in the words of the CLI's training line", () => {
  const r = applyOverrides(cpuRecipe('parity'), { longShare: 0.25, weightDecay: 0.05 });
  const su = recipeSetup(r);
  assert.equal(curriculumChip(su), `lengths 1..20 (+1 every 100 steps, ${recordedLongShareText(r)})`);
  assert.equal(weightDecayChip(su), 'weight decay 0.05');
  const paper = recipeSetup(cpuRecipe('parity'));
  assert.deepEqual([curriculumChip(paper), weightDecayChip(paper)], ['lengths 1..20 (+1 every 100 steps)', undefined]);
});

test("the hard share chip: only for a hard share, beside the curriculum's, which it leaves alone", () => {
  assert.equal(hardShareChip({}), undefined, "the paper's uniform inputs, or an older saved state");
  assert.equal(hardShareChip({ hardShare: 0.5 }), '0.5 of each batch from hard inputs');
  // a value the host never writes is not drawn
  for (const bad of [0, 1, 1.5, -0.5, NaN, Infinity, '0.5', null, [0.5], { valueOf: () => 0.5 }]) {
    assert.equal(hardShareChip({ hardShare: bad as never }), undefined, String(bad));
  }
  const r = applyOverrides(cpuRecipe('unique_set'), { hardShare: 0.25 });
  const su = recipeSetup(r);
  assert.equal(hardShareChip(su), '0.25 of each batch from hard inputs');
  assert.equal(curriculumChip(su), curriculumChip(recipeSetup(cpuRecipe('unique_set'))), 'the curriculum chip is unchanged');
  assert.equal(hardShareChip(recipeSetup(cpuRecipe('unique_set'))), undefined);
});

test("the distinct share chip: only for a distinct share, beside the hard share's, which it leaves alone", () => {
  assert.equal(distinctShareChip({}), undefined, "the paper's uniform inputs, or an older saved state");
  assert.equal(distinctShareChip({ distinctShare: 0.5 }), '0.5 of each batch from distinct inputs');
  // a value the host never writes is not drawn
  for (const bad of [0, 1, 1.5, -0.5, NaN, Infinity, '0.5', null, [0.5], { valueOf: () => 0.5 }]) {
    assert.equal(distinctShareChip({ distinctShare: bad as never }), undefined, String(bad));
  }
  const su = recipeSetup(applyOverrides(cpuRecipe('unique_set'), { distinctShare: 0.25 }));
  assert.equal(distinctShareChip(su), '0.25 of each batch from distinct inputs');
  assert.equal(hardShareChip(su), undefined);
  assert.equal(curriculumChip(su), curriculumChip(recipeSetup(cpuRecipe('unique_set'))), 'the curriculum chip is unchanged');
  const both = recipeSetup(applyOverrides(cpuRecipe('unique_set'), { hardShare: 0.25, distinctShare: 0.5 }));
  assert.deepEqual([hardShareChip(both), distinctShareChip(both)], ['0.25 of each batch from hard inputs', '0.5 of each batch from distinct inputs']);
  assert.equal(distinctShareChip(recipeSetup(cpuRecipe('unique_set'))), undefined);
});

test("the started-from chip: only for a fine-tuning run, in the words of `looplens info`", () => {
  assert.equal(startedFromChip({}), undefined, 'a run from scratch, or an older saved state');
  for (const bad of ['', 7, null, ['x']]) assert.equal(startedFromChip({ startedFrom: bad as never }), undefined, String(bad));
  const tuned = applyOverrides(cpuRecipe('unique_set'), {});
  tuned.initFrom = { model: 'runs/base.onnx', weightsCrc32: 0xa18eddc6, stepsBefore: 36000 };
  assert.equal(startedFromChip(recipeSetup(tuned)), 'fine-tuned from the weights of runs/base.onnx (36000 steps trained), CRC-32 a18eddc6');
  assert.equal(startedFromChip(recipeSetup(cpuRecipe('unique_set'))), undefined);
});

test('the fork chip: only for a run that went on from another run\'s checkpoint', () => {
  assert.equal(forkedFromChip({}), undefined, 'any other run, or an older saved state');
  for (const bad of ['', 7, null, ['x']]) assert.equal(forkedFromChip({ forkedFrom: bad as never }), undefined, String(bad));
  assert.equal(forkedFromChip({ forkedFrom: 'run-step12.ckpt at step 12' }), 'went on from run-step12.ckpt at step 12');
});

test("the weight average chip: only for a run that saves an average, in the words of `looplens info`", () => {
  assert.equal(averageChip({}), undefined, "the paper's last weights, or an older saved state");
  for (const bad of ['', 7, null, ['x'], { toString: () => 'x' }]) assert.equal(averageChip({ averageText: bad as never }), undefined, String(bad));
  const r = makeRecipe('addition', 'cpu', { averageFrom: 25000 });
  assert.equal(averageChip(recipeSetup(r)), 'the weights averaged over steps 25,000 to 28,600');
  assert.equal(averageChip(recipeSetup(r)), recordedAverageText(JSON.parse(JSON.stringify(r))), "the recorded recipe's words");
  assert.equal(averageChip(recipeSetup(applyOverrides(r, { averageFrom: 0 }))), 'the weights averaged over steps 0 to 28,600', 'from the first step');
  assert.equal(averageChip(recipeSetup(applyOverrides(r, { averageFrom: null }))), undefined, 'cleared: the last weights');
  assert.equal(averageChip(recipeSetup(cpuRecipe('addition'))), undefined);
});
