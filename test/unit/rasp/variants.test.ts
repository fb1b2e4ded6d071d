// The research variants in models/tasks/variants/ (models/README.md reports runs on them) label
// rows exactly as their built-in task does, and differ only where they say.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { getTask } from '../../../src/core/tasks';
import { Rng } from '../../../src/core/util/rng';
import { loadShippedTask } from './helpers';

test('variants/addition_n4.raspl: the built-in addition rows and answers, read at T(n) = n + 4', () => {
  const generator = getTask('addition');
  const program = loadShippedTask('variants/addition_n4');
  assert.equal(program.name, 'addition_n4');
  const rng = new Rng(7);
  for (let n = 1; n <= 30; n++) {
    for (let k = 0; k < 3; k++) {
      const ex = generator.sampleAt(rng, [n]);
      const got = program.example(ex.input);
      assert.equal(got.steps, n + 4, `n = ${n}: T(n)`);
      assert.deepEqual(got.target, ex.target, `n = ${n}: ${ex.input.join(' ')}`);
      assert.deepEqual(got.mask, ex.mask, `n = ${n}: mask`);
    }
  }
});
