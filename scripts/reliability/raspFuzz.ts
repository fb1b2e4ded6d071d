// Fuzzed RASP-L programs for the reliability suite: the shipped task files and a few plain
// programs, each changed by one to three random mutations (lines deleted, duplicated, swapped or
// re-indented, numbers replaced by extreme ones, hostile header directives, random tokens, deep
// nesting, long chains, truncation). Deterministic per seed.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Rng } from '../../src/core/util/rng';

const TASKS = path.join(__dirname, '..', '..', 'models', 'tasks');

const PLAIN = [
  'x = tokens + 1\ny = aggregate(select(indices, indices, lt), x, 0, reduction=max)\nout = y if x > 1 else 0\n',
  'def f(a, b=2):\n    c = a * b\n    return c\nz = f(tokens)\nw = tok_map(z, lambda v: v % 3)\n',
  's = full(0)\nstep:\n    s = shift_right(s + tokens, 1)\npost:\n    out = s\n',
];

export function seedPrograms(): string[] {
  const files = fs.readdirSync(TASKS).filter((f) => f.endsWith('.raspl')).sort();
  return [...files.map((f) => fs.readFileSync(path.join(TASKS, f), 'utf8')), ...PLAIN];
}

const NUMBERS = ['0', '1', '2', '-1', '7', '500', '501', '4096', '4097', '10000', '10001', '999999', '1000000', '1000001', '99999999999999999999'];
const HOSTILE = [
  '@width 1000000 * 1000000',
  '@width max(n, 1000000) * 1000',
  '@width n * n * n * n * n',
  '@width -5',
  '@width n // 0',
  '@width min(n, 1) - 10',
  '@width (n if n > 3 else 1000000)',
  '@steps n * n * n * n',
  '@steps 1000000 * 1000000',
  '@steps 0',
  '@steps n % 0',
  '@steps lambda x: x',
  '@lengths n in 1..1000000',
  '@lengths n in 0..5',
  '@lengths n in 5..1',
  '@lengths n in 1..500, m in 1..500',
  '@input [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n [0 1]*n 2',
  '@input [0..999999]*n 2',
  '@vocab 100000',
  '@vocab 0',
  '@symbols',
  '@pad 999999',
  '@answer from 999999',
  '@task',
  '@output tokens',
  '@unknown 1',
];
const TOKENS = ['(', ')', '[', ']', ',', ':', '=', '==', '+', '*', '//', '%', '-', 'lambda', 'x:', 'if', 'else', 'return', 'def', 'step:', 'pre:', 'post:', 'select(', 'aggregate(', 'tokens', 'indices', 'n', 'out', '"', "'", '#', '@', '\t', '    ', '\n', '1000000', 'max(', 'min(', 'shift_right(', 'full('];

/** Mutated program number `seed`. */
export function fuzzProgram(seed: number, seeds = seedPrograms()): { source: string; what: string } {
  const rng = new Rng(77_000_003 + seed);
  let src = seeds[seed % seeds.length]!;
  const done: string[] = [];
  const k = 1 + rng.below(3);
  for (let i = 0; i < k; i++) {
    const lines = src.split('\n');
    const at = rng.below(Math.max(1, lines.length));
    switch (rng.below(11)) {
      case 0:
        lines.splice(at, 1);
        done.push(`delete line ${at + 1}`);
        break;
      case 1:
        lines.splice(at, 0, lines[at] ?? '');
        done.push(`duplicate line ${at + 1}`);
        break;
      case 2:
        if (at + 1 < lines.length) [lines[at], lines[at + 1]] = [lines[at + 1]!, lines[at]!];
        done.push(`swap lines ${at + 1}/${at + 2}`);
        break;
      case 3: {
        const nums = [...src.matchAll(/\d+/g)];
        if (nums.length > 0) {
          const m = nums[rng.below(nums.length)]!;
          const to = NUMBERS[rng.below(NUMBERS.length)]!;
          src = src.slice(0, m.index) + to + src.slice(m.index! + m[0].length);
          done.push(`number → ${to}`);
          continue;
        }
        break;
      }
      case 4: {
        const h = HOSTILE[rng.below(HOSTILE.length)]!;
        const kind = h.split(' ')[0]!;
        const idx = lines.findIndex((l) => l.startsWith(`${kind} `) || l === kind);
        if (idx >= 0) lines[idx] = h;
        else lines.splice(lines.findIndex((l) => l.startsWith('@')) + 1, 0, h);
        done.push(h);
        break;
      }
      case 5: {
        const pos = rng.below(src.length + 1);
        const n = 1 + rng.below(4);
        const ins = Array.from({ length: n }, () => TOKENS[rng.below(TOKENS.length)]).join(' ');
        src = src.slice(0, pos) + ins + src.slice(pos);
        done.push(`insert ${JSON.stringify(ins)}`);
        continue;
      }
      case 6:
        src = src.slice(0, rng.below(src.length + 1));
        done.push('truncate');
        continue;
      case 7: {
        const l = lines[at] ?? '';
        lines[at] = rng.bit() ? `  ${l}` : l.replace(/^ {1,4}/, '');
        done.push(`re-indent line ${at + 1}`);
        break;
      }
      case 8: {
        const depth = 20 + rng.below(200);
        lines.splice(at, 0, `deep = ${'('.repeat(depth)}tokens${')'.repeat(rng.bit() ? depth : depth - 1)}`);
        done.push(`nesting ${depth}`);
        break;
      }
      case 9: {
        const len = 50 + rng.below(400);
        lines.splice(at, 0, `chain = tokens${' + tokens'.repeat(len)}`);
        done.push(`chain ${len}`);
        break;
      }
      default:
        lines.splice(at, 0, rng.bit() ? 'def loop(a):\n    return loop(a)\nq = loop(tokens)' : 'def g(a):\n    return h(a)\ndef h(a):\n    return g(a)');
        done.push('recursion');
        break;
    }
    src = lines.join('\n');
  }
  return { source: src, what: done.join('; ') };
}
