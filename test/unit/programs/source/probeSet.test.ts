// Probes over random inputs (core/programs/source/probeSet.ts) on the shipped parity model: per
// step a probe per program variable, held-out inputs, the majority baseline, user expressions,
// and the same number for a variable whichever way it is asked.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { LoopedSession } from '../../../../src/core/infer/loopedSession';
import { loadModel } from '../../../../src/core/model/modelFile';
import { ProbeSet } from '../../../../src/core/programs/source/probeSet';
import { raspProgramSource } from '../../../../src/core/programs/source/raspProgramSource';
import { parseExpression } from '../../../../src/core/rasp';

const root = path.resolve(__dirname, '../../../..');
const programFile = path.join(root, 'models/tasks/parity.raspl');
const sessions: LoopedSession[] = [];
after(async () => {
  for (const s of sessions) await s.release();
});

async function probeSet(examples = 64, o: { chunk?: number; cacheBytes?: number } = {}) {
  const model = await loadModel(path.join(root, 'models/parity.onnx'));
  const hidden = await LoopedSession.fromParams(model.config, model.params, 'hidden', { provider: 'cpu' });
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
  // and without the all-steps cache (a fresh set runs the model for that step only)
  const fresh = (await probeSet(64, { cacheBytes: 0 })).set;
  const s6 = all.probes.find((p) => p.variable === 's' && p.step === 6)!;
  assert.equal((await fresh.probeExpression(6, parseExpression('s'))).heldOutAccuracy, s6.heldOutAccuracy);
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
