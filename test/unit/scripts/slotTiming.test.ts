// scripts/slot-timing.ts (`npm run diagnose:slots`) on the shipped copy model: every scored position
// of every input is counted once under the step its program writes it, the exact match it prints
// is `looplens eval`'s oracle on the same inputs (at n = 38, where copy is not always right; multiplication at n_b with n_a = 2), each wrong example is named once by its edit, `--extra` reads past T(n), `--inputs distinct` draws inputs without repeats, and a task without hard or distinct inputs refuses them.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { evaluateParams, ORACLE } from '../../../src/core/eval/evaluate';
import { loadModel } from '../../../src/core/model/modelFile';

const root = path.resolve(__dirname, '../../..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/slot-timing.ts', ...args], { cwd: root, encoding: 'utf8' });

test('diagnose:slots counts each scored position once and prints the oracle exact match', async () => {
  const r = run('models/copy.onnx', '--length', '38', '--examples', '64', '--seed', '7');
  assert.equal(r.status, 0, r.stderr);
  const byStep = r.stdout.split('\n').filter((l) => /^\s+\d+\s+\d+\s+[\d.]+%$/.test(l));
  const positions = byStep.reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[1]), 0);
  const model = await loadModel(path.join(root, 'models/copy.onnx'));
  const width = model.task.widthFor([38]);
  const scored = width - 38; // copy: '=' at position n, scored to the row's end
  assert.equal(positions, 64 * scored);
  const oracle = (await evaluateParams(model.task, model.config, model.params, { lengths: [38], examples: 64, batchSize: 64, seed: 7, rules: [ORACLE], provider: 'cpu', cpuThreads: 1 })).summary.rows[0]!.oracle;
  assert.match(r.stdout, new RegExp(`exact match at step 38: ${(100 * oracle).toFixed(1)}%`));
  // every wrong position is named once in the closing list
  const right = byStep.reduce((sum, l) => { const [, n, acc] = l.trim().split(/\s+/); return sum + Math.round((Number(n) * parseFloat(acc!)) / 100); }, 0);
  const wrongHead = /what the model wrote at the (\d+) wrong answer positions:\n((?:\s+\d+\s+[\d.]+%\s+.+\n?)+)/.exec(r.stdout);
  assert.ok(wrongHead, r.stdout);
  const wrong = Number(wrongHead[1]);
  assert.equal(wrong, positions - right);
  assert.ok(wrong > 0, 'copy is not always right at 38');
  assert.equal(wrongHead[2]!.trim().split('\n').reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0]), 0), wrong);
  // every wrong example is named once by the edit that explains it
  const edits = /the one edit that makes each of the (\d+) wrong examples right, where one does, else how many it takes:\n((?:\s+\d+\s+[\d.]+%\s+.+\n?)+)/.exec(r.stdout);
  assert.ok(edits, r.stdout);
  assert.equal(Number(edits[1]), Math.round(64 * (1 - oracle)));
  assert.equal(edits[2]!.trim().split('\n').reduce((sum, l) => sum + Number(l.trim().split(/\s+/)[0]), 0), Number(edits[1]));
});

test('diagnose:slots reads --extra steps past T(n), and draws unique set\'s inputs without repeats with --inputs distinct', () => {
  const late = run('models/copy.onnx', '--length', '12', '--examples', '8', '--extra', '3');
  assert.equal(late.status, 0, late.stderr);
  assert.match(late.stdout, /read at step 15 \(the program's T\(n\): 12\)/);
  assert.match(late.stdout, /exact match at step 15: /);
  const negative = run('models/copy.onnx', '--length', '12', '--extra', '-1');
  assert.equal(negative.status, 1);
  assert.match(negative.stderr, /--extra must be a whole number of loop steps, 0 or more/);
  const distinct = run('models/unique_set.onnx', '--length', '10', '--examples', '16', '--inputs', 'distinct');
  assert.equal(distinct.status, 0, distinct.stderr);
  assert.match(distinct.stdout, /n = 10, 16 distinct inputs/);
  // without repeats the program writes input element t - 1 at step t, so answer slot +k at step k + 1
  const byStep = distinct.stdout.split('\n').filter((l) => /^\s+\d+\s+\d+\s+[\d.]+%$/.test(l)).map((l) => l.trim().split(/\s+/).map(Number.parseFloat));
  for (let step = 2; step <= 10; step++) assert.equal(byStep.find(([s]) => s === step)?.[1], 16, `step ${step} writes one slot of each input`);
  const copyDistinct = run('models/copy.onnx', '--length', '12', '--inputs', 'distinct');
  assert.equal(copyDistinct.status, 1);
  assert.match(copyDistinct.stderr, /copy has no distinct inputs; use --inputs uniform/);
});

test('diagnose:slots refuses hard inputs for a task without them, and a missing length', () => {
  const hard = run('models/copy.onnx', '--length', '12', '--inputs', 'hard');
  assert.equal(hard.status, 1);
  assert.match(hard.stderr, /copy has no hard inputs; use --inputs uniform/);
  const noLength = run('models/copy.onnx');
  assert.equal(noLength.status, 1);
  assert.match(noLength.stderr, /--length must be a positive integer/);
});

test('diagnose:slots reads multiplication at n_b with n_a = 2, as `looplens eval` does, and prints the oracle exact match', async () => {
  const r = run('models/multiplication.onnx', '--length', '15', '--examples', '64', '--seed', '7');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /n_a = 2, n_b = 15, 64 uniform inputs/);
  const model = await loadModel(path.join(root, 'models/multiplication.onnx'));
  const oracle = (await evaluateParams(model.task, model.config, model.params, { lengths: [15], examples: 64, batchSize: 64, seed: 7, rules: [ORACLE], provider: 'cpu', cpuThreads: 1 })).summary.rows[0]!.oracle;
  assert.match(r.stdout, new RegExp(`exact match at step \\d+: ${(100 * oracle).toFixed(1)}%`));
});
