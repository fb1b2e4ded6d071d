// Issue 17, RASP-L: @width, @steps and @lengths are bounded (LIMITS) with line:column errors,
// found when the file is checked (the editor's diagnostics path included), never as a RangeError or
// a huge row at run time; a trace's recording is bounded; checking is linear in the program's size.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyze } from '../../../src/core/programs/tasks/analyze';
import { diagnose } from '../../../src/core/programs/tasks/diagnose';
import { taskFromRaspl } from '../../../src/core/programs/tasks/fromRaspl';
import { callCycles } from '../../../src/core/rasp/check';
import { RaspError, runProgram } from '../../../src/core/rasp';
import { TaskInputError } from '../../../src/core/tasks/types';
import { LIMITS } from '../../../src/core/util/limits';
import { TASKS_DIR } from './helpers';

const parity = readFileSync(join(TASKS_DIR, 'parity.raspl'), 'utf8');
const withLine = (re: RegExp, line: string) => {
  assert.match(parity, re);
  return parity.replace(re, line);
};

/** What `f` returns and the CPU milliseconds it took in this process: unlike wall time, other processes' load does not inflate it. */
function withCpuMs<T>(f: () => T): { value: T; ms: number } {
  const t0 = process.cpuUsage();
  const value = f();
  const d = process.cpuUsage(t0);
  return { value, ms: (d.user + d.system) / 1000 };
}

test('@width and @steps that are too large are errors at their line and column, on the check and the editor path', () => {
  const cases: [string, string, RegExp][] = [
    ['@width 1000000 * 1000000', 'width', /@width: evaluates to 1000000000000 for n = 1; LoopLens allows at most 4096 positions in a row/],
    ['@width max(n, 1000000) * 1000', 'width', /@width: evaluates to 1000000000 for n = 1/],
    ['@width n * 1000', 'width', /@width: evaluates to 20000 for n = 20/],
    ['@steps n * 1000', 'steps', /@steps: evaluates to 20000 for n = 20; LoopLens allows at most 10000 loop steps/],
    ['@steps 1000000 * 1000000 * 1000000 - 1', 'steps', /@steps: the value is too large/],
  ];
  for (const [line, kind, re] of cases) {
    const src = withLine(kind === 'width' ? /^@width .*$/m : /^@steps .*$/m, line);
    const lineNo = src.split('\n').findIndex((l) => l.startsWith(line)) + 1;
    const { value: a, ms } = withCpuMs(() => analyze(src, 'p.raspl'));
    assert.ok(ms < 2000, `${line}: found at once (${ms} ms of CPU), not by evaluating the huge value`);
    assert.equal(a.errors.length, 1, line);
    assert.match(a.errors[0]!.message, re);
    assert.equal(a.errors[0]!.line, lineNo);
    assert.equal(a.errors[0]!.column, line.indexOf(' ') + 2);
    const problems = diagnose(src, 'p.raspl');
    assert.equal(problems.length, 1);
    assert.equal(problems[0]!.line, lineNo);
    assert.throws(() => taskFromRaspl(src, 'p.raspl'), (e: Error) => e instanceof RaspError && /^p\.raspl:\d+:\d+: task error/.test(e.format('p.raspl')));
  }
});

test('@lengths above the limit and @input rows wider than a row may be are refused with their position', () => {
  const src = withLine(/@lengths n in 1\.\.\d+/, '@lengths n in 1..1000000');
  const [e] = analyze(src, 'p.raspl').errors;
  assert.match(e!.message, new RegExp(`length range n in 1\\.\\.1000000: lengths may be at most ${LIMITS.length}`));
  assert.equal(e!.line, src.split('\n').findIndex((l) => l.startsWith('@lengths')) + 1);
  const wide = withLine(/^@input .*$/m, '@input [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n 2').replace(/@lengths n in 1\.\.\d+/, '@lengths n in 1..500').replace(/^@width .*$/m, '@width n + 2');
  assert.ok(analyze(wide, 'w.raspl').errors.some((x) => /@input is 4501 tokens long at the longest lengths; a row may have at most 4096/.test(x.message)));
});

test('a task used beyond its checked lengths fails with file:line:column, not a RangeError', () => {
  const src = withLine(/^@width .*$/m, '@width n * 100');
  const task = taskFromRaspl(src, 'p.raspl'); // 20 * 100 = 2000 fits
  assert.throws(() => task.widthFor([100]), (e: Error) => e instanceof TaskInputError && /^p\.raspl:\d+:8: task error: @width: evaluates to 10000 for n = 100/.test(e.message));
  assert.throws(() => task.fromText('1'.repeat(5000)), (e: Error) => e instanceof TaskInputError && /p\.raspl:\d+:\d+/.test(e.message));
});

test('a traced run records a bounded number of values', () => {
  // Every step records a 4096 × 4096 selector (16.8 million cells): the fourth record is over the bound.
  const a = analyze('x = tokens\nstep:\n    x = aggregate(select(indices, indices, lt), x, 0, reduction=max)\n', 'p.raspl');
  assert.equal(a.errors.length, 0);
  assert.throws(() => runProgram(a.program, new Array(4096).fill(1), { steps: 4 }), /the trace of this run would record more than 50 million values/);
});

test('checking is linear in the program size: 8000 functions, 8000 call sites and a call chain of 8000', () => {
  const n = 8000;
  const defs = Array.from({ length: n }, (_, i) => `def f${i}(a, b):\n    c = a + b\n    return c\n`).join('') + Array.from({ length: n }, (_, i) => `v${i} = f${i}(tokens, indices)\n`).join('');
  const chain = 'def g0(a):\n    return a\n' + Array.from({ length: n - 1 }, (_, k) => `def g${k + 1}(a):\n    return g${k}(a)\n`).join('');
  for (const [name, src] of [['defs', defs], ['chain', chain]] as const) {
    assert.ok(src.length > 250_000, `${name} is a big file`);
    const { value: a, ms } = withCpuMs(() => analyze(src, `${name}.raspl`));
    assert.equal(a.errors.length, 0);
    // Quadratic checking took 15 s (defs) and 9 s (chain) on this 2-core machine; linear takes under 1 s.
    assert.ok(ms < 6000, `${name}: ${ms} ms of CPU`);
  }
  const undefinedNames = Array.from({ length: 3000 }, (_, i) => `v${i} = undefined_name_${i % 97}x + tokens\n`).join('');
  const { value: u, ms } = withCpuMs(() => analyze(undefinedNames, 'u.raspl'));
  assert.equal(u.errors.length, 3000);
  assert.ok(ms < 6000, `suggestions stay bounded: ${ms} ms of CPU`);
});

test('recursion cycles are still found, one per cycle, on a linear pass', () => {
  const calls = new Map([
    ['a', new Set(['b'])],
    ['b', new Set(['c'])],
    ['c', new Set(['a'])],
    ['d', new Set(['d'])],
    ['e', new Set(['a'])],
  ]);
  assert.deepEqual(callCycles(['a', 'b', 'c', 'd', 'e'], calls), [['a', 'b', 'c', 'a'], ['d', 'd']]);
  const a = analyze('def f(x):\n    return g(x)\ndef g(x):\n    return f(x)\ny = f(tokens)\n', 'r.raspl');
  assert.deepEqual(a.errors.map((e) => [e.message, e.line]), [['recursion is not allowed in RASP-L: f → g → f', 1]]);
});

test('a RASP-L source over the size limit is one clear error, not a long check', () => {
  const a = analyze('x = tokens\n'.repeat(Math.ceil((LIMITS.raspSourceBytes + 10) / 11)), 'big.raspl');
  assert.equal(a.errors.length, 1);
  assert.match(a.errors[0]!.message, /LoopLens checks RASP-L files of at most 1048576/);
});
