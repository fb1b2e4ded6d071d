// The models report's table and plots (scripts/support/modelsTable.ts, accuracyPlot.ts): each task's
// results are labelled with the length they are measured at (multiplication's is n_b, with n_a = 2),
// and the shipped models/README.md table is the one models/results.json gives — the half of
// `npm run check:models` that needs no measurement.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { accuracyPlotSvg } from '../../../scripts/support/accuracyPlot';
import { lengthAxisLabel, lengthNameOf, readmeWithTable, table, TABLE_END, TABLE_START, type ModelResult, type Results } from '../../../scripts/support/modelsTable';

const row = (length: number, p: number) => ({ length, oracle: p, paper: p, paperStep: 0, calibrated: p });
const model = (task: string, trainedMax: number, testLength: number): ModelResult => ({
  file: `${task}.onnx`,
  task,
  trainedMax,
  testLength,
  steps: 100,
  minutes: 1.5,
  preset: 'cpu',
  seed: 0,
  rows: [row(trainedMax, 1), row(testLength, 0.5), row(2 * trainedMax, 0.25)],
});

test('the length a task is measured at: n, or n_b for multiplication (n_a = 2)', () => {
  assert.equal(lengthNameOf('parity'), 'n');
  assert.equal(lengthNameOf('multiplication'), 'n_b');
  assert.equal(lengthNameOf('no_such_task'), 'n');
  assert.equal(lengthAxisLabel('copy'), 'input length n');
  assert.equal(lengthAxisLabel('multiplication'), 'input length n_b (n_a = 2)');
});

test('the table names each row by its task\'s length', () => {
  const t = table({ examples: 64, seed: 1, models: [model('multiplication', 11, 15), model('parity', 20, 40)] });
  const lines = t.split('\n');
  assert.match(lines[0]!, /^64 random examples per length \(seed 1\); .* For multiplication the length is n_b, with n_a = 2\.$/);
  const mul = lines.find((l) => l.startsWith('| multiplication |'))!;
  assert.match(mul, /\| n_b ≤ 11 \| n_b = 11: 100\.0% \/ 100\.0% \/ 100\.0% \| n_b = 15: 50\.0% \/ 50\.0% \/ 50\.0% \| n_b = 22: 25\.0% \/ 25\.0% \/ 25\.0% \| test length n_b = 15 \|$/);
  const par = lines.find((l) => l.startsWith('| parity |'))!;
  assert.match(par, /\| n ≤ 20 \| n = 20: 100\.0% .* \| n = 40: 50\.0% .* \| n = 40: 50\.0% /);
  assert.doesNotMatch(par, /n_b/);
  // without a two-length task there is no note
  assert.doesNotMatch(table({ examples: 64, seed: 1, models: [model('parity', 20, 40)] }), /n_a/);
});

test("a model's CPU time, where its record counted it, stands beside its wall time", () => {
  const cell = (m: ModelResult) => table({ examples: 64, seed: 1, models: [m] }).split('\n').find((l) => l.startsWith('| parity |'))!;
  assert.match(cell({ ...model('parity', 20, 40), cpuMinutes: 2.5 }), /`parity\.onnx` \(cpu, seed 0, 100 steps, 1\.5 min, CPU time 2\.5 min\)/);
  assert.match(cell(model('parity', 20, 40)), /`parity\.onnx` \(cpu, seed 0, 100 steps, 1\.5 min\)/);
});

test('readmeWithTable replaces only the marked block, or appends one', () => {
  const results: Results = { examples: 64, seed: 1, models: [model('copy', 19, 30)] };
  const readme = `# Models\n\ntext\n\n${TABLE_START}\nold table\n${TABLE_END}\n\nafter\n`;
  const next = readmeWithTable(readme, results);
  assert.equal(next, `# Models\n\ntext\n\n${TABLE_START}\n${table(results)}\n${TABLE_END}\n\nafter\n`);
  assert.equal(readmeWithTable(next, results), next);
  assert.equal(readmeWithTable('# Models\n', results), `# Models\n\n## Shipped models\n\n${TABLE_START}\n${table(results)}\n${TABLE_END}\n`);
});

test('the shipped models/README.md table is the one models/results.json gives', () => {
  const results = JSON.parse(fs.readFileSync('models/results.json', 'utf8')) as Results;
  const readme = fs.readFileSync('models/README.md', 'utf8');
  assert.equal(readmeWithTable(readme, results), readme, 'run `npm run check:models -- --write`, or fix the table by hand');
});

test('the plot\'s x axis is labelled (default input length n); the shipped plots carry their task\'s label', () => {
  const base = { title: 'T', trainedMax: 5, series: [{ label: 'oracle T(n)', color: '#000', points: [{ x: 1, y: 1 }, { x: 10, y: 0.5 }] }] };
  assert.match(accuracyPlotSvg(base), />input length n<\/text>/);
  assert.match(accuracyPlotSvg({ ...base, xLabel: 'input length n_b (n_a = 2)' }), />input length n_b \(n_a = 2\)<\/text>/);
  assert.match(accuracyPlotSvg({ ...base, xLabel: '<n>' }), />&lt;n&gt;<\/text>/);
  const results = JSON.parse(fs.readFileSync('models/results.json', 'utf8')) as Results;
  for (const m of results.models) {
    const svg = fs.readFileSync(`models/plots/${m.task}.svg`, 'utf8');
    assert.ok(svg.includes(` text-anchor="middle">${lengthAxisLabel(m.task)}</text>`), m.task);
  }
});
