import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as ort from 'onnxruntime-node';
import { loadModel, LoopLensModelError, modelFileBytes, parseModel, saveModel, type ModelContents } from '../../../src/core/model/modelFile';
import { encodeMetadata, metaKeys, MODEL_FORMAT_VERSION, type TrainingRecord } from '../../../src/core/model/modelMetadata';
import { inferenceModelBytes } from '../../../src/core/model/inferenceGraph';
import { signModelBytes } from '../../../src/core/model/modelIntegrity';
import { initParams } from '../../../src/core/model/params';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { encodeCheckpoint } from '../../../src/core/train/checkpoint';
import type { LoopedConfig } from '../../../src/core/model/config';
import { tmpDir } from '../../support/tmpDir';

const config: LoopedConfig = { vocabSize: 6, d: 16, layers: 2, heads: 4, readIn: 'linear', inputInjection: true };
const rng = new Rng(5);
const params = initParams(config, () => rng.float());
const training: TrainingRecord = {
  preset: 'test',
  recipe: { task: 'parity', steps: 3 },
  stepsCompleted: 3,
  seed: 5,
  elapsedSeconds: 1.5,
  finalLoss: 0.25,
  provider: 'cpu',
  finishedAt: '2026-01-01T00:00:00.000Z',
  lossCurve: [{ step: 3, loss: 0.25 }],
};
const contents: ModelContents = { task: getTask('parity'), config, params, training };

test('save → load gives the same weights, config, task and training record', async () => {
  const file = path.join(tmpDir(), 'm.onnx');
  const bytes = await saveModel(file, contents);
  assert.equal(fs.statSync(file).size, bytes);
  const m = await loadModel(file);
  assert.equal(m.task.name, 'parity');
  assert.deepEqual(m.config, config);
  for (const [k, v] of Object.entries(params)) assert.deepEqual(m.params[k], v, k);
  assert.deepEqual(m.metadata.training, training);
  assert.equal(m.metadata.formatVersion, 1, 'a model read at T(n) is written as version 1, which every LoopLens reads');
  assert.equal(m.metadata.vocabulary.symbols.join(''), '01=.<4>_');
  assert.equal(m.metadata.stepsRule.oracle, 'T(n) = n');
  assert.equal(m.metadata.graph.kind, 'trace');
  assert.deepEqual(fs.readdirSync(path.dirname(file)), ['m.onnx'], 'no temp file left');
});

test('the file runs in a fresh onnxruntime-node session and matches the eval graph built from the loaded weights', async () => {
  const file = path.join(tmpDir(), 'm.onnx');
  await saveModel(file, contents);
  // A plain ONNX Runtime session on the file path, no LoopLens code involved.
  const session = await ort.InferenceSession.create(file);
  assert.deepEqual([...session.inputNames].sort(), ['num_steps', 'tokens']);
  assert.deepEqual([...session.outputNames].sort(), ['attention', 'hidden', 'logits']);
  const ex = getTask('parity').fromText('1011');
  const tokens = BigInt64Array.from(ex.input.map(BigInt));
  const W = ex.input.length;
  const out = await session.run({ tokens: new ort.Tensor('int64', tokens, [1, W]), num_steps: new ort.Tensor('int64', BigInt64Array.of(6n), []) });
  assert.deepEqual(out.logits!.dims, [6, 1, W, 6]);
  assert.deepEqual(out.attention!.dims, [6, 2, 1, 4, W, W]);
  assert.deepEqual(out.hidden!.dims, [6, 1, W, 16]);
  await session.release();

  const loaded = await loadModel(file);
  const lean = await LoopedSession.fromParams(loaded.config, loaded.params, 'eval', { provider: 'cpu' });
  const again = await lean.run(tokens, 1, W, 6);
  await lean.release();
  assert.deepEqual(again.data, out.logits!.data, 'identical outputs after save → load');
});

test('missing, empty, truncated, corrupt, foreign and newer files get clear LoopLensModelErrors', async () => {
  const dir = tmpDir();
  const good = modelFileBytes(contents);
  const write = (name: string, bytes: Uint8Array | string) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, bytes);
    return p;
  };
  const expectError = async (p: string, re: RegExp) => {
    await assert.rejects(loadModel(p), (e: Error) => {
      assert.ok(e instanceof LoopLensModelError, `${p}: ${e.name} ${e.message}`);
      assert.match(e.message, re, p);
      return true;
    });
  };
  await expectError(path.join(dir, 'absent.onnx'), /no model file at .*absent\.onnx/);
  await expectError(dir, /is a folder/);
  await expectError(write('empty.onnx', new Uint8Array(0)), /is empty/);
  await expectError(write('half.onnx', good.subarray(0, Math.floor(good.length / 2))), /not a readable ONNX model: it is truncated, corrupt/);
  await expectError(write('text.onnx', 'hello, this is not a model\n'.repeat(20)), /not a readable ONNX model|not an ONNX model/);
  await expectError(write('ckpt.onnx', encodeCheckpoint({ config: {}, step: 1, rngState: [1, 2, 3, 4], curriculum: { nPoints: 2 }, history: [], params: {}, moments: {} })), /not a readable ONNX model|not an ONNX model/);

  // Damaged weights: flip bytes well inside the largest initializer.
  const bad = Uint8Array.from(good); // a copy (good may be a Buffer, whose slice() is a view)
  const w = params['layers.1.mlp.fc.weight']!;
  const needle = new Uint8Array(w.buffer, w.byteOffset, 64);
  const at = Buffer.from(bad).indexOf(Buffer.from(needle));
  assert.ok(at > 0);
  for (let i = 8; i < 24; i++) bad[at + i]! ^= 0x5a;
  await expectError(write('flipped.onnx', bad), /corrupt: its contents do not match its integrity checksum/);

  // A valid ONNX model that LoopLens did not write.
  await expectError(write('foreign.onnx', inferenceModelBytes(config, params, 'trace')), /an ONNX model but not a LoopLens model/);

  // A LoopLens model from the future.
  const meta = { ...encodeMetadata({ ...parseModel(good).metadata }), [metaKeys.version]: String(MODEL_FORMAT_VERSION + 1) };
  await expectError(write('newer.onnx', inferenceModelBytes(config, params, 'trace', { metadata: meta })), new RegExp(`newer LoopLens \\(model format version ${MODEL_FORMAT_VERSION + 1}\\)`));

  // Metadata that claims the wrong task vocabulary.
  // (signed, so the check under test is reached: an unsigned file is refused before, see modelIntegrity.test.ts)
  const wrongTask = { ...encodeMetadata(parseModel(good).metadata), [metaKeys.task]: 'unique_set' };
  await expectError(write('wrongtask.onnx', signModelBytes(inferenceModelBytes(config, params, 'trace', { metadata: wrongTask }))), /does not match the unique_set task/);

  // An attention scale this LoopLens does not know (signed, as above).
  const strangeScale = { ...encodeMetadata(parseModel(good).metadata), [metaKeys.config]: JSON.stringify({ ...config, attentionScale: 'cubic' }) };
  await expectError(write('scale.onnx', signModelBytes(inferenceModelBytes(config, params, 'trace', { metadata: strangeScale }))), /attentionScale must be one of 'none', 'log-keys', 'learned-log-keys', got cubic/);
});
