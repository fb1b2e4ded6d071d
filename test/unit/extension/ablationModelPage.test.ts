// The model editor on an ablation model: a fixed depth and the absence of input injection are
// stated in the overview and its chips, not left to the recipe JSON; so are a hard share, a
// distinct share and an answer hold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { buildModelPage } from '../../../src/extension/modelEditor/modelPage';
import type { LoopLensModelPage } from '../../../src/protocol/modelPage';
import { modelFileBytes } from '../../../src/core/model/modelFile';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { fixedDepthTask } from '../../../src/core/tasks/fixedDepth';
import { recordedAnswerHoldText, recordedDistinctShareText, recordedHardShareText, recordedInitText, recordedInputsText } from '../../../src/core/train/trainRecord';
import { Rng } from '../../../src/core/util/rng';
import { smallConfig } from './helpers';

const fact = (facts: { label: string; value: string }[], label: string) => facts.find((f) => f.label === label)?.value;

test('the model editor states a fixed depth and a missing input injection', () => {
  const rng = new Rng(2);
  const config = { ...smallConfig, inputInjection: false };
  const training = { preset: 'cpu', recipe: { task: 'parity', fixedSteps: 9 }, stepsCompleted: 10, seed: 0, elapsedSeconds: 1, finalLoss: 0.5, provider: 'cpu', finishedAt: '', lossCurve: [] };
  const bytes = modelFileBytes({ task: fixedDepthTask(getTask('parity'), 9), config, params: initParams(config, () => rng.float()), training });
  const page = buildModelPage({ fileName: 'abl.onnx', path: '/x/abl.onnx', onDisk: true }, bytes) as LoopLensModelPage;
  assert.equal(page.kind, 'looplens');
  assert.match(fact(page.task, 'loops')!, /^a fixed depth of 9 loop steps for every input \(the fixed-depth baseline\): the oracle reads every length at step 9, the adaptive rules search steps 1\.\.29$/);
  assert.equal(fact(page.architecture, 'input injection'), 'no (ablation): the input enters once, at the first loop');
  assert.ok(page.chips.includes('fixed depth 9') && page.chips.includes('no input injection'), page.chips.join(' | '));
  assert.match(fact(page.architecture, 'file')!, /LoopLens model format 2/);
});

/** The model page of a small unique set model whose file records `recipe`. */
function uniqueSetPage(recipe: Record<string, unknown>): LoopLensModelPage {
  const task = getTask('unique_set');
  const rng = new Rng(3);
  const config = { ...smallConfig, vocabSize: task.vocabSize, readIn: task.readIn };
  const params = initParams(config, () => rng.float());
  const training = { preset: 'cpu', recipe, stepsCompleted: 10, seed: 0, elapsedSeconds: 1, finalLoss: 0.5, provider: 'cpu', finishedAt: '', lossCurve: [] };
  return buildModelPage({ fileName: 'u.onnx', path: '/x/u.onnx', onDisk: true }, modelFileBytes({ task, config, params, training })) as LoopLensModelPage;
}

test("the model editor states a recorded hard share under the recipe, and nothing for the paper's uniform inputs", () => {
  const hard = uniqueSetPage({ task: 'unique_set', hardShare: 0.5 });
  assert.equal(hard.kind, 'looplens');
  assert.equal(fact(hard.recipe, 'inputs'), '0.5 of each batch from inputs over a random alphabet of 1 to 50 elements (many repeats)');
  assert.equal(fact(hard.recipe, 'inputs'), recordedHardShareText({ task: 'unique_set', hardShare: 0.5 }), 'in the words of `looplens info`');
  assert.deepEqual(hard.recipe.map((f) => f.label), ['preset', 'inputs', 'seed']);
  for (const recipe of [{ task: 'unique_set' }, { task: 'unique_set', hardShare: 0 }]) {
    assert.equal(fact(uniqueSetPage(recipe).recipe, 'inputs'), undefined, JSON.stringify(recipe));
  }
});

test("the model editor states a recorded distinct share under the recipe, beside a hard share, and nothing for the paper's uniform inputs", () => {
  const distinct = uniqueSetPage({ task: 'unique_set', distinctShare: 0.5 });
  assert.equal(distinct.kind, 'looplens');
  assert.equal(fact(distinct.recipe, 'inputs'), '0.5 of each batch from inputs of n different elements (no repeats, so all n answer slots filled)');
  assert.equal(fact(distinct.recipe, 'inputs'), recordedDistinctShareText({ task: 'unique_set', distinctShare: 0.5 }), 'in the words of `looplens info`');
  assert.deepEqual(distinct.recipe.map((f) => f.label), ['preset', 'inputs', 'seed']);
  const both = { task: 'unique_set', hardShare: 0.25, distinctShare: 0.5 };
  assert.equal(fact(uniqueSetPage(both).recipe, 'inputs'), `${recordedHardShareText(both)}, ${recordedDistinctShareText(both)}`, 'one line for both, as `looplens info`');
  assert.equal(fact(uniqueSetPage(both).recipe, 'inputs'), recordedInputsText(both));
  for (const recipe of [{ task: 'unique_set' }, { task: 'unique_set', distinctShare: 0 }]) {
    assert.equal(fact(uniqueSetPage(recipe).recipe, 'inputs'), undefined, JSON.stringify(recipe));
  }
});

test("the model editor states a recorded answer hold under the recipe, its late reads in the rows' loops, and nothing for the paper's read at T(n)", () => {
  const rng = new Rng(4);
  const params = initParams(smallConfig, () => rng.float());
  const pageFor = (recipe: Record<string, unknown>) => {
    const training = { preset: 'cpu', recipe: { task: 'parity', width: 42, horizon: 21, ...recipe }, stepsCompleted: 10, seed: 0, elapsedSeconds: 1, finalLoss: 0.5, provider: 'cpu', finishedAt: '', lossCurve: [] };
    return buildModelPage({ fileName: 'h.onnx', path: '/x/h.onnx', onDisk: true }, modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training })) as LoopLensModelPage;
  };
  const held = pageFor({ answerHold: 4 });
  assert.equal(fact(held.recipe, 'loss'), 'each example read at a random step from T(n) to T(n) + 4');
  assert.equal(fact(held.recipe, 'loss'), recordedAnswerHoldText({ answerHold: 4 }), 'in the words of `looplens info`');
  assert.equal(fact(held.recipe, 'rows'), 'all 42 tokens, up to 25 loops per batch');
  assert.deepEqual(held.recipe.map((f) => f.label), ['preset', 'loss', 'rows', 'seed']);
  // a stage's own hold, the longer: its late reads are the rows' loops
  const stageHeld = pageFor({ answerHold: 4, stages: [{ fromStep: 5, maxLength: 20, lr: 1e-3, answerHold: 6 }, { fromStep: 8, maxLength: 20, lr: 1e-3, answerHold: 'x' }] });
  assert.equal(fact(stageHeld.recipe, 'rows'), 'all 42 tokens, up to 27 loops per batch');
  for (const recipe of [{}, { answerHold: 0 }]) {
    const page = pageFor(recipe);
    assert.equal(fact(page.recipe, 'loss'), undefined, JSON.stringify(recipe));
    assert.equal(fact(page.recipe, 'rows'), 'all 42 tokens, up to 21 loops per batch', JSON.stringify(recipe));
  }
});

test('the model editor states where a fine-tuned model started, in the words of `looplens info`, and nothing for a run from scratch', () => {
  const recipe = { task: 'unique_set', initFrom: { model: 'runs/base.onnx', weightsCrc32: 0xa18eddc6, stepsBefore: 36000 } };
  const tuned = uniqueSetPage(recipe);
  assert.equal(fact(tuned.recipe, 'started from'), `${recordedInitText(recipe)} (fine-tuned)`);
  assert.equal(fact(tuned.recipe, 'started from'), 'the weights of runs/base.onnx (36000 steps trained), CRC-32 a18eddc6 (fine-tuned)');
  assert.equal(fact(uniqueSetPage({ task: 'unique_set' }).recipe, 'started from'), undefined);
});
