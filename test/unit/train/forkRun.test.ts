// Going on from a run's checkpoint at a stage's first step with other later stages (`--save-at` keeps
// the checkpoint there, `--resume-from` starts the new run from it): the new run is step for step the
// run of the new recipe from scratch, and the checkpoint it starts from is left as it was.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { TrainEvent } from '../../../src/core/train/trainEvents';
import { train } from '../../../src/core/train/trainer';
import { RecipeError, type RecipeStage, type TrainRecipe } from '../../../src/core/train/recipe';
import { resumedRecipe } from '../../../src/core/train/recipeDiff';
import { readRunState } from '../../../src/core/train/trainingCheckpoint';
import { trainingRecordOf } from '../../../src/core/train/trainRecord';
import { getTask } from '../../../src/core/tasks';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';
import { assertSameParams } from '../../support/paramsAssert';
import { runCli } from '../../../src/cli/framework/run';
import { commands } from '../../../src/cli/commands';
import { memoryIO } from '../cli/helpers';

/** microParity (lengths 1..5) with stages; the rows and loop steps hold the longest stage. */
function staged(steps: number, stages: RecipeStage[]): TrainRecipe {
  const end = Math.max(6, ...stages.map((s) => s.maxLength + 1));
  const task = getTask('parity');
  return { ...microParity(steps), stages, width: task.rowWidth(end), horizon: task.horizon(end) };
}

const first = { fromStep: 8, maxLength: 5, lr: 2e-3 };
const planned = staged(16, [first, { fromStep: 12, maxLength: 6, lr: 1e-3 }]);
const other = staged(20, [first, { fromStep: 12, maxLength: 7, lr: 5e-4, longShare: 0.5 }]);

test("a run's checkpoint kept at a stage's first step goes on as the run of other later stages from scratch, and is left as it was", async () => {
  const dir = tmpDir();
  const ckpt = path.join(dir, 'run.ckpt');
  const events: TrainEvent[] = [];
  await train({ recipe: planned, checkpointPath: ckpt, saveAt: [12], cpuThreads: 1, onEvent: (e) => events.push(e) });
  const fork = path.join(dir, 'run-step12.ckpt');
  assert.deepEqual(
    events.flatMap((e) => (e.type === 'saved' ? [[e.step, path.basename(e.path), path.basename(e.checkpointPath)]] : [])),
    [[12, 'run-step12.onnx', 'run-step12.ckpt']],
  );
  assert.equal((await readRunState(fork)).opt.step, 12);
  const before = fs.readFileSync(fork);

  const forkedEvents: TrainEvent[] = [];
  const own = path.join(dir, 'longer.ckpt');
  const forked = await train({ recipe: other, checkpointPath: own, resume: true, resumeFrom: fork, cpuThreads: 1, onEvent: (e) => forkedEvents.push(e) });
  const start = forkedEvents.find((e) => e.type === 'start');
  assert.deepEqual(start && [start.step, start.resumed, start.forkedFrom, start.checkpointPath], [12, true, fork, own]);
  assert.equal(forked.status, 'finished');
  assert.deepEqual(forked.recipe.stages, other.stages);
  assert.equal(forked.recipe.width, other.width, 'the rows follow the new last stage');
  const straight = await train({ recipe: other, cpuThreads: 1 });
  assertSameParams(forked.params, straight.params);
  assert.deepEqual(fs.readFileSync(fork), before, 'the checkpoint it went on from is unchanged');
  assert.equal((await readRunState(own)).opt.step, 20, 'the new run writes its own checkpoint');
  // the fork is on the new run's record, in its checkpoint too, so a resumed fork keeps it (a path outside the folder the run started in is named by its file)
  assert.deepEqual(forked.forks, [{ checkpoint: 'run-step12.ckpt', step: 12 }]);
  assert.deepEqual((await readRunState(own)).forks, forked.forks);
  assert.deepEqual(trainingRecordOf(forked).forks, forked.forks);
  assert.equal((await readRunState(fork)).forks, undefined, 'the run it went on from did not fork');
  assert.equal(straight.forks, undefined);
  const again = await train({ recipe: { ...other, steps: 22 }, checkpointPath: own, resume: true, cpuThreads: 1 });
  assert.deepEqual(again.forks, forked.forks, 'resumed, the fork stays on the record');
});

test('a fork saves at its own steps, not at those its checkpoint keeps for the run it came from', async () => {
  const dir = tmpDir();
  await train({ recipe: planned, checkpointPath: path.join(dir, 'run.ckpt'), saveAt: [12, 14], cpuThreads: 1 });
  const from = path.join(dir, 'run-step12.ckpt');
  assert.deepEqual((await readRunState(from)).saveAt, [12, 14], 'the checkpoint keeps the steps ahead, for a --resume of its run');
  const savedSteps = async (own: string, saveAt?: number[]) => {
    const events: TrainEvent[] = [];
    await train({ recipe: other, checkpointPath: path.join(dir, own), resume: true, resumeFrom: from, ...(saveAt ? { saveAt } : {}), cpuThreads: 1, onEvent: (e) => events.push(e) });
    return events.flatMap((e) => (e.type === 'saved' ? [path.basename(e.path)] : []));
  };
  assert.deepEqual(await savedSteps('a.ckpt'), [], 'none asked: none saved');
  assert.deepEqual(await savedSteps('b.ckpt', [16]), ['b-step16.onnx']);
  assert.ok(!fs.existsSync(path.join(dir, 'a-step14.onnx')));
});

test('a stage the checkpoint has begun cannot change; one it has not reached can', () => {
  const moved = staged(16, [{ ...first, lr: 1e-3 }, planned.stages![1]!]);
  assert.throws(
    () => resumedRecipe(planned, moved, 'run.ckpt', 10),
    (e: Error) => e instanceof RecipeError && /^cannot resume run\.ckpt: it was trained with a different stages .*\(and, while the run has not reached them, --average-from and the stages from step 10 on\)/.test(e.message),
  );
  assert.deepEqual(resumedRecipe(planned, moved, 'run.ckpt', 8).stages, moved.stages, 'at the stage\'s first step it has not begun');
  assert.equal(resumedRecipe(planned, other, 'run.ckpt', 12).horizon, other.horizon);
  assert.throws(() => resumedRecipe(planned, other, 'run.ckpt', 13), /a different stages \(/);
  assert.throws(() => resumedRecipe(planned, { ...other, seed: 9 }, 'run.ckpt', 12), /a different seed/, 'only the stages, steps and what follows them');
});

test('train --resume-from: a run of its own from another run\'s checkpoint, refused where it would lose or confuse a run', async () => {
  const dir = tmpDir('cli-fork');
  const base = ['--ep', 'cpu', '--threads', '1', '--no-eval'];
  const io = memoryIO();
  const src = path.join(dir, 'base.onnx');
  assert.equal(await runCli(['train', '--task', 'parity', '--preset', 'tiny', '--steps', '12', '--max-length', '4', '--stages', '8:4', '--save-at', '8', '--out', src, ...base], commands, io), 0, io.err());
  assert.match(io.out() + io.err(), /and the run's checkpoint there as .*base-step8\.ckpt \(go on from it with other later stages: --resume-from\)/);
  const fork = path.join(dir, 'base-step8.ckpt');

  const ok = memoryIO();
  const out = path.join(dir, 'longer.onnx');
  assert.equal(await runCli(['train', '--resume-from', fork, '--steps', '14', '--stages', '8:5:1e-3', '--out', out, ...base], commands, ok), 0, ok.err());
  assert.match(ok.err(), /going on from .*base-step8\.ckpt at step 8, as a run of its own \(its checkpoint: .*longer\.ckpt\)/);
  assert.ok(fs.existsSync(out));
  const info = memoryIO();
  assert.equal(await runCli(['info', out], commands, info), 0, info.err());
  assert.match(info.out(), /forked: went on from base-step8\.ckpt at step 8 as a run of its own/);

  const refused = async (args: string[], re: RegExp, code = 2) => {
    const r = memoryIO();
    assert.equal(await runCli(['train', ...args, ...base], commands, r), code, args.join(' '));
    assert.match(r.err(), re);
  };
  await refused(['--resume-from', fork, '--out', out], /longer\.ckpt already holds a run's checkpoint: continue that run with --resume, or give the new run another --out/);
  await refused(['--resume-from', fork], /--resume-from needs --out MODEL/);
  await refused(['--resume-from', fork, '--resume', '--out', out], /give either --resume .* or --resume-from CKPT/);
  await refused(['--resume-from', fork, '--checkpoint', fork], /is this run's own checkpoint: continue it with --resume/);
  await refused(['--resume-from', path.join(dir, 'none.ckpt'), '--out', path.join(dir, 'x.onnx')], /--resume-from: no checkpoint at .*none\.ckpt/);
  // as with --resume, the trainer refuses a change to the steps already taken
  await refused(['--resume-from', fork, '--stages', '4:5', '--out', path.join(dir, 'y.onnx')], /cannot resume .*base-step8\.ckpt: it was trained with a different stages \(/, 1);
  assert.ok(!fs.existsSync(path.join(dir, 'y.ckpt')), 'nothing was trained');
});
