import { test } from 'node:test';
import assert from 'node:assert/strict';
import { exactMatch, mean, tallyPositions, tokenAccuracy } from '../../../src/core/eval/metrics';
import { LengthReport, renderTable } from '../../../src/core/eval/lengthReport';
import { scoreRules } from '../../../src/core/eval/ruleOutcomes';
import type { StepLogits } from '../../../src/core/infer/halting';

test('exact match counts every masked position, trailing pads included', () => {
  // two rows of width 4, masked from index 2: targets [_, _, 1, 3]
  const targets = [5n, 5n, 1n, 3n, 5n, 5n, 0n, 3n];
  const mask = [0, 0, 1, 1, 0, 0, 1, 1];
  // row 0 right (unmasked garbage ignored); row 1 answer right but trailing pad wrong
  const preds = [0, 2, 1, 3, 5, 5, 0, 1];
  assert.deepEqual(Array.from(exactMatch(preds, targets, mask, 2, 4)), [1, 0]);
  assert.equal(tokenAccuracy(preds, targets, mask), 3 / 4);
  assert.equal(mean([1, 0, 1, 1]), 0.75);
  assert.throws(() => exactMatch([1], targets, mask, 2, 4), /expected 8 values/);
});

test('scoreRules + LengthReport give the table the CLI prints', () => {
  // 2 examples, width 2 (position 1 masked), vocab 2, 3 steps; targets are class 1.
  // example 0: correct only at step 2 (its T(n)) but most confident at step 3 (wrong)
  // example 1: correct at every step, most confident at step 2
  const T = 3, B = 2, W = 2, V = 2;
  const data = new Float32Array(T * B * W * V);
  const set = (t: number, b: number, cls: number, c: number) => { data[(((t - 1) * B + b) * W + 1) * V + cls] = c; };
  set(1, 0, 0, 1); set(2, 0, 1, 2); set(3, 0, 0, 9);
  set(1, 1, 1, 1); set(2, 1, 1, 8); set(3, 1, 1, 1);
  const logits: StepLogits = { data, steps: T, batch: B, width: W, vocab: V };
  const truth = { targets: [0, 1, 0, 1], mask: [0, 1, 0, 1], steps: [2, 2] };
  const rules = [{ kind: 'oracle' as const }, { kind: 'batch-confidence' as const }, { kind: 'example-confidence' as const, score: 'mean' as const }];
  const out = scoreRules(logits, truth, rules);
  assert.deepEqual(Array.from(out[0]!.correct), [1, 1]);
  // batch: step 2 mean = (u(2)+u(8))/2 ≈ 0.064 < step 3 = (u(9)+u(1))/2 ≈ 0.157
  assert.deepEqual(Array.from(out[1]!.steps), [2, 2]);
  assert.deepEqual(Array.from(out[1]!.correct), [1, 1]);
  assert.deepEqual(Array.from(out[2]!.steps), [3, 2]);
  assert.deepEqual(Array.from(out[2]!.correct), [0, 1]);

  const report = new LengthReport();
  for (const o of out) report.add(10, o.rule, o.correct, o.steps, truth.steps);
  for (const o of out) report.add(10, o.rule, o.correct, o.steps, truth.steps);
  assert.equal(report.accuracy(10, rules[2]!), 0.5);
  assert.equal(report.meanStep(10, rules[2]!), 2.5);
  assert.equal(report.accuracy(20, rules[0]!), undefined);
  const text = report.format([
    { rule: rules[0]!, title: 'oracle' },
    { rule: rules[1]!, title: 'adaptive' },
    { rule: rules[2]!, title: 'per-example' },
  ]);
  const lines = text.split('\n');
  assert.match(lines[0]!, /length\s+T\(n\)\s+oracle acc\s+adaptive acc\s+per-example acc\s+adaptive step\s+per-example step/);
  assert.match(lines[2]!, /^\s+10\s+2\s+100\.0%\s+100\.0%\s+50\.0%\s+2\.0\s+2\.5$/);
  const json = report.toJSON();
  assert.equal(json[0]!.rules[2]!.atOracleStep, 0.5);
});

test('renderTable aligns columns', () => {
  assert.equal(renderTable(['a', 'bb'], [['100', '1']]), '  a  bb\n---  --\n100   1');
});

test('tallyPositions counts from each row\'s first masked position, rows of different answer starts aligned', () => {
  // Two rows of width 5: the first's answer starts at column 2, the second's at column 3.
  const mask = [0, 0, 1, 1, 1, 0, 0, 0, 1, 1];
  const targets = [9, 9, 1, 0, 3, 9, 9, 9, 1, 3];
  const predictions = [0, 0, 1, 1, 3, 0, 0, 0, 0, 3];
  const t = tallyPositions({ examples: 0, correct: [], seen: [] }, predictions, targets, mask, 2, 5);
  assert.deepEqual(t, { examples: 2, seen: [2, 2, 1], correct: [1, 1, 1] });
  tallyPositions(t, [1, 0, 3, 0, 0], [1, 0, 3, 0, 0], [1, 1, 1, 0, 0], 1, 5);
  assert.deepEqual(t, { examples: 3, seen: [3, 3, 2], correct: [2, 2, 2] });
  assert.throws(() => tallyPositions(t, [1], [1, 2], [1, 1], 1, 2), /expected 2 values/);
});
