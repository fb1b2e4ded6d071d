// scripts/twin-attention.ts (`npm run diagnose:twins`) on the shipped unique set model: per head, the
// attention repeats put on their twins and answer slots on their answers, by input position, and the
// wavefront step by step (every mass a share of a softmax row); other tasks and bad options are refused.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';

const root = path.resolve(__dirname, '../../..');
const run = (...args: string[]) => spawnSync(process.execPath, ['--import', 'tsx', 'scripts/twin-attention.ts', ...args], { cwd: root, encoding: 'utf8' });

test('diagnose:twins reads the twins, the answer slots and the wavefront of every step', () => {
  const r = run('models/unique_set.onnx', '--length', '12', '--examples', '16', '--heads', '2', '--block', '4');
  assert.equal(r.status, 0, r.stderr);
  assert.match(r.stdout, /n = 12, 16 uniform inputs \(seed 1234\), attention at step 12 of T\(n\) = 12/);
  assert.equal((r.stdout.match(/^layer \d head \d+ \(separation -?\d+\.\d points\); by the query's input position:$/gm) ?? []).length, 2, r.stdout);
  assert.equal((r.stdout.match(/^layer \d head \d+ \(separation -?\d+\.\d points\); by the input position of the answer's first occurrence:$/gm) ?? []).length, 2, r.stdout);
  assert.equal((r.stdout.match(/^ {2}positions {10} {6}0-3 {6}4-7 {5}8-11$/gm) ?? []).length, 4, 'three blocks of four positions in each table');
  const slots = [...r.stdout.matchAll(/^ {2}slots {14}(.*)$/gm)].map((m) => m[1]!.trim().split(/\s+/).map(Number));
  assert.equal(slots.length, 2);
  assert.ok(slots.every((s) => s.length === 3 && s.reduce((a, b) => a + b, 0) > 16), 'every example has answers in some block');
  const wave = [...r.stdout.matchAll(/step (\d+): (\d+\.\d)% \(layer (\d) head (\d+)\)/g)];
  assert.deepEqual(wave.map((m) => Number(m[1])), Array.from({ length: 12 }, (_, i) => i + 1), 'one wavefront figure per loop step');
  assert.ok(wave.every((m) => Number(m[2]) >= 0 && Number(m[2]) <= 100 && Number(m[3]) <= 3 && Number(m[4]) <= 16), r.stdout);
  const masses = [...r.stdout.matchAll(/^ {2}(?:twin mass \(repeat\)|false twin \(first\)|answer mass|largest other) +(.*)$/gm)].flatMap((m) => m[1]!.trim().split(/\s+/));
  assert.ok(masses.length > 0 && masses.every((v) => v === '–' || (/^\d+\.\d%$/.test(v) && parseFloat(v) <= 100)), masses.join(' '));
});

test('diagnose:twins refuses a model of another task, and a step past T(n)', () => {
  const copy = run('models/copy.onnx', '--length', '12');
  assert.equal(copy.status, 1);
  assert.match(copy.stderr, /reads unique set's repeated elements; copy.onnx is a Copy model/);
  const late = run('models/unique_set.onnx', '--length', '8', '--step', '9');
  assert.equal(late.status, 1);
  assert.match(late.stderr, /--step must be at most T\(n\) = 8/);
});
