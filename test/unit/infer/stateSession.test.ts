// The resumable state graph (core/model/stateGraph.ts through core/infer/stateSession.ts): from the
// start it gives the trace graph's hidden states and read-out; resumed from a state it kept, it
// gives exactly what one uninterrupted run gives (probes rely on this to recompute iterations).
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import { LoopStateSession } from '../../../src/core/infer/stateSession';
import type { LoopedConfig } from '../../../src/core/model/config';
import { initParams } from '../../../src/core/model/params';
import { Rng } from '../../../src/core/util/rng';
import { relError } from '../model/torchReference';

const opened: { release(): Promise<void> }[] = [];
after(async () => {
  for (const s of opened) await s.release();
});

for (const config of [
  { vocabSize: 6, d: 16, layers: 2, heads: 4, readIn: 'linear', inputInjection: true },
  { vocabSize: 7, d: 8, layers: 1, heads: 2, readIn: 'embedding', inputInjection: false },
] as LoopedConfig[]) {
  test(`state graph: the trace graph's states from the start, and the same states resumed from a kept one (${config.readIn}, injection ${config.inputInjection})`, async () => {
    const rng = new Rng(7);
    const params = initParams(config, () => rng.float());
    for (const v of Object.values(params)) for (let i = 0; i < v.length; i++) v[i] += 0.3 * rng.normal();
    const [B, W, T, d, V] = [5, 9, 7, config.d, config.vocabSize];
    const tokens = BigInt64Array.from({ length: B * W }, () => BigInt(Math.floor(rng.float() * V)));
    const trace = await LoopedSession.fromParams(config, params, 'trace', { provider: 'cpu' });
    const state = await LoopStateSession.fromParams(config, params, { provider: 'cpu' });
    opened.push(trace, state);
    const ref = await trace.run(tokens, B, W, T);
    const whole = await state.run(tokens, B, W, T, null);
    assert.equal(whole.hidden.length, T * B * W * d);
    assert.ok(relError(whole.hidden, ref.hidden!) < 1e-5, `hidden vs the trace graph: ${relError(whole.hidden, ref.hidden!)}`);
    assert.equal(whole.logits.length, B * W * V, 'the read-out of the last iteration only');
    assert.ok(relError(whole.logits, ref.data.subarray((T - 1) * B * W * V)) < 1e-5, 'logits of iteration T');
    // three iterations, then the other four from the state after the third
    const first = await state.run(tokens, B, W, 3, null);
    const kept = first.hidden.slice(2 * B * W * d);
    const rest = await state.run(tokens, B, W, T - 3, kept);
    assert.deepEqual(first.hidden, whole.hidden.subarray(0, 3 * B * W * d));
    assert.deepEqual(rest.hidden, whole.hidden.subarray(3 * B * W * d), 'resumed states equal the uninterrupted run');
    assert.deepEqual(rest.logits, whole.logits);
    await assert.rejects(state.run(tokens, B, W, 2, new Float32Array(3)), /start holds 3 values, expected batch\*width\*d/);
  });
}
