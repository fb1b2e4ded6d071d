// The debugger's session model (core/debug) on the shipped parity model: stepping, breakpoints on
// the step: block, inline values, and the numbers of its Variables being the stepper's own.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { launchDebugTarget } from '../../../src/core/debug/launch';
import { openForDebug, releaseDebugSessions } from '../../support/debugHost';

const root = path.resolve(__dirname, '../../..');
const config = { model: path.join(root, 'models/parity.onnx'), program: path.join(root, 'models/tasks/parity.raspl'), input: '1101' };
after(() => releaseDebugSessions());

const launch = () => launchDebugTarget(config, (p) => openForDebug(p), { probes: { examples: 32 } });

test('one loop iteration per step: next, back, goto, step out to the adaptive stop; the frame is the step: block', async () => {
  const { target: t, full: startFull } = await launch();
  const full = startFull();
  assert.equal(t.steps, 24, 'T(n) = 4 plus 20');
  assert.equal(t.oracle, 4);
  assert.equal(t.entry().step, 1);
  assert.equal(t.frameName(), 'iteration 1 of T(n) = 4');
  assert.equal(t.frameLine, 23);
  assert.equal(t.back().reason, 'entry');
  assert.deepEqual([t.next(), t.next(), t.next()].map((s) => s.step), [2, 3, 4]);
  assert.equal(t.frameName(5), 'iteration 5 of T(n) = 4 (1 past T(n))');
  assert.equal(t.back().step, 3);
  assert.equal(t.goto(24).step, 24);
  assert.equal(t.next().reason, 'end');
  assert.throws(() => t.goto(25), /iteration 25 is outside 1\.\.24/);
  await full;
  t.goto(1);
  const out = t.stepOut();
  assert.equal(out.reason, 'adaptive stop');
  assert.equal(out.step, t.content.viewModel.halting.adaptiveStep);
  assert.match(out.description, /length-calibrated/);
});

test('breakpoints: step: block lines stop where their variable changes; other lines are refused with the reason', async () => {
  const { target: t } = await launch();
  t.entry();
  const bps = t.setBreakpoints([{ line: 24 }, { line: 23 }, { line: 26 }, { line: 20 }, { line: 10 }]);
  // 23 is `step:` itself: it moves to the block's first assignment
  assert.deepEqual(bps.map((b) => [b.line, b.verified, b.variable]), [[24, true, 's'], [24, true, 's'], [26, false, null], [20, false, null], [10, false, null]]);
  assert.match(bps[2]!.message, /line 26 is not in the step: block \(lines 24\.\.25\)/);
  assert.match(bps[3]!.message, /line 20 assigns x before the loop/);
  assert.match(bps[4]!.message, /line 10 is not in the step: block \(lines 24\.\.25\)/);
  t.setBreakpoints([{ line: 24 }]);
  const s = t.content.viewModel.program!.variables.find((v) => v.name === 's')!;
  const changes = Array.from({ length: t.steps }, (_, i) => i + 1).filter((k) => s.values[k]!.some((x, p) => x !== s.values[k - 1]![p]));
  const hits: number[] = [];
  for (let stop = t.continue(); stop.reason === 'breakpoint'; stop = t.continue()) hits.push(stop.step);
  assert.deepEqual(hits, changes.filter((k) => k > 1));
  assert.equal(t.frameLine, 23, 'past the breakpoints, the frame is the step: block again');
});

test('conditions are RASP-L over the iteration; a failing one stops with the reason', async () => {
  const { target: t } = await launch();
  t.entry();
  const [ok] = t.setBreakpoints([{ line: 25, condition: 'step == 3' }]);
  assert.equal(ok!.verified, true);
  const stop = t.continue();
  assert.deepEqual([stop.step, stop.reason, stop.line], [3, 'breakpoint', 25]);
  // a selector is no condition: refused when set
  const [bad] = t.setBreakpoints([{ line: 25, condition: 'select(indices, indices, leq)' }]);
  assert.equal(bad!.verified, false);
  assert.match(bad!.message, /a condition must be an integer or a sequence, got a selector/);
});

test('Variables, inline values and probes are the stepper’s numbers', async () => {
  const { target: t, full: startFull } = await launch();
  const full = startFull();
  t.entry();
  t.goto(3);
  const vm = t.content.viewModel;
  const program = t.programScope();
  for (const v of vm.program!.variables) {
    const shown = program.find((x) => x.name === v.name)!;
    assert.deepEqual(shown.children!().map((c) => Number(c.value)), v.values[3], v.name);
  }
  const inline = t.inlineValues();
  assert.deepEqual(inline.map((v) => v.line), [20, 24, 25], 'x (before the loop, never reassigned), s and out (the step: block); not `s = full(0)`');
  assert.match(inline[1]!.text, new RegExp(`^s = \\[${vm.program!.variables.find((v) => v.name === 's')!.values[3]!.join(' ')}\\] · at = \\(4\\): \\d$`));
  const decoded = t.modelScope().find((x) => x.name === 'decoded')!;
  assert.equal(decoded.children!().length, vm.tokens.length);
  const content = await full;
  assert.equal(t.content, content, 'the session moved to the full content');
  const table = content.viewModel.compare!.probes.filter((p) => p.step === 3);
  assert.ok(table.length > 0);
  const shown = t.comparisonScope().find((x) => x.name === 'probes')!;
  assert.deepEqual(shown.children!().map((c) => c.name), table.map((p) => p.variable));
  for (const p of table) {
    const asked = await t.probe(p.variable, 3);
    assert.match(asked.value, new RegExp(`^held-out ${(100 * p.heldOutAccuracy).toFixed(1)}% vs baseline ${(100 * p.baselineAccuracy).toFixed(1)}%`), p.variable);
  }
});
