// One input format across LoopLens: every command takes a task's input with or without the
// trailing '=' (Step Through, Run RASP-L Program on Input, looplens trace / raspl run).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyze } from '../../../../src/core/programs/tasks/analyze';
import { taskFromRaspl } from '../../../../src/core/programs/tasks/fromRaspl';
import { getTask } from '../../../../src/core/tasks';

const file = (name: string) => path.join(__dirname, '../../../../models/tasks', `${name}.raspl`);

test('a RASP-L task file takes "1011" and "1011=" alike, as the built-in task does', () => {
  for (const [name, typed] of [['parity', '1011'], ['addition', '1110+0101'], ['copy', '011']] as const) {
    const source = fs.readFileSync(file(name), 'utf8');
    const a = analyze(source, `${name}.raspl`);
    assert.equal(a.errors.length, 0);
    const bare = a.task!.rowFromInput(typed);
    const withEq = a.task!.rowFromInput(`${typed}=`);
    assert.deepEqual(bare, withEq, `${name}: "${typed}" and "${typed}="`);
    // the built-in task and the task file read both the same way
    assert.deepEqual(getTask(name).fromText(typed).input, getTask(name).fromText(`${typed}=`).input);
    const custom = taskFromRaspl(source, `${name}.raspl`);
    assert.deepEqual(custom.fromText(typed).input, custom.fromText(`${typed}=`).input);
  }
});

test('a wrong input still gets its own complaint, not one about the added =', () => {
  const a = analyze(fs.readFileSync(file('parity'), 'utf8'), 'parity.raspl');
  assert.throws(() => a.task!.rowFromInput('10x1'), /unknown token "10x1"/);
  assert.throws(() => a.task!.rowFromInput('1011=1'), /does not match @input|after the prompt/);
});
