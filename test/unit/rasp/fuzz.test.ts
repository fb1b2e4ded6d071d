// Garbage in never crashes or hangs: random bytes, random token soup and randomly mutated
// reference programs either analyze to errors or run (within a small work budget) to a result
// or a RaspError. Nothing else may be thrown, and every case finishes quickly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { RaspError, runProgram } from '../../../src/core/rasp';
import { analyze } from '../../../src/core/programs/tasks/analyze';
import { Rng } from '../../../src/core/util/rng';
import { TASKS_DIR } from './helpers';

const SOUP = ['x', 'y', 's', 'tokens', 'indices', '=', '==', '(', ')', '[', ']', ',', ':', '+', '-', '*', '//', '%', '^', '&', '|', '<', '>=', 'and', 'or', 'not', 'if', 'else', 'lambda', 'def', 'return', 'step', 'pre', 'post', '@input', '@steps', '@lengths', 'n', 'in', '1..3', '[0 1]*n', '0', '1', '2', '-1', 'select', 'aggregate', 'kqv', 'equals', 'lt', 'shift_right', 'cumsum', 'full', 'tok_map', 'seq_map', 'selector_width', 'mean', 'max', '\n', '\n    ', '\n        ', '\t', '#', '"', 'True'];

function exercise(source: string): void {
  const started = Date.now();
  let a;
  try {
    a = analyze(source, 'fuzz.raspl');
  } catch (e) {
    assert.fail(`analyze threw ${String(e)} on ${JSON.stringify(source.slice(0, 200))}`);
  }
  for (const e of a.errors) {
    assert.ok(e instanceof RaspError);
    assert.ok(Number.isInteger(e.line) && e.line >= 1 && Number.isInteger(e.column) && e.column >= 1, `bad position ${e.line}:${e.column}`);
  }
  if (a.errors.length === 0) {
    try {
      if (a.task !== null) {
        const row = a.task.padRow(a.task.samplePrompt(new Rng(1), a.task.lengthRanges.map((r) => r.min)), a.task.lengthRanges.map((r) => r.min));
        a.task.run(row, { budget: 2_000_000 });
      } else {
        runProgram(a.program, [0, 1, 2, 1, 0], { steps: a.program.blocks.step ? 3 : 0, budget: 2_000_000 });
      }
    } catch (e) {
      if (!(e instanceof RaspError)) assert.fail(`run threw ${String(e)} on ${JSON.stringify(source.slice(0, 200))}`);
    }
  }
  const ms = Date.now() - started;
  assert.ok(ms < 2000, `took ${ms} ms on ${JSON.stringify(source.slice(0, 200))}`);
}

test('random bytes never crash the lexer, parser or checker', () => {
  const rng = new Rng(11);
  for (let k = 0; k < 300; k++) {
    const len = rng.int(0, 200);
    let s = '';
    for (let i = 0; i < len; i++) s += String.fromCharCode(rng.below(k % 2 === 0 ? 128 : 0x3000));
    exercise(s);
  }
});

test('random token soup never crashes or hangs', () => {
  const rng = new Rng(12);
  for (let k = 0; k < 400; k++) {
    const len = rng.int(1, 60);
    const parts: string[] = [];
    for (let i = 0; i < len; i++) parts.push(rng.choice(SOUP));
    exercise(parts.join(rng.bit() ? ' ' : ''));
  }
});

test('randomly mutated reference programs never crash or hang', () => {
  const rng = new Rng(13);
  const sources = readdirSync(TASKS_DIR)
    .filter((f) => f.endsWith('.raspl'))
    .map((f) => readFileSync(join(TASKS_DIR, f), 'utf8'));
  for (let k = 0; k < 240; k++) {
    let s = sources[k % sources.length]!;
    const edits = rng.int(1, 4);
    for (let e = 0; e < edits; e++) {
      const at = rng.below(s.length);
      const op = rng.below(3);
      if (op === 0) s = s.slice(0, at) + s.slice(at + rng.int(1, 8));
      else if (op === 1) s = s.slice(0, at) + rng.choice(SOUP) + s.slice(at);
      else {
        const from = rng.below(s.length);
        s = s.slice(0, at) + s.slice(from, from + rng.int(1, 20)) + s.slice(at);
      }
    }
    exercise(s);
  }
});

test('deeply nested input is rejected, not a stack overflow', () => {
  for (const s of ['x = ' + '('.repeat(5000) + '1' + ')'.repeat(5000), 'x = ' + 'not '.repeat(5000) + '1', 'x = ' + '-'.repeat(5000) + '1', 'x = ' + 'f('.repeat(3000) + ')'.repeat(3000), 'x = ' + '1 if 1 else '.repeat(3000) + '1']) {
    const a = analyze(s, 'deep.raspl');
    assert.ok(a.errors.some((e) => e.message.includes('nested too deeply')), a.errors[0]?.message);
  }
});
