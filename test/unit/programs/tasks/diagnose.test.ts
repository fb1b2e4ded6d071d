// Editor problems: static errors as errors, look-ahead and index arithmetic found by a dry run
// (errors for task files, warnings for plain programs whose real inputs are unknown).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { diagnose } from '../../../../src/core/programs/tasks/diagnose';
import { TASKS_DIR } from '../../rasp/helpers';

test('shipped task files have no problems', () => {
  for (const name of ['parity', 'copy', 'addition', 'binary_sum', 'multiplication', 'unique_set']) {
    assert.deepEqual(diagnose(readFileSync(join(TASKS_DIR, `${name}.raspl`), 'utf8'), `${name}.raspl`), []);
  }
});

test('static errors have ranges on the offending token', () => {
  const [p] = diagnose('x = tokens\ny = shift_rigth(x, 1)\n', 'a.raspl');
  assert.deepEqual([p!.line, p!.column, p!.endLine, p!.endColumn, p!.severity], [2, 5, 2, 16, 'error']);
  assert.match(p!.message, /did you mean "shift_right"/);
});

test('a task whose step reads the future is flagged at the call, as an error', () => {
  const src = readFileSync(join(TASKS_DIR, 'copy.raspl'), 'utf8').replace('s = shift_right(s, 1, PAD)', 's = shift_right(s, -1, PAD)');
  const problems = diagnose(src, 'copy.raspl');
  assert.equal(problems.length, 1);
  const line = src.split('\n').findIndex((l) => l.includes('shift_right(s, -1')) + 1;
  assert.equal(problems[0]!.line, line);
  assert.equal(problems[0]!.severity, 'error');
  assert.match(problems[0]!.message, /cannot look at future positions.*\(in shift_right\) — found by running the task/);
});

test('a plain program gets runtime problems as warnings (its inputs are unknown)', () => {
  const [p] = diagnose('y = indices * 2\n', 'b.raspl');
  assert.equal(p!.severity, 'warning');
  assert.match(p!.message, /index arithmetic.*sample input/);
  assert.deepEqual(diagnose('y = tokens * 2\n', 'c.raspl'), []);
});
