// Accuracy per case label: the pure tally, and evaluateWith's `cases` option on stand-in models
// whose failures are known (one on which the oracle and the adaptive rules disagree by case),
// checked against the report's own counts.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { caseLabels, emptyCaseTally, tallyCases, tallyRule } from '../../../src/core/eval/caseTally';
import { evaluateWith, ORACLE, PER_BATCH, PER_EXAMPLE } from '../../../src/core/eval/evaluate';
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

/** Sets logit `logit` for class `cls` at 0-based step `t` and row position `w` of the current example. */
type SetLogit = (t: number, w: number, cls: number, logit: number) => void;

/**
 * A stand-in session whose logits `write` fills per example from its row (zero elsewhere): `items`
 * are the input elements before '=', at row position `eq`.
 */
function standInSession(config: LoopedConfig, write: (items: number[], eq: number, width: number, steps: number, set: SetLogit) => void): LoopedSession {
  const run = async (tokens: BigInt64Array, batch: number, width: number, steps: number) => {
    const V = config.vocabSize;
    const data = new Float32Array(steps * batch * width * V);
    for (let b = 0; b < batch; b++) {
      const row = Array.from(tokens.subarray(b * width, (b + 1) * width), Number);
      const eq = row.indexOf(uniqueSet.tokens.equals);
      write(row.slice(0, eq), eq, width, steps, (t, w, cls, logit) => (data[((t * batch + b) * width + w) * V + cls] = logit));
    }
    return { data, steps, batch, width, vocab: V };
  };
  return { config, run } as unknown as LoopedSession;
}

/**
 * A stand-in session that "copies" a unique-set input (the answer it gives is the input itself, then
 * pads): right exactly on the inputs without repeats, the failure `--cases` is there to show.
 */
function copyingSession(config: LoopedConfig): LoopedSession {
  return standInSession(config, (items, eq, width, steps, set) => {
    for (let w = 0; w < width; w++) {
      const k = w - eq; // answer position k holds input element k
      const cls = k >= 0 && k < eq ? items[k]! : uniqueSet.tokens.pad;
      for (let t = 0; t < steps; t++) set(t, w, cls, 5);
    }
  });
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

test('a rule\'s right answers per case: added by the labels kept in order, zero when scored but never right, never more than the examples', () => {
  const rows = ['1 2 3', '5 5 5', '4 4 1', '9 8'].map((t) => uniqueSet.fromText(t));
  const tally = tallyCases(emptyCaseTally(split, ['paperRule']), split, rows, [1, 0, 0, 1]);
  assert.deepEqual(tally.map((c) => c.paperRule), [0, 0, 0], 'scored: every label reads 0 before any answer');
  assert.equal(tally[0]!.perExample, undefined, 'not scored: absent');
  const labels = caseLabels(split, rows);
  assert.deepEqual(labels, ['0', '2+', '1', '0']);
  // the paper's rule is right exactly where the oracle is wrong
  tallyRule(tally, split, 'paperRule', labels, Uint8Array.of(0, 1, 1, 0));
  tallyRule(tally, split, 'perExample', labels, [1, 1, 0, 0]);
  assert.deepEqual(tally, [
    { label: '0', examples: 2, correct: 2, paperRule: 0, perExample: 1 },
    { label: '1', examples: 1, correct: 0, paperRule: 1, perExample: 0 },
    { label: '2+', examples: 1, correct: 0, paperRule: 1, perExample: 1 },
  ]);
  assert.throws(() => tallyRule(tally, split, 'paperRule', labels, [1]), /expected 4 paperRule flags, got 1/);
  assert.throws(() => tallyRule(tally, split, 'paperRule', ['many'], [1]), /case "many" is not a label/);
  // labels tallied twice (or without their examples) cannot make more right than there are inputs
  assert.throws(() => tallyRule(tally, split, 'paperRule', ['1'], [1]), /case "1": 2 right under paperRule of 1 examples/);
});

/**
 * A stand-in session on which the rules disagree by case: at T(n) = n it copies the input (right
 * only without repeats; very confident there, unsure with repeats), at step n + 2 it gives the
 * unique set of inputs with repeats and all pads for the others (right only with repeats; fairly
 * confident for all), and knows nothing at any other step. The paper's rule, one step for the whole
 * length, takes n + 2 (where the summed confidence is highest whenever some input repeats); each
 * input alone takes its own most confident step, which is right for both kinds.
 */
function splitMindedSession(config: LoopedConfig): LoopedSession {
  return standInSession(config, (items, eq, width, _steps, set) => {
    const distinct = [...new Set(items)];
    const repeats = distinct.length < items.length;
    for (let w = 0; w < width; w++) {
      const k = w - eq;
      set(eq - 1, w, k >= 0 && k < eq ? items[k]! : uniqueSet.tokens.pad, repeats ? 5 : 30); // step n (0-based n - 1)
      set(eq + 1, w, !repeats ? uniqueSet.tokens.pad : k >= 0 && k < distinct.length ? distinct[k]! : uniqueSet.tokens.pad, 20); // step n + 2
    }
  });
}

test('evaluation with cases: the paper rule and the per-example rule counted per case where they disagree with the oracle, tallied in add order', async () => {
  const config: LoopedConfig = { vocabSize: 60, d: 16, layers: 1, heads: 2, readIn: 'embedding', inputInjection: true };
  const r = await evaluateWith(uniqueSet, splitMindedSession(config), { lengths: [8, 12], examples: 40, batchSize: 16, seed: 3, cases: true });
  for (const n of [8, 12]) {
    assert.equal(r.report.meanStep(n, PER_BATCH), n + 2, `n=${n}: the paper's rule reads step n + 2 for the whole length`);
    const [none, one, more] = r.cases!.get(n)!;
    assert.ok(none!.examples > 0 && one!.examples + more!.examples > 0, JSON.stringify(r.cases!.get(n)));
    // oracle: right without repeats only; paper rule: right with repeats only; per example: right on all
    assert.deepEqual(r.cases!.get(n), [
      { label: '0', examples: none!.examples, correct: none!.examples, paperRule: 0, perExample: none!.examples },
      { label: '1', examples: one!.examples, correct: 0, paperRule: one!.examples, perExample: one!.examples },
      { label: '2+', examples: more!.examples, correct: 0, paperRule: more!.examples, perExample: more!.examples },
    ]);
    const right = (rule: typeof PER_BATCH) => Math.round(40 * r.report.accuracy(n, rule)!);
    assert.equal(right(PER_BATCH), one!.examples + more!.examples, `n=${n}: the split adds up to the paper rule's accuracy`);
    assert.equal(right(PER_EXAMPLE), 40);
  }
  // without the adaptive rules, only the oracle is counted (as before they were)
  const oracleOnly = await evaluateWith(uniqueSet, splitMindedSession(config), { lengths: [8], examples: 16, batchSize: 16, seed: 3, cases: true, rules: [ORACLE] });
  assert.ok(oracleOnly.cases!.get(8)!.every((c) => !('paperRule' in c) && !('perExample' in c)), JSON.stringify(oracleOnly.cases!.get(8)));
});
