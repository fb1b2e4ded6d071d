import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runCli } from '../../../src/cli/framework/run';
import { defineCommand } from '../../../src/cli/framework/command';
import { UsageError } from '../../../src/cli/framework/errors';
import { commands, defaultCommandName } from '../../../src/cli/commands';
import { memoryIO } from './helpers';

const echo = defineCommand({
  name: 'echo',
  summary: 'Echo options back.',
  usage: 'looplens echo WORD [--times N] [--lengths L] [--loud]',
  positionals: [{ name: 'WORD', description: 'what to echo', required: true }],
  options: {
    times: { type: 'string', valueName: 'N', description: 'repeat count', defaultText: '1' },
    lengths: { type: 'string', valueName: 'L', description: 'comma-separated lengths' },
    ep: { type: 'string', description: 'provider' },
    loud: { type: 'boolean', short: 'l', description: 'shout' },
  },
  run(args, ctx) {
    const word = args.requiredPositional(0, 'WORD');
    const times = args.intOr('times', 1, { min: 1, max: 5 });
    const ep = args.choice('ep', ['auto', 'cpu', 'cuda'] as const) ?? 'auto';
    const w = args.flag('loud') ? word.toUpperCase() : word;
    ctx.print([...new Array(times).fill(w), ep, JSON.stringify(args.intList('lengths', { min: 1 }) ?? null)].join(' '));
  },
});
const boom = defineCommand({ name: 'boom', summary: 'Fails.', usage: 'looplens boom', options: {}, run() { throw new Error('the model file is corrupt'); } });
const bad = defineCommand({ name: 'bad', summary: 'Usage error inside run.', usage: 'looplens bad', options: {}, run() { throw new UsageError('--task is required'); } });
const all = [echo, boom, bad];

test('options and positionals are parsed and typed', async () => {
  const io = memoryIO();
  assert.equal(await runCli(['echo', 'hi', '--times', '2', '-l', '--lengths', '10,20,30', '--ep', 'cpu'], all, io), 0);
  assert.equal(io.out(), 'HI HI cpu [10,20,30]\n');
  const io2 = memoryIO();
  assert.equal(await runCli(['echo', 'hi', '--times=3'], all, io2), 0);
  assert.equal(io2.out(), 'hi hi hi auto null\n');
});

test('bad arguments: message + usage on stderr, exit 2, no stack trace', async () => {
  const cases: [string[], RegExp][] = [
    [['echo', 'hi', '--times', 'x'], /--times must be an integer, got "x"/],
    [['echo', 'hi', '--times', '9'], /--times must be <= 5, got 9/],
    [['echo', 'hi', '--lengths', '10,,20'], /comma-separated integers/],
    [['echo', 'hi', '--lengths', '10,0'], /--lengths must be >= 1, got 0/],
    [['echo', 'hi', '--ep', 'tpu'], /--ep must be one of auto, cpu, cuda; got "tpu"/],
    [['echo', 'hi', '--nope'], /unknown option --nope/],
    [['echo'], /missing WORD/],
    [['echo', 'a', 'b'], /too many arguments: unexpected "b"/],
    [['echo', 'hi', '--times'], /--times/],
    [['bad'], /bad: --task is required/],
    [['nope'], /unknown command "nope"/],
    [['--steps', '3'], /expected a command before "--steps"/],
  ];
  for (const [argv, re] of cases) {
    const io = memoryIO();
    assert.equal(await runCli(argv, all, io), 2, argv.join(' '));
    assert.match(io.err(), re, argv.join(' '));
    assert.match(io.err(), /usage: looplens/, argv.join(' '));
    assert.doesNotMatch(io.err(), /\n\s+at /, 'no stack trace');
    assert.equal(io.out(), '');
  }
});

test('a failing command prints its message only (exit 1); LOOPLENS_DEBUG adds the stack', async () => {
  const io = memoryIO();
  assert.equal(await runCli(['boom'], all, io), 1);
  assert.equal(io.err(), 'looplens boom: the model file is corrupt\n');
  const dbg = memoryIO({ env: { LOOPLENS_DEBUG: '1' } });
  await runCli(['boom'], all, dbg);
  assert.match(dbg.err(), /\n\s+at /);
});

test('help: program, per command, and help TOPIC', async () => {
  const io = memoryIO();
  assert.equal(await runCli(['--help'], all, io), 0);
  assert.match(io.out(), /usage: looplens <command>[\s\S]*echo\s+Echo options back\.[\s\S]*boom/);
  const io2 = memoryIO();
  assert.equal(await runCli(['echo', '--help'], all, io2), 0);
  assert.match(io2.out(), /usage: looplens echo WORD[\s\S]*--times N\s+repeat count \(default: 1\)[\s\S]*-l, --loud/);
  const io3 = memoryIO();
  assert.equal(await runCli(['help', 'echo'], all, io3), 0);
  assert.equal(io3.out(), io2.out());
  assert.equal(await runCli(['help', 'zzz'], all, memoryIO()), 2);
});

test('the real command list: the main job is the default, info and tasks print', async () => {
  // No arguments runs the main job (a full training run; tested with --steps in test/unit/cli/trainCommands.test.ts).
  assert.equal(defaultCommandName, 'start');
  const io = memoryIO();
  assert.equal(await runCli(['info'], commands, io, defaultCommandName), 0);
  assert.match(io.out(), /LoopLens CLI · ONNX Runtime \d+\.\d+\.\d+/);
  const io2 = memoryIO();
  assert.equal(await runCli(['tasks', 'parity', '--input', '01111'], commands, io2), 0);
  assert.match(io2.out(), /Parity: 01111= → 0/);
  assert.match(io2.out(), /T\(n\) = 5, adaptive budget 25 steps, width 7/);
  assert.match(io2.out(), /target\s+_\s+_\s+_\s+_\s+_\s+0\s+\./);
  const io3 = memoryIO();
  assert.equal(await runCli(['tasks', 'sorting'], commands, io3), 2);
  assert.match(io3.err(), /unknown task "sorting"; valid tasks: parity/);
  const io4 = memoryIO();
  assert.equal(await runCli(['tasks'], commands, io4), 0);
  for (const n of ['parity', 'copy', 'addition', 'binary_sum', 'multiplication', 'unique_set']) assert.match(io4.out(), new RegExp(`^${n}\\s`, 'm'));
});
