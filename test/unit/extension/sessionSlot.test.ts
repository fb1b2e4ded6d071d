import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SessionSlot } from '../../../src/extension/models/sessionSlot';

class Fake {
  released = false;
  constructor(readonly name: string) {}
  async release(): Promise<void> {
    this.released = true;
  }
}

test('one session per key: reused for the same key, released when the key changes, retried after a failed open', async () => {
  const slot = new SessionSlot<Fake>();
  let opens = 0;
  const open = (name: string) => () => {
    opens++;
    return Promise.resolve(new Fake(name));
  };
  const a = await slot.get('a', open('a'));
  assert.equal(await slot.get('a', open('a2')), a);
  assert.equal(opens, 1);
  const b = await slot.get('b', open('b'));
  assert.equal(b.name, 'b');
  await new Promise((r) => setImmediate(r));
  assert.equal(a.released, true);
  assert.equal(b.released, false);

  await assert.rejects(slot.get('c', () => Promise.reject(new Error('no CUDA'))), /no CUDA/);
  await new Promise((r) => setImmediate(r));
  assert.equal((await slot.get('c', open('c'))).name, 'c', 'a failed open is not kept');
  slot.release();
  await new Promise((r) => setImmediate(r));
  assert.equal(b.released, true);
});
