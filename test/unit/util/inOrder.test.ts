import { test } from 'node:test';
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { inOrder } from '../../../src/core/util/inOrder';

test('inOrder yields results in job order, at most `ahead` started and unread at once', async () => {
  let live = 0;
  let most = 0;
  // later jobs finish first
  const jobs = [40, 5, 25, 1, 10].map((ms, i) => async () => {
    live++;
    most = Math.max(most, live);
    await sleep(ms);
    return i;
  });
  const got: number[] = [];
  for await (const i of inOrder(jobs, 2)) {
    got.push(i);
    await sleep(5);
    live--;
  }
  assert.deepEqual(got, [0, 1, 2, 3, 4]);
  assert.equal(most, 2);
});

test('inOrder: a failure reaches the consumer in order; jobs failing after the consumer stopped are not left unhandled', async () => {
  const unhandled: unknown[] = [];
  const onUnhandled = (e: unknown) => unhandled.push(e);
  process.on('unhandledRejection', onUnhandled);
  try {
    const jobs = [() => sleep(10).then(() => 0), () => Promise.reject(new Error('job 1 failed')), () => sleep(1).then(() => Promise.reject(new Error('job 2 failed')))];
    const got: number[] = [];
    await assert.rejects(
      (async () => {
        for await (const i of inOrder(jobs, 3)) got.push(i);
      })(),
      /job 1 failed/,
    );
    assert.deepEqual(got, [0]);
    await sleep(20);
    assert.deepEqual(unhandled, []);
  } finally {
    process.off('unhandledRejection', onUnhandled);
  }
  await assert.rejects(inOrder([], 0).next(), /at least one job/);
});
