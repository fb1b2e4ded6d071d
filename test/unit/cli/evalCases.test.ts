// looplens eval --cases: accuracy per case label, oracle / paper rule (table) and every rule's right
// answers (JSON), on a small unique-set model file and on hand-built counts where the rules
// disagree; and a clear refusal for a model whose task has no case split.
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
import { printCaseTable } from '../../../src/cli/support/training';
import type { CliContext } from '../../../src/cli/framework/command';
import type { CaseCount } from '../../../src/core/eval/caseTally';
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

test('eval --cases: a row per length, a column per case, "oracle / paper rule of N"; the same counts, per-example too, in --json', async () => {
  const file = await uniqueSetModel();
  const io = memoryIO();
  assert.equal(await runCli(['eval', file, '--cases', '--lengths', '4,9', '--examples', '24', '--batch', '12', '--ep', 'cpu', '--threads', '1'], commands, io), 0, io.err());
  assert.match(io.out(), /exact match by repeated elements, oracle \/ paper rule \(each cell: accuracy of the N examples of that case at T\(n\), then at the step the paper rule picks for the length\):/);
  assert.match(io.out(), /^length\s+0\s+1\s+2\+\s*$/m);
  for (const n of [4, 9]) {
    const row = new RegExp(`^\\s+${n}\\s+(.*)$`, 'm').exec(io.out().split('by repeated elements')[1]!);
    assert.ok(row, `a row for n=${n}`);
    const cells = [...row[1]!.matchAll(/(\d+\.\d)% \/ (\d+\.\d)% of (\d+)|-/g)];
    assert.equal(cells.length, 3, row[1]);
    assert.equal(cells.reduce((s, c) => s + Number(c[3] ?? 0), 0), 24, `n=${n}: every example in one case`);
  }

  const js = memoryIO();
  assert.equal(await runCli(['eval', file, '--cases', '--lengths', '9', '--examples', '24', '--batch', '12', '--ep', 'cpu', '--threads', '1', '--json'], commands, js), 0, js.err());
  type Count = { label: string; examples: number; correct: number; paperRule: number; perExample: number };
  const j = JSON.parse(js.out()) as { summary: { rows: { perBatch: number; perExample: number }[] }; cases: { title: string; labels: string[]; rules: Record<string, string>; byLength: Record<string, Count[]> } };
  assert.equal(j.cases.title, 'repeated elements');
  assert.deepEqual(j.cases.rules, { correct: 'oracle T(n)', paperRule: 'max-confidence over the test set (paper)', perExample: 'max-confidence per example (mean over answer)' });
  assert.deepEqual(j.cases.labels, ['0', '1', '2+']);
  const at9 = j.cases.byLength['9']!;
  assert.deepEqual(at9.map((c) => c.label), ['0', '1', '2+']);
  assert.equal(at9.reduce((s, c) => s + c.examples, 0), 24);
  // every rule's right answers, adding up to its accuracy in the summary
  for (const c of at9) for (const k of ['correct', 'paperRule', 'perExample'] as const) assert.ok(Number.isInteger(c[k]) && c[k] >= 0 && c[k] <= c.examples, `${c.label} ${k}: ${JSON.stringify(c)}`);
  assert.equal(at9.reduce((s, c) => s + c.paperRule, 0), Math.round(24 * j.summary.rows[0]!.perBatch));
  assert.equal(at9.reduce((s, c) => s + c.perExample, 0), Math.round(24 * j.summary.rows[0]!.perExample));
  // the same seed, so the same examples as the table's n=9 row
  const tableRow = /^\s+9\s+(.*)$/m.exec(io.out().split('by repeated elements')[1]!)![1]!;
  assert.deepEqual([...tableRow.matchAll(/of (\d+)/g)].map((m) => Number(m[1])), at9.filter((c) => c.examples > 0).map((c) => c.examples));
});

/** What printCaseTable prints, through a context that only prints. */
function printed(cases: Map<number, CaseCount[]>): string {
  const lines: string[] = [];
  printCaseTable({ print: (l = '') => lines.push(l) } as unknown as CliContext, getTask('unique_set').cases!, cases);
  return lines.join('\n');
}

test('the case table: each cell the oracle, then the paper rule, of N; the oracle alone when the paper rule was not scored', () => {
  const c = (label: string, examples: number, correct: number, paperRule?: number) => ({ label, examples, correct, ...(paperRule === undefined ? {} : { paperRule, perExample: 0 }) });
  const both = printed(new Map([[9, [c('0', 40, 40, 0), c('1', 16, 0, 16), c('2+', 0, 0, 0)]], [4, [c('0', 50, 25, 50), c('1', 6, 3, 0), c('2+', 0, 0, 0)]]]));
  assert.match(both, /oracle \/ paper rule/);
  assert.match(both, /^\s+4\s+50\.0% \/ 100\.0% of 50\s+50\.0% \/ 0\.0% of 6\s+-$/m);
  assert.match(both, /^\s+9\s+100\.0% \/ 0\.0% of 40\s+0\.0% \/ 100\.0% of 16\s+-$/m);
  assert.ok(both.indexOf('  4  ') < both.indexOf('  9  '), 'lengths ascending');
  assert.match(both, /--json has each case's right answers under every rule scored/);
  const oracleOnly = printed(new Map([[9, [c('0', 40, 30), c('1', 16, 4), c('2+', 0, 0)]]]));
  assert.match(oracleOnly, /exact match at T\(n\) by repeated elements \(each cell: accuracy of the N examples of that case\):/);
  assert.match(oracleOnly, /^\s+9\s+75\.0% of 40\s+25\.0% of 16\s+-$/m);
  assert.doesNotMatch(oracleOnly, / \/ /);
});

test('eval --cases on a task without a split: says so and which tasks have one, exit 2', async () => {
  const io = memoryIO();
  assert.equal(await runCli(['eval', COPY, '--cases', '--lengths', '5', '--examples', '8'], commands, io), 2);
  assert.match(io.err(), /eval: --cases: copy has no case split; tasks with one: addition, multiplication, unique_set/);
  assert.doesNotMatch(io.err(), /\n\s+at .+:\d+:\d+/, 'no stack trace');
  assert.equal(io.out(), '', 'nothing evaluated');
});
