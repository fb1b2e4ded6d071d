import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress } from '../../../src/cli/framework/progress';

test('a caller-supplied remaining time replaces the constant-rate ETA (training steps get slower)', () => {
  let now = 0;
  let text = '';
  let remaining: number | undefined;
  const p = createProgress({ label: 'train', total: 100, stream: { write: (s: string) => (text += s), isTTY: false }, intervalMs: 1000, now: () => now, remainingSeconds: () => remaining });
  p.update(0);
  now = 1000;
  p.update(10); // constant rate: 10 per second → 9 s left
  assert.match(text, /ETA 0:09/);
  remaining = 125;
  now = 2000;
  p.update(20);
  assert.match(text.split('\n').at(-2)!, /ETA 2:05/);
  remaining = NaN; // unknown: back to the rate
  now = 3000;
  p.update(30);
  assert.match(text.split('\n').at(-2)!, /ETA 0:07/);
});
