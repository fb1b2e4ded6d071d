// The run-cost projection (bench:recipe, `looplens train --estimate`): which batches it times (the
// trainer's own, a stage's long share and answer hold included), how it adds their costs over the
// run, and real timed steps through ONNX Runtime.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../../../src/core/tasks';
import { cpuRecipe, tinyRecipe } from '../../../src/core/train/presets';
import { batchShape, type TrainRecipe } from '../../../src/core/train/recipe';
import { batchKindAt, kindShape, makeRecipeBatch } from '../../../src/core/train/recipeBatch';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { costPoints, hoursText, projectionText, projectRun, timeCostPoints, timedPointText, type TimedPoint } from '../../../src/core/train/runCost';
import { Rng } from '../../../src/core/util/rng';

/** Unique set by one curriculum to 1..19, then a last stage that carries its own long share and answer hold. */
function stagedUniqueSet(): TrainRecipe {
  return makeRecipe('unique_set', 'cpu', { steps: 38000, maxLength: 19, interval: 300, stages: [{ fromStep: 36000, maxLength: 19, lr: 1e-4, longShare: 0.5, answerHold: 4 }] });
}

test('costPoints: curriculum values from its start to its longest, then each stage with its own share and hold', () => {
  const r = stagedUniqueSet();
  const points = costPoints(r, 5);
  assert.deepEqual(
    points.map((p) => [p.stage, p.kind.nPoints, p.kind.longShare, p.kind.answerHold]),
    [
      [-1, 2, 0, 0],
      [-1, 7, 0, 0],
      [-1, 11, 0, 0],
      [-1, 16, 0, 0],
      [-1, 20, 0, 0],
      [0, 20, 0.5, 4],
    ],
  );
  const stage = points[5]!;
  assert.deepEqual({ width: stage.width, horizon: stage.horizon }, batchShape(r, 20, 4));
  assert.equal(stage.horizon, points[4]!.horizon + 4, 'the held stage loops 4 steps further than the same lengths without a hold');
});

test('costPoints: a staged recipe times the curriculum only as far as it goes before the first stage', () => {
  const r = cpuRecipe('addition'); // lengths 1..8 by the curriculum, then stages to 12, 16, 19, 24
  const points = costPoints(r, 3);
  assert.deepEqual(
    points.map((p) => [p.stage, p.kind.nPoints]),
    [
      [-1, 2],
      [-1, 6],
      [-1, 9],
      [0, 13],
      [1, 17],
      [2, 20],
      [3, 25],
    ],
  );
  assert.throws(() => costPoints(r, 0), /curriculum points to time must be a positive integer, got 0/);
});

test('projectRun: linear in n_points between timed curriculum values, a stage at its own cost, split by phase; wall time at the timed pace', () => {
  // n_points 2, 3, 4 for 10 steps each, then 4 to step 50, then a stage to step 60.
  const base = tinyRecipe('parity');
  const r: TrainRecipe = { ...base, steps: 60, curriculum: { start: 2, interval: 10, end: 4 }, stages: [{ fromStep: 50, maxLength: 6, lr: 1e-3 }] };
  const pt = (stage: number, nPoints: number, cpuMs: number): TimedPoint => ({ stage, kind: { nPoints, longShare: 0, answerHold: 0 }, width: 1, horizon: 1, cpuMs, wallMs: cpuMs / 2 });
  const timed = [pt(-1, 2, 10), pt(-1, 4, 30), pt(0, 7, 100)];
  const p = projectRun(r, timed);
  // growing: 10 steps at 10 ms and 10 at the interpolated 20 ms; full length: 30 steps at 30 ms; the stage: 10 at 100 ms.
  assert.deepEqual(p, { steps: 60, totalMs: 300 + 900 + 1000, wallMs: 1100, growingMs: 300, fullLengthMs: 900, stagesMs: 1000 });
  assert.throws(() => projectRun(r, [pt(-1, 2, 10)]), /stage 1 was not timed/);
  assert.throws(() => projectRun(r, [pt(0, 7, 100)]), /at least one timed curriculum point/);
  assert.match(projectionText(p, '1 thread(s)'), /^projected run: 2 s of CPU time for 60 steps on 1 thread\(s\) \(0 s while the curriculum grows, 1 s at its full length, 1 s in its stages\), 1 s of wall time at the timed steps' pace; checkpoints and evaluations not counted$/);
  assert.equal(hoursText(4.5 * 3_600_000), '4.5 h');
  assert.equal(hoursText(37 * 60_000), '37 min');
  assert.equal(hoursText(12_400), '12 s');
});

test('makeRecipeBatch: the batch of a step as the trainer draws it (a stage reads up to its hold past T(n), at its horizon)', () => {
  const r = stagedUniqueSet();
  const task = getTask('unique_set');
  const kind = batchKindAt(r, 36000);
  assert.deepEqual(kind, { nPoints: 20, longShare: 0.5, answerHold: 4 });
  const b = makeRecipeBatch(task, r, new Rng(3), kind);
  const shape = kindShape(r, kind);
  assert.deepEqual({ width: b.width, horizon: b.horizon }, shape);
  const lengths = b.lengths.map((l) => l[0]!);
  assert.equal(lengths.filter((n) => n === 19).length >= 32, true, 'half the batch at 19');
  b.steps.forEach((s, i) => {
    const late = Number(s) - task.steps(b.lengths[i]!);
    assert.ok(late >= 0 && late <= 4, `example ${i} read ${late} steps past T(n)`);
  });
  assert.ok(b.steps.some((s, i) => Number(s) > task.steps(b.lengths[i]!)), 'some examples are read late');
  assert.deepEqual(batchKindAt(r, 100), { nPoints: 2, longShare: 0, answerHold: 0 });
});

test('timeCostPoints: real training steps on each kind of batch; a kind met twice is timed once', async () => {
  const base = tinyRecipe('parity');
  // The stage trains the curriculum's own last lengths: the same kind as its last timed value.
  const reached = (base.curriculum.end - base.curriculum.start) * base.curriculum.interval;
  const r: TrainRecipe = { ...base, steps: reached + 200, stages: [{ fromStep: reached + 100, maxLength: base.curriculum.end - 1, lr: 1e-3 }] };
  const seen: TimedPoint[] = [];
  const timed = await timeCostPoints(r, { spread: 2, timedSteps: 1, cpuThreads: 1, onPoint: (p) => seen.push(p) });
  assert.deepEqual(seen, timed);
  assert.deepEqual(
    timed.map((p) => [p.stage, p.kind.nPoints]),
    [
      [-1, 2],
      [-1, base.curriculum.end],
      [0, base.curriculum.end],
    ],
  );
  for (const p of timed) assert.ok(p.cpuMs > 0 && p.wallMs > 0, timedPointText(p));
  assert.equal(timed[2]!.cpuMs, timed[1]!.cpuMs, 'the stage reuses the same kind of batch timed on the curriculum');
  assert.match(timedPointText(timed[2]!), /^stage 1: lengths 1\.\.10, width \d+, horizon \d+: cpu \d+ ms\/step, wall \d+ ms\/step$/);
  const p = projectRun(r, timed);
  assert.equal(p.steps, reached + 200);
  assert.ok(Math.abs(p.stagesMs - 100 * timed[2]!.cpuMs) < 1e-6 * p.stagesMs, "the stage's 100 steps at its timed cost");
  assert.ok(p.totalMs > p.stagesMs);
  assert.ok(p.wallMs > 0, 'the wall time at the timed pace');
});
