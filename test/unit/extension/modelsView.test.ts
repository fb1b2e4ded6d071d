// What the Models view and the model picker say about files (task, shape, trained lengths,
// accuracy at the test length; runs and their checkpoints), and how the tree groups them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describeCheckpoint, describeModel, FileSummaryCache, modelTooltip, summarizeCheckpointFile, summarizeModelFile, type ModelSummary } from '../../../src/extension/models/modelInfo';
import { findCheckpointFiles, findModelFiles } from '../../../src/extension/models/findModels';
import { belongsToRun, buildTree, groupLabel, type ModelNode, type RunNode } from '../../../src/extension/modelsView/treeModel';
import { runTrainJob } from '../../../src/core/train/trainJob';
import { microParity } from '../../support/tinyRecipes';
import { foreignOnnxBytes } from '../../support/foreignOnnx';
import { loadModel } from '../../../src/core/model/modelFile';
import { soupConflicts, soupNetwork } from '../../../src/core/train/modelSoup';
import { tmpDir, writeSmallModel } from './helpers';

const shipped = path.join(__dirname, '../../../models');

test('a model is described by task, shape, trained lengths and its accuracy at the test length', async () => {
  const s = (await summarizeModelFile(path.join(shipped, 'parity.onnx'))) as ModelSummary;
  assert.equal(s.kind, 'model');
  assert.deepEqual([s.task, s.shape, s.preset, s.stepsCompleted], ['parity', 'd64 L1 H4', 'cpu', 6000]);
  assert.deepEqual(s.trained, { min: 1, max: 20 });
  assert.equal(s.headline?.length, 40);
  assert.equal(s.headline?.atTestLength, true, "parity's test length is 40");
  assert.equal(describeModel(s), 'parity · d64 L1 H4 · trained 1..20 · n = 40: 100%');
  assert.equal(describeModel(s, 'parity'), 'd64 L1 H4 · trained 1..20 · n = 40: 100%', 'the Models view does not repeat the task in parity.onnx');
  assert.equal(describeModel(s, 'parity-2'), 'parity · d64 L1 H4 · trained 1..20 · n = 40: 100%');
  const tip = modelTooltip('/x/parity.onnx', s);
  assert.match(tip, /trained on lengths 1\.\.20/);
  assert.match(tip, /at length 40 \(the paper's test length\): oracle 100%, adaptive \(paper rule\) 100%/);
  const copy = (await summarizeModelFile(path.join(shipped, 'copy.onnx'))) as ModelSummary;
  assert.equal(describeModel(copy), 'copy · d64 L2 H16 · trained 1..19 · n = 30: 100%', "copy.onnx carries its trainer's evaluation, at copy's test length");
  // what Average Model Weights offers models by, read without loading the weights again
  const parityModel = await loadModel(path.join(shipped, 'parity.onnx'));
  assert.deepEqual(s.network, soupNetwork(parityModel));
  assert.deepEqual(soupConflicts(s.network, s.network), []);
  assert.deepEqual(soupConflicts(s.network, copy.network), ['task copy, not parity', 'layers 2, not 1', 'heads 16, not 4']);
  assert.equal(s.soupOf, null);
  const soup: ModelSummary = { ...s, soupOf: 3 };
  assert.equal(describeModel(soup, 'parity-soup'), 'parity · d64 L1 H4 · soup of 3 · trained 1..20 · n = 40: 100%');
  assert.match(modelTooltip('/x/parity-soup.onnx', soup), /^- a model soup: the mean of the weights of 3 models; the training below is the first's$/m);
  assert.doesNotMatch(tip, /soup/);
  assert.equal(s.branchOf, null);
  const branch: ModelSummary = { ...s, branchOf: { index: 2, of: 3 } };
  assert.equal(describeModel(branch, 'parity-branch2'), 'parity · d64 L1 H4 · branch 2 of 3 · trained 1..20 · n = 40: 100%');
  assert.match(modelTooltip('/x/parity-branch2.onnx', branch), /^- branch 2 of the 3 its last stage ran as: that branch's own weights, where the run's model is their mean$/m);
  assert.doesNotMatch(tip, /branch/);
});

test('older, foreign and broken files say what they are', async () => {
  const dir = tmpDir('models-view');
  const old = await summarizeModelFile(await writeSmallModel(path.join(dir, 'old.onnx')));
  assert.equal(describeModel(old), 'parity · d16 L1 H2 · trained lengths unknown · not evaluated');
  fs.writeFileSync(path.join(dir, 'other.onnx'), foreignOnnxBytes());
  const foreign = await summarizeModelFile(path.join(dir, 'other.onnx'));
  assert.equal(describeModel(foreign), 'ONNX model from pytorch 2.3.0, opset 17, 1 input: not a LoopLens model');
  fs.writeFileSync(path.join(dir, 'broken.onnx'), 'not a model');
  const broken = await summarizeModelFile(path.join(dir, 'broken.onnx'));
  assert.match(describeModel(broken), /^cannot be opened: .*broken\.onnx is not a readable ONNX model/);
  const missing = await summarizeModelFile(path.join(dir, 'gone.onnx'));
  assert.match(describeModel(missing), /no model file at/);
});

test('a training run: its checkpoint says task, progress and the lengths reached so far; its models belong to it', async () => {
  const dir = tmpDir('models-view-run');
  const ckpt = path.join(dir, 'parity-test.ckpt');
  await runTrainJob({ recipe: microParity(12), checkpointPath: ckpt, modelPath: path.join(dir, 'parity-test.onnx'), provider: 'cpu', cpuThreads: 1 });
  const s = await summarizeCheckpointFile(ckpt);
  assert.equal(describeCheckpoint(s), 'parity · d16 L1 H2 · finished, 12 steps · trained 1..3');
  assert.equal(s.kind === 'checkpoint' && s.keepBranches, false);
  const keeping = path.join(dir, 'keeping.ckpt');
  await runTrainJob({ recipe: microParity(4), checkpointPath: keeping, keepBranches: true, provider: 'cpu', cpuThreads: 1 });
  const k = await summarizeCheckpointFile(keeping);
  assert.equal(k.kind === 'checkpoint' && k.keepBranches, true, 'the tooltip says the run keeps its branches');
  const damaged = fs.readFileSync(ckpt);
  damaged[damaged.length - 50]! ^= 0xff;
  fs.writeFileSync(path.join(dir, 'damaged.ckpt'), damaged);
  assert.match(describeCheckpoint(await summarizeCheckpointFile(path.join(dir, 'damaged.ckpt'))), /^cannot be read: .*damaged\.ckpt is corrupt: checksum mismatch/, 'damage inside the weights shows in the list');
  fs.writeFileSync(path.join(dir, 'bad.ckpt'), 'nope');
  assert.match(describeCheckpoint(await summarizeCheckpointFile(path.join(dir, 'bad.ckpt'))), /^cannot be read: .*bad\.ckpt is not a LoopLens checkpoint/);

  assert.ok(belongsToRun('/m/parity-cpu.onnx', '/m/parity-cpu.ckpt'));
  assert.ok(belongsToRun('/m/parity-cpu-step1250.onnx', '/m/parity-cpu.ckpt'));
  assert.ok(belongsToRun('/m/parity-cpu-branch2.onnx', '/m/parity-cpu.ckpt'), 'a branch the run kept');
  assert.ok(!belongsToRun('/m/parity-cpu-2.onnx', '/m/parity-cpu.ckpt'));
  assert.ok(!belongsToRun('/m/parity-cpu-branchx.onnx', '/m/parity-cpu.ckpt'));
  assert.ok(!belongsToRun('/other/parity-cpu.onnx', '/m/parity-cpu.ckpt'));
  assert.ok(!belongsToRun('/m/parity-cpu-stepX.onnx', '/m/parity-cpu.ckpt'));
});

test('the tree: a group per folder (shipped read-only), empty helper folders left out, then the training runs', async () => {
  const root = tmpDir('models-view-tree');
  const ws = path.join(root, 'ws');
  const folders = [
    { dir: path.join(ws, 'models'), source: 'workspace models/' },
    { dir: path.join(ws, 'runs'), source: 'workspace runs/' },
    { dir: path.join(root, 'storage'), source: 'trained without a workspace' },
    { dir: shipped, source: 'shipped with LoopLens' },
  ];
  await writeSmallModel(path.join(ws, 'models', 'mine.onnx'));
  fs.mkdirSync(path.join(ws, 'runs'), { recursive: true });
  await runTrainJob({ recipe: microParity(6), checkpointPath: path.join(ws, 'runs', 'parity-test.ckpt'), modelPath: path.join(ws, 'runs', 'parity-test.onnx'), provider: 'cpu', cpuThreads: 1 });
  const groups = buildTree(folders, findModelFiles(folders), findCheckpointFiles(folders), 'shipped with LoopLens');
  assert.deepEqual(groups.map((g) => g.label), ['Workspace: models/', 'Workspace: runs/', 'Shipped with LoopLens', 'Training runs']);
  const names = (i: number) => groups[i]!.children.map((c) => (c as ModelNode).file.name);
  assert.deepEqual(names(0), ['mine']);
  assert.deepEqual(names(1), ['parity-test']);
  const shippedNames = fs.readdirSync(shipped).filter((f) => f.endsWith('.onnx')).map((f) => path.basename(f, '.onnx'));
  assert.deepEqual(names(2).sort(), shippedNames.sort());
  assert.ok(shippedNames.includes('parity'));
  assert.ok(groups[2]!.children.every((c) => (c as ModelNode).shipped), 'shipped models cannot be deleted');
  assert.ok(groups[0]!.children.every((c) => !(c as ModelNode).shipped));
  const run = groups[3]!.children[0] as RunNode;
  assert.equal(run.file.name, 'parity-test');
  assert.deepEqual(run.models.map((m) => m.file.name), ['parity-test']);
  assert.deepEqual([groupLabel('looplens.modelsFolder'), groupLabel('ws2/models'), groupLabel('trained without a workspace')], ['looplens.modelsFolder', 'ws2/models', 'Trained without a workspace']);
});

test('summaries are read once per file version', async () => {
  const dir = tmpDir('models-view-cache');
  const file = await writeSmallModel(path.join(dir, 'm.onnx'));
  const cache = new FileSummaryCache();
  const a = cache.model(file);
  assert.equal(cache.model(file), a, 'same version: the same read');
  fs.writeFileSync(file, 'replaced by something else entirely');
  const b = cache.model(file);
  assert.notEqual(b, a);
  assert.equal((await b).kind, 'broken');
});
