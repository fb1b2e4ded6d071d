// models/results.json's shape and the table models/README.md shows from it (`npm run check:models`
// writes both and checks that they still agree). Pure: the unit tests check the shipped README
// against the shipped results without measuring anything.
import { getTask, isTaskName } from '../../src/core/tasks';

export const TABLE_START = '<!-- check:models table: written by `npm run check:models -- --write` -->';
export const TABLE_END = '<!-- /check:models table -->';

/** The paper's headline per task (paper.md), shown beside ours. */
const PAPER_HEADLINE: Record<string, string> = {
  parity: 'near-perfect beyond 40 (trained ≤ 20)',
  copy: 'near-perfect at training max + 10',
  addition: 'near-perfect at training max + 10',
  binary_sum: 'test length 24',
  multiplication: 'test length n_b = 15',
  unique_set: 'test length 30',
};

export interface Row {
  length: number;
  oracle: number;
  paper: number;
  paperStep: number;
  calibrated: number;
}

export interface ModelResult {
  file: string;
  task: string;
  trainedMax: number;
  testLength: number;
  steps: number;
  minutes: number;
  /** The run's CPU time in minutes, where its record counted it. */
  cpuMinutes?: number;
  preset: string;
  seed: number;
  rows: Row[];
}

export interface Results {
  examples: number;
  seed: number;
  models: ModelResult[];
}

/** The task's lengths, when it has two (multiplication: ['n_a', 'n_b']), else undefined. */
function twoLengths(task: string): readonly [string, string] | undefined {
  const names = isTaskName(task) ? getTask(task).lengthNames : [];
  return names.length === 2 ? [names[0]!, names[1]!] : undefined;
}

/**
 * The name of the length a task's results are measured at: "n", or for multiplication "n_b" (the
 * evaluation holds n_a at 2, evaluate.ts).
 */
export function lengthNameOf(task: string): string {
  return twoLengths(task)?.[1] ?? 'n';
}

/** A plot's x axis: "input length n", or "input length n_b (n_a = 2)". */
export function lengthAxisLabel(task: string): string {
  const two = twoLengths(task);
  return two ? `input length ${two[1]} (${two[0]} = 2)` : 'input length n';
}

export const pct = (x: number) => `${(100 * x).toFixed(1)}%`;

/** One measurement as the table and the log show it: "n_b = 15: 97.7% / 98.4% / 98.4%". */
export function rowText(task: string, r: Row): string {
  return `${lengthNameOf(task)} = ${r.length}: ${pct(r.oracle)} / ${pct(r.paper)} / ${pct(r.calibrated)}`;
}

export function table(results: Results): string {
  const lengthsNote = [...new Set(results.models.map((m) => m.task))]
    .map((t) => [t, twoLengths(t)] as const)
    .map(([t, two]) => (two ? ` For ${t} the length is ${two[1]}, with ${two[0]} = 2.` : ''))
    .join('');
  const lines = [
    `${results.examples} random examples per length (seed ${results.seed}); oracle / the paper's rule (one step per length) / length-calibrated (the stepper's stop).${lengthsNote}`,
    '',
    '| task | model | trained on | at the longest training length | at the test length | at twice the training length | the paper |',
    '| --- | --- | --- | --- | --- | --- | --- |',
  ];
  for (const m of results.models) {
    const cell = (n: number) => {
      const r = m.rows.find((x) => x.length === n);
      return r ? rowText(m.task, r) : '–';
    };
    const plot = `[plot](plots/${m.task}.svg)`;
    lines.push(`| ${m.task} | \`${m.file}\` (${m.preset}, seed ${m.seed}, ${m.steps} steps, ${m.minutes} min${m.cpuMinutes === undefined ? '' : `, CPU time ${m.cpuMinutes} min`}) ${plot} | ${lengthNameOf(m.task)} ≤ ${m.trainedMax} | ${cell(m.trainedMax)} | ${cell(m.testLength)} | ${cell(2 * m.trainedMax)} | ${PAPER_HEADLINE[m.task] ?? ''} |`);
  }
  return lines.join('\n');
}

/** `readme` with its table (between TABLE_START and TABLE_END) made from `results`; appended under "## Shipped models" when it has none. */
export function readmeWithTable(readme: string, results: Results): string {
  const a = readme.indexOf(TABLE_START);
  const b = readme.indexOf(TABLE_END);
  const block = `${TABLE_START}\n${table(results)}\n${TABLE_END}`;
  if (a < 0 || b < a) return `${readme.trimEnd()}\n\n## Shipped models\n\n${block}\n`;
  return readme.slice(0, a) + block + readme.slice(b + TABLE_END.length);
}
