import { test } from 'node:test';
import assert from 'node:assert/strict';
import { FORMED_ACCURACY, slotFormation } from '../../../src/core/eval/slotFormation';
import { FORMED } from '../../../webview/shared/accuracy';

test('slotFormation: each position\'s first step at 95% or more, null when it never gets there', () => {
  // three steps of four positions: +0 formed from step 1, +1 at step 2, +2 only at step 3 (exactly 95%), +3 never
  const positions = [
    [1, 0.5, 0.1, 0.2],
    [1, 0.96, 0.5, 0.94],
    [0.9, 1, FORMED_ACCURACY, 0.3],
  ];
  assert.deepEqual(slotFormation(positions), [1, 2, 3, null]);
  assert.deepEqual(slotFormation(positions, 0.5), [1, 1, 2, 2], 'a lower bar forms earlier');
  assert.deepEqual(slotFormation([]), [], 'no steps, no positions');
});

test("the pages' formed-slot bar is the CLI's (webview code cannot import core, so the two constants are held equal here)", () => {
  assert.equal(FORMED, FORMED_ACCURACY);
});
