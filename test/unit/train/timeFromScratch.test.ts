// A fine-tune's record carries the time behind the weights it started from, so its cost reads whole
// from scratch (its own training plus its starting model's, link by link), and says "not recorded"
// rather than a part where a link of the chain did not record it.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { modelFileBytes, parseModel } from '../../../src/core/model/modelFile';
import type { TrainingRecord } from '../../../src/core/model/modelMetadata';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { startingPointOf } from '../../../src/core/train/fineTune';
import { validateRecipe, type TrainRecipe } from '../../../src/core/train/recipe';
import { recordedFromScratchText, recordedInitText, timeFromScratch } from '../../../src/core/train/trainRecord';
import { Rng } from '../../../src/core/util/rng';
import { buildModelPage } from '../../../src/extension/modelEditor/modelPage';
import type { LoopLensModelPage } from '../../../src/protocol/modelPage';
import { microParity } from '../../support/tinyRecipes';
import { smallConfig } from '../extension/helpers';

const record = (over: Partial<TrainingRecord>): TrainingRecord => ({ preset: 'cpu', recipe: { task: 'parity' }, stepsCompleted: 10, seed: 0, elapsedSeconds: 600, finalLoss: 0.5, provider: 'cpu', finishedAt: '', lossCurve: [], ...over });
const init = (before: Record<string, unknown>) => ({ task: 'parity', initFrom: { model: 'base.onnx', weightsCrc32: 1, stepsBefore: 100, ...before } });

test('time from scratch: a run from scratch is its own time; a fine-tune adds its starting point; an unrecorded link or a soup reads as unknown', () => {
  assert.deepEqual(timeFromScratch(record({ cpuSeconds: 590 })), { seconds: 600, cpuSeconds: 590 });
  assert.deepEqual(timeFromScratch(record({})), { seconds: 600 }, 'CPU time not counted stays not counted');
  assert.deepEqual(timeFromScratch(record({ cpuSeconds: 590, recipe: init({ secondsBefore: 3000, cpuSecondsBefore: 2900 }) })), { seconds: 3600, cpuSeconds: 3490 });
  assert.deepEqual(timeFromScratch(record({ cpuSeconds: 590, recipe: init({ secondsBefore: 3000 }) })), { seconds: 3600 }, "the starting model's CPU time was not counted");
  assert.deepEqual(timeFromScratch(record({ cpuSeconds: 590, recipe: init({}) })), {}, 'a fine-tune from an older file: its starting time is unknown');
  assert.deepEqual(timeFromScratch(record({ recipe: init({ secondsBefore: -5 }) })), {}, 'a damaged value is no time');
  assert.deepEqual(timeFromScratch(record({ recipe: init({ secondsBefore: 'x' }) })), {});
  assert.deepEqual(timeFromScratch(record({ soup: [{ model: 'a.onnx', weightsCrc32: 1 }, { model: 'b.onnx', weightsCrc32: 2 }] })), {}, "a soup's record times its first ingredient only");
});

test('the words: where a fine-tune started, with the time behind those weights, and its time from scratch; nothing extra for a run from scratch', () => {
  const tuned = record({ cpuSeconds: 590, recipe: init({ secondsBefore: 3000, cpuSecondsBefore: 2900 }) });
  assert.equal(recordedInitText(tuned.recipe), 'the weights of base.onnx (100 steps trained, 50.0 min of wall time from scratch), CRC-32 00000001');
  assert.equal(recordedFromScratchText(tuned), '60.0 min of wall time, 58.2 min of CPU time');
  assert.equal(recordedFromScratchText(record({ recipe: init({ secondsBefore: 3000 }) })), '60.0 min of wall time, CPU time not counted');
  assert.equal(recordedFromScratchText(record({ recipe: init({}) })), "not recorded (its starting model's training time is not in this file)");
  assert.equal(recordedFromScratchText(record({})), undefined);
  assert.equal(recordedInitText(init({ stepsBefore: undefined })), 'the weights of base.onnx, CRC-32 00000001');
});

test("a starting point records the model's time from scratch, so a fine-tune of a fine-tune adds every link", () => {
  const task = getTask('parity');
  const rng = new Rng(5);
  const config = { ...smallConfig, vocabSize: task.vocabSize, readIn: task.readIn };
  const params = initParams(config, () => rng.float());
  const modelOf = (training: TrainingRecord) => parseModel(modelFileBytes({ task, config, params, training }));
  const first = startingPointOf(modelOf(record({ cpuSeconds: 590 })), 'a.onnx').init;
  assert.deepEqual([first.stepsBefore, first.secondsBefore, first.cpuSecondsBefore], [10, 600, 590]);
  const second = startingPointOf(modelOf(record({ elapsedSeconds: 60, cpuSeconds: 50, recipe: { task: 'parity', initFrom: first } })), 'b.onnx').init;
  assert.deepEqual([second.secondsBefore, second.cpuSecondsBefore], [660, 640]);
  const unknown = startingPointOf(modelOf(record({ recipe: { task: 'parity', initFrom: { model: 'old.onnx', weightsCrc32: 1 } } })), 'c.onnx').init;
  assert.equal('secondsBefore' in unknown || 'cpuSecondsBefore' in unknown, false, 'an older link: no time rather than a part');
});

test('a recipe refuses a starting time that is not a non-negative number of seconds', () => {
  const r = microParity();
  for (const key of ['secondsBefore', 'cpuSecondsBefore']) {
    for (const v of [-1, Number.NaN, '60']) {
      assert.throws(() => validateRecipe({ ...r, initFrom: { model: 'm.onnx', weightsCrc32: 0, [key]: v } } as TrainRecipe), new RegExp(`initFrom\\.${key} must be a non-negative number of seconds`));
    }
  }
  assert.doesNotThrow(() => validateRecipe({ ...r, initFrom: { model: 'm.onnx', weightsCrc32: 0, secondsBefore: 0, cpuSecondsBefore: 12.5 } }));
});

test("the model editor states a fine-tune's time from scratch beside its own, and nothing for a run from scratch", () => {
  const rng = new Rng(4);
  const params = initParams(smallConfig, () => rng.float());
  const pageFor = (training: TrainingRecord) => buildModelPage({ fileName: 'f.onnx', path: '/x/f.onnx', onDisk: true }, modelFileBytes({ task: getTask('parity'), config: smallConfig, params, training })) as LoopLensModelPage;
  const fact = (page: LoopLensModelPage, label: string) => page.record.find((f) => f.label === label)?.value;
  const tuned = pageFor(record({ cpuSeconds: 590, recipe: init({ secondsBefore: 3000, cpuSecondsBefore: 2900 }) }));
  assert.equal(fact(tuned, 'training time'), '10m 0s (CPU time 9m 50s, all threads)');
  assert.equal(fact(tuned, 'from scratch'), "1h 0m (CPU time 58m 10s, all threads), its starting model's training included");
  assert.equal(fact(pageFor(record({ recipe: init({}) })), 'from scratch'), "not recorded: its starting model's training time is not in this file");
  assert.equal(fact(pageFor(record({})), 'from scratch'), undefined);
});
