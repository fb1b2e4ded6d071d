// A reliability-suite worker: runs one case at a time, as the parent (scripts/reliability.ts) sends
// them over stdin (JSON lines), and answers with its outcome. The parent watches its time and
// memory and counts a worker that dies as a crash; this process only says whether a case ended in
// a clean error, a right answer, a wrong one, or an internal error.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { runCli } from '../../src/cli/framework/run';
import { commands } from '../../src/cli/commands';
import { parseModel } from '../../src/core/model/modelFile';
import { stripChecksum } from '../../src/core/model/modelIntegrity';
import { encodeCheckpoint } from '../../src/core/train/checkpoint';
import { diagnose } from '../../src/core/programs/tasks/diagnose';
import { analyze } from '../../src/core/programs/tasks/analyze';
import { taskFromRaspl } from '../../src/core/programs/tasks/fromRaspl';
import { RaspError, runProgram } from '../../src/core/rasp';
import { TaskInputError } from '../../src/core/tasks/types';
import { openTraceSessions, releaseTraceSessions } from '../../src/core/trace/traceInput';
import { stepperContent } from '../../src/core/view/stepperContent';
import { validateMessage } from '../../src/extension/panels/messageValidation';
import { stepperMessages } from '../../src/extension/panels/panelMessages';
import { ResourceLimitError } from '../../src/core/util/limits';
import { readLines } from './lines';
import { CLI_CASES, HUGE_CASES } from './cases';
import { fuzzProgram, seedPrograms } from './raspFuzz';
import { makeVariant, type VariantFamily } from './modelVariants';
import { INTERNAL, type CaseRequest, type CaseResult } from './protocol';

const ROOT = path.join(__dirname, '..', '..');
const MODEL = path.join(ROOT, 'models', 'parity.onnx');
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'looplens-reliability-'));
process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));

const pristine = fs.readFileSync(MODEL);
const config = parseModel(pristine).config;

// ---- fixtures ---------------------------------------------------------------------------------
const fixtures: Record<string, string> = {};
function fixture(name: string): string {
  if (fixtures[name]) return fixtures[name]!;
  const p = (f: string) => path.join(tmp, f);
  let out: string;
  switch (name) {
    case 'MODEL':
      out = MODEL;
      break;
    case 'TMP':
      out = tmp;
      break;
    case 'MISSING':
      out = p('does-not-exist.raspl');
      break;
    case 'LEGACY':
      out = p('legacy.onnx');
      fs.writeFileSync(out, stripChecksum(pristine));
      break;
    case 'FIFO':
    case 'FIFOONNX':
      out = p(name === 'FIFO' ? 'pipe' : 'pipe.onnx');
      mkfifo(out);
      break;
    case 'HOSTILE':
      out = p('hostile.raspl');
      fs.writeFileSync(out, '@task hostile\n@input [0 1]*n 2\n@pad 3\n@answer from 2\n@lengths n in 1..20\n@steps n\n@width 1000000 * 1000000\nx = tokens\nstep:\n    out = x\n');
      break;
    case 'SPARSE':
      out = p('sparse.onnx');
      sparse(out, 1024 ** 3);
      break;
    case 'BIGPROGRAM':
      out = p('big.raspl');
      fs.writeFileSync(out, 'x = tokens + 1\n'.repeat(150_000));
      break;
    case 'WIDEPROGRAM':
      out = p('wide.raspl');
      fs.writeFileSync(out, 'x = tokens\nstep:\n    x = aggregate(select(indices, indices, lt), x, 0, reduction=max)\n');
      break;
    case 'LONGPROGRAM':
      out = p('long.raspl');
      fs.writeFileSync(out, 'x = tokens\ny = x + 1\nz = y + 1\nstep:\n    x = x + 1\n');
      break;
    default:
      throw new Error(`unknown fixture ${name}`);
  }
  fixtures[name] = out;
  return out;
}

function mkfifo(p: string): void {
  // node has no mkfifo; the coreutils one is everywhere LoopLens runs its suite (Linux).
  execFileSync('mkfifo', [p]);
}

function sparse(p: string, bytes: number): void {
  const fd = fs.openSync(p, 'w');
  fs.ftruncateSync(fd, bytes);
  fs.closeSync(fd);
}

const fill = (argv: string[]) => argv.map((a) => a.replace(/\{([A-Z]+)\}/g, (_, k: string) => fixture(k)));

// ---- running the CLI in this process ------------------------------------------------------------
async function cli(argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(argv, commands, { stdout: { write: (s: string) => (out += s) }, stderr: { write: (s: string) => (err += s), columns: 100 }, env: {}, cwd: ROOT });
  return { code, out, err };
}

/** A failure's message is the project's: names the command (or a RASP-L file:line:column), no internal error text. */
function cleanFailure(r: { err: string }): boolean {
  return (/^looplens( [a-z]+)?: /m.test(r.err) || /^\S+:\d+:\d+: (syntax|check|runtime|task) error: /m.test(r.err)) && !INTERNAL.test(r.err);
}

// ---- model variants ------------------------------------------------------------------------------
const EVAL = (file: string) => ['eval', file, '--lengths', '10', '--examples', '64', '--batch', '64', '--json', '--ep', 'cpu', '--threads', '1'];
const TRACE = (file: string) => ['trace', file, '--input', '1011001', '--steps', '12', '--json', '--ep', 'cpu', '--threads', '1'];

function normalize(json: string): string {
  const v = JSON.parse(json) as Record<string, unknown>;
  delete v.model;
  delete v.seconds;
  return JSON.stringify(v);
}

let reference: { eval: string; trace: string } | undefined;
async function referenceOutputs(): Promise<{ eval: string; trace: string }> {
  if (reference) return reference;
  const e = await cli(EVAL(MODEL));
  const t = await cli(TRACE(MODEL));
  if (e.code !== 0 || t.code !== 0) throw new Error(`the pristine model does not run: ${e.err}${t.err}`);
  reference = { eval: normalize(e.out), trace: normalize(t.out) };
  return reference;
}

async function specialPath(name: string): Promise<string> {
  const p = (f: string) => path.join(tmp, f);
  switch (name) {
    case 'dev-zero':
      return '/dev/zero';
    case 'dev-null':
      return '/dev/null';
    case 'dev-urandom':
      return '/dev/urandom';
    case 'fifo':
      return fixture('FIFOONNX');
    case 'socket': {
      const s = p('model.sock');
      if (!fs.existsSync(s)) {
        const server = net.createServer();
        await new Promise<void>((resolve) => server.listen(s, resolve));
        server.unref();
      }
      return s;
    }
    case 'folder':
      return tmp;
    case 'missing':
      return p('missing.onnx');
    case 'symlink-loop': {
      const l = p('loop.onnx');
      if (!fs.existsSync(l) && !isLink(l)) fs.symlinkSync(l, l);
      return l;
    }
    case 'dangling-symlink': {
      const l = p('dangling.onnx');
      if (!isLink(l)) fs.symlinkSync(p('nowhere.onnx'), l);
      return l;
    }
    case 'empty':
      return write('empty.onnx', new Uint8Array(0));
    case 'sparse-1g':
      return fixture('SPARSE');
    case 'text':
      return write('text.onnx', 'hello, this is not a model\n'.repeat(40));
    case 'checkpoint-as-model':
      return write('ckpt.onnx', encodeCheckpoint({ config: {}, step: 1, rngState: [1, 2, 3, 4], curriculum: { nPoints: 2 }, history: [], params: {}, moments: {} }));
    case 'raspl-as-model':
      return write('task.onnx', fs.readFileSync(path.join(ROOT, 'models', 'tasks', 'parity.raspl')));
    case 'json-as-model':
      return write('json.onnx', JSON.stringify({ graph: { node: [1] } }));
    case 'truncated-to-header':
      return write('header.onnx', pristine.subarray(0, 24));
    case 'zero-bytes-4k':
      return write('zeros.onnx', new Uint8Array(4096));
    case 'random-64k': {
      const b = new Uint8Array(65536);
      for (let i = 0; i < b.length; i++) b[i] = (i * 2654435761) >>> 24;
      return write('random.onnx', b);
    }
    case 'path-with-spaces-and-unicode':
      return write('a model ✓ (copy).onnx', stripChecksum(pristine));
    case 'below-a-file':
      return path.join(MODEL, 'inside.onnx');
    default:
      throw new Error(`unknown special path ${name}`);
  }
}

function isLink(p: string): boolean {
  try {
    return fs.lstatSync(p).isSymbolicLink();
  } catch {
    return false;
  }
}

function write(name: string, data: Uint8Array | string): string {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, data);
  return p;
}

async function modelCase(family: VariantFamily, seed: number): Promise<CaseResult> {
  const ref = await referenceOutputs();
  const v = makeVariant(pristine, config, family, seed);
  const file = v.special ? await specialPath(v.special) : write(`variant-${family}-${seed}.onnx`, v.bytes!);
  try {
    const outcomes: CaseResult[] = [];
    for (const [what, argv, expected] of [
      ['eval', EVAL(file), ref.eval],
      ['trace', TRACE(file), ref.trace],
    ] as const) {
      const r = await cli(argv);
      if (r.code === 0) {
        const same = normalize(r.out) === expected;
        outcomes.push({ outcome: same ? 'ok' : 'wrong', detail: `${v.what}: ${what} exited 0 ${same ? 'with the same answer' : 'with a different answer'}` });
      } else outcomes.push(cleanFailure(r) ? { outcome: 'clean', detail: `${v.what}: ${r.err.split('\n')[0]}` } : { outcome: 'crash', detail: `${v.what}: ${what}: ${r.err.slice(0, 400)}` });
    }
    return worst(outcomes);
  } finally {
    if (!v.special) fs.rmSync(file, { force: true });
  }
}

const RANK: Record<CaseResult['outcome'], number> = { ok: 0, clean: 1, wrong: 3, crash: 4 };
function worst(rs: CaseResult[]): CaseResult {
  return rs.reduce((a, b) => (RANK[b.outcome] > RANK[a.outcome] ? b : a));
}

// ---- RASP-L --------------------------------------------------------------------------------------
let seeds: string[] | undefined;
function isPositioned(e: unknown): boolean {
  if (e instanceof RaspError) return e.line >= 1 && e.column >= 1;
  if (e instanceof TaskInputError) return /:\d+:\d+: /.test(e.message);
  return false;
}

function raspCase(seed: number): CaseResult {
  seeds ??= seedPrograms();
  const { source, what } = fuzzProgram(seed, seeds);
  const file = `fuzz-${seed}.raspl`;
  const steps: string[] = [];
  try {
    // The editor's path: diagnostics (parse, check, task header, a dry run on small rows).
    const problems = diagnose(source, file);
    steps.push(`${problems.length} problem(s)`);
    if (problems.some((p) => !(p.line >= 1 && p.column >= 1))) return { outcome: 'crash', detail: `${what}: a problem without a position` };
    // The command line's and the trainer's path.
    const a = analyze(source, file);
    if (a.errors.length === 0 && a.task !== null) {
      const task = taskFromRaspl(source, file);
      task.rowWidth(task.curriculum.end);
      task.maxSteps(task.lengthNames.map(() => task.testLength));
      task.widthFor(task.lengthNames.map(() => task.testLength));
      task.fromText(task.inputSyntax);
    } else if (a.errors.length === 0) {
      runProgram(a.program, [0, 1, 1, 0, 1, 2, 3, 3], { trace: true, budget: 5_000_000 });
    }
    return { outcome: problems.length === 0 ? 'ok' : 'clean', detail: `${what}: ${steps.join(', ')}` };
  } catch (e) {
    if (isPositioned(e)) return { outcome: 'clean', detail: `${what}: ${(e as Error).message.slice(0, 120)}` };
    return { outcome: 'crash', detail: `${what}: ${(e as Error).name}: ${(e as Error).message.slice(0, 300)}` };
  }
}

// ---- fixed cases ---------------------------------------------------------------------------------
async function cliCase(argv: string[], codes: number[], message?: string): Promise<CaseResult> {
  const r = await cli(fill(argv));
  const text = r.code === 0 ? r.out + r.err : r.err;
  const shown = `exit ${r.code}: ${(r.err || r.out).split('\n').find((l) => l.trim() !== '' && !l.startsWith('LoopLens: using the CPU')) ?? ''}`.slice(0, 300);
  if (INTERNAL.test(r.err + r.out)) return { outcome: 'crash', detail: shown };
  if (!codes.includes(r.code)) return { outcome: r.code === 0 ? 'wrong' : codes.includes(0) ? 'crash' : 'clean', detail: `expected exit ${codes.join('/')}; ${shown}` };
  if (message !== undefined && !text.includes(message)) return { outcome: r.code === 0 ? 'wrong' : 'crash', detail: `expected "${message}"; ${shown}` };
  if (r.code !== 0 && !cleanFailure(r)) return { outcome: 'crash', detail: shown };
  return { outcome: r.code === 0 ? 'ok' : 'clean', detail: shown };
}

async function builtinCase(name: string, message?: string): Promise<CaseResult> {
  try {
    switch (name) {
      case 'stepper-2000-bits': {
        const model = parseModel(pristine, MODEL);
        const sessions = await openTraceSessions(model, { provider: 'cpu', cpuThreads: 1 });
        try {
          await stepperContent({ sessions, task: model.task, text: '10'.repeat(1000), modelLabel: 'parity.onnx' });
          return { outcome: 'wrong', detail: 'a 2000-bit stepper input was traced' };
        } finally {
          await releaseTraceSessions(sessions);
        }
      }
      case 'stepper-message-30000': {
        const v = validateMessage(stepperMessages, { type: 'setInput', text: '1'.repeat(30_000) });
        if (v.ok) return { outcome: 'wrong', detail: 'the panel accepted a 30000-character input' };
        throw new ResourceLimitError(v.problem);
      }
      case 'editor-600kb': {
        const src = Array.from({ length: 8000 }, (_, i) => `def f${i}(a, b):\n    c = a + b\n    return c\n`).join('') + Array.from({ length: 8000 }, (_, i) => `v${i} = f${i}(tokens, indices)\n`).join('');
        const t0 = Date.now();
        const problems = diagnose(src, 'big.raspl');
        return { outcome: 'ok', detail: `${(src.length / 1024).toFixed(0)} KB checked in ${Date.now() - t0} ms, ${problems.length} problem(s)` };
      }
      case 'editor-deep-nesting': {
        const problems = diagnose(`x = ${'('.repeat(100_000)}tokens${')'.repeat(100_000)}\n`, 'deep.raspl');
        if (problems.length === 0) return { outcome: 'wrong', detail: 'accepted' };
        throw new RaspError('syntax', problems[0]!.message, { start: { line: problems[0]!.line, column: problems[0]!.column }, end: { line: problems[0]!.line, column: problems[0]!.column } });
      }
      default:
        throw new Error(`unknown builtin case ${name}`);
    }
  } catch (e) {
    const clean = e instanceof ResourceLimitError || e instanceof TaskInputError || e instanceof RaspError;
    const m = (e as Error).message;
    if (!clean || INTERNAL.test(m)) return { outcome: 'crash', detail: `${(e as Error).name}: ${m.slice(0, 300)}` };
    if (message !== undefined && !m.includes(message)) return { outcome: 'crash', detail: `expected "${message}": ${m.slice(0, 200)}` };
    return { outcome: 'clean', detail: m.slice(0, 200) };
  }
}

async function handle(req: CaseRequest): Promise<CaseResult> {
  switch (req.kind) {
    case 'model':
      return modelCase(req.family, req.seed);
    case 'raspl':
      return raspCase(req.seed);
    case 'cli': {
      const c = CLI_CASES[req.index]!;
      return cliCase(c.argv, c.codes, c.message);
    }
    case 'huge': {
      const c = HUGE_CASES[req.index]!;
      return c.builtin ? builtinCase(c.builtin, c.message) : cliCase(c.argv!, c.codes, c.message);
    }
  }
}

readLines(process.stdin, async (line) => {
  const req = JSON.parse(line) as CaseRequest;
  const t0 = Date.now();
  let result: CaseResult;
  try {
    result = await handle(req);
  } catch (e) {
    result = { outcome: 'crash', detail: `the case itself failed: ${(e as Error).stack ?? String(e)}`.slice(0, 600) };
  }
  process.stdout.write(`${JSON.stringify({ id: req.id, ...result, ms: Date.now() - t0 })}\n`);
});

process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
