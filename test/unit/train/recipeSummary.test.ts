// The one-line recipe `looplens train`, its --estimate and bench:recipe all print.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { applyOverrides, makeRecipe } from '../../../src/core/train/recipePlan';
import { recipeSummaryText } from '../../../src/core/train/recipeSummary';
import { getTask } from '../../../src/core/tasks';

test('recipeSummaryText: the block, the curriculum, each stage and the seed, in one line', () => {
  assert.equal(
    recipeSummaryText(makeRecipe(getTask('parity'), 'cpu')),
    'parity (cpu preset): d=64, 1 layer(s), 4 heads, batch 64, 6000 steps, lr 0.001, lengths 1..20 (+1 every 100 steps), rows as wide as the curriculum needs, seed 1',
  );
  const staged = recipeSummaryText(makeRecipe(getTask('addition'), 'cpu'));
  assert.match(staged, /^addition \(cpu preset\): d=64, 3 layer\(s\), 32 heads, .*lengths 1\.\.8 \(\+1 every 500 steps\), then 1\.\.12 from step 20,000 \(lr 0\.001\), .*1\.\.19 from step 25,000 .*, seed 0$/);
  const changed = recipeSummaryText(applyOverrides(makeRecipe(getTask('parity'), 'cpu'), { longShare: 0.5, widthMode: 'fixed', seed: 7, averageFrom: 5000 }));
  assert.match(changed, /\(\+1 every 100 steps, 0\.5 of each batch at the longest length so far\), fixed-width rows, the weights averaged over steps 5,000 to 6,000, seed 7$/);
});
