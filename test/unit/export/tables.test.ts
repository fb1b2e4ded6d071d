import { test } from 'node:test';
import assert from 'node:assert/strict';
import { tableText, toCsv, toRecords } from '../../../src/core/export/table';
import { attentionTable, hiddenTable, lensTable, stateTable, stepsTable, headsTable } from '../../../src/core/export/stepperExport';
import { EVALUATION_CASE_COLUMNS, EVALUATION_STEP_COLUMNS, evaluationCaseTable, evaluationCaseTables, evaluationStepTable, evaluationTable } from '../../../src/core/export/evaluationExport';
import { trainingEvalsTable, trainingHistoryTable } from '../../../src/core/export/trainingExport';
import { traceExport } from '../../../src/core/export/traceExport';
import { buildStepperContent } from '../../../src/core/view/stepperViewModel';
import { summarizeTrace } from '../../../src/core/trace/tracedInput';
import { buildStepperFixture } from '../../support/stepperFixture';

test('CSV quotes commas, quotes, newlines and edge spaces, and leaves empty cells for missing values', () => {
  const csv = toCsv({ columns: ['a', 'b', 'c'], rows: [['x,y', 'say "hi"', 'two\nlines'], [' pad', null, NaN], [1.5, true, undefined]] });
  assert.equal(csv, 'a,b,c\n"x,y","say ""hi""","two\nlines"\n" pad",,\n1.5,true,\n');
  assert.throws(() => toCsv({ columns: ['a'], rows: [[1, 2]] }), /2 cells/);
  assert.deepEqual(toRecords({ columns: ['a', 'b'], rows: [[Infinity, 'x']] }), [{ a: null, b: 'x' }]);
  assert.equal(tableText({ columns: ['a'], rows: [] }, 'json'), '[]\n');
  assert.equal(tableText({ columns: ['a', 'b'], rows: [[1, 'x'], [2, null]] }, 'json'), '[\n{"a":1,"b":"x"},\n{"a":2,"b":null}\n]\n');
});

function content() {
  const f = buildStepperFixture({ bits: '1011', heads: 3, wrongSteps: [1] });
  return { f, c: buildStepperContent({ modelLabel: 'fixture.onnx', modelPath: '/m/fixture.onnx', inputText: '1011', traced: summarizeTrace(f.task, f.example, f.trace), program: f.program }) };
}

test('the stepper tables carry the view model’s numbers', () => {
  const { f, c } = content();
  const vm = c.viewModel;
  const steps = stepsTable(vm);
  assert.equal(steps.rows.length, f.trace.steps);
  assert.deepEqual(steps.columns.slice(0, 3), ['step', 'answer', 'correct']);
  assert.equal(steps.rows[3]![0], 4);
  assert.equal(steps.rows[3]![7], true, 'step 4 is T(n)');
  assert.equal(steps.rows[0]![2], false, 'step 1 is flipped wrong');

  const state = stateTable(vm, 4);
  assert.deepEqual(state.columns, ['step', 'position', 'input', 'scored', 'target', 'decoded', 'confidence', 'program_x', 'program_y', 'program_s', 'program_answer', 'program_step']);
  assert.equal(state.rows.length, vm.tokens.length);
  assert.deepEqual(state.rows[4]!.slice(0, 6), [4, 4, '=', true, '1', '1']);
  assert.throws(() => stateTable(vm, 99), /outside/);

  const lens = lensTable(vm);
  // two scored positions ('=' and one pad) per step
  assert.equal(lens.rows.length, 2 * f.trace.steps);
  assert.deepEqual(lens.columns, ['step', 'position', 'input', 'target', 'p_target', 'settle_step', 'top1', 'top1_p', 'top2', 'top2_p', 'top3', 'top3_p']);
  assert.equal(lens.rows[0]![4], vm.lens.targetProb[0]![4]);

  const hidden = hiddenTable(vm);
  assert.equal(hidden.rows.length, f.trace.steps * vm.tokens.length);
  assert.equal(hidden.rows[0]![5], null, 'no change at step 1');

  const slice = c.attention(1, 0);
  const att = attentionTable(vm, slice, 1, 0);
  const W = vm.tokens.length;
  assert.equal(att.rows.length, 3 * ((W * (W + 1)) / 2), 'causal: keys up to the query');
  // head 1 (the shift head) at query 2 puts 0.9 + 0.1/3 on key 1
  const row = att.rows.find((r) => r[2] === 1 && r[3] === 2 && r[5] === 1)!;
  assert.ok(Math.abs((row[7] as number) - (0.9 + 0.1 / 3)) < 1e-6);
  assert.throws(() => attentionTable(vm, new Float32Array(3), 1, 0), /slice/);

  const heads = headsTable(vm);
  assert.equal(heads.rows.length, 3 * vm.program!.selectors.length);
});

test('the evaluation table has every rule’s accuracy with its 95% interval', () => {
  const row = { length: 10, oracleStep: 10, examples: 100, oracle: 1, perBatch: 0.9, perBatchStep: 10, perExample: 0.5, perExampleStep: 7.5 };
  const t = evaluationTable([{ modelName: 'a.onnx', rows: [{ ...row, length: 20, oracleStep: 20 }, row] }, { modelName: 'b.onnx', rows: [{ ...row, calibrated: 0.8, calibratedStep: 11 }] }]);
  assert.deepEqual(t.columns.slice(0, 8), ['model', 'length', 'oracle_step', 'examples', 'oracle', 'oracle_ci_low', 'oracle_ci_high', 'oracle_step']);
  assert.deepEqual(t.rows.map((r) => [r[0], r[1]]), [['a.onnx', 10], ['a.onnx', 20], ['b.onnx', 10]]);
  const csv = toCsv(t).split('\n');
  assert.equal(csv.length, 5);
  const cells = csv[1]!.split(',');
  // 100/100 right: Wilson [0.963, 1]
  assert.equal(cells[4], '1');
  assert.ok(Math.abs(Number(cells[5]) - 0.963) < 1e-3 && cells[6] === '1');
  assert.equal(cells[cells.length - 4], '', 'no calibrated value for a.onnx');
  assert.equal(csv[3]!.split(',').at(-4), '0.8');
});

test('the training tables list the logged history and the quick evaluations', () => {
  const h = trainingHistoryTable([{ step: 10, loss: 0.5, gradNorm: null, lr: 1e-3, nPoints: 3 }]);
  assert.equal(toCsv(h), 'step,loss,grad_norm,lr,n_points,max_train_length\n10,0.5,,0.001,3,2\n');
  const e = trainingEvalsTable([{ step: 500, rows: [{ length: 20, examples: 64, oracle: 0.5, perBatch: 0.25, perBatchStep: 19 }, { length: 40, examples: 64, oracle: 0, perBatch: 0, perBatchStep: 3 }] }]);
  assert.deepEqual(e.rows, [[500, 20, 64, 0.5, 0.25, 19, null, null, null], [500, 40, 64, 0, 0, 3, null, null, null]]);
  const own = { length: 20, examples: 64, oracle: 0.75, perBatch: 0.5, perBatchStep: 20 };
  const branched = trainingEvalsTable([{ step: 900, rows: [{ ...own, oracle: 0.9 }], branch: { index: 2, rows: [own] } }]);
  assert.equal(toCsv(branched), 'step,length,examples,oracle,paper_rule,paper_rule_step,branch,branch_oracle,branch_paper_rule\n900,20,64,0.9,0.5,20,2,0.75,0.5\n', "the branch's own beside the mean");
});

test('the trace JSON has the documented fields with nested arrays of the right shapes', () => {
  const { f, c } = content();
  const doc = JSON.parse(JSON.stringify(traceExport(c.traced, { modelLabel: 'fixture.onnx', modelPath: '/m/fixture.onnx', program: c.program })));
  const { steps: T, layers: L, heads: H, width: W, vocab: V, dModel: d } = f.trace;
  assert.equal(doc.format, 'looplens-trace');
  assert.equal(doc.version, 1);
  assert.deepEqual(doc.model, { label: 'fixture.onnx', path: '/m/fixture.onnx', steps: T, layers: L, heads: H, width: W, dModel: d, vocab: V });
  assert.deepEqual(doc.task.lengths, { n: 4 });
  assert.deepEqual(doc.tokens, f.example.input);
  assert.equal(doc.oracleStep, 4);
  assert.equal(doc.steps.length, T);
  const shape = (a: unknown): number[] => (Array.isArray(a) ? [a.length, ...shape(a[0])] : []);
  assert.deepEqual(shape(doc.logits), [T, W, V]);
  assert.deepEqual(shape(doc.attention), [T, L, H, W, W]);
  assert.deepEqual(shape(doc.hidden), [T, W, d]);
  assert.equal(doc.logits[1][4][f.program.answers[2]![4]!], f.margins[1]);
  assert.ok(Math.abs(doc.hidden[2][1][0] - f.trace.hidden[(2 * W + 1) * d]!) < 1e-6);
  assert.deepEqual(Object.keys(doc.program.variables).sort(), f.program.variables.map((v) => v.name).sort());
  assert.equal(doc.program.variables.s.length, f.program.steps + 1);
});

test('the evaluation case split: one row per (length, case), labels in order, no accuracy for a case without inputs', () => {
  const c = (label: string, examples: number, correct: number) => ({ label, examples, correct });
  const t = evaluationCaseTable('u.onnx', 'repeated elements', [
    { length: 8, counts: [c('0', 50, 42), c('1', 30, 12), c('2+', 20, 1)] },
    { length: 4, counts: [c('0', 100, 100), c('1', 20, 19), c('2+', 0, 0)] },
  ]);
  assert.deepEqual(t.columns, EVALUATION_CASE_COLUMNS);
  assert.deepEqual(t.rows.map((r) => [r[1], r[3], r[4], r[5]]), [[4, '0', 100, 100], [4, '1', 20, 19], [4, '2+', 0, 0], [8, '0', 50, 42], [8, '1', 30, 12], [8, '2+', 20, 1]]);
  assert.deepEqual(t.rows[2]!.slice(6, 9), [null, null, null], 'no inputs: no accuracy, no interval');
  assert.ok(t.rows.every((r) => r.slice(9).every((v) => v === null)), 'counts without the adaptive rules (an older state): their columns empty');
  const [acc, lo, hi] = t.rows[5]!.slice(6, 9) as number[];
  assert.equal(acc, 0.05);
  assert.ok(lo! > 0 && lo! < 0.05 && hi! > 0.05 && hi! < 0.3, `Wilson [${lo}, ${hi}]`);
  assert.equal(toCsv(t).split('\n')[1], 'u.onnx,4,repeated elements,0,100,100,1,' + String(t.rows[0]![7]) + ',1,,,,,,,,');
});

test('the case split export: each rule\'s right answers, accuracy and Wilson interval after the oracle\'s; every model\'s split in order', () => {
  assert.deepEqual(EVALUATION_CASE_COLUMNS.slice(0, 9), ['model', 'length', 'split', 'case', 'examples', 'correct', 'oracle', 'oracle_ci_low', 'oracle_ci_high'], 'the columns that existed keep their places');
  assert.deepEqual(EVALUATION_CASE_COLUMNS.slice(9), ['paper_rule_correct', 'paper_rule', 'paper_rule_ci_low', 'paper_rule_ci_high', 'per_example_correct', 'per_example', 'per_example_ci_low', 'per_example_ci_high']);
  const rows = [{ length: 8, counts: [{ label: '0', examples: 50, correct: 50, paperRule: 0, perExample: 40 }, { label: '1', examples: 30, correct: 0, paperRule: 30, perExample: 15 }, { label: '2+', examples: 0, correct: 0, paperRule: 0, perExample: 0 }] }];
  const t = evaluationCaseTables([{ modelName: 'a.onnx', title: 'repeated elements', rows }, { modelName: 'b.onnx', title: 'repeated elements', rows: [{ length: 8, counts: rows[0]!.counts.map((c) => ({ label: c.label, examples: c.examples, correct: c.correct })) }] }]);
  assert.deepEqual(t.columns, EVALUATION_CASE_COLUMNS);
  assert.deepEqual(t.rows.map((r) => [r[0], r[3]]), [['a.onnx', '0'], ['a.onnx', '1'], ['a.onnx', '2+'], ['b.onnx', '0'], ['b.onnx', '1'], ['b.onnx', '2+']]);
  const col = (r: number, name: string) => t.rows[r]![EVALUATION_CASE_COLUMNS.indexOf(name)];
  // oracle 100% / paper rule 0% on the inputs without repeats, the other way round with them
  assert.deepEqual(['correct', 'oracle', 'paper_rule_correct', 'paper_rule', 'paper_rule_ci_low', 'per_example_correct', 'per_example'].map((k) => col(0, k)), [50, 1, 0, 0, 0, 40, 0.8]);
  assert.deepEqual(['oracle', 'oracle_ci_low', 'paper_rule', 'paper_rule_ci_high'].map((k) => col(1, k)), [0, 0, 1, 1]);
  const [low, high] = [col(0, 'per_example_ci_low'), col(0, 'per_example_ci_high')] as number[];
  assert.ok(low! > 0.6 && low! < 0.8 && high! > 0.8 && high! < 0.95, `Wilson [${low}, ${high}]`);
  assert.ok((col(0, 'paper_rule_ci_high') as number) > 0 && (col(0, 'paper_rule_ci_high') as number) < 0.1, 'the interval of 0 of 50');
  assert.deepEqual(t.rows[2]!.slice(9), [0, null, null, null, 0, null, null, null], 'no inputs: counts but no accuracy');
  assert.deepEqual(t.rows[3]!.slice(9), [null, null, null, null, null, null, null, null], 'the rules not counted: empty');
});

test('the accuracy at every loop step: one row per (model, length, step) with its score, T(n) and the paper rule\'s step flagged', () => {
  // copy at n = 3: wrong until T(n), right at 3, decaying after; the paper's rule picks step 4 (its lowest score)
  const c3 = { length: 3, oracleStep: 3, paperStep: 4, accuracy: [0, 0.5, 1, 0.75, 0.5], score: [2, 1, 0.5, 0.25, 0.75] };
  const c2 = { length: 2, oracleStep: 2, paperStep: 2, accuracy: [0.5, 1, 1, 1], score: [1, 0.25, 0.5, 0.5] };
  const t = evaluationStepTable([{ modelName: 'a.onnx', curves: [c3, c2] }, { modelName: 'b.onnx', curves: [c2] }]);
  assert.deepEqual(t.columns, EVALUATION_STEP_COLUMNS);
  assert.deepEqual(t.rows.map((r) => `${r[0]} ${r[1]}:${r[2]}`), ['a.onnx 2:1', 'a.onnx 2:2', 'a.onnx 2:3', 'a.onnx 2:4', 'a.onnx 3:1', 'a.onnx 3:2', 'a.onnx 3:3', 'a.onnx 3:4', 'a.onnx 3:5', 'b.onnx 2:1', 'b.onnx 2:2', 'b.onnx 2:3', 'b.onnx 2:4'], 'sorted by length within each model, models in order');
  const csv = toCsv(t).split('\n');
  assert.equal(csv[0], 'model,length,step,accuracy,score,is_oracle_step,is_paper_rule_step');
  assert.equal(csv[2], 'a.onnx,2,2,1,0.25,true,true', 'T(n) and the paper rule\'s step the same');
  assert.equal(csv[7], 'a.onnx,3,3,1,0.5,true,false');
  assert.equal(csv[8], 'a.onnx,3,4,0.75,0.25,false,true');
  assert.deepEqual(toRecords(t)[8], { model: 'a.onnx', length: 3, step: 5, accuracy: 0.5, score: 0.75, is_oracle_step: false, is_paper_rule_step: false });
  assert.deepEqual(evaluationStepTable([]).rows, []);
});
