// The LoopLens debug adapter driven through the Debug Adapter Protocol by
// @vscode/debugadapter-testsupport's DebugClient, as VS Code drives it: the real adapter class
// (src/extension/debug/looplensDebugSession.ts) served on a local socket, on the shipped parity
// model and the parity task's RASP-L program.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import * as net from 'node:net';
import * as path from 'node:path';
import { DebugClient } from '@vscode/debugadapter-testsupport';
import type { DebugProtocol } from '@vscode/debugprotocol';
import { LooplensDebugSession, type DebugSessionHost } from '../../../src/extension/debug/looplensDebugSession';
import { openForDebug, releaseDebugSessions } from '../../support/debugHost';

const root = path.resolve(__dirname, '../../..');
const MODEL = path.join(root, 'models/parity.onnx');
const PROGRAM = path.join(root, 'models/tasks/parity.raspl');
const COPY_PROGRAM = path.join(root, 'models/tasks/copy.raspl');
const INPUT = '10110011';
// models/tasks/parity.raspl: the step: block and its two assignments
const STEP_LINE = 23;
const S_LINE = 24;
const OUT_LINE = 25;

const stops: number[] = [];
const host: DebugSessionHost = {
  open: (p) => openForDebug(p),
  onStop: (_s, stop) => stops.push(stop.step),
  probes: { examples: 64 },
};

let server: net.Server;
let port = 0;

before(async () => {
  server = net.createServer((socket) => {
    const session = new LooplensDebugSession(host);
    session.setRunAsServer(true);
    session.start(socket, socket);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});

after(async () => {
  server.close();
  await releaseDebugSessions();
});

async function client(): Promise<DebugClient> {
  const dc = new DebugClient('node', 'unused', 'looplens');
  await dc.start(port);
  return dc;
}

const launchArgs = (over: Record<string, unknown> = {}) => ({ model: MODEL, program: PROGRAM, input: INPUT, ...over }) as DebugProtocol.LaunchRequestArguments;

/** Launches and waits for the first stop; breakpoints (line and optional condition) are set before configurationDone. */
async function start(dc: DebugClient, o: { breakpoints?: DebugProtocol.SourceBreakpoint[]; stopOnEntry?: boolean } = {}): Promise<{ stopped: DebugProtocol.StoppedEvent; breakpoints: DebugProtocol.Breakpoint[] }> {
  let breakpoints: DebugProtocol.Breakpoint[] = [];
  const configured = dc.waitForEvent('initialized').then(async () => {
    if (o.breakpoints) breakpoints = (await dc.setBreakpointsRequest({ source: { path: PROGRAM }, breakpoints: o.breakpoints })).body.breakpoints;
    await dc.configurationDoneRequest();
  });
  const stopped = dc.waitForEvent('stopped', 60_000) as Promise<DebugProtocol.StoppedEvent>;
  await Promise.all([configured, dc.launch(launchArgs({ stopOnEntry: o.stopOnEntry ?? true }))]);
  return { stopped: await stopped, breakpoints };
}

async function frame(dc: DebugClient): Promise<DebugProtocol.StackFrame> {
  const st = await dc.stackTraceRequest({ threadId: 1 });
  assert.equal(st.body.stackFrames.length, 1);
  return st.body.stackFrames[0]!;
}

async function scope(dc: DebugClient, name: string): Promise<DebugProtocol.Variable[]> {
  const f = await frame(dc);
  const scopes = await dc.scopesRequest({ frameId: f.id });
  const s = scopes.body.scopes.find((x) => x.name === name);
  assert.ok(s, `scope ${name} in ${scopes.body.scopes.map((x) => x.name).join(', ')}`);
  return (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
}

async function step(dc: DebugClient, request: 'next' | 'stepBack' | 'continue' | 'reverseContinue'): Promise<DebugProtocol.StoppedEvent> {
  const stopped = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
  if (request === 'next') await dc.nextRequest({ threadId: 1 });
  else if (request === 'stepBack') await dc.stepBackRequest({ threadId: 1 });
  else if (request === 'continue') await dc.continueRequest({ threadId: 1 });
  else await dc.reverseContinueRequest({ threadId: 1 });
  return stopped;
}

test('launch stops at iteration 1; step over 3 times, step back; the call stack and the Variables follow', { timeout: 120_000 }, async () => {
  const dc = await client();
  try {
    const { stopped } = await start(dc);
    assert.equal(stopped.body.reason, 'entry');
    let f = await frame(dc);
    assert.equal(f.name, 'iteration 1 of T(n) = 8');
    assert.equal(f.source?.path, PROGRAM);
    assert.equal(f.line, STEP_LINE, 'the frame is the step: block');
    const programAt1 = await scope(dc, 'Program');
    assert.deepEqual(programAt1.map((v) => v.name), ['x', 's', 'out', 'selectors']);
    for (let i = 0; i < 3; i++) assert.equal((await step(dc, 'next')).body.reason, 'step');
    f = await frame(dc);
    assert.equal(f.name, 'iteration 4 of T(n) = 8');
    const program = await scope(dc, 'Program');
    const s = program.find((v) => v.name === 's')!;
    // s after 4 steps: the xor of the (up to) 4 bits before each position, shifted right by one
    const bits = [...INPUT].map(Number);
    const expected = Array.from({ length: 10 }, (_, p) => (p === 0 ? 0 : bits.slice(Math.max(0, p - 4), Math.min(p, 8)).reduce((a, b) => a ^ b, 0)));
    assert.equal(s.value, `[${expected.join(' ')}]`);
    assert.ok(s.variablesReference > 0);
    const positions = (await dc.variablesRequest({ variablesReference: s.variablesReference })).body.variables;
    assert.equal(positions.length, 10);
    assert.equal(positions[8]!.name, '[8] =');
    const model = await scope(dc, 'Model');
    assert.deepEqual(model.map((v) => v.name).slice(0, 4), ['answer', 'decoded', 'confidence', 'halting score']);
    assert.ok(model.some((v) => v.name === 'state' && /mean ‖h‖ [\d.]+; change since the last iteration: mean 1 − cos [\d.e-]+/.test(v.value)), JSON.stringify(model.map((v) => v.value)));
    const heads = model.find((v) => v.name === 'heads')!;
    assert.equal((await dc.variablesRequest({ variablesReference: heads.variablesReference })).body.variables.length, 4, 'one entry per head');
    const comparison = await scope(dc, 'Comparison');
    assert.match(comparison.find((v) => v.name === 'agreement so far')!.value, /^\d+\/\d+ \(\d+\.\d%\) over iterations 1\.\.4$/);
    assert.match(comparison.find((v) => v.name === 'heads ↔ selectors')!.value, /1 selector at this iteration/);
    assert.equal((await step(dc, 'stepBack')).body.reason, 'step');
    assert.equal((await frame(dc)).name, 'iteration 3 of T(n) = 8');
    assert.notEqual((await scope(dc, 'Program')).find((v) => v.name === 's')!.value, s.value, 'the values are those of iteration 3');
    assert.deepEqual(stops.slice(-5), [1, 2, 3, 4, 3], 'the host (the stepper panel) follows every stop');
    // the stepper panel moves the session (looplens/goto), and the editor asks for the inline values of the iteration
    const moved = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    await dc.customRequest('looplens/goto', { step: 6 });
    assert.equal((await moved).body.reason, 'goto');
    assert.equal((await frame(dc)).name, 'iteration 6 of T(n) = 8');
    const inline = (await dc.customRequest('looplens/inlineValues')).body as { step: number; values: { line: number; text: string }[] };
    assert.equal(inline.step, 6);
    assert.deepEqual(inline.values.map((v) => v.line), [20, S_LINE, OUT_LINE]);
    const s6 = (await scope(dc, 'Program')).find((v) => v.name === 's')!.value;
    assert.ok(inline.values[1]!.text.startsWith(`s = ${s6} · at = (8): `), inline.values[1]!.text);
  } finally {
    await dc.stop();
  }
});

test('a breakpoint on an assignment of the step: block stops where its variable changes; Continue then reaches the adaptive stop', { timeout: 120_000 }, async () => {
  const dc = await client();
  try {
    const { stopped, breakpoints } = await start(dc, { breakpoints: [{ line: S_LINE }, { line: 21 }, { line: 3 }], stopOnEntry: false });
    assert.deepEqual(breakpoints.map((b) => b.verified), [true, false, false]);
    assert.match(breakpoints[1]!.message!, /line 21 assigns s before the loop: it runs once, not per iteration/);
    assert.match(breakpoints[2]!.message!, /line 3 is not in the step: block/);
    assert.equal(stopped.body.reason, 'breakpoint');
    assert.deepEqual(stopped.body.hitBreakpointIds, [breakpoints[0]!.id]);
    const f = await frame(dc);
    assert.equal(f.name, 'iteration 1 of T(n) = 8', 's changes in the first iteration');
    assert.equal(f.line, S_LINE, 'the frame shows the breakpoint’s line');
    // s keeps changing while bits flow in; after the last change Continue runs to the adaptive stop
    let last: DebugProtocol.StoppedEvent = stopped;
    for (let i = 0; i < 40 && last.body.reason === 'breakpoint'; i++) last = await step(dc, 'continue');
    assert.ok(['adaptive stop', 'end'].includes(last.body.reason), last.body.reason);
    assert.equal((await step(dc, 'reverseContinue')).body.reason, 'breakpoint');
  } finally {
    await dc.stop();
  }
});

test('a conditional breakpoint stops where a RASP-L condition holds; bad conditions are refused with the reason', { timeout: 120_000 }, async () => {
  const dc = await client();
  try {
    const cond = 'decoded != answer and scored';
    const { stopped, breakpoints } = await start(dc, {
      breakpoints: [
        { line: OUT_LINE, condition: cond },
        { line: S_LINE, condition: 's +' },
        { line: S_LINE, condition: 'nonsense == 1' },
      ],
    });
    assert.equal(stopped.body.reason, 'entry');
    assert.deepEqual(breakpoints.map((b) => b.verified), [true, false, false]);
    assert.match(breakpoints[1]!.message!, /condition `s \+`: syntax error at column 4: expected a value/);
    assert.match(breakpoints[2]!.message!, /"nonsense" is not defined here\. Names: the program's variables \(x, s, out\)/);
    const hit = await step(dc, 'continue');
    assert.equal(hit.body.reason, 'breakpoint');
    assert.match(hit.body.description!, /decoded != answer and scored` holds \(line 25\)/);
    const f = await frame(dc);
    const at = Number(/iteration (\d+)/.exec(f.name)![1]);
    const holds = await dc.evaluateRequest({ expression: cond, frameId: f.id, context: 'watch' });
    assert.match(holds.body.result, /1/, `the condition holds at iteration ${at}: ${holds.body.result}`);
    // at every earlier iteration it does not
    for (let t = at - 1; t >= 1; t--) {
      await step(dc, 'stepBack');
      const r = await dc.evaluateRequest({ expression: cond, context: 'watch' });
      assert.doesNotMatch(r.body.result, /1/, `iteration ${t}`);
    }
  } finally {
    await dc.stop();
  }
});

test('evaluate: a RASP-L expression at the current iteration, a probe, and a clear error for a bad expression', { timeout: 180_000 }, async () => {
  const dc = await client();
  try {
    await start(dc);
    await step(dc, 'next');
    const s = await dc.evaluateRequest({ expression: 's', context: 'repl' });
    const shifted = await dc.evaluateRequest({ expression: 'shift_right(s, 1)', context: 'repl' });
    const sv = s.body.result.slice(1, -1).split(' ');
    assert.deepEqual(shifted.body.result.slice(1, -1).split(' '), ['0', ...sv.slice(0, -1)]);
    assert.ok(shifted.body.variablesReference > 0, 'a sequence expands per position');
    assert.equal((await dc.evaluateRequest({ expression: 'EQ + 1', context: 'repl' })).body.result, '3');
    assert.equal((await dc.evaluateRequest({ expression: 'step', context: 'watch' })).body.result, '2');
    await assert.rejects(dc.evaluateRequest({ expression: 's +', context: 'repl' }), /syntax error at column 4/);
    await assert.rejects(dc.evaluateRequest({ expression: 'select(indices, indices, nope)', context: 'repl' }), /"nope" is not defined here/);
    const probe = await dc.evaluateRequest({ expression: 'probe x', context: 'repl' });
    assert.match(probe.body.result, /^held-out \d+\.\d% vs baseline \d+\.\d%: (beats|not above) the baseline at iteration 2 \(64 random inputs: fitted on 48, scored on 16 held out\)/);
    await assert.rejects(dc.evaluateRequest({ expression: 'probe select(indices, indices, leq)', context: 'repl' }), /a probe reads a sequence or an integer, but the expression gives a selector/);
  } finally {
    await dc.stop();
  }
});

test('another input typed in the stepper panel: the session moves to it at iteration 1, with its breakpoints; a bad one changes nothing', { timeout: 180_000 }, async () => {
  const dc = await client();
  try {
    const { breakpoints } = await start(dc, { breakpoints: [{ line: OUT_LINE, condition: 'step == 3' }] });
    await step(dc, 'next');
    await step(dc, 'next');
    assert.equal((await frame(dc)).name, 'iteration 3 of T(n) = 8');
    await assert.rejects(dc.customRequest('looplens/setInput', { input: '10x1' }), /Bad input "10x1" for Parity/);
    assert.equal((await frame(dc)).name, 'iteration 3 of T(n) = 8', 'a bad input leaves the session as it was');
    const other = '110100111011';
    const moved = dc.waitForEvent('stopped') as Promise<DebugProtocol.StoppedEvent>;
    const r = await dc.customRequest('looplens/setInput', { input: other });
    assert.deepEqual(r.body, { input: other, steps: 12 + 20 }, 'T(n) = 12, and the 20 steps traced after it');
    const stopped = await moved;
    assert.equal(stopped.body.reason, 'entry');
    assert.match(stopped.body.description!, /^input 110100111011: iteration 1 of T\(n\) = 12/);
    assert.equal((await frame(dc)).name, 'iteration 1 of T(n) = 12');
    assert.equal((await dc.threadsRequest()).body.threads[0]!.name, `parity · ${other}`);
    const x = (await scope(dc, 'Program')).find((v) => v.name === 'x')!;
    assert.equal(x.value, `[${[...other].join(' ')} 0 0]`, 'the Variables show the new input');
    assert.equal(stops.at(-1), 1, 'the host (the stepper panel) is told');
    // the breakpoint set before is still armed, with its id
    const hit = await step(dc, 'continue');
    assert.equal(hit.body.reason, 'breakpoint');
    assert.deepEqual(hit.body.hitBreakpointIds, [breakpoints[0]!.id]);
    assert.equal((await frame(dc)).name, 'iteration 3 of T(n) = 12');
    // probes are over random inputs of the new input's length
    const probe = await dc.evaluateRequest({ expression: 'probe x', context: 'repl' });
    assert.match(probe.body.result, /at iteration 3 \(64 random inputs/);
    const full = (await dc.customRequest('looplens/full')).body as { probeExamples: number };
    assert.equal(full.probeExamples, 64);
    const memory = (await dc.customRequest('looplens/memory')).body as { probeStates: number; trace: number };
    const W = other.length + 2;
    const perState = 64 * W * (64 + 6) * 4; // 64 random inputs: hidden (d = 64) and read-out (vocab 6), float32
    // states kept at iterations 8, 16, 24 and 32 of the 32 traced (every 8th), and the last one asked for (3)
    assert.equal(memory.probeStates, 5 * perState);
    assert.equal(memory.trace, 32 * W * (6 + 4 * W + 64) * 4, 'logits, attention (1 layer, 4 heads) and hidden of the traced input');
  } finally {
    await dc.stop();
  }
});

test('a bad launch configuration is answered with a clear error', { timeout: 120_000 }, async () => {
  const cases: [Record<string, unknown>, RegExp][] = [
    [{ model: undefined }, /needs "model": the path of a looped model/],
    [{ model: path.join(root, 'models/nope.onnx') }, /Cannot debug .*nope\.onnx: no model file at/],
    [{ program: COPY_PROGRAM }, /Wrong task: .*copy\.raspl is the "copy" task, but .*parity\.onnx was trained on "parity"/],
    [{ input: '10x1' }, /Bad input "10x1" for Parity/],
    [{ input: undefined }, /needs "input"/],
    [{ program: path.join(root, 'models/tasks/none.raspl') }, /The program file .*none\.raspl does not exist/],
  ];
  for (const [over, message] of cases) {
    const dc = await client();
    try {
      await dc.initializeRequest();
      await assert.rejects(dc.launchRequest(launchArgs(over)), message);
    } finally {
      await dc.stop();
    }
  }
});
