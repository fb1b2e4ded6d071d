// Broken programs give one precise error each: the stage, line, column and a message that says
// what to do. Runtime errors point at the user's code even when they happen inside the library.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { RaspError } from '../../../src/core/rasp';
import { analyze } from '../../../src/core/programs/tasks/analyze';
import { run } from './helpers';

type Case = [source: string, line: number, column: number, kind: string, message: string];

const STATIC: Case[] = [
  ['x = (1 + 2\n', 1, 5, 'syntax', '"(" opened at line 1, column 5 is never closed'],
  ['x = f(1,\n', 1, 6, 'syntax', '"(" of this call (line 1, column 6) is never closed'],
  ['x = 1 +\n', 1, 8, 'syntax', 'expected a value, found end of line'],
  ['x = = 2\n', 1, 5, 'syntax', 'expected a value, found "="'],
  ['x == 2\n', 1, 1, 'syntax', 'an expression on its own does nothing'],
  ['def f(a):\nreturn a\n', 2, 1, 'syntax', 'expected an indented block after "def f"'],
  ['def f(a)\n    return a\n', 1, 9, 'syntax', 'expected ":" after "def f(…)"'],
  ['x = 1\n    y = 2\n', 2, 1, 'syntax', 'unexpected indentation'],
  ['step:\n    s = 1\n  t = 2\n', 3, 3, 'syntax', 'unindent does not match any outer indentation level'],
  ['x = 3.5\n', 1, 5, 'syntax', 'RASP-L values are integers'],
  ['x = tokens $ 2\n', 1, 12, 'syntax', 'unexpected character "$"'],
  ['x = "abc\n', 1, 5, 'syntax', 'unterminated string'],
  ['if tokens == 1:\n    x = 1\n', 1, 1, 'syntax', '"if" statements are not part of RASP-L'],
  ['x = tokens < 1 < 2\n', 1, 16, 'syntax', 'chained comparisons'],
  ['x = tokens / 2\n', 1, 12, 'syntax', 'use "//" for integer division'],
  ['x = tokens ** 2\n', 1, 12, 'syntax', '"**" (power) is not supported'],
  ['x = tokens[0]\n', 1, 11, 'syntax', 'indexing with [] is not supported'],
  ['x = full(value=1, 2)\n', 1, 19, 'syntax', 'a positional argument cannot follow a keyword argument'],
  ['x = lambda: 1\n', 1, 5, 'syntax', 'a lambda needs at least one parameter'],
  ['x = 99999999\n', 1, 5, 'syntax', 'is too large'],
  ['def f(a, a):\n    return a\n', 1, 10, 'syntax', 'duplicate parameter "a"'],
  ['def f(a=1, b):\n    return a\n', 1, 12, 'syntax', 'without a default follows one with a default'],
  ['x = 1 if tokens\n', 1, 16, 'syntax', 'expected "else"'],
  ['pre:\n    x = 1\npre:\n    y = 2\n', 3, 1, 'syntax', 'duplicate "pre:" block'],
  ['step:\n    def g(a):\n        return a\n', 2, 5, 'syntax', 'def is only allowed at the top level'],
  ['x = 1\n\tx = 2\n', 2, 1, 'syntax', 'unexpected indentation'],
  ['x += 1\n', 1, 3, 'syntax', 'augmented assignment "+=" is not supported'],
  ['@task\n', 1, 6, 'syntax', 'expected a name after @task'],
  ['@foo 1\n', 1, 2, 'syntax', 'unknown directive "@foo"'],
  ['@lengths n in 5..1\n', 1, 10, 'syntax', 'length range 5..1 must satisfy 1 <= min <= max'],
  ['@input [0 1]n 2\n', 1, 13, 'syntax', 'expected "*" after the alphabet'],
  ['@answer 2\n', 1, 9, 'syntax', 'expected "@answer from TOKEN"'],
  ['tokens = 1\n', 1, 1, 'check', 'cannot assign to "tokens": it is the input'],
  ['equals = 1\n', 1, 1, 'check', 'cannot assign to "equals"'],
  ['x = tokn + 1\n', 1, 5, 'check', '"tokn" is not defined; did you mean "tokens"?'],
  ['x = shift_rigth(tokens, 1)\n', 1, 5, 'check', 'did you mean "shift_right"?'],
  ['x = shift_right(tokens)\n', 1, 5, 'check', 'shift_right() is missing the argument "n"'],
  ['x = kqv(tokens, tokens, tokens, equals, 0, mean, 1)\n', 1, 5, 'check', 'kqv() takes 4 to 6 arguments'],
  ['y = kqv(tokens, tokens, tokens, equals, reduction=sum)\n', 1, 51, 'check', '"sum" is not defined'],
  ['x = select(tokens, tokens, equals, foo=1)\n', 1, 36, 'check', 'select() has no parameter "foo"'],
  ['def f(a):\n    y = a\n', 2, 5, 'check', 'f() must end with "return …"'],
  ['def f(a):\n    return a\n    x = 1\n', 3, 5, 'check', 'statements after "return" in f() never run'],
  ['def f(a):\n    return g(a)\ndef g(a):\n    return f(a)\n', 1, 5, 'check', 'recursion is not allowed in RASP-L: f → g → f'],
  ['def shift_right(a):\n    return a\n', 1, 5, 'check', '"shift_right" is a built-in or library function'],
  ['step:\n    s = s + 1\n', 2, 9, 'check', '"s" is used in step: before it has a value'],
  ['x = y\ny = 1\n', 1, 5, 'check', '"y" is used before it has a value'],
  ['return 1\n', 1, 1, 'check', '"return" is only allowed inside def'],
  ['@input [0 1]*n 2\n@lengths n in 1..5\n@steps m\n@pad 3\n@answer from 2\nstep:\n    out = tokens\n', 3, 8, 'task', '@steps: "m" is not a length variable (declared: n)'],
  ['@input [0 1]*n\n@lengths n in 1..5\n@steps n\n@pad 3\n@answer from 2\nstep:\n    out = tokens\n', 5, 1, 'task', 'token 2 is not a literal of @input'],
  ['@input [0 1]*n 2\n@steps n\n@pad 3\n@answer from 2\nstep:\n    out = tokens\n', 1, 1, 'task', 'a task file needs @lengths'],
  ['@input [0 1]*n 2\n@lengths n in 1..5\n@steps n\n@pad 3\n@answer from 2\nout = tokens\n', 1, 1, 'task', 'a task file needs a "step:" block'],
  ['@input [0 1]*n 2\n@lengths n in 1..5\n@steps n\n@pad 1\n@answer from 2\nstep:\n    out = tokens\n', 1, 8, 'task', 'token 1 (the pad) is also in this alphabet'],
  ['@input [0 1]*n 2\n@lengths n in 1..5\n@steps n\n@pad 3\n@answer from 2\n@vocab 3\nstep:\n    out = tokens\n', 6, 1, 'task', 'token 3 is used but @vocab 3 only allows 0..2'],
  ['@input [0 1]*n 2\n@lengths n in 1..5\n@steps n\n@pad 3\n@answer from 2\nstep:\n    res = tokens\n', 1, 1, 'task', 'the output variable "out" is never assigned'],
  ['@input [0 1]*n 2\n@lengths n in 1..5, m in 1..3\n@steps n\n@pad 3\n@answer from 2\nstep:\n    out = tokens\n', 2, 21, 'task', 'length "m" is declared but not used in @input'],
];

for (const [source, line, column, kind, message] of STATIC) {
  test(`static error: ${JSON.stringify(source).slice(0, 60)}`, () => {
    const a = analyze(source, 'broken.raspl');
    assert.ok(a.errors.length > 0, 'expected an error');
    const e = a.errors[0]!;
    assert.ok(e.message.includes(message), `message "${e.message}" should contain "${message}"`);
    assert.equal(e.kind, kind, e.message);
    assert.deepEqual([e.line, e.column], [line, column], e.message);
  });
}

test('the parser recovers and reports every broken line', () => {
  const a = analyze('x = (1 +\ny = 2\nz = * 3\nw = tokens $\nok = tokens + 1\n', 'many.raspl');
  assert.deepEqual(
    a.errors.map((e) => e.line),
    [1, 3, 4],
  );
});

test('format() gives file:line:col with the stage and the call chain', () => {
  const e = new RaspError('runtime', 'boom', { start: { line: 3, column: 7 }, end: { line: 3, column: 9 } }, ['shift_right', 'kqv']);
  assert.equal(e.format('p.raspl'), 'p.raspl:3:7: runtime error: boom (in shift_right › kqv)');
});

const RUNTIME: [source: string, input: number[], line: number, column: number, message: string][] = [
  ['y = tok_map(indices, lambda i: i * 2)\n', [1, 2, 3], 1, 32, '"*" on a value derived from indices is index arithmetic'],
  ['y = indices % 2\n', [1, 2, 3], 1, 5, 'index arithmetic'],
  ['y = indices + tokens\n', [1, 2, 3], 1, 5, 'cannot add a non-constant value to indices'],
  ['y = indices - indices\n', [1, 2, 3], 1, 5, 'cannot subtract two values derived from indices'],
  ['y = 0 if indices else 1\n', [1, 2, 3], 1, 5, 'using a value derived from indices as a condition'],
  ['y = tokens // (tokens - 1)\n', [1, 2, 3], 1, 5, 'division by zero at position 0'],
  ['y = tokens * 1000000\n', [1, 2, 3], 1, 5, 'RASP-L values are small integers'],
  ['y = tok_map(tokens, lambda a: full(a))\n', [1, 2], 1, 5, 'a per-position function must return an integer, but lambda returned a sequence'],
  ['y = aggregate(tokens, tokens)\n', [1, 2], 1, 5, 'aggregate: selector must be a selector'],
  ['y = kqv(tokens, tokens, tokens, equals, reduction=xor)\n', [1], 1, 5, 'reduction must be mean, max or min'],
  ['y = select(tokens, tokens, equals) + 1\n', [1], 1, 5, 'cannot combine a selector with the integer 1'],
  ['y = tokens(1)\n', [1], 1, 5, '"tokens" is a sequence, which cannot be called'],
  ['f = lambda x: f(x)\ny = f(1)\n', [1], 1, 15, 'calls nested more than 48 deep'],
];

for (const [source, input, line, column, message] of RUNTIME) {
  test(`runtime error: ${JSON.stringify(source).slice(0, 60)}`, () => {
    assert.throws(
      () => run(source, input),
      (e: unknown) => {
        assert.ok(e instanceof RaspError, String(e));
        assert.equal(e.kind, 'runtime');
        assert.ok(e.message.includes(message), `message "${e.message}" should contain "${message}"`);
        assert.deepEqual([e.line, e.column], [line, column], e.message);
        return true;
      },
    );
  });
}

test('an error inside the library points at the user call and names the chain', () => {
  const src = 'x = 1\ny = shift_right(tokens, 0 - 2)\n';
  assert.throws(
    () => run(src, [1, 2, 3, 4]),
    (e: unknown) => e instanceof RaspError && e.line === 2 && e.column === 5 && e.callStack.join('>') === 'shift_right',
  );
});

test('the work budget stops programs that do too much', () => {
  const a = analyze('s = full(0)\nstep:\n    s = s + cumsum(tokens)\n', 'big.raspl');
  assert.equal(a.errors.length, 0);
  assert.throws(() => runProgramWithBudget(a.program), /work budget is spent/);
});

import { runProgram } from '../../../src/core/rasp';
function runProgramWithBudget(program: Parameters<typeof runProgram>[0]) {
  return runProgram(program, new Array(200).fill(1), { steps: 100, budget: 1_000_000 });
}
