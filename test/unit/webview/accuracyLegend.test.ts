// The Training panel's quick-evaluation legend (webview/training/accuracyLegend.ts): a T(n) run's
// series are read at the oracle T(n); a fixed-depth run's at its fixed step N, and the legend says so.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { finalTableReadHeads, quickEvalLabels } from '../../../webview/training/accuracyLegend';

test('a T(n) run: the quick evaluation is read at the oracle T(n)', () => {
  assert.deepEqual(quickEvalLabels({ maxTrainLength: 20 }, 20), { read: 'n = 20 (trained): oracle T(n)', adaptive: 'n = 20: adaptive (paper rule)', branchAlone: 'n = 20: each branch alone, oracle T(n)' });
  assert.equal(quickEvalLabels({ maxTrainLength: 20, fixedSteps: undefined }, 40).read, 'n = 40 (longer than trained): oracle T(n)');
});

test('a fixed-depth run: the quick evaluation is read at the fixed step N', () => {
  assert.deepEqual(quickEvalLabels({ maxTrainLength: 8, fixedSteps: 8 }, 4), { read: 'n = 4 (trained): fixed step 8', adaptive: 'n = 4: adaptive (paper rule)', branchAlone: 'n = 4: each branch alone, fixed step 8' });
  assert.equal(quickEvalLabels({ maxTrainLength: 8, fixedSteps: 12 }, 16).read, 'n = 16 (longer than trained): fixed step 12');
  // a setup that is not what the host writes falls back to the T(n) wording rather than a wrong number
  for (const bad of [0, -3, 2.5, NaN, '8', null]) assert.equal(quickEvalLabels({ maxTrainLength: 8, fixedSteps: bad as never }, 4).read, 'n = 4 (trained): oracle T(n)', String(bad));
});

test('the final table names the step read: T(n) and oracle, or the fixed depth', () => {
  assert.deepEqual(finalTableReadHeads({}), { step: 'T(n)', accuracy: 'oracle' });
  assert.deepEqual(finalTableReadHeads({ fixedSteps: 8 }), { step: 'step read', accuracy: 'at fixed step 8' });
  assert.deepEqual(finalTableReadHeads({ fixedSteps: -1 as never }), { step: 'T(n)', accuracy: 'oracle' });
});
