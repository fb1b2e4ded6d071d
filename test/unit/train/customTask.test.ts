// Training a custom RASP-L task end to end: recipe → trainer → model file whose metadata carries the
// program's source → loading rebuilds the task without the file → evaluation runs.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { taskFromRaspl } from '../../../src/core/programs/tasks/fromRaspl';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { validateRecipe } from '../../../src/core/train/recipe';
import { train } from '../../../src/core/train/trainer';
import { readTrainingCheckpoint } from '../../../src/core/train/trainingCheckpoint';
import { runTrainJob } from '../../../src/core/train/trainJob';
import { loadModel } from '../../../src/core/model/modelFile';
import { metaKeys } from '../../../src/core/model/modelMetadata';
import { decodeModelProto } from '../../../src/core/onnx/onnxSchema';
import { evaluateWith, ORACLE } from '../../../src/core/eval/evaluate';
import { LoopedSession } from '../../../src/core/infer/loopedSession';
import { Rng } from '../../../src/core/util/rng';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looplens-custom-task-'));
after(() => fs.rmSync(dir, { recursive: true, force: true }));

const source = fs.readFileSync(path.join(__dirname, '../../../models/tasks/parity.raspl'), 'utf8');

test('cpu preset for a custom task carries the source; a few dozen steps give a model file that rebuilds the task', async () => {
  const task = taskFromRaspl(source, 'my-parity.raspl');
  const recipe = makeRecipe(task, 'cpu', { steps: 24, batchSize: 8 });
  assert.equal(recipe.task, 'parity-raspl');
  assert.deepEqual(recipe.taskFile, { file: 'my-parity.raspl', source });
  assert.deepEqual(recipe.model, { vocabSize: 6, d: 64, layers: 1, heads: 4, readIn: 'linear', inputInjection: true });
  const small = validateRecipe({ ...recipe, model: { ...recipe.model, d: 16, heads: 2 }, curriculum: { start: 2, interval: 8, end: 5 }, width: task.rowWidth(5), horizon: task.horizon(5), schedule: { ...recipe.schedule, holdSteps: 16 } });

  const modelPath = path.join(dir, 'custom.onnx');
  const job = await runTrainJob({ recipe: small, cpuThreads: 1, modelPath, finalEval: { lengths: [3, 6], examples: 16, batchSize: 16 } });
  assert.equal(job.train.status, 'finished');
  assert.equal(job.train.step, 24);

  // The raw ONNX metadata holds the program source under looplens.task_file.
  const raw = decodeModelProto(fs.readFileSync(modelPath)) as { metadata_props: { key: string; value: string }[] };
  const props = new Map(raw.metadata_props.map((p) => [p.key, p.value]));
  assert.equal(props.get(metaKeys.task), 'parity-raspl');
  assert.deepEqual(JSON.parse(props.get(metaKeys.taskFile)!), { file: 'my-parity.raspl', source });

  const model = await loadModel(modelPath);
  assert.equal(model.task.name, 'parity-raspl');
  assert.equal(model.metadata.taskFile?.source, source);
  assert.deepEqual(model.task.sampleAt(new Rng(5), [4]), task.sampleAt(new Rng(5), [4]), 'the rebuilt task makes the same rows');
  assert.deepEqual(model.metadata.training.evaluation?.rows.map((r) => r.length), [3, 6]);

  const session = await LoopedSession.fromParams(model.config, model.params, 'eval', { provider: 'cpu', cpuThreads: 1 });
  try {
    const { report } = await evaluateWith(model.task, session, { lengths: [4], examples: 16, batchSize: 16, rules: [ORACLE], provider: 'cpu', cpuThreads: 1 });
    const acc = report.accuracy(4, ORACLE)!;
    assert.ok(acc >= 0 && acc <= 1, `accuracy ${acc}`);
  } finally {
    await session.release();
  }
});

test('a checkpoint of a custom task resumes from its own recipe (the task rebuilt from the stored source)', async () => {
  const task = taskFromRaspl(source, 'my-parity.raspl');
  const r = makeRecipe(task, 'cpu', { steps: 6, batchSize: 4 });
  const recipe = { ...r, model: { ...r.model, d: 8, heads: 2 }, curriculum: { start: 2, interval: 3, end: 4 }, width: task.rowWidth(4), horizon: task.horizon(4), schedule: { ...r.schedule, holdSteps: 4 } };
  const ckpt = path.join(dir, 'custom.ckpt');
  const first = await train({ recipe, checkpointPath: ckpt, cpuThreads: 1 });
  assert.equal(first.step, 6);
  const saved = (await readTrainingCheckpoint(ckpt)).recipe;
  assert.deepEqual(saved.taskFile, { file: 'my-parity.raspl', source });
  const more = await train({ recipe: { ...saved, steps: 9 }, checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  assert.equal(more.status, 'finished');
  assert.equal(more.step, 9);
  assert.equal(more.recipe.task, 'parity-raspl');
});
