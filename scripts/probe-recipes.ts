// A recipe search: trains several variants of a task's recipe with `looplens train`, a few side by
// side on one thread each (two 1-thread runs beat one 2-thread run on a small machine), then
// evaluates each final model with `looplens eval --json` and prints one markdown table: training
// time, the final oracle / paper-rule accuracy per length, the oracle learning curve at the first
// length and, for a task with a case split (`looplens eval --cases`), the oracle per case at the
// last length. Every variant shares --base; a variant adds its own options.
// Usage: npm run probe:recipes -- --task addition --base "--max-length 6 --steps 2000"
//        --variant "h16=--heads 16" --variant "lr3e-3=--heads 16 --lr 3e-3"
//        [--lengths 4,6,8] [--examples 640] [--jobs 2] [--every 500] [--out runs/probes]
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { arg, loadavg, positiveInt } from './support/benchArgs';
import type { CaseCount } from '../src/core/eval/caseTally';
import { getTask, isTaskName } from '../src/core/tasks';

interface Variant {
  name: string;
  args: string[];
}

interface Outcome {
  variant: Variant;
  trainMin: number | null;
  curve: string[];
  /** length → [oracle, paper rule] */
  final: Map<number, [number, number]>;
  /** length → oracle accuracy per case label (tasks with a case split) */
  cases: Map<number, CaseCount[]>;
  error: string | null;
}

const CLI = path.join(__dirname, '..', 'dist', 'cli.js');

function variants(): Variant[] {
  const out: Variant[] = [];
  process.argv.forEach((a, i) => {
    if (a !== '--variant') return;
    const spec = process.argv[i + 1] ?? '';
    const eq = spec.indexOf('=');
    if (eq < 1 || !/^[\w.+-]+$/.test(spec.slice(0, eq))) throw new Error(`--variant needs NAME=OPTIONS (NAME of letters, digits, . + - _), got "${spec}"`);
    out.push({ name: spec.slice(0, eq), args: words(spec.slice(eq + 1)) });
  });
  if (out.length === 0) throw new Error('give at least one --variant NAME=OPTIONS');
  if (new Set(out.map((v) => v.name)).size !== out.length) throw new Error('variant names must differ');
  return out;
}

function words(s: string): string[] {
  return s.split(/\s+/).filter((w) => w !== '');
}

/** Runs the CLI, its output teed to `log`; resolves with the output and the exit code. */
function cli(args: string[], log: string): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [CLI, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (out += b.toString()));
    child.on('close', (code) => {
      writeFileSync(log, out);
      resolve({ code: code ?? 1, out });
    });
  });
}

interface EvalJson {
  summary: { rows: { length: number; oracle: number; perBatch: number }[] };
  cases?: { byLength: Record<string, CaseCount[]> };
}

async function runVariant(v: Variant, o: { task: string; base: string[]; lengths: string; examples: number; every: number; dir: string; cases: boolean }): Promise<Outcome> {
  const model = path.join(o.dir, `${v.name}.onnx`);
  const outcome: Outcome = { variant: v, trainMin: null, curve: [], final: new Map(), cases: new Map(), error: null };
  const t = await cli(['train', '--task', o.task, ...o.base, ...v.args, '--threads', '1', '--out', model, '--no-eval', '--eval-every', String(o.every), '--lengths', o.lengths], path.join(o.dir, `${v.name}.train.log`));
  const first = o.lengths.split(',')[0];
  for (const m of t.out.matchAll(/^step (\d+): (.*)$/gm)) {
    const at = new RegExp(`n(?:_b)?=${first} oracle ([\\d.]+)%`).exec(m[2]!);
    if (at) outcome.curve.push(`${Number(at[1]).toFixed(0)}`);
  }
  const trained = /trained \d+ steps in ([\d.]+) min/.exec(t.out);
  if (t.code !== 0 || !trained) {
    outcome.error = `training failed (exit ${t.code}): ${t.out.trim().split('\n').slice(-1)[0] ?? ''}`;
    return outcome;
  }
  outcome.trainMin = Number(trained[1]);
  const e = await cli(['eval', model, '--lengths', o.lengths, '--examples', String(o.examples), '--threads', '1', '--json', ...(o.cases ? ['--cases'] : [])], path.join(o.dir, `${v.name}.eval.log`));
  if (e.code !== 0) {
    outcome.error = `evaluation failed (exit ${e.code})`;
    return outcome;
  }
  const report = JSON.parse(e.out.slice(e.out.indexOf('{'))) as EvalJson;
  for (const r of report.summary.rows) outcome.final.set(r.length, [r.oracle, r.perBatch]);
  for (const [n, counts] of Object.entries(report.cases?.byLength ?? {})) outcome.cases.set(Number(n), counts);
  return outcome;
}

function table(outcomes: Outcome[], lengths: number[], every: number, casesTitle: string | null): string {
  const pct = (x: number) => `${(100 * x).toFixed(1)}`;
  const last = lengths[lengths.length - 1]!;
  const byCase = (o: Outcome) => (o.cases.get(last) ?? []).map((c) => `${c.label}: ${c.examples ? `${pct(c.correct / c.examples)}%` : '-'} of ${c.examples}`).join(', ') || '-';
  const head = ['variant', 'options', 'training', ...lengths.map((n) => `n = ${n}`), `oracle at n = ${lengths[0]} every ${every} steps`, ...(casesTitle ? [`oracle at n = ${last} by ${casesTitle}`] : [])];
  const rows = outcomes.map((o) => [
    o.variant.name,
    `\`${o.variant.args.join(' ')}\``,
    o.trainMin === null ? '-' : `${o.trainMin.toFixed(1)} min`,
    ...lengths.map((n) => {
      const f = o.final.get(n);
      return f ? `${pct(f[0])} / ${pct(f[1])}%` : (o.error ?? '-');
    }),
    o.curve.join(', '),
    ...(casesTitle ? [byCase(o)] : []),
  ]);
  return [head, head.map(() => '---'), ...rows].map((r) => `| ${r.join(' | ')} |`).join('\n');
}

async function main(): Promise<void> {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run npm run build first`);
  const task = arg('task', '');
  if (!task) throw new Error('give --task TASK');
  const base = words(arg('base', ''));
  const lengths = arg('lengths', '');
  if (!/^\d+(,\d+)*$/.test(lengths)) throw new Error('give --lengths L,L,... (the first one gets the learning curve)');
  // only a built-in task is known here by name; a RASP-L task file has no case split
  const split = isTaskName(task) ? getTask(task).cases : undefined;
  const o = { task, base, lengths, cases: split !== undefined, examples: positiveInt('examples', '640'), every: positiveInt('every', '500'), dir: path.resolve(arg('out', path.join('runs', 'probes', task))) };
  const jobs = positiveInt('jobs', '2');
  const all = variants();
  mkdirSync(o.dir, { recursive: true });
  console.log(`probing ${all.length} variant(s) of ${task} (${base.join(' ') || 'the cpu preset'}), ${jobs} at a time on one thread each; load average at start: ${loadavg()}`);
  const outcomes: Outcome[] = new Array(all.length);
  let next = 0;
  const worker = async () => {
    while (next < all.length) {
      const i = next++;
      const v = all[i]!;
      console.log(`  started ${v.name}: ${v.args.join(' ')}`);
      outcomes[i] = await runVariant(v, o);
      console.log(`  finished ${v.name}${outcomes[i].error ? `: ${outcomes[i].error}` : ''} (load average ${loadavg()})`);
    }
  };
  await Promise.all(Array.from({ length: Math.min(jobs, all.length) }, worker));
  console.log(`\nload average at end: ${loadavg()}; final evaluation: ${o.examples} examples per length, oracle / the paper's rule; logs and models in ${o.dir}\n`);
  console.log(table(outcomes, lengths.split(',').map(Number), o.every, split?.title ?? null));
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
