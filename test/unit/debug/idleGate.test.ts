// The debugger's background work gives way to the user (core/debug/idleGate.ts): it waits while a
// long request (a probe) runs, and until no request came for a while.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { IdleGate } from '../../../src/core/debug/idleGate';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

test('wait() resolves only once no request is in flight and none came for quietMs', async () => {
  const gate = new IdleGate(40);
  let release!: () => void;
  const probe = gate.during(new Promise<string>((r) => (release = () => r('done'))));
  let waited = false;
  const background = gate.wait().then(() => (waited = true));
  await sleep(120);
  assert.equal(waited, false, 'a probe is running: the background work waits');
  const t0 = Date.now();
  release();
  assert.equal(await probe, 'done');
  await background;
  assert.ok(Date.now() - t0 >= 35, 'and then for the quiet time after it');
  gate.touch();
  const t1 = Date.now();
  await gate.wait();
  assert.ok(Date.now() - t1 >= 35, 'a request just came: it waits');
});
