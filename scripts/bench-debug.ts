// The debugger's speed, against its targets (start 1.5 s, step 100 ms, probe 1 s), and its memory,
// at n = 40 on the shipped parity model, through the real adapter over the Debug Adapter Protocol
// (@vscode/debugadapter-testsupport's DebugClient on a local socket, as VS Code drives it):
//   start a session   ≤ 1.5 s  launch → stopped at iteration 1, with the call stack, the three
//                              Variables scopes and the inline values
//   one step          ≤ 100 ms next → stopped, with the same refreshed
//   one probe         ≤ 1 s    `probe <expr>` at one iteration over 256 random inputs: cold (no
//                              hidden state kept yet: the model runs to that iteration), and warm
//   memory                     what a session keeps: the probes' hidden states and the trace
// Every figure depends on what else the machine runs: the load average is printed with each part.
// Usage: npm run bench:debug [-- --n 40 --steps 20 --threads 0 --model models/parity.onnx]
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import * as v8 from 'node:v8';
import * as vm from 'node:vm';
import { LoopStateSession } from '../src/core/infer/stateSession';
import { loadModel } from '../src/core/model/modelFile';
import { ProbeSet } from '../src/core/programs/source/probeSet';
import { raspProgramSource } from '../src/core/programs/source/raspProgramSource';
import { parseExpression } from '../src/core/rasp';
import { Rng } from '../src/core/util/rng';
import { LooplensDebugSession } from '../src/extension/debug/looplensDebugSession';
import { openForDebug } from '../test/support/debugHost';
import { arg, loadavg, median, positiveInt } from './support/benchArgs';
import { readFileSync } from 'node:fs';

const root = path.resolve(__dirname, '..');

/** Wall and CPU milliseconds of this process since `start()`: on a busy machine the CPU time is what the work itself costs. */
function timer(): () => { wall: number; cpu: number } {
  const w0 = performance.now();
  const c0 = process.cpuUsage();
  return () => {
    const c = process.cpuUsage(c0);
    return { wall: performance.now() - w0, cpu: (c.user + c.system) / 1000 };
  };
}

const fmt = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(0)} ms wall, ${t.cpu.toFixed(0)} ms CPU (load ${loadavg().split(' ')[0]})`;
const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;
/** JS heap and array buffers after full collections (a few turns apart, so that released ONNX Runtime outputs are gone too): what the process holds in JavaScript. */
async function heldBytes(): Promise<number> {
  for (let i = 0; i < 3; i++) {
    gc();
    await new Promise((r) => setTimeout(r, 20));
  }
  const m = process.memoryUsage();
  return m.heapUsed + m.arrayBuffers;
}
const verdict = (t: { wall: number; cpu: number }, target: number) => `${fmt(t)} (target ≤ ${target} ms: ${t.wall <= target ? 'met' : t.cpu <= target ? 'met in CPU time, not in wall time on this busy machine' : 'NOT met'})`;

async function main(): Promise<void> {
  const n = positiveInt('n', '40');
  const stepsTimed = positiveInt('steps', '20');
  const threadsArg = Number(arg('threads', '0'));
  const cpuThreads = threadsArg > 0 ? threadsArg : undefined;
  const modelPath = path.resolve(arg('model', path.join(root, 'models/parity.onnx')));
  const programPath = path.join(root, 'models/tasks/parity.raspl');
  const rng = new Rng(5);
  const input = Array.from({ length: n }, () => String(rng.bit())).join('');
  console.log(`bench:debug · ${path.relative(root, modelPath)} · n = ${n} (${input}) · ${os.cpus().length} CPUs · ONNX Runtime threads: ${cpuThreads ?? 'default'}`);
  console.log(`load average before: ${loadavg()}`);

  const server = net.createServer((socket) => {
    const session = new LooplensDebugSession({
      open: (p) => openForDebug(p, cpuThreads),
    });
    socket.setNoDelay(true); // no Nagle delay on small protocol messages (VS Code runs the adapter inline, with no socket at all)
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as net.AddressInfo).port;

  /** The call stack, the three scopes' variables and the inline values: what VS Code asks for after a stop. */
  const refresh = async (dc: DebugClient) => {
    const st = await dc.stackTraceRequest({ threadId: 1 });
    const scopes = await dc.scopesRequest({ frameId: st.body.stackFrames[0]!.id });
    await Promise.all(scopes.body.scopes.map((s) => dc.variablesRequest({ variablesReference: s.variablesReference })));
    await dc.customRequest('looplens/inlineValues');
    return st.body.stackFrames[0]!.name;
  };

  const startSession = async () => {
    const dc = new DebugClient('node', 'unused', 'looplens');
    await dc.start(port);
    (dc as unknown as { _socket: net.Socket })._socket.setNoDelay(true); // the client's side of the socket too
    const t = timer();
    const configured = dc.waitForEvent('initialized').then(async () => {
      await dc.setBreakpointsRequest({ source: { path: programPath }, breakpoints: [] });
      await dc.configurationDoneRequest();
    });
    const stopped = dc.waitForEvent('stopped', 60_000);
    await Promise.all([configured, dc.launch({ model: modelPath, program: programPath, input } as DebugProtocol.LaunchRequestArguments)]);
    await stopped;
    const frame = await refresh(dc);
    return { dc, start: t(), frame };
  };

  const timeSteps = async (dc: DebugClient, count: number, request: 'next' | 'stepBack') => {
    const walls: number[] = [];
    const cpus: number[] = [];
    for (let i = 0; i < count; i++) {
      const t = timer();
      const stopped = dc.waitForEvent('stopped');
      if (request === 'next') await dc.nextRequest({ threadId: 1 });
      else await dc.stepBackRequest({ threadId: 1 });
      await stopped;
      await refresh(dc);
      const r = t();
      walls.push(r.wall);
      cpus.push(r.cpu);
    }
    return { wall: median(walls), cpu: median(cpus), max: Math.max(...walls) };
  };

  // 1. start: cold (the model file loaded and its graphs opened first) and warm (graphs open, as the extension keeps them)
  const cold = await startSession();
  console.log(`start, cold (load the model, open its graphs, trace):   ${fmt(cold.start)} → ${cold.frame}`);
  let t = timer();
  await cold.dc.customRequest('looplens/full');
  console.log(`  its full content in the background (length-calibrated stop, probes of every variable at every step over 256 inputs): ${fmt(t())} more`);
  await cold.dc.stop();
  await new Promise((r) => setTimeout(r, 500)); // the adapter lets go of the stopped session
  const baseline = await heldBytes();
  const warm = await startSession();
  console.log(`start, warm (graphs open, as the extension keeps them): ${verdict(warm.start, 1500)}`);
  const dc = warm.dc;

  // 2. one step, Variables and inline values refreshed: while the session's background work runs, and after
  const during = await timeSteps(dc, stepsTimed, 'next');
  console.log(`one step (next → stopped, call stack, 3 scopes, inline values), ${stepsTimed} steps while the full content is computed: median ${verdict(during, 100)}, max ${during.max.toFixed(0)} ms wall`);
  t = timer();
  await dc.customRequest('looplens/full');
  console.log(`  full content ready ${fmt(t())} after those steps`);
  const after = await timeSteps(dc, stepsTimed, 'stepBack');
  console.log(`one step (step back …) after it: median ${verdict(after, 100)}, max ${after.max.toFixed(0)} ms wall`);

  // 3. memory: what the session keeps once its background work is done
  const memory = (await dc.customRequest('looplens/memory')).body as { probeStates: number; trace: number };
  const model = await loadModel(modelPath);
  const traced = (await dc.customRequest('looplens/full')).body as { probeExamples: number; steps: number };
  const everyIteration = traced.probeExamples * model.task.fromText(input).input.length * (model.config.d + model.config.vocabSize) * 4 * traced.steps;
  console.log(`session memory: probes' kept hidden states ${mib(memory.probeStates)} (every traced iteration's would be ${mib(everyIteration)}), the traced input ${mib(memory.trace)}; JS heap + array buffers of the process after GC: ${mib((await heldBytes()) - baseline)} more than before the session`);

  // 4. a probe of one expression at one iteration over 256 random inputs
  for (const [at, why] of [
    [n, 'a kept iteration'],
    [n - 3, `recomputed from the state kept at ${8 * Math.floor((n - 3) / 8)}`],
  ] as const) {
    const moved = dc.waitForEvent('stopped');
    await dc.customRequest('looplens/goto', { step: at });
    await moved;
    for (const expr of ['s', 'shift_right(s, 1)']) {
      t = timer();
      const r = await dc.evaluateRequest({ expression: `probe ${expr}`, context: 'repl' });
      console.log(`probe ${expr} at iteration ${at} in the session, after its background work (${why}): ${verdict(t(), 1000)} → ${r.body.result.replace(/ \(256 random.*$/, '')}`);
    }
  }
  await dc.stop();

  // cold: a probe asked at once, before the background work has run the model
  const fresh = await startSession();
  const goto = fresh.dc.waitForEvent('stopped');
  await fresh.dc.customRequest('looplens/goto', { step: n });
  await goto;
  t = timer();
  const first = await fresh.dc.evaluateRequest({ expression: 'probe s', context: 'repl' });
  console.log(`probe s at iteration ${n} in a session just started (nothing kept: the model runs ${n} iterations on 256 inputs): ${verdict(t(), 1000)} → ${first.body.result.replace(/ \(256 random.*$/, '')}`);
  t = timer();
  await fresh.dc.evaluateRequest({ expression: 'probe shift_right(s, 1)', context: 'repl' });
  console.log(`  then probe shift_right(s, 1) at the same iteration (its states still in memory): ${verdict(t(), 1000)}`);
  await fresh.dc.stop();

  // the same without the adapter: a fresh probe set on the state graph
  const program = raspProgramSource(readFileSync(programPath, 'utf8'), programPath);
  const example = model.task.fromText(input);
  const states = await LoopStateSession.fromParams(model.config, model.params, { provider: 'cpu', cpuThreads });
  await states.run(BigInt64Array.from(example.input, BigInt), 1, example.input.length, 1, null); // a session's first run sets it up: the extension's is open already
  for (const expr of ['s', 'shift_right(s, 1)']) {
    const set = new ProbeSet(model.task, states, program, example, { examples: 256 });
    t = timer();
    const r = await set.probeExpression(n, parseExpression(expr));
    console.log(`probe ${expr} at iteration ${n} on a fresh probe set (core only, nothing kept): ${verdict(t(), 1000)} → held-out ${(100 * r.heldOutAccuracy).toFixed(1)}% vs ${(100 * r.baselineAccuracy).toFixed(1)}%`);
  }
  await states.release();
  server.close();
  console.log(`load average after: ${loadavg()}`);
  process.exit(0);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
