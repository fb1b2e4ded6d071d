import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { EtaEstimator } from '../../../src/core/train/eta';
import type { TrainEvent, TrainPoint } from '../../../src/core/train/trainEvents';
import { train, TrainingDivergedError } from '../../../src/core/train/trainer';
import { readCheckpoint } from '../../../src/core/train/checkpoint';
import { RecipeError } from '../../../src/core/train/recipe';
import { evaluateParams, ORACLE } from '../../../src/core/eval/evaluate';
import { getTask } from '../../../src/core/tasks';
import { microParity, tinyParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';
import { assertSameParams as sameParams } from '../../support/paramsAssert';

test('a tiny parity model trained for 400 real steps is clearly better than chance', async () => {
  const recipe = tinyParity();
  const r = await train({ recipe, cpuThreads: 1, historyEvery: 50 });
  assert.equal(r.status, 'finished');
  assert.equal(r.step, 400);
  const points = r.history.filter((h): h is TrainPoint => h.kind === 'train');
  assert.equal(points.length, 8);
  assert.deepEqual(points.map((p) => p.nPoints), [2, 3, 4, 5, 6, 7, 7, 7], 'n_points of the last step of each 50-step window');
  const { report } = await evaluateParams(getTask('parity'), recipe.model, r.params, { lengths: [3, 5], examples: 256, batchSize: 128, rules: [ORACLE], cpuThreads: 1 });
  const acc3 = report.accuracy(3, ORACLE)!;
  const acc5 = report.accuracy(5, ORACLE)!;
  // Chance is 50% (one answer bit): an untrained model sits at 45-55% on 256 examples (sd ~3%).
  assert.ok(acc3 >= 0.9, `length 3: ${acc3}`);
  assert.ok(acc5 >= 0.65, `length 5: ${acc5}`);
});

test('cancel (AbortSignal) checkpoints; resume continues exactly: same parameters and history as an uninterrupted run', async () => {
  const dir = tmpDir();
  const straight = await train({ recipe: microParity(30), cpuThreads: 1, historyEvery: 5 });

  const ckpt = path.join(dir, 'run.ckpt');
  const abort = new AbortController();
  const events: TrainEvent[] = [];
  const first = await train({
    recipe: microParity(30),
    checkpointPath: ckpt,
    checkpointEvery: 100,
    historyEvery: 5,
    cpuThreads: 1,
    signal: abort.signal,
    onEvent: (e) => {
      events.push(e);
      if (e.type === 'progress' && e.step === 12) abort.abort();
    },
  });
  assert.equal(first.status, 'cancelled');
  assert.equal(first.step, 12);
  assert.deepEqual(events.filter((e) => e.type === 'checkpoint').map((e) => (e as { step: number }).step), [12]);
  assert.equal(events.at(-1)?.type, 'done');
  const ck = await readCheckpoint(ckpt);
  assert.equal(ck.step, 12);
  assert.equal(ck.curriculum.nPoints, 4);

  const resumedEvents: TrainEvent[] = [];
  const second = await train({ checkpointPath: ckpt, resume: true, historyEvery: 5, cpuThreads: 1, onEvent: (e) => resumedEvents.push(e) });
  assert.equal(second.status, 'finished');
  assert.equal(second.step, 30);
  const firstProgress = resumedEvents.find((e) => e.type === 'progress') as { step: number };
  assert.equal(firstProgress.step, 13, 'continues with step 13');
  const untimed = (h: readonly unknown[]) => h.map((x) => ({ ...(x as TrainPoint), msPerStep: 0 }));
  assert.equal(second.history.length, 6);
  assert.deepEqual(untimed(second.history), untimed(straight.history), 'history continues (timings aside)');
  sameParams(second.params, straight.params);
  assert.equal((await readCheckpoint(ckpt)).step, 30, 'a final checkpoint is written');
});

test('resuming with a different recipe is refused; only steps may change', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  await train({ recipe: microParity(4), checkpointPath: ckpt, cpuThreads: 1 });
  await assert.rejects(train({ recipe: { ...microParity(4), seed: 99 }, checkpointPath: ckpt, resume: true }), (e: Error) => e instanceof RecipeError && /different seed/.test(e.message));
  const longer = await train({ recipe: microParity(6), checkpointPath: ckpt, resume: true, cpuThreads: 1 });
  assert.equal(longer.step, 6);
  await assert.rejects(train({ checkpointPath: path.join(dir, 'none.ckpt'), resume: true }), /no checkpoint at/);
});

test('periodic checkpoints are written atomically every N steps', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const steps: number[] = [];
  await train({ recipe: microParity(10), checkpointPath: ckpt, checkpointEvery: 4, cpuThreads: 1, onEvent: (e) => e.type === 'checkpoint' && steps.push(e.step) });
  assert.deepEqual(steps, [4, 8, 10]);
  assert.deepEqual(fs.readdirSync(dir), ['run.ckpt']);
});

test('a NaN/Inf loss stops with a clear error and keeps the last good state in the checkpoint', async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const recipe = { ...microParity(20), schedule: { kind: 'constant' as const, lr: 1e38, holdSteps: 0 } };
  let err: unknown;
  try {
    await train({ recipe, checkpointPath: ckpt, checkpointEvery: 1000, cpuThreads: 1 });
  } catch (e) {
    err = e;
  }
  assert.ok(err instanceof TrainingDivergedError, String(err));
  assert.match(err.message, /training diverged at step \d+: loss (NaN|Infinity|-Infinity)/);
  assert.match(err.message, /lower learning rate/);
  const ck = await readCheckpoint(ckpt);
  assert.equal(ck.step, err.step - 1, 'the checkpoint holds the state before the failing step');
});

test('bad recipes are refused with the reason', async () => {
  await assert.rejects(train({ recipe: { ...microParity(), width: 3 } }), /width 3 is too narrow/);
  await assert.rejects(train({ recipe: { ...microParity(), horizon: 2 } }), /horizon 2 is shorter/);
  await assert.rejects(train({ recipe: { ...microParity(), model: { ...microParity().model, vocabSize: 7 } } }), /vocabSize 7/);
  await assert.rejects(train({}), /needs a recipe/);
});

test('the ETA grows with the curriculum: later steps are costed at their longer lengths (and wider rows)', () => {
  const recipe = { ...microParity(100), curriculum: { start: 2, interval: 10, end: 22 }, widthMode: 'fixed' as const };
  const eta = new EtaEstimator(getTask('parity'), recipe);
  assert.ok(Number.isNaN(eta.remainingSeconds(0)));
  eta.observe(0, 3000); // the session's first step (ONNX Runtime's warm-up) is not counted
  assert.ok(Number.isNaN(eta.remainingSeconds(1)));
  eta.observe(1, 30); // n_points 2: work 2 + 1 = 3 → 10 ms per unit
  assert.equal(eta.msPerStep(0), 30);
  assert.equal(eta.msPerStep(90), 75, 'n_points 11: work 2 + 5.5');
  // remaining from step 90 (n_points 11): 10 steps of work 2 + 5.5
  assert.ok(Math.abs(eta.remainingSeconds(90) - (10 * 7.5 * 10) / 1000) < 1e-9);
  // Rows that widen with the curriculum: a step at n_points 11 (width 11) costs 11 * 7.5 units, at 2 (width 2) 2 * 3.
  const wide = new EtaEstimator(getTask('parity'), { ...recipe, width: 22, horizon: 24, widthMode: 'curriculum' });
  wide.observe(0, 600);
  wide.observe(1, 6);
  assert.equal(wide.msPerStep(90), 82.5);
  // Half of each batch at the longest length: the mean T at n_points 11 is 0.5 * 5.5 + 0.5 * 10 = 7.75, so 2 + 7.75 units a step.
  const long = new EtaEstimator(getTask('parity'), { ...recipe, longShare: 0.5 });
  long.observe(0, 3000);
  long.observe(1, 25); // n_points 2: every example has length 1, 2 + 1 = 3 units, so 25/3 ms a unit
  assert.ok(Math.abs(long.msPerStep(90) - (25 / 3) * 9.75) < 1e-9);
});

test('the ETA settles at once: a plain mean of the first steps, then a moving average', () => {
  const recipe = { ...microParity(1000), curriculum: { start: 2, interval: 1000, end: 3 }, widthMode: 'fixed' as const }; // n_points 2 throughout
  const eta = new EtaEstimator(getTask('parity'), recipe);
  eta.observe(0, 9999); // warm-up, left out
  eta.observe(1, 30);
  eta.observe(2, 60);
  eta.observe(3, 90);
  assert.ok(Math.abs(eta.msPerStep(2) - 60) < 1e-9, 'the mean of 30, 60 and 90 ms');
  for (let s = 4; s < 200; s++) eta.observe(s, 90);
  assert.ok(Math.abs(eta.msPerStep(2) - 90) < 0.1, 'a later, steady rate takes over');
});
