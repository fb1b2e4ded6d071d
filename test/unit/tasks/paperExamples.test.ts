import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask, type TaskName } from '../../../src/core/tasks';

// Rows written as in paper.md: '_' is a masked-out target position.
function parseRow(row: string): (number | '_')[] {
  return row.trim().split(/\s+/).flatMap((t) => {
    const m = /^_x(\d+)$/.exec(t);
    if (m) return new Array<'_'>(Number(m[1])).fill('_');
    return [t === '_' ? '_' : Number(t)];
  });
}

function checkPaperRow(task: TaskName, text: string, x: string, y: string): void {
  const t = getTask(task);
  const xs = parseRow(x) as number[];
  const ys = parseRow(y);
  const ex = t.fromText(text, xs.length);
  assert.deepEqual(ex.input, xs, `${task} input`);
  assert.equal(ys.length, xs.length, 'test rows must have equal width');
  for (let i = 0; i < ys.length; i++) {
    if (ys[i] === '_') {
      assert.equal(ex.mask[i], 0, `${task} mask at ${i}`);
      assert.equal(ex.target[i], t.tokens.ignore, `${task} ignored label at ${i}`);
    } else {
      assert.equal(ex.mask[i], 1, `${task} mask at ${i}`);
      assert.equal(ex.target[i], ys[i], `${task} target at ${i}`);
    }
  }
}

test('parity n=5 as in the paper', () => {
  checkPaperRow('parity', '01111', '0 1 1 1 1 2 3 3', '_ _ _ _ _ 0 3 3');
  assert.equal(getTask('parity').tokens.ignore, 5);
});

test('copy n=3 as in the paper', () => {
  checkPaperRow('copy', '000', '0 0 0 2 3 3 3 3', '_ _ _ 0 0 0 3 3');
});

test('addition 14+5 (n=4) as in the paper', () => {
  checkPaperRow('addition', '1110+0101', '1 1 1 0 2 0 1 0 1 5 3 3 3 3 3', '_x9 1 0 0 1 1 3');
  // the paper's example width is exactly 3 * max_len with max_len = n + 1
  assert.equal(getTask('addition').rowWidth(5), 15);
});

test('binary sum n=3 as in the paper', () => {
  checkPaperRow('binary_sum', '110', '1 1 0 5 3 3 3', '_ _ _ 0 1 3 3');
});

test('multiplication 2 x 12 as in the paper', () => {
  checkPaperRow('multiplication', '10x1100', '1 0 2 1 1 0 0 5 3 3 3 3 3 3 3 3', '_x7 0 0 0 1 1 0 3 3 3');
});

test('unique set n=5 as in the paper', () => {
  checkPaperRow('unique_set', '26 22 2 2 1', '26 22 2 2 1 51 53 53 53 53 53', '_x5 26 22 2 1 53 53');
});

test('more hand-worked rows', () => {
  checkPaperRow('parity', '1', '1 2 3', '_ 1 3');
  checkPaperRow('parity', '1101', '1 1 0 1 2', '_ _ _ _ 1');
  checkPaperRow('copy', '10', '1 0 2 3', '_ _ 1 0');
  // 3 + 3 = 6: 11 + 11 = 110
  checkPaperRow('addition', '11+11', '1 1 2 1 1 5 3 3 3', '_x5 1 1 0 3');
  // 0 + 0 with n = 2: answer 000
  checkPaperRow('addition', '00+00', '0 0 2 0 0 5 3 3', '_x5 0 0 0');
  // popcount 0 → empty answer, all pads
  checkPaperRow('binary_sum', '000', '0 0 0 5 3', '_ _ _ 3 3');
  // popcount 7 = 111
  checkPaperRow('binary_sum', '1111111', '1 1 1 1 1 1 1 5 3 3 3', '_x7 1 1 1 3');
  // 3 x 3 = 9 = 1001 → LSB first 1 0 0 1
  checkPaperRow('multiplication', '11x11', '1 1 2 1 1 5 3 3 3 3', '_x5 1 0 0 1 3');
  // 1 x 1 = 1 with n_a=n_b=1 → 2 bits LSB first: 1 0
  checkPaperRow('multiplication', '1x1', '1 2 1 5 3 3', '_ _ _ 1 0 3');
  checkPaperRow('unique_set', '7 7 7', '7 7 7 51 53 53', '_ _ _ 7 53 53');
});
