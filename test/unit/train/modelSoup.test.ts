// A model soup (core/train/modelSoup.ts): the weights are the exact mean of the ingredients', the
// file records each ingredient and drops the first's evaluation, networks that differ are refused
// in words, and a damaged soup record is refused on load.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { loadModel, modelFileBytes, parseModel, saveModel, weightsCrc32, LoopLensModelError, type LoadedModel } from '../../../src/core/model/modelFile';
import { initParams, type Params } from '../../../src/core/model/params';
import type { LoopedConfig } from '../../../src/core/model/config';
import type { TrainingRecord } from '../../../src/core/model/modelMetadata';
import { getTask } from '../../../src/core/tasks';
import { meanWeights, modelSoup, recordedSoupText, soupConflicts, SoupError, soupNetwork } from '../../../src/core/train/modelSoup';
import { Rng } from '../../../src/core/util/rng';
import { tmpDir } from '../../support/tmpDir';

const config: LoopedConfig = { vocabSize: 6, d: 16, layers: 1, heads: 2, readIn: 'linear', inputInjection: true };
const record = (seed: number): TrainingRecord => ({
  preset: 'cpu',
  recipe: { task: 'parity', steps: 100 + seed },
  stepsCompleted: 100 + seed,
  seed,
  elapsedSeconds: 60,
  finalLoss: 0.1,
  provider: 'cpu',
  finishedAt: '',
  lossCurve: [{ step: 100, loss: 0.1 }],
  evaluation: { examplesPerLength: 8, seed: 1, perExampleRule: 'min-entropy', rows: [] },
});

/** A parity model of `c` with weights drawn from `seed`, as loadModel returns it. */
function modelOf(seed: number, c: LoopedConfig = config, task: 'parity' | 'copy' = 'parity'): LoadedModel {
  const rng = new Rng(seed);
  return parseModel(modelFileBytes({ task: getTask(task), config: c, params: initParams(c, () => rng.float()), training: record(seed) }), `m${seed}.onnx`);
}

test('the soup is the mean of the weights, tensor by tensor; its record lists the ingredients and is otherwise the first\'s', async () => {
  const ms = [modelOf(1), modelOf(2), modelOf(3)];
  const soup = modelSoup(ms.map((model, i) => ({ name: `ft-${i}.onnx`, model })));
  for (const [key, w] of Object.entries(soup.params)) {
    w.forEach((v, i) => assert.equal(v, Math.fround((ms[0]!.params[key]![i]! + ms[1]!.params[key]![i]! + ms[2]!.params[key]![i]!) / 3), `${key}[${i}]`));
  }
  assert.deepEqual(soup.training.soup, ms.map((m, i) => ({ model: `ft-${i}.onnx`, weightsCrc32: weightsCrc32(m.config, m.params) })));
  assert.equal(soup.training.evaluation, undefined, "the first's evaluation is not the soup's");
  assert.deepEqual([soup.training.recipe, soup.training.seed, soup.training.stepsCompleted], [{ task: 'parity', steps: 101 }, 1, 101]);

  const file = path.join(tmpDir(), 'soup.onnx');
  await saveModel(file, soup);
  const back = await loadModel(file);
  assert.deepEqual(back.metadata.training.soup, soup.training.soup, 'kept in the file');
  assert.match(recordedSoupText(back.metadata.training)!, /^the mean of the weights of 3 models \(a model soup\): ft-0\.onnx \(CRC-32 [0-9a-f]{8}\), ft-1\.onnx \(CRC-32 [0-9a-f]{8}\), ft-2\.onnx \(CRC-32 [0-9a-f]{8}\)$/);
  assert.equal(recordedSoupText(ms[0]!.metadata.training), undefined, 'a model trained as one');
  // a soup of soups lists its own ingredients
  assert.deepEqual(modelSoup([{ name: 'soup.onnx', model: back }, { name: 'm4.onnx', model: modelOf(4) }]).training.soup?.map((s) => s.model), ['soup.onnx', 'm4.onnx']);
});

test('meanWeights sums in double precision: a mean of equal weights is those weights', () => {
  const w: Params = { a: Float32Array.from([0.1, -3.3e-8, 7]) };
  assert.deepEqual(meanWeights([w, w, w, w, w, w, w]), w);
});

test('models that are not one network are refused, in words that name what differs', () => {
  const first = modelOf(1);
  const against = (other: LoadedModel) => soupConflicts(soupNetwork(first), soupNetwork(other));
  assert.deepEqual(against(modelOf(2)), []);
  assert.deepEqual(against(modelOf(2, { ...config, d: 32, heads: 4 })), ['d 32, not 16', 'heads 4, not 2']);
  assert.deepEqual(against(modelOf(2, { ...config, inputInjection: false })), ['inputInjection false, not true']);
  assert.deepEqual(against(modelOf(2, config, 'copy')), ['task copy, not parity']);
  assert.deepEqual(against({ ...modelOf(2), metadata: { ...modelOf(2).metadata, stepsRule: { ...modelOf(2).metadata.stepsRule, fixedSteps: 20 } } }), ['every example at step 20, not each example at its T(n)']);
  assert.throws(() => modelSoup([{ name: 'a.onnx', model: first }, { name: 'b.onnx', model: modelOf(2, { ...config, layers: 2 }) }]), (e: Error) => e instanceof SoupError && e.message === 'b.onnx cannot be averaged with a.onnx: it has layers 2, not 1');
  assert.throws(() => modelSoup([{ name: 'a.onnx', model: first }]), (e: Error) => e instanceof SoupError && /a soup averages 2 to 64 models, got 1/.test(e.message));
  assert.throws(() => modelSoup([]), SoupError);
});

test('a file whose soup record is damaged is refused on load, in words', () => {
  const m = modelOf(1);
  const damaged = (soup: unknown) => modelFileBytes({ task: m.task, config: m.config, params: m.params, training: { ...record(1), soup } as TrainingRecord });
  for (const soup of [[{ model: 'a.onnx', weightsCrc32: 1 }], [{ model: '', weightsCrc32: 1 }, { model: 'b', weightsCrc32: 2 }], [{ model: 'a', weightsCrc32: -1 }, { model: 'b', weightsCrc32: 2 }], 'a.onnx']) {
    assert.throws(() => parseModel(damaged(soup), 'x.onnx'), (e: Error) => e instanceof LoopLensModelError && /soup/.test(e.message), JSON.stringify(soup));
  }
});
