import { test } from 'node:test';
import assert from 'node:assert/strict';
import { inputProblem, sampleInput } from '../../../src/extension/stepThrough/stepInput';
import { getTask, taskNames } from '../../../src/core/tasks';

test('the default input is a valid input at the task\'s test length, for every task', () => {
  for (const name of taskNames) {
    const task = getTask(name);
    const text = sampleInput(task, 42);
    assert.equal(inputProblem(task, text), undefined, `${name}: ${text}`);
    const ex = task.fromText(text);
    assert.equal(ex.lengths.at(-1), task.testLength, name);
    assert.doesNotMatch(text, /=\s*$/, 'typed without the trailing "="');
  }
  assert.equal(sampleInput(getTask('parity'), 1).length, 40);
});

test('bad input gets the task\'s own message', () => {
  assert.match(inputProblem(getTask('parity'), '10x1') ?? '', /./);
  assert.equal(inputProblem(getTask('addition'), '1110+0101'), undefined);
  assert.match(inputProblem(getTask('addition'), '12+3') ?? '', /binary digits/);
});
