// scripts/dropped-answers.ts (`npm run diagnose:drops`) on the shipped unique set model past its
// training lengths: the examples that leave one answer out are counted and examined up to --limit,
// and the changes that bring an answer back are counted among those made; other tasks are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/dropped-answers.ts', ...args], { cwd: root, encoding: 'utf8' });

test('diagnose:drops examines the examples that leave one answer out, up to --limit', () => {
  const r = run('models/unique_set.onnx', '--length', '48', '--inputs', 'distinct', '--examples', '64', '--limit', '3');
  assert.equal(r.status, 0, r.stderr);
  const head = /(\d+) examples leave one answer out; (\d+) examined/.exec(r.stdout);
  assert.ok(head, r.stdout);
  const [leftOut, examined] = [Number(head[1]), Number(head[2])];
  assert.ok(leftOut > 0, 'the model trained to 24 leaves answers out at 48, twice that, on inputs without repeats');
  assert.equal(examined, Math.min(leftOut, 3));
  const own = /brings its answer back in (\d+) of (\d+)/.exec(r.stdout);
  assert.ok(own, r.stdout);
  assert.ok(Number(own[1]) <= Number(own[2]) && Number(own[2]) === examined, 'inputs without repeats hold every value once: each dropped element is changed');
  const perExample = /per example \(count: examples\): (.*); mean/.exec(r.stdout);
  assert.ok(perExample, r.stdout);
  assert.equal(perExample[1]!.split(', ').reduce((sum, c) => sum + Number(c.split(': ')[1]), 0), examined);
});

test('diagnose:drops refuses a model of another task, and bad inputs', () => {
  const copy = run('models/copy.onnx', '--length', '12');
  assert.equal(copy.status, 1);
  assert.match(copy.stderr, /changes unique set's elements; copy.onnx is a Copy model/);
  const bad = run('models/unique_set.onnx', '--length', '12', '--inputs', 'sorted');
  assert.equal(bad.status, 1);
  assert.match(bad.stderr, /--inputs must be uniform, distinct or hard, got sorted/);
});
