// Oracle accuracy per case label: the pure tally, and evaluateWith's `cases` option on a stand-in
// model whose failures are known, checked against the report's own oracle counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { emptyCaseTally, tallyCases } from '../../../src/core/eval/caseTally';
import { evaluateWith, ORACLE, PER_EXAMPLE } from '../../../src/core/eval/evaluate';
import type { LoopedSession } from '../../../src/core/infer/loopedSession';
import { getTask, type Task } from '../../../src/core/tasks';
import type { LoopedConfig } from '../../../src/core/model/config';

const uniqueSet = getTask('unique_set');
const split = uniqueSet.cases!;

test('case tally: examples and correct per label, in the labels order, over several batches', () => {
  const rows = ['26 22 2 2 1', '1 2 3', '5 5 5', '4 4 1', '9 8'].map((t) => uniqueSet.fromText(t));
  const tally = tallyCases(emptyCaseTally(split), split, rows, [1, 1, 0, 0, 1]);
  assert.deepEqual(tally, [
    { label: '0', examples: 2, correct: 2 },
    { label: '1', examples: 2, correct: 1 },
    { label: '2+', examples: 1, correct: 0 },
  ]);
  tallyCases(tally, split, [uniqueSet.fromText('3 3 3 3')], Uint8Array.of(1));
  assert.deepEqual(tally[2], { label: '2+', examples: 2, correct: 1 });
  assert.throws(() => tallyCases(tally, split, rows, [1]), /expected 5 correct flags, got 1/);
  const odd = { ...split, of: () => 'many' };
  assert.throws(() => tallyCases(emptyCaseTally(split), odd, rows, [0, 0, 0, 0, 0]), /case "many" is not a label of the repeated elements split \(0, 1, 2\+\)/);
});

/**
 * A stand-in session that "copies" a unique-set input (the answer it gives is the input itself, then
 * pads): right exactly on the inputs without repeats, the failure `--cases` is there to show.
 */
function copyingSession(config: LoopedConfig): LoopedSession {
  const run = async (tokens: BigInt64Array, batch: number, width: number, steps: number) => {
    const V = config.vocabSize;
    const data = new Float32Array(steps * batch * width * V);
    for (let b = 0; b < batch; b++) {
      const row = Array.from(tokens.subarray(b * width, (b + 1) * width), Number);
      const eq = row.indexOf(uniqueSet.tokens.equals);
      for (let w = 0; w < width; w++) {
        const k = w - eq; // answer position k holds input element k
        const cls = k >= 0 && k < eq ? row[k]! : uniqueSet.tokens.pad;
        for (let t = 0; t < steps; t++) data[((t * batch + b) * width + w) * V + cls] = 5;
      }
    }
    return { data, steps, batch, width, vocab: V };
  };
  return { config, run } as unknown as LoopedSession;
}

test('evaluation with cases: oracle right/wrong per label, the same with or without the oracle scored; none when off or without a split', async () => {
  const config: LoopedConfig = { vocabSize: 60, d: 16, layers: 1, heads: 2, readIn: 'embedding', inputInjection: true };
  const session = copyingSession(config);
  const opts = { lengths: [3, 8], examples: 40, batchSize: 16, seed: 3, cases: true };
  const r = await evaluateWith(uniqueSet, session, { ...opts, rules: [ORACLE, PER_EXAMPLE] });
  for (const n of [3, 8]) {
    const [none, one, more] = r.cases!.get(n)!;
    assert.deepEqual([none!.label, one!.label, more!.label], ['0', '1', '2+']);
    assert.equal(none!.examples + one!.examples + more!.examples, 40);
    assert.equal(none!.correct, none!.examples, `n=${n}: a copy is right without repeats`);
    assert.equal(one!.correct + more!.correct, 0, `n=${n}: and wrong with them`);
    const oracle = r.report.table().find((row) => row.length === n)!.rules.find((s) => s.rule.kind === 'oracle')!;
    assert.equal(oracle.correct, none!.correct, `n=${n}: the split adds up to the oracle's accuracy`);
  }
  // 8 draws from 50 elements repeat one often enough that every case is seen
  assert.ok(r.cases!.get(8)!.every((c) => c.examples > 0), JSON.stringify(r.cases!.get(8)));
  const withoutOracle = await evaluateWith(uniqueSet, session, { ...opts, rules: [PER_EXAMPLE] });
  assert.deepEqual(withoutOracle.cases, r.cases, 'without the oracle rule the split reads exact match at T(n) itself');
  assert.equal((await evaluateWith(uniqueSet, session, { ...opts, cases: false, rules: [ORACLE] })).cases, undefined);
  const noSplit: Task = { ...uniqueSet, cases: undefined };
  assert.equal((await evaluateWith(noSplit, session, { ...opts, rules: [ORACLE] })).cases, undefined);
});
