// The JSON-lines framing every worker speaks: one message per line, blank lines skipped, a clear
// error for a line that is not JSON or not in the protocol.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { encodeJsonLine, JsonLineError, parseJsonLine, readJsonLines, writeJsonLine } from '../../../src/core/util/jsonLines';

type Msg = { type: 'ping'; n: number };
const parseMsg = (v: unknown): Msg => {
  const m = v as { type?: unknown; n?: unknown };
  if (m?.type !== 'ping' || typeof m.n !== 'number') throw new Error(`unknown message type ${JSON.stringify(m?.type)}`);
  return { type: 'ping', n: m.n };
};

test('a stream split anywhere becomes one message per line; bad lines are reported, not fatal', async () => {
  const input = new PassThrough();
  const got: Msg[] = [];
  const bad: JsonLineError[] = [];
  const ended = new Promise<void>((resolve) => readJsonLines(input, parseMsg, { onMessage: (m) => got.push(m), onBadLine: (e) => bad.push(e), onEnd: resolve }));
  input.write('{"type":"pi');
  input.write('ng","n":1}\n\n   \nnot json\n{"type":"pong"}\n');
  writeJsonLine(input, { type: 'ping', n: 2 });
  input.end();
  await ended;
  assert.deepEqual(got, [{ type: 'ping', n: 1 }, { type: 'ping', n: 2 }]);
  assert.deepEqual(bad.map((e) => [e.message, e.line]), [['not a JSON line: not json', 'not json'], ['unknown message type "pong"', '{"type":"pong"}']]);
});

test('encoding: one line, NaN and Infinity become null', () => {
  assert.equal(encodeJsonLine({ a: NaN, b: Infinity, c: 'x\ny' }), '{"a":null,"b":null,"c":"x\\ny"}\n');
  assert.throws(() => parseJsonLine('{', parseMsg), (e: unknown) => e instanceof JsonLineError && /not a JSON line: \{/.test(e.message));
});
