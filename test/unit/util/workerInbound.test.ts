// Every worker (training, evaluation, estimate) reads the same two messages on stdin.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseStartOrCancel } from '../../../src/core/util/workerInbound';

test('a worker reads a start with its options object, or a cancel; anything else is refused in words', () => {
  assert.deepEqual(parseStartOrCancel({ type: 'start', options: { a: 1 } }), { type: 'start', options: { a: 1 } });
  assert.deepEqual(parseStartOrCancel({ type: 'cancel', extra: true }), { type: 'cancel' });
  assert.throws(() => parseStartOrCancel({ type: 'start' }), /^Error: "start" needs an "options" object$/);
  assert.throws(() => parseStartOrCancel({ type: 'start', options: 'x' }), /"start" needs an "options" object/);
  assert.throws(() => parseStartOrCancel({ type: 'stop' }), /^Error: unknown message type "stop"; expected "start" or "cancel"$/);
  assert.throws(() => parseStartOrCancel(null), /unknown message type undefined/);
});
