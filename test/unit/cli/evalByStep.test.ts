// looplens eval --by-step: accuracy and the paper rule's confidence at every loop step, on the
// shipped copy model; the curve agrees with the summary's oracle (at T(n)) and paper rule (at its step).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from './helpers';

const COPY = path.join(__dirname, '../../../models/copy.onnx');
const RUN = ['--examples', '24', '--batch', '12', '--ep', 'cpu', '--threads', '1'];

type Curve = { oracleStep: number; paperStep: number; accuracy: number[]; score: number[] };
type Row = { length: number; oracle: number; perBatch: number; perBatchStep: number };

test('eval --by-step --json: a curve per length up to T(n) + 20 steps that reads the oracle at T(n) and the paper rule at its step', async () => {
  const r = await cli(['eval', COPY, '--lengths', '4,9', '--by-step', '--json', ...RUN]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { summary: { rows: Row[] }; byStep: Record<string, Curve> };
  assert.deepEqual(Object.keys(j.byStep), ['4', '9']);
  for (const row of j.summary.rows) {
    const c = j.byStep[String(row.length)]!;
    assert.equal(c.oracleStep, row.length, 'copy: T(n) = n');
    assert.equal(c.accuracy.length, row.length + 20);
    assert.equal(c.score.length, row.length + 20);
    assert.equal(c.paperStep, row.perBatchStep);
    assert.equal(c.accuracy[c.oracleStep - 1], row.oracle);
    assert.equal(c.accuracy[c.paperStep - 1], row.perBatch);
    assert.equal(Math.min(...c.score), c.score[c.paperStep - 1], 'the paper rule picks the lowest score');
    assert.equal(c.accuracy[0], 0, 'one step cannot copy a whole input');
  }
});

test('eval --by-step: a row per step, a column per length, T(n) and the paper rule\'s step marked', async () => {
  const r = await cli(['eval', COPY, '--lengths', '4,9', '--by-step', ...RUN]);
  assert.equal(r.code, 0, r.err);
  const table = r.out.split('the step the paper\'s rule picks:')[1]!;
  assert.match(table, /^step\s+length 4\s+length 9$/m);
  const rows = table.split('\n').filter((l) => /^\s+\d+ /.test(l));
  assert.equal(rows.length, 29, 'steps 1 .. 9 + 20');
  assert.match(rows[3]!, /^\s+4\s+\d+\.\d \d\.\d{3} T/, 'T(4) = 4');
  assert.match(rows[8]!, /^\s+9\s+\d+\.\d \d\.\d{3}(?: P)?\s+\d+\.\d \d\.\d{3} T/, 'T(9) = 9');
  assert.match(rows[28]!, /^\s+29\s+\d+\.\d \d\.\d{3}(?: [TP]+)?$/, 'only the longer length reaches step 29');
  assert.equal(table.match(/ P/g)?.length, 2, "one paper-rule step per length");
});
