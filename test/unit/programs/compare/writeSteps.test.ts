// When the program writes each answer position (core/programs/compare/writeSteps.ts): the first
// step from which the read-out keeps its final value, on hand-made read-outs and on the unique set
// program itself, where a slot is written at the step that reads its element; and the tally that
// crosses two keys.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CrossTally, programWriteSteps } from '../../../../src/core/programs/compare/writeSteps';
import { raspProgramSource } from '../../../../src/core/programs/source/raspProgramSource';

test('a position is written at the first step from which it keeps its final value', () => {
  const answers = [null, [5, 0, 9], [5, 1, 9], [7, 1, 9], [7, 1, 9]];
  // position 0 changes at step 3; position 1 settles at step 2; position 2 has its value from step 1
  assert.deepEqual(programWriteSteps(answers), [3, 2, 1]);
  // a value that leaves and comes back is written when it comes back for good
  assert.deepEqual(programWriteSteps([[4], [4], [2], [4]]), [3]);
  // a value there from the start is written at step 0; no read-out after the last step: nothing
  assert.deepEqual(programWriteSteps([[4], [4]]), [0]);
  assert.deepEqual(programWriteSteps([[4], null]), []);
});

test('unique set: each distinct element is written at the step that reads it, the slots after the answer at step 1', () => {
  const file = path.resolve(__dirname, '../../../../models/tasks/unique_set.raspl');
  const program = raspProgramSource(fs.readFileSync(file, 'utf8'), file);
  // input 7 3 7 4 (4 elements), '=' at 4: the answer is 7 3 4, then pads
  const row = [7, 3, 7, 4, 51, 53, 53, 53, 53, 53, 53, 53];
  const steps = programWriteSteps(program.run(row, 4).answers);
  // '=' (slot +0) holds 7, read at step 1; +1 holds 3 (step 2); +2 holds 4, the fourth element (step 4); +3.. pads
  assert.deepEqual(steps.slice(4), [1, 2, 4, 1, 1, 1, 1, 1]);
});

test('the cross tally counts right and total per cell and per row', () => {
  const t = new CrossTally();
  t.add(1, 0, true);
  t.add(1, 0, false);
  t.add(1, 2, true);
  t.add(3, 2, false);
  assert.deepEqual(t.get(1, 0), { right: 1, total: 2 });
  assert.deepEqual(t.get(1), { right: 2, total: 3 });
  assert.deepEqual(t.get(3, 0), { right: 0, total: 0 });
  assert.deepEqual([...t.rowKeys].sort(), [1, 3]);
  assert.deepEqual([...t.columnKeys].sort(), [0, 2]);
});
