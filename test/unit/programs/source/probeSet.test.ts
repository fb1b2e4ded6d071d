// Probes over random inputs (core/programs/source/probeSet.ts) on the shipped parity model: per
// step a probe per program variable, held-out inputs, the majority baseline, user expressions,
// the same number for a variable whichever way it is asked, and a few states kept, not every one.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoopStateSession } from '../../../../src/core/infer/stateSession';
import { loadModel } from '../../../../src/core/model/modelFile';
import { ProbeSet } from '../../../../src/core/programs/source/probeSet';
import { raspProgramSource } from '../../../../src/core/programs/source/raspProgramSource';
import { parseExpression } from '../../../../src/core/rasp';

const root = path.resolve(__dirname, '../../../..');
const programFile = path.join(root, 'models/tasks/parity.raspl');
const sessions: LoopStateSession[] = [];
after(async () => {
  for (const s of sessions) await s.release();
});

async function probeSet(examples = 64, o: { chunk?: number; keepEvery?: number; keepBytes?: number } = {}) {
  const model = await loadModel(path.join(root, 'models/parity.onnx'));
  const hidden = await LoopStateSession.fromParams(model.config, model.params, { provider: 'cpu' });
  sessions.push(hidden);
  const program = raspProgramSource(fs.readFileSync(programFile, 'utf8'), programFile);
  const example = model.task.fromText('10110011');
  return { set: new ProbeSet(model.task, hidden, program, example, { examples, seed: 3, ...o }), example };
}

test('random inputs of the input’s lengths and width; a quarter held out', async () => {
  const { set, example } = await probeSet(64);
  assert.equal(set.examples, 64);
  assert.equal(set.trainCount, 48);
  assert.ok(set.rows.every((r) => r.length === example.input.length && r[8] === 2), 'n = 8 bits, then "="');
  assert.ok(new Set(set.rows.map((r) => r.join(''))).size > 40, 'the inputs differ');
});

test('per step, a probe per varying variable; the input bits x are read back, and the verdict is against the majority baseline', async () => {
  const { set } = await probeSet(64);
  const r = await set.probeVariables(10);
  assert.equal(r.steps, 10);
  assert.equal(r.examples, 64);
  const steps = new Set(r.probes.map((p) => p.step));
  assert.deepEqual([...steps].sort((a, b) => a - b), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  for (const p of r.probes) {
    assert.equal(p.trainSamples, 48 * 10);
    assert.equal(p.testSamples, 16 * 10);
    assert.ok(p.distinctValues >= 2, 'constants are left out');
    assert.equal(p.beatsBaseline, p.heldOutAccuracy - p.baselineAccuracy > 0.02 && p.heldOutAccuracy - p.baselineAccuracy > 2 * p.standardError);
  }
  const x = r.probes.filter((p) => p.variable === 'x');
  assert.equal(x.length, 10);
  assert.ok(x.every((p) => p.heldOutAccuracy > 0.95 && p.beatsBaseline), JSON.stringify(x[0]));
});

test('a variable probed as an expression gives the very number the per-variable probes give (same inputs, same split)', async () => {
  const { set } = await probeSet(64);
  const all = await set.probeVariables(6);
  for (const name of ['s', 'x']) {
    const fromTable = all.probes.find((p) => p.variable === name && p.step === 6)!;
    const asExpr = await set.probeExpression(6, parseExpression(name));
    assert.equal(asExpr.heldOutAccuracy, fromTable.heldOutAccuracy, name);
    assert.equal(asExpr.baselineAccuracy, fromTable.baselineAccuracy, name);
  }
  // and with nothing kept (a fresh set runs the model to that step)
  const fresh = (await probeSet(64, { keepBytes: 0 })).set;
  const s6 = all.probes.find((p) => p.variable === 's' && p.step === 6)!;
  assert.equal((await fresh.probeExpression(6, parseExpression('s'))).heldOutAccuracy, s6.heldOutAccuracy);
  assert.deepEqual(fresh.keptIterations, []);
});

test('a few states are kept, not every one: probes between them recompute from the one before, with the same numbers', async () => {
  const { set, example } = await probeSet(64, { chunk: 16, keepEvery: 4 });
  const all = await set.probeVariables(11);
  assert.deepEqual(set.keptIterations, [4, 8], 'the state after every 4th iteration');
  const W = example.input.length;
  const perState = 64 * W * (64 + 6) * 4; // hidden (d = 64) and read-out (vocab 6), float32, every input
  assert.equal(set.keptBytes, 2 * perState);
  for (const t of [3, 4, 7, 11]) {
    const fromTable = all.probes.find((p) => p.variable === 's' && p.step === t)!;
    assert.equal((await set.probeExpression(t, parseExpression('s'))).heldOutAccuracy, fromTable.heldOutAccuracy, `s at step ${t}`);
  }
  assert.deepEqual(set.keptIterations, [4, 8], 'step 11 is not a multiple of 4: not kept');
  assert.equal(set.keptBytes, 3 * perState, 'and the last step asked');
  // a cap of 2.5 states: the interval doubles and only iteration 8 stays
  const capped = (await probeSet(64, { chunk: 16, keepEvery: 4, keepBytes: 2.5 * perState })).set;
  await capped.probeExpression(12, parseExpression('s'));
  assert.deepEqual(capped.keptIterations, [8]);
  assert.equal((await capped.probeExpression(7, parseExpression('s'))).heldOutAccuracy, all.probes.find((p) => p.variable === 's' && p.step === 7)!.heldOutAccuracy);
});

test('user expressions: the iteration’s names, constants, and a clear refusal of selectors', async () => {
  const { set } = await probeSet(32);
  const tokens = await set.probeExpression(3, parseExpression('tokens == EQ'));
  assert.ok(tokens.heldOutAccuracy > 0.95 && tokens.beatsBaseline);
  const constant = await set.probeExpression(3, parseExpression('EQ'));
  assert.equal(constant.distinctValues, 1);
  assert.equal(constant.beatsBaseline, false);
  const decoded = await set.probeExpression(3, parseExpression('decoded'));
  assert.ok(decoded.heldOutAccuracy >= 0 && decoded.testSamples === 8 * 10);
  await assert.rejects(set.probeExpression(3, parseExpression('select(indices, indices, leq)')), /a probe reads a sequence or an integer, but the expression gives a selector/);
  await assert.rejects(set.probeExpression(3, parseExpression('nope')), /"nope" has no value yet/);
});
