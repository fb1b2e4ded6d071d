import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createProgress, formatDuration } from '../../../src/cli/framework/progress';

function fakeStream(tty: boolean) {
  let text = '';
  return { stream: { write: (s: string) => (text += s), isTTY: tty, columns: 120 }, text: () => text };
}

test('non-TTY: no line at 0%, one line per interval, one at the end', () => {
  let now = 0;
  const s = fakeStream(false);
  const p = createProgress({ label: 'train', total: 100, stream: s.stream, unit: 'step', intervalMs: 1000, now: () => now });
  p.update(0);
  for (let i = 1; i <= 100; i++) {
    now += 50; // 5 s in total
    p.update(i, { loss: 1 / i });
  }
  p.finish();
  const lines = s.text().trimEnd().split('\n');
  assert.equal(lines.length, 5 + 1, lines.join('\n'));
  assert.match(lines[0]!, /^train: 20\/100\s+20%\s+20\.0 step\/s\s+0:01 elapsed, ETA 0:04\s+loss 0\.05000$/);
  assert.match(lines.at(-1)!, /^train: 100\/100 100%\s+20\.0 step\/s\s+0:05 elapsed\s+loss 0\.01000$/);
  assert.ok(!s.text().includes('\r') && !s.text().includes('\u001b'), 'no terminal control codes in logs');
});

test('a job resumed part-way: the rate and ETA count only the units this run did', () => {
  let now = 0;
  const s = fakeStream(false);
  const p = createProgress({ label: 'train', total: 1000, stream: s.stream, unit: 'step', intervalMs: 1000, now: () => now });
  p.update(800); // resumed from a checkpoint at step 800
  now += 1000;
  p.update(810);
  now += 1000;
  p.update(820);
  const lines = s.text().trimEnd().split('\n');
  assert.match(lines.at(-1)!, /^train: 820\/1000\s+82%\s+10\.0 step\/s\s+0:02 elapsed, ETA 0:18$/, lines.join('\n'));
});

test('TTY: redraws one line with a bar, throttled, and log lines do not break it', () => {
  let now = 0;
  const s = fakeStream(true);
  const p = createProgress({ label: 'eval', total: 10, stream: s.stream, now: () => now });
  p.update(1);
  now += 10;
  p.update(2); // throttled: < 100 ms since the last draw
  now += 200;
  p.update(5);
  p.log('length 10 done');
  now += 200;
  p.update(10);
  p.finish();
  const draws = s.text().split('\r\x1b[2K');
  assert.ok(draws.some((d) => /^eval \[#{5,}\.+\] 5\/10\s+50%/.test(d)), s.text());
  assert.ok(!draws.some((d) => d.startsWith('eval [') && / 2\/10 /.test(d)), 'throttled update not drawn');
  assert.ok(draws.some((d) => d === 'length 10 done\n'));
  assert.match(s.text(), /\] 10\/10 100%[^\n]*\n$/);
});

test('formatDuration', () => {
  assert.equal(formatDuration(5), '0:05');
  assert.equal(formatDuration(65), '1:05');
  assert.equal(formatDuration(3725), '1:02:05');
  assert.equal(formatDuration(Infinity), '--:--');
});
