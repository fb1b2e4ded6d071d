// looplens eval --cases: oracle accuracy per case label (table and JSON) on a small unique-set model
// file, and a clear refusal for a model whose task has no case split.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { saveModel } from '../../../src/core/model/modelFile';
import { initParams } from '../../../src/core/model/params';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import type { LoopedConfig } from '../../../src/core/model/config';
import { memoryIO } from './helpers';
import { tmpDir } from '../../support/tmpDir';

const COPY = path.join(__dirname, '../../../models/copy.onnx');

async function uniqueSetModel(): Promise<string> {
  const file = path.join(tmpDir('looplens-evalcases-'), 'uset.onnx');
  const config: LoopedConfig = { vocabSize: 60, d: 16, layers: 1, heads: 2, readIn: 'embedding', inputInjection: true };
  const rng = new Rng(4);
  const training = { preset: 'test', recipe: {}, stepsCompleted: 0, seed: 0, elapsedSeconds: 0, finalLoss: null, provider: 'cpu', finishedAt: '', lossCurve: [] };
  await saveModel(file, { task: getTask('unique_set'), config, params: initParams(config, () => rng.float()), training });
  return file;
}

test('eval --cases: a row per length, a column per case, accuracy of the count; the same counts in --json', async () => {
  const file = await uniqueSetModel();
  const io = memoryIO();
  assert.equal(await runCli(['eval', file, '--cases', '--lengths', '4,9', '--examples', '24', '--batch', '12', '--ep', 'cpu', '--threads', '1'], commands, io), 0, io.err());
  assert.match(io.out(), /exact match at T\(n\) by repeated elements \(each cell: accuracy of the N examples of that case\):/);
  assert.match(io.out(), /^length\s+0\s+1\s+2\+\s*$/m);
  for (const n of [4, 9]) {
    const row = new RegExp(`^\\s+${n}\\s+(.*)$`, 'm').exec(io.out().split('by repeated elements')[1]!);
    assert.ok(row, `a row for n=${n}`);
    const cells = [...row[1]!.matchAll(/(\d+\.\d)% of (\d+)|-/g)];
    assert.equal(cells.length, 3, row[1]);
    assert.equal(cells.reduce((s, c) => s + Number(c[2] ?? 0), 0), 24, `n=${n}: every example in one case`);
  }

  const js = memoryIO();
  assert.equal(await runCli(['eval', file, '--cases', '--lengths', '9', '--examples', '24', '--batch', '12', '--ep', 'cpu', '--threads', '1', '--json'], commands, js), 0, js.err());
  const j = JSON.parse(js.out()) as { cases: { title: string; labels: string[]; byLength: Record<string, { label: string; examples: number; correct: number }[]> } };
  assert.equal(j.cases.title, 'repeated elements');
  assert.deepEqual(j.cases.labels, ['0', '1', '2+']);
  const at9 = j.cases.byLength['9']!;
  assert.deepEqual(at9.map((c) => c.label), ['0', '1', '2+']);
  assert.equal(at9.reduce((s, c) => s + c.examples, 0), 24);
  // the same seed, so the same examples as the table's n=9 row
  const tableRow = /^\s+9\s+(.*)$/m.exec(io.out().split('by repeated elements')[1]!)![1]!;
  assert.deepEqual([...tableRow.matchAll(/of (\d+)/g)].map((m) => Number(m[1])), at9.filter((c) => c.examples > 0).map((c) => c.examples));
});

test('eval --cases on a task without a split: says so and which tasks have one, exit 2', async () => {
  const io = memoryIO();
  assert.equal(await runCli(['eval', COPY, '--cases', '--lengths', '5', '--examples', '8'], commands, io), 2);
  assert.match(io.err(), /eval: --cases: copy has no case split; tasks with one: addition, multiplication, unique_set/);
  assert.doesNotMatch(io.err(), /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.equal(io.out(), '', 'nothing evaluated');
});
