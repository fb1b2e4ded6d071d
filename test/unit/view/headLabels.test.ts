import { test } from 'node:test';
import assert from 'node:assert/strict';
import { headLabels, LABEL_MARGIN } from '../../../src/core/view/headLabels';

test('a head is labelled only where it beats its selector’s uniform baseline by the margin', () => {
  const matches = [
    { layer: 0, head: 0, perStep: [{ selector: 0, similarity: 0.9 }, { selector: 1, similarity: 0.41 }, { selector: -1, similarity: 0 }], meanBySelector: [0.9, 0.5], best: { selector: 0, similarity: 0.9 } },
    { layer: 0, head: 1, perStep: [{ selector: 1, similarity: 0.42 }], meanBySelector: [0.3, 0.42], best: { selector: 1, similarity: 0.42 } },
  ];
  const labels = headLabels(matches, [0.3, 0.4]);
  assert.equal(LABEL_MARGIN, 0.05);
  assert.deepEqual(labels[0]!.perStep, [{ selector: 0, similarity: 0.9, baseline: 0.3 }, null, null]);
  assert.ok(Math.abs(labels[0]!.score! - 0.6) < 1e-12);
  assert.equal(labels[0]!.selector, 0);
  assert.deepEqual(labels[1]!.perStep, [null], '0.42 is within the margin of 0.4');
  assert.ok(Math.abs(labels[1]!.score! - 0.02) < 1e-12, 'the score is still the best margin, small as it is');
  assert.deepEqual(headLabels(matches, [null, null]).map((l) => l.score), [null, null]);
});
