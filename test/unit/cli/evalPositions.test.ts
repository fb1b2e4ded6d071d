// looplens eval --positions: accuracy per answer position at T(n) and at the paper rule's step, and
// with --by-step at every loop step; on the shipped copy model the three views agree with each other
// and with the exact-match summary.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from './helpers';

const COPY = path.join(__dirname, '../../../models/copy.onnx');
const RUN = ['--examples', '24', '--batch', '12', '--ep', 'cpu', '--threads', '1'];

type Tally = { examples: number; correct: number[]; seen: number[] };
type Curve = { oracleStep: number; paperStep: number; accuracy: number[]; positions: number[][] };
type Row = { length: number; oracle: number; perBatch: number; perBatchStep: number };
const rate = (t: Tally) => t.correct.map((c, k) => c / t.seen[k]!);

test('eval --positions --by-step --json: the tallies at T(n) and at the paper rule\'s step are the step curve\'s positions at those steps', async () => {
  const r = await cli(['eval', COPY, '--lengths', '4,9', '--positions', '--by-step', '--json', ...RUN]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { summary: { rows: Row[] }; positions: Record<string, Tally>; paperPositions: Record<string, Tally>; byStep: Record<string, Curve> };
  for (const row of j.summary.rows) {
    const c = j.byStep[String(row.length)]!;
    const atT = j.positions[String(row.length)]!;
    const atP = j.paperPositions[String(row.length)]!;
    assert.equal(c.positions.length, c.accuracy.length, 'one row of positions per loop step');
    // copy's test rows are 2(n + 2) wide and the mask runs from '=' (position n) to the end: n + 4 positions
    assert.equal(atT.seen.length, row.length + 4);
    assert.deepEqual(atT.seen, atT.seen.map(() => 24), 'every example has every position');
    assert.deepEqual(c.positions[c.oracleStep - 1], rate(atT));
    assert.deepEqual(c.positions[c.paperStep - 1], rate(atP));
    assert.equal(c.paperStep, row.perBatchStep);
    c.positions.forEach((ps, i) => {
      assert.equal(ps.length, row.length + 4);
      for (const p of ps) assert.ok(p >= 0 && p <= 1);
      assert.ok(c.accuracy[i]! <= Math.min(...ps), 'an exact match needs every position right');
    });
    assert.ok(Math.min(...c.positions[0]!) < 1, 'one step cannot copy a whole input');
  }
});

test('eval --positions: a table at T(n), then one at the paper rule\'s step with that step per length', async () => {
  const r = await cli(['eval', COPY, '--lengths', '4,9', '--positions', ...RUN]);
  assert.equal(r.code, 0, r.err);
  const [, atT, atP] = r.out.split('accuracy (%) per masked position ');
  assert.match(atT!, /^at T\(n\);/);
  assert.match(atT!, /^length\s+\+0\s+\+1 .*\+12$/m, 'columns up to the longest row\'s last pad');
  assert.match(atP!, /^at the step the paper's rule picks \(step P\);/);
  assert.match(atP!, /^length\s+P\s+\+0\s+\+1 /m);
  assert.match(atP!, /^\s+4\s+\d+\s+\d+\s/m);
  assert.match(atP!, /^\s+9\s+\d+\s+\d+\s/m);
});

test('eval --positions --by-step: when each answer position forms, a row per position and a column per length', async () => {
  const r = await cli(['eval', COPY, '--lengths', '4,9', '--positions', '--by-step', ...RUN]);
  assert.equal(r.code, 0, r.err);
  const table = r.out.split('then its accuracy at T(n):')[1]!;
  assert.match(table, /^position\s+length 4 \(T 4\)\s+length 9 \(T 9\)$/m);
  const rows = table.split('\n').filter((l) => /^\+\d+ /.test(l));
  assert.equal(rows.length, 13, 'positions +0 .. +12 of the longer length');
  assert.match(rows[0]!, /^\+0\s+(\d+|-) · \d+%\s+(\d+|-) · \d+%$/);
  assert.match(rows[12]!, /^\+12\s+(\d+|-) · \d+%$/, 'only the longer length has +12');
});

test('eval --errors: every wrong answer position at T(n) named once, the kinds adding up to what the position tally counts wrong', async () => {
  // copy at 38, past its training lengths, where it is not always right
  const r = await cli(['eval', COPY, '--lengths', '30,38', '--positions', '--errors', '--json', ...RUN]);
  assert.equal(r.code, 0, r.err);
  const j = JSON.parse(r.out) as { positions: Record<string, Tally>; errors: Record<string, [string, number][]>; wrongExamples: Record<string, [string, number][]>; summary: { rows: { length: number; oracle: number }[] } };
  for (const n of ['30', '38']) {
    const t = j.positions[n]!;
    const wrong = t.seen.reduce((sum, seen, k) => sum + seen - t.correct[k]!, 0);
    const kinds = j.errors[n]!;
    assert.equal(kinds.reduce((sum, [, c]) => sum + c, 0), wrong, `n = ${n}`);
    assert.deepEqual(kinds.map(([, c]) => c), [...kinds.map(([, c]) => c)].sort((a, b) => b - a), 'most frequent first');
    // every example the oracle gets wrong is named once by its edit
    const oracle = j.summary.rows.find((row) => row.length === Number(n))!.oracle;
    const wrongExamples = (j.wrongExamples[n] ?? []).reduce((sum, [, c]) => sum + c, 0);
    assert.equal(wrongExamples, Math.round(t.examples * (1 - oracle)), `n = ${n}: wrong examples`);
  }
  assert.ok(j.errors['38']!.length > 0, 'copy is wrong somewhere at 38');
  const text = await cli(['eval', COPY, '--lengths', '38', '--errors', ...RUN]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /what the model wrote at the answer positions it got wrong at T\(n\):/);
  assert.match(text.out, /wrong positions\s+\d+/);
  assert.match(text.out, /the one edit that makes each wrong answer at T\(n\) right, where one does, else how many it takes:/);
  assert.match(text.out, /wrong examples\s+\d+/);
});
