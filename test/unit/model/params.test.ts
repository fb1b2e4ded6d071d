// Parameter specs and initialisation (GPT-2 init, residual projections scaled 1/sqrt(2L), PyTorch default read-in/out).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Rng } from '../../../src/core/util/rng';
import { checkParams, initParams, packParams, paramSpecs, unpackParams } from '../../../src/core/model/params';
import { validateConfig } from '../../../src/core/model/config';
import type { LoopedConfig } from '../../../src/core/model/config';

const cfg: LoopedConfig = { vocabSize: 6, d: 64, layers: 3, heads: 4, readIn: 'linear', inputInjection: true };

function stats(v: Float32Array): { mean: number; std: number; maxAbs: number } {
  const mean = v.reduce((a, x) => a + x, 0) / v.length;
  const std = Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / v.length);
  return { mean, std, maxAbs: v.reduce((a, x) => Math.max(a, Math.abs(x)), 0) };
}

test('parameter names and shapes', () => {
  const specs = paramSpecs(cfg);
  assert.equal(specs.length, 2 + 12 * 3 + 4);
  const byName = Object.fromEntries(specs.map((s) => [s.name, s.shape]));
  assert.deepEqual(byName['readIn.weight'], [6, 64]);
  assert.deepEqual(byName['layers.2.attn.qkv.weight'], [64, 192]);
  assert.deepEqual(byName['layers.0.mlp.fc.weight'], [64, 256]);
  assert.deepEqual(byName['readOut.weight'], [64, 6]);
  assert.equal(paramSpecs({ ...cfg, readIn: 'embedding' }).some((s) => s.name === 'readIn.bias'), false);
});

test('initialisation statistics and seeding', () => {
  const rng = new Rng(1);
  const p = initParams(cfg, () => rng.float());
  checkParams(cfg, p);
  const qkv = stats(p['layers.0.attn.qkv.weight']!);
  assert.ok(Math.abs(qkv.std - 0.02) < 0.001 && Math.abs(qkv.mean) < 0.001);
  const proj = stats(p['layers.1.mlp.proj.weight']!);
  assert.ok(Math.abs(proj.std - 0.02 / Math.sqrt(6)) < 0.0005, `residual projection std ${proj.std}`);
  const readIn = stats(p['readIn.weight']!);
  assert.ok(readIn.maxAbs <= 1 / Math.sqrt(6) && readIn.maxAbs > 0.3, 'read-in: U(-1/sqrt(V), 1/sqrt(V))');
  assert.ok(stats(p['readOut.bias']!).maxAbs <= 1 / 8);
  assert.ok(p['layers.0.ln1.weight']!.every((x) => x === 1) && p['layers.0.attn.qkv.bias']!.every((x) => x === 0));
  const rng2 = new Rng(1);
  assert.deepEqual(initParams(cfg, () => rng2.float())['layers.2.attn.proj.weight'], p['layers.2.attn.proj.weight']);
});

test('bad configurations and parameter sets get clear errors', () => {
  assert.throws(() => validateConfig({ ...cfg, heads: 5 }), /must divide d/);
  assert.throws(() => validateConfig({ ...cfg, d: 0 }), /positive integer/);
  const rng = new Rng(2);
  const p = initParams(cfg, () => rng.float());
  delete p['lnF.bias'];
  assert.throws(() => checkParams(cfg, p), /missing lnF.bias/);
});

test('flat parameters, the training graph form: packed in spec order, unpacked as views', () => {
  const rng = new Rng(3);
  const p = initParams(cfg, () => rng.float());
  const flat = packParams(cfg, p);
  const specs = paramSpecs(cfg);
  assert.equal(flat.length, specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0));
  assert.equal(flat[0], p[specs[0]!.name]![0]);
  assert.equal(flat[flat.length - 1], p[specs[specs.length - 1]!.name]!.at(-1));
  const views = unpackParams(cfg, flat);
  checkParams(cfg, views);
  for (const s of specs) assert.deepEqual(views[s.name], p[s.name], s.name);
  flat[0] = 42; // views share the flat array's memory
  assert.equal(views[specs[0]!.name]![0], 42);
  assert.throws(() => unpackParams(cfg, flat.subarray(1)), /values, expected/);
});
