// `npm run reliability [-- --quick] [-- --workers N]`: LoopLens against bad and hostile input.
//   corrupt model files   1,020 variants (truncations, bit and byte flips, graph edits, metadata
//                         edits unsigned and re-signed, special paths), each through `eval` and `trace`
//   RASP-L fuzzing        10,000 mutated programs through the editor's diagnostics and the CLI's path
//   SIGKILL/resume        10 SIGKILLs and a Ctrl-C of a training run, resumed each time; the final
//                         weights must equal an uninterrupted run's and no temp file may stay behind
//   bad CLI arguments     65 argument lists, each with the exit code and message it must give
//   huge inputs           traces, stepper inputs, evaluations, training shapes, files and programs
//                         far over the limits
// Every case runs in a worker process watched for time (20 s) and memory (2 GiB). The table says,
// per category: tried / right answer / clean error / crash / hang / silently wrong / memory
// blow-up. Exit status 1 on anything but right answers and clean errors. --quick runs about a
// tenth (CI). Not part of `npm test`.
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { loadModel } from '../src/core/model/modelFile';
import { Rng } from '../src/core/util/rng';
import { CLI_CASES, HUGE_CASES } from './reliability/cases';
import { FULL_PLAN, type VariantFamily } from './reliability/modelVariants';
import { INTERNAL, type CaseReply, type CaseRequest, type CaseSpec } from './reliability/protocol';

const ROOT = path.join(__dirname, '..');
const args = process.argv.slice(2);
const QUICK = args.includes('--quick');
const WORKERS = Math.max(1, Number(args[args.indexOf('--workers') + 1]) || 1);
const VERBOSE = args.includes('--verbose');
const CASE_SECONDS = 20;
const CASE_BYTES = 2 * 1024 ** 3;

type Outcome = CaseReply['outcome'] | 'hang' | 'memory';
interface Row {
  tried: number;
  counts: Record<Outcome, number>;
  peakBytes: number;
  slowestMs: number;
  failures: string[];
}
const CATEGORIES = ['corrupt model files', 'RASP-L fuzzing', 'SIGKILL/resume cycles', 'bad CLI arguments', 'huge inputs'] as const;
type Category = (typeof CATEGORIES)[number];
const table = new Map<Category, Row>(CATEGORIES.map((c) => [c, { tried: 0, counts: { ok: 0, clean: 0, crash: 0, hang: 0, wrong: 0, memory: 0 }, peakBytes: 0, slowestMs: 0, failures: [] }]));

function record(cat: Category, outcome: Outcome, detail: string, ms: number, bytes: number): void {
  const row = table.get(cat)!;
  row.tried++;
  row.counts[outcome]++;
  row.peakBytes = Math.max(row.peakBytes, bytes);
  row.slowestMs = Math.max(row.slowestMs, ms);
  if (outcome !== 'ok' && outcome !== 'clean') row.failures.push(`[${outcome}] ${detail}`);
  if (VERBOSE) console.log(`${cat} | ${outcome} | ${(ms / 1000).toFixed(1)} s | ${(bytes / 2 ** 20).toFixed(0)} MB | ${detail.slice(0, 200)}`);
}

// ---- /proc -------------------------------------------------------------------------------------
function statusBytes(pid: number, field: 'VmRSS' | 'VmHWM'): number {
  try {
    const m = new RegExp(`${field}:\\s+(\\d+) kB`).exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Resets the peak resident size of `pid` to its current size (Linux: clear_refs 5). */
function resetPeak(pid: number): void {
  try {
    fs.writeFileSync(`/proc/${pid}/clear_refs`, '5');
  } catch {
    // not on Linux: the peak is then the worker's lifetime peak, an upper bound
  }
}

// ---- workers -----------------------------------------------------------------------------------
type Answer = { outcome: Outcome; detail: string; ms: number; bytes: number };

class Worker {
  private child!: ChildProcess;
  private buffer = '';
  private waiting: ((line: string | null) => void) | undefined;
  private ready!: Promise<void>;

  constructor() {
    this.start();
  }

  private start(): void {
    this.buffer = '';
    this.child = spawn(process.execPath, ['--max-old-space-size=4096', '--import', 'tsx', path.join(__dirname, 'reliability', 'worker.ts')], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', () => undefined); // ONNX Runtime's own logging; the CLI's output is captured in-process
    this.child.stdout!.on('data', (d: Buffer) => {
      this.buffer += d.toString('utf8');
      let i: number;
      while ((i = this.buffer.indexOf('\n')) >= 0) {
        const line = this.buffer.slice(0, i);
        this.buffer = this.buffer.slice(i + 1);
        const w = this.waiting;
        this.waiting = undefined;
        w?.(line);
      }
    });
    this.child.on('exit', () => {
      const w = this.waiting;
      this.waiting = undefined;
      w?.(null);
    });
    this.ready = new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error('a reliability worker did not start within 120 s')), 120_000);
      this.waiting = (line) => {
        clearTimeout(timer);
        if (line !== null && line.includes('"ready"')) resolve();
        else reject(new Error(`a reliability worker failed to start: ${line}`));
      };
    });
  }

  async run(req: CaseRequest): Promise<Answer> {
    await this.ready;
    const pid = this.child.pid!;
    resetPeak(pid);
    const t0 = Date.now();
    let killedFor: 'hang' | 'memory' | undefined;
    let peak = statusBytes(pid, 'VmRSS');
    const line = await new Promise<string | null>((resolve) => {
      const watch = setInterval(() => {
        const rss = statusBytes(pid, 'VmRSS');
        peak = Math.max(peak, rss);
        if (rss > CASE_BYTES) killedFor = 'memory';
        else if (Date.now() - t0 > CASE_SECONDS * 1000) killedFor = 'hang';
        if (killedFor) {
          clearInterval(watch);
          this.child.kill('SIGKILL');
        }
      }, 50);
      this.waiting = (l) => {
        clearInterval(watch);
        resolve(l);
      };
      this.child.stdin!.write(`${JSON.stringify(req)}\n`);
    });
    const ms = Date.now() - t0;
    peak = Math.max(peak, statusBytes(pid, 'VmHWM'));
    if (line === null) {
      this.start();
      const outcome: Outcome = killedFor ?? 'crash';
      const why = killedFor === 'memory' ? `over ${CASE_BYTES / 2 ** 30} GiB` : killedFor === 'hang' ? `over ${CASE_SECONDS} s` : 'the worker died';
      return { outcome, detail: `${JSON.stringify(req)}: ${why}`, ms, bytes: peak };
    }
    const reply = JSON.parse(line) as CaseReply;
    return { outcome: reply.outcome, detail: reply.detail, ms, bytes: peak };
  }

  close(): void {
    this.child.stdin!.end();
  }
}

async function runPool(jobs: { cat: Category; req: CaseSpec }[]): Promise<void> {
  const workers = Array.from({ length: WORKERS }, () => new Worker());
  let next = 0;
  let done = 0;
  const t0 = Date.now();
  await Promise.all(
    workers.map(async (w) => {
      while (next < jobs.length) {
        const j = jobs[next++]!;
        const a = await w.run({ ...j.req, id: next } as CaseRequest);
        record(j.cat, a.outcome, a.detail, a.ms, a.bytes);
        if (++done % 500 === 0 && !VERBOSE) process.stderr.write(`  ${done}/${jobs.length} cases, ${((Date.now() - t0) / 1000).toFixed(0)} s\n`);
      }
      w.close();
    }),
  );
}

// ---- SIGKILL / resume --------------------------------------------------------------------------
const TRAIN = (out: string, steps: number) => ['--import', 'tsx', 'src/cli/main.ts', 'train', '--task', 'parity', '--d', '16', '--heads', '2', '--batch', '32', '--steps', String(steps), '--max-length', '6', '--interval', '25', '--seed', '5', '--checkpoint-every', '3', '--no-eval', '--out', out, '--ep', 'cpu', '--threads', '1'];

interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  ms: number;
  bytes: number;
}

function runProcess(argv: string[], o: { timeoutMs: number; killWhen?: (child: ChildProcess) => Promise<NodeJS.Signals | null> }): Promise<Exit> {
  return new Promise((resolve) => {
    const t0 = Date.now();
    const child = spawn(process.execPath, argv, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    let peak = 0;
    child.stderr!.on('data', (d: Buffer) => (stderr = (stderr + d.toString('utf8')).slice(-20_000)));
    const watch = setInterval(() => {
      peak = Math.max(peak, statusBytes(child.pid!, 'VmRSS'));
      if (Date.now() - t0 > o.timeoutMs || peak > CASE_BYTES) child.kill('SIGKILL');
    }, 50);
    void o.killWhen?.(child).then((sig) => {
      if (sig && child.exitCode === null) {
        peak = Math.max(peak, statusBytes(child.pid!, 'VmHWM'));
        child.kill(sig);
      }
    });
    child.on('exit', (code, signal) => {
      clearInterval(watch);
      resolve({ code, signal, stderr, ms: Date.now() - t0, bytes: peak });
    });
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Resolves once `file` changes after the call (a new checkpoint), or null when `child` exits first. */
async function nextWrite(file: string, child: ChildProcess): Promise<boolean> {
  const mtime = () => {
    try {
      return fs.statSync(file).mtimeMs;
    } catch {
      return 0;
    }
  };
  const before = mtime();
  while (child.exitCode === null && child.signalCode === null) {
    if (mtime() !== before) return true;
    await sleep(20);
  }
  return false;
}

async function killCycles(kills: number): Promise<void> {
  const cat: Category = 'SIGKILL/resume cycles';
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'looplens-kill-'));
  try {
    const steps = 1000;
    const ref = await runProcess(TRAIN(path.join(dir, 'ref.onnx'), steps), { timeoutMs: 300_000 });
    if (ref.code !== 0) {
      record(cat, 'crash', `the uninterrupted reference run failed: ${ref.stderr.slice(-400)}`, ref.ms, ref.bytes);
      return;
    }
    const out = path.join(dir, 'run.onnx');
    const ckpt = path.join(dir, 'run.ckpt');
    const rng = new Rng(17);
    let started = false;
    for (let k = 0; k < kills; k++) {
      const sigint = k === Math.floor(kills / 2); // one Ctrl-C among the SIGKILLs
      const argv = [...TRAIN(out, steps), ...(started ? ['--resume'] : [])];
      const e = await runProcess(argv, {
        timeoutMs: 120_000,
        killWhen: async (child) => {
          // Kill mid-run: after the process has written a checkpoint of its own, at a random moment (often mid-write).
          if (!(await nextWrite(ckpt, child))) return null;
          await sleep(rng.below(400));
          return sigint ? 'SIGINT' : 'SIGKILL';
        },
      });
      const what = `${sigint ? 'Ctrl-C' : 'SIGKILL'} ${k + 1}${started ? ' of a resumed run' : ''}`;
      if (e.code === 0) record(cat, 'ok', `${what}: the run finished before the kill`, e.ms, e.bytes);
      else if (sigint ? e.code === 130 : e.signal === 'SIGKILL') record(cat, 'ok', `${what}: stopped; checkpoint ${fs.existsSync(ckpt) ? 'present' : 'MISSING'}`, e.ms, e.bytes);
      else record(cat, INTERNAL.test(e.stderr) ? 'crash' : 'clean', `${what}: exit ${e.code} ${e.signal ?? ''}: ${e.stderr.split('\n').filter((l) => /looplens/.test(l)).join(' | ').slice(0, 300)}`, e.ms, e.bytes);
      started = true;
      if (!fs.existsSync(ckpt)) {
        record(cat, 'wrong', `${what}: no checkpoint to resume from`, e.ms, e.bytes);
        return;
      }
    }
    const last = await runProcess([...TRAIN(out, steps), '--resume'], { timeoutMs: 300_000 });
    if (last.code !== 0) {
      record(cat, INTERNAL.test(last.stderr) ? 'crash' : 'wrong', `the final resume failed: exit ${last.code}: ${last.stderr.slice(-300)}`, last.ms, last.bytes);
      return;
    }
    const [a, b] = [await loadModel(path.join(dir, 'ref.onnx')), await loadModel(out)];
    const differing = Object.keys(a.params).filter((k) => Buffer.compare(Buffer.from(a.params[k]!.buffer), Buffer.from(b.params[k]!.buffer)) !== 0);
    record(cat, differing.length === 0 ? 'ok' : 'wrong', differing.length === 0 ? `final weights equal the uninterrupted run's after ${kills} kills` : `final weights differ from the uninterrupted run's: ${differing.join(', ')}`, last.ms, last.bytes);
    const temps = fs.readdirSync(dir).filter((f) => f.endsWith('.tmp'));
    record(cat, temps.length === 0 ? 'ok' : 'wrong', temps.length === 0 ? 'no temp file left behind' : `temp files left behind: ${temps.join(', ')}`, 0, 0);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A few argument lists through the real `looplens` process: its exit status and stderr. */
async function realProcesses(): Promise<void> {
  const model = path.join(ROOT, 'models', 'parity.onnx');
  for (const c of CLI_CASES.filter((x) => x.process)) {
    const argv = c.argv.map((a) => a.replace('{MODEL}', model));
    const e = await runProcess(['--import', 'tsx', 'src/cli/main.ts', ...argv], { timeoutMs: CASE_SECONDS * 1000 });
    const ok = e.code !== null && c.codes.includes(e.code) && (c.message === undefined || e.stderr.includes(c.message)) && !INTERNAL.test(e.stderr);
    record('bad CLI arguments', ok ? (e.code === 0 ? 'ok' : 'clean') : e.code === null ? 'hang' : INTERNAL.test(e.stderr) ? 'crash' : e.code === 0 ? 'wrong' : 'crash', `process: ${c.name}: exit ${e.code}: ${e.stderr.split('\n').find((l) => l.startsWith('looplens')) ?? ''}`, e.ms, e.bytes);
  }
}

// ---- main ----------------------------------------------------------------------------------------
function printTable(seconds: number): boolean {
  const head = ['category', 'tried', 'right', 'clean error', 'crash', 'hang', 'silently wrong', 'memory blow-up', 'peak MB', 'slowest s'];
  const rows = CATEGORIES.map((c) => {
    const r = table.get(c)!;
    return [c, r.tried, r.counts.ok, r.counts.clean, r.counts.crash, r.counts.hang, r.counts.wrong, r.counts.memory, Math.round(r.peakBytes / 2 ** 20), (r.slowestMs / 1000).toFixed(1)].map(String);
  });
  const total = ['total', ...[1, 2, 3, 4, 5, 6, 7].map((i) => String(rows.reduce((s, r) => s + Number(r[i]), 0))), String(Math.max(...rows.map((r) => Number(r[8])))), String(Math.max(...rows.map((r) => Number(r[9]))).toFixed(1))];
  const all = [head, ...rows, total];
  const widths = head.map((_, i) => Math.max(...all.map((r) => r[i]!.length)));
  const line = (r: string[]) => r.map((x, i) => (i === 0 ? x.padEnd(widths[i]!) : x.padStart(widths[i]!))).join('  ');
  console.log(`\nLoopLens reliability${QUICK ? ' (--quick)' : ''}: ${seconds.toFixed(0)} s, each case limited to ${CASE_SECONDS} s and ${CASE_BYTES / 2 ** 30} GiB`);
  console.log(line(head));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  rows.forEach((r) => console.log(line(r)));
  console.log(line(total));
  console.log('right: the correct answer (a run that should succeed, or an edit that must not change the answer); clean error: LoopLens\'s own message and exit status.');
  let bad = false;
  for (const c of CATEGORIES) {
    const r = table.get(c)!;
    if (r.failures.length === 0) continue;
    bad = true;
    console.log(`\n${c}: ${r.failures.length} failure(s)`);
    r.failures.slice(0, 25).forEach((f) => console.log(`  ${f}`));
  }
  return !bad;
}

async function main(): Promise<void> {
  const t0 = Date.now();
  const scale = (n: number) => (QUICK ? Math.max(2, Math.ceil(n / 10)) : n);
  const jobs: { cat: Category; req: CaseSpec }[] = [];
  for (const [family, n] of Object.entries(FULL_PLAN) as [VariantFamily, number][]) {
    for (let seed = 0; seed < (family === 'special-path' ? n : scale(n)); seed++) jobs.push({ cat: 'corrupt model files', req: { kind: 'model', family, seed } });
  }
  const programs = QUICK ? 600 : 10_000;
  for (let seed = 0; seed < programs; seed++) jobs.push({ cat: 'RASP-L fuzzing', req: { kind: 'raspl', seed } });
  CLI_CASES.forEach((_, index) => jobs.push({ cat: 'bad CLI arguments', req: { kind: 'cli', index } }));
  HUGE_CASES.forEach((_, index) => jobs.push({ cat: 'huge inputs', req: { kind: 'huge', index } }));
  console.log(`LoopLens reliability${QUICK ? ' (--quick)' : ''}: ${jobs.length} cases in ${WORKERS} worker(s), then ${QUICK ? 2 : 10} kills of a training run`);
  await runPool(jobs);
  if (!QUICK) await realProcesses();
  else await realProcesses().catch((e: Error) => record('bad CLI arguments', 'crash', e.message, 0, 0));
  await killCycles(QUICK ? 2 : 11);
  const ok = printTable((Date.now() - t0) / 1000);
  process.exitCode = ok ? 0 : 1;
}

void main();
