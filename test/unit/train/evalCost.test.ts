// The cost of a run's evaluations for --estimate: its learning curve's points and its final
// evaluation, from the evaluation cost model (core/eval/estimate.ts).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { branchCurvePointCount, curvePointCount, projectEvaluations, timeEvaluations } from '../../../src/core/train/evalCost';
import { estimateSeconds, evaluationPlan } from '../../../src/core/eval/estimate';
import { getTask } from '../../../src/core/tasks';
import { microParity } from '../../support/tinyRecipes';

test('a learning curve has a point at every multiple of its rhythm and one at the end', () => {
  assert.deepEqual([curvePointCount(1000, 300), curvePointCount(1000, 250), curvePointCount(10, 20), curvePointCount(19000, 2000)], [4, 4, 1, 10]);
});

test("the projection is the curve's points times one point's cost, plus the final evaluation's; none is none", () => {
  const task = getTask('parity');
  const cost = { perBatch: 0.01, perWork: 1e-7 };
  const curve = { every: 300, lengths: [4, 8], examples: 64 };
  const final = { lengths: [4, 8, 16], examples: 640, batchSize: 64 };
  const p = projectEvaluations(task, 64, 1000, { curve, final }, cost);
  const point = estimateSeconds(evaluationPlan(task, { lengths: [4, 8], examples: 64, batchSize: 64, dModel: 64 }), cost);
  assert.equal(p.curvePoints, 4);
  assert.ok(Math.abs(p.curveSeconds - 4 * point) < 1e-9);
  assert.ok(Math.abs(p.finalSeconds - estimateSeconds(evaluationPlan(task, { ...final, dModel: 64 }), cost)) < 1e-9);
  assert.ok(p.finalSeconds > point, 'ten batches at three lengths cost more than one at two');
  assert.deepEqual(projectEvaluations(task, 64, 1000, {}, cost), { curvePoints: 0, curveSeconds: 0, finalSeconds: 0 });
  assert.ok(Math.abs(projectEvaluations(task, 64, 1000, { final, finalModels: 4 }, cost).finalSeconds - 4 * p.finalSeconds) < 1e-9, 'a run keeping three branches evaluates four models');
  assert.ok(Math.abs(projectEvaluations(task, 64, 1000, { curve, branchCurvePoints: 2 }, cost).curveSeconds - 6 * point) < 1e-9, "two of the four points also read a branch's own weights");
});

test("the curve's points in a later branch, where a run keeping its branches reads the branch's own too", () => {
  // steps 20..30 as three branches: updates 20-22, 23-25, 26-29; a point after s updates is the branch of update s - 1
  const r = { ...microParity(30), stages: [{ fromStep: 20, maxLength: 5, lr: 1e-3, branches: 3 }] };
  assert.equal(branchCurvePointCount(r, 2), 4, 'points at 24, 26, 28, 30');
  assert.equal(branchCurvePointCount(r, 4), 3, 'points at 24, 28 and the end');
  assert.equal(branchCurvePointCount(r, 7), 2, 'points at 28 and the end (30)');
  assert.equal(branchCurvePointCount(microParity(30), 2), 0, 'no branches, none');
});

test("timing the evaluations runs the recipe's network at the lengths asked; nothing to evaluate, nothing timed", async () => {
  const recipe = microParity(10);
  const cost = await timeEvaluations(recipe, { final: { lengths: [2, 5], examples: 16, batchSize: 16 } }, { cpuThreads: 1 });
  assert.ok(cost && cost.perBatch >= 0 && cost.perWork > 0, JSON.stringify(cost));
  assert.equal(await timeEvaluations(recipe, {}, { cpuThreads: 1 }), undefined);
});
