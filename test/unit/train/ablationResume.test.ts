// A resumed run keeps its depth rule and input injection: any caller (CLI, extension, worker) that
// asks to switch is refused with what the checkpoint was trained with.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { RecipeError } from '../../../src/core/train/recipe';
import { ablationConflicts, loopText, resumedRecipe } from '../../../src/core/train/recipeDiff';

test('resuming with another fixed depth or injection is refused in words; the same ablation resumes with more steps', () => {
  const fixed = makeRecipe('parity', 'tiny', { fixedSteps: 12, inputInjection: false });
  const plain = makeRecipe('parity', 'tiny');
  assert.equal(loopText(fixed), 'a fixed depth of 12 loop steps, without input injection');
  assert.equal(loopText(plain), 'each example read at its T(n), with input injection');
  assert.equal(loopText({ ...plain, answerHold: 4 }), 'each example read at a random step from T(n) to T(n) + 4, with input injection');
  assert.deepEqual(ablationConflicts(fixed, plain), ['it was trained with a fixed depth of 12 steps, not T(n) per example', 'it was trained without input injection, not with']);
  assert.deepEqual(ablationConflicts(fixed, { ...fixed, steps: 99 }), []);
  assert.throws(
    () => resumedRecipe(plain, makeRecipe('parity', 'tiny', { fixedSteps: 5 }), 'run.ckpt'),
    (e: Error) => e instanceof RecipeError && /^cannot resume run\.ckpt: it was trained with T\(n\) per example, not a fixed depth of 5 steps\./.test(e.message),
  );
  const resumed = resumedRecipe(fixed, { ...fixed, steps: fixed.steps + 100 }, 'run.ckpt');
  assert.equal(resumed.fixedSteps, 12);
  assert.equal(resumed.model.inputInjection, false);
  assert.equal(resumed.steps, fixed.steps + 100);
});
