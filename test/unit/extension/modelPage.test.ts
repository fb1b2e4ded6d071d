// The model editor's pages: a LoopLens model's overview (with its recorded trained lengths, or
// "unknown" for an older file, and its weight average), another tool's ONNX file (inputs, outputs, opset), and LoopLens's
// clear errors for broken files.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildModelPage } from '../../../src/extension/modelEditor/modelPage';
import { formatValueInfo, inspectOnnx, NotOnnxError } from '../../../src/core/onnx/onnxInfo';
import { modelFileBytes } from '../../../src/core/model/modelFile';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { recordedSavedWeightsText } from '../../../src/core/train/trainRecord';
import { Rng } from '../../../src/core/util/rng';
import type { ForeignModelPage, LoopLensModelPage, UnreadableModelPage } from '../../../src/protocol/modelPage';
import { foreignOnnxBytes } from '../../support/foreignOnnx';
import { smallConfig, tmpDir, writeSmallModel } from './helpers';

const shipped = path.join(__dirname, '../../../models/parity.onnx');
const ref = (fileName: string) => ({ fileName, path: `/somewhere/${fileName}`, onDisk: true });
const fact = (facts: { label: string; value: string }[], label: string) => facts.find((f) => f.label === label)?.value;

test('a LoopLens model opens on its overview: task, vocabulary, architecture, recipe, record, loss curve, evaluation', () => {
  const page = buildModelPage(ref('parity.onnx'), fs.readFileSync(shipped)) as LoopLensModelPage;
  assert.equal(page.kind, 'looplens');
  assert.equal(page.taskTitle, 'Parity');
  assert.equal(page.canRun, true);
  assert.deepEqual(page.trained, { min: 1, max: 20 });
  assert.ok(page.chips.includes('trained 1..20') && page.chips.includes('cpu preset') && page.chips.includes('d = 64'), page.chips.join(' | '));
  assert.match(fact(page.task, 'input')!, /e\.g\. .*the trailing = is optional/);
  assert.match(fact(page.task, 'loops')!, /^T\(n\) = n; the adaptive rule may run \d+ more$/);
  assert.match(fact(page.task, 'vocabulary')!, /^6 tokens: "0" "1" "="/);
  assert.match(fact(page.architecture, 'block')!, /^1 layer, 4 heads, d = 64, MLP 256$/);
  assert.match(fact(page.architecture, 'parameters')!, /^[\d,]+ \(\d+ KB of float32 weights\)$/);
  assert.equal(fact(page.recipe, 'steps'), '6,000 of batch 64');
  assert.match(fact(page.recipe, 'learning rate')!, /^0\.001, constant to step 2,100, then cosine to 0$/);
  assert.match(fact(page.recipe, 'curriculum')!, /lengths up to 1 at first, \+1 every 100 steps, up to 20 from step 1,900/);
  assert.match(fact(page.record, 'trained lengths')!, /^1\.\.20 \(n\), the lengths its curriculum reached$/);
  assert.equal(fact(page.record, 'steps done'), '6,000');
  assert.ok(page.lossCurve.length > 10);
  assert.deepEqual(page.evaluation?.rows.map((r) => r.length), [10, 20, 30, 40]);
  assert.equal(page.program, null, 'a built-in task carries no program');
  const remote = buildModelPage({ fileName: 'parity.onnx', path: 'vscode-vfs://x/parity.onnx', onDisk: false }, fs.readFileSync(shipped)) as LoopLensModelPage;
  assert.equal(remote.canRun, false, 'Step Through needs a file on disk');
});

test('a model file older than the trained-lengths record says "unknown", never a guess', async () => {
  const file = await writeSmallModel(path.join(tmpDir(), 'old.onnx'));
  const page = buildModelPage(ref('old.onnx'), fs.readFileSync(file)) as LoopLensModelPage;
  assert.equal(page.trained, null);
  assert.ok(page.chips.includes('trained lengths unknown'));
  assert.match(fact(page.record, 'trained lengths')!, /^unknown: the file was written before LoopLens recorded them$/);
  assert.equal(page.evaluation, null);
});

test("a recorded weight average is stated under the recipe, in the words of `looplens info`; nothing for the paper's last weights", () => {
  const rng = new Rng(6);
  const params = initParams(smallConfig, () => rng.float());
  const pageFor = (recipe: Record<string, unknown>) => {
    const training = { preset: 'cpu', recipe: { task: 'parity', ...recipe }, stepsCompleted: 17000, seed: 0, elapsedSeconds: 1, finalLoss: 0.5, provider: 'cpu', finishedAt: '', lossCurve: [] };
    return buildModelPage(ref('avg.onnx'), modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training })) as LoopLensModelPage;
  };
  const averaged = pageFor({ steps: 17000, averageFrom: 16000 });
  assert.equal(fact(averaged.recipe, 'weights'), "the weights averaged over steps 16,000 to 17,000 (not the paper's last weights)");
  assert.equal(fact(averaged.recipe, 'weights'), recordedSavedWeightsText({ steps: 17000, averageFrom: 16000 }));
  assert.deepEqual(averaged.recipe.map((f) => f.label), ['preset', 'steps', 'weights', 'seed']);
  assert.equal(fact(pageFor({ averageFrom: 3 }).recipe, 'weights'), "the weights averaged over steps 3 to the end (not the paper's last weights)", 'no steps recorded');
  // the paper's, or a value no recipe writes
  for (const recipe of [{ steps: 17000 }, { steps: 17000, averageFrom: -1 }, { steps: 17000, averageFrom: '16000' }, { steps: 17000, averageFrom: 1.5 }]) {
    assert.equal(fact(pageFor(recipe).recipe, 'weights'), undefined, JSON.stringify(recipe));
  }
});

test('another tool\'s ONNX file gets a page saying what it is: inputs, outputs, opset, operators', () => {
  const bytes = foreignOnnxBytes();
  const page = buildModelPage(ref('classifier.onnx'), bytes) as ForeignModelPage;
  assert.equal(page.kind, 'foreign');
  const i = page.info;
  assert.equal(i.producer, 'pytorch 2.3.0');
  assert.equal(i.irVersion, 8);
  assert.deepEqual(i.opsets, [{ domain: 'ai.onnx', version: 17 }]);
  assert.deepEqual(i.inputs, [{ name: 'features', type: 'float32', shape: ['batch', 8] }], 'the initializer is no input');
  assert.equal(formatValueInfo(i.outputs[0]!), 'float32 [batch, 3]');
  assert.deepEqual(i.operators, [{ op: 'MatMul', count: 1 }, { op: 'Softmax', count: 1 }]);
  assert.deepEqual([i.initializerCount, i.parameterCount, i.nodeCount], [1, 24, 2]);
  assert.deepEqual(i.metadataKeys, ['author']);
});

test('empty, truncated and non-ONNX files get the loader\'s clear errors', () => {
  const bytes = fs.readFileSync(shipped);
  const truncated = buildModelPage(ref('cut.onnx'), bytes.subarray(0, 5000)) as UnreadableModelPage;
  assert.equal(truncated.kind, 'error');
  assert.match(truncated.message, /cut\.onnx (is not a readable ONNX model|is corrupt)/);
  const text = buildModelPage(ref('notes.onnx'), new TextEncoder().encode('this is not a model')) as UnreadableModelPage;
  assert.equal(text.kind, 'error');
  assert.match(text.message, /notes\.onnx is not a readable ONNX model: it is truncated, corrupt or another kind of file/);
  const empty = buildModelPage(ref('empty.onnx'), new Uint8Array(0)) as UnreadableModelPage;
  assert.match(empty.message, /empty\.onnx is empty \(0 bytes\)/);
  const unread = buildModelPage(ref('gone.onnx'), null, 'gone.onnx no longer exists (it was deleted or moved).') as UnreadableModelPage;
  assert.deepEqual([unread.kind, unread.bytes, unread.message], ['error', null, 'gone.onnx no longer exists (it was deleted or moved).']);
  assert.throws(() => inspectOnnx(new Uint8Array(0)), NotOnnxError);
});

test("a model soup's page says so first in its record, with a chip; its recipe is the first ingredient's", () => {
  const rng = new Rng(7);
  const params = initParams(smallConfig, () => rng.float());
  const training = { preset: 'cpu', recipe: { task: 'parity', steps: 100 }, stepsCompleted: 100, seed: 0, elapsedSeconds: 1, finalLoss: 0.5, provider: 'cpu', finishedAt: '', lossCurve: [] };
  const soup = [{ model: 'ft-a.onnx', weightsCrc32: 0x1a2b3c4d }, { model: 'ft-b.onnx', weightsCrc32: 7 }];
  const page = buildModelPage(ref('soup.onnx'), modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training: { ...training, soup } })) as LoopLensModelPage;
  assert.equal(page.record[0]!.label, 'soup');
  assert.equal(page.record[0]!.value, "the mean of the weights of 2 models (a model soup): ft-a.onnx (CRC-32 1a2b3c4d), ft-b.onnx (CRC-32 00000007); the recipe and training shown are the first's");
  assert.ok(page.chips.includes('soup of 2'), page.chips.join(' | '));
  const plain = buildModelPage(ref('one.onnx'), modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training })) as LoopLensModelPage;
  assert.equal(fact(plain.record, 'soup'), undefined);
  assert.ok(!plain.chips.some((c) => c.startsWith('soup')));
  // a branch a run kept (train --keep-branches)
  const kept = buildModelPage(ref('run-branch2.onnx'), modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training: { ...training, branch: { index: 2, of: 3 } } })) as LoopLensModelPage;
  assert.equal(fact(kept.record, 'branch'), "branch 2 of the 3 its last stage ran as: that branch's own weights, where the run's model is their mean");
  assert.ok(kept.chips.includes('branch 2 of 3'), kept.chips.join(' | '));
  assert.equal(fact(plain.record, 'branch'), undefined);
  // a run that went on from another run's checkpoint (train --resume-from), read back from the file
  const forked = buildModelPage(ref('run-long.onnx'), modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training: { ...training, forks: [{ checkpoint: 'runs/run-step27000.ckpt', step: 27000 }] } })) as LoopLensModelPage;
  assert.match(fact(forked.record, 'forked') ?? '', /^went on from runs\/run-step27000\.ckpt at step 27000 as a run of its own/);
  assert.equal(fact(plain.record, 'forked'), undefined);
});

test("the record's training time gives the run's CPU time beside its wall time where it was counted", () => {
  const rng = new Rng(8);
  const params = initParams(smallConfig, () => rng.float());
  const training = { preset: 'cpu', recipe: { task: 'parity', steps: 100 }, stepsCompleted: 100, seed: 0, elapsedSeconds: 5400, finalLoss: 0.5, provider: 'cpu', finishedAt: '', lossCurve: [] };
  const timeOf = (t: typeof training & { cpuSeconds?: number }) => fact((buildModelPage(ref('m.onnx'), modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training: t })) as LoopLensModelPage).record, 'training time');
  assert.match(timeOf({ ...training, cpuSeconds: 4800 })!, /^1h 30m \(CPU time 1h 20m, all threads\)$/);
  assert.equal(timeOf(training), '1h 30m', 'a file written before LoopLens counted it: the wall time alone');
});
