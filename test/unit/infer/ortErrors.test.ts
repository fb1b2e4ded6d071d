// Issue 17: ONNX Runtime's failures reach the user as one plain line saying what LoopLens was doing,
// without terminal colour codes or ORT's error-code prefixes.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { ortErrorMessage, OnnxRuntimeError } from '../../../src/core/infer/executionProvider';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import { initParams } from '../../../src/core/model/params';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';

const ESC = String.fromCharCode(27);

test('ortErrorMessage: plain text, one line, bounded', () => {
  const raw = `${ESC}[1;31m[ONNXRuntimeError] : 2 : INVALID_ARGUMENT : Got invalid dimensions for input: tokens${ESC}[m\n for the following indices`;
  assert.equal(ortErrorMessage(new Error(raw)), 'INVALID_ARGUMENT : Got invalid dimensions for input: tokens for the following indices');
  assert.ok(ortErrorMessage('x'.repeat(1000)).length <= 301);
});

test('a failing run is an OnnxRuntimeError naming the graph and the shape', async () => {
  const config: LoopedConfig = { vocabSize: 6, d: 8, layers: 1, heads: 2, readIn: 'embedding', inputInjection: true };
  const rng = new Rng(1);
  const s = await LoopedSession.fromParams(config, initParams(config, () => rng.float()), 'eval', { provider: 'cpu', cpuThreads: 1 });
  try {
    // Token 99 is outside the 6-token embedding table: ONNX Runtime refuses the Gather.
    await assert.rejects(s.run(BigInt64Array.of(0n, 99n), 1, 2, 2), (e: Error) => {
      assert.ok(e instanceof OnnxRuntimeError, e.message);
      assert.match(e.message, /^ONNX Runtime could not run the eval graph \(1 row\(s\) of 2 positions, 2 loop steps\): /);
      assert.doesNotMatch(e.message, new RegExp(`${ESC}|\\[ONNXRuntimeError\\]`));
      return true;
    });
  } finally {
    await s.release();
  }
});
