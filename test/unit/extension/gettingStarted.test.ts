// Getting started: the New RASP-L Task File template is a task that trains as it is, and what
// "Set Up CUDA…" checks (platform, GPU, the install script's command line and notes).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { spawnSync } from 'node:child_process';
import { RASPL_TEMPLATE, RASPL_TEMPLATE_NAME } from '../../../src/extension/gettingStarted/rasplTemplate';
import { taskFromRaspl } from '../../../src/core/programs/tasks/fromRaspl';
import { makeRecipe } from '../../../src/core/train/recipePlan';
import { findGpus, installArgs, missingLibrariesNote, parseNvidiaSmi, platformProblem } from '../../../src/extension/cuda/cudaSetup';

test('the RASP-L task template checks, answers "any 1?" and makes a tiny recipe', () => {
  const task = taskFromRaspl(RASPL_TEMPLATE, `${RASPL_TEMPLATE_NAME}.raspl`);
  assert.equal(task.name, 'any_one');
  const answer = (text: string) => task.render(task.fromText(text)).answer;
  assert.equal(answer('0100'), '1');
  assert.equal(answer('0000='), '0', 'with or without the trailing =');
  assert.equal(makeRecipe(task, 'tiny').preset, 'tiny');
});

test('Set Up CUDA: platform, GPUs from nvidia-smi, the script\'s arguments and its notes', () => {
  assert.equal(platformProblem('linux', 'x64'), undefined);
  assert.match(platformProblem('darwin', 'arm64')!, /built for Linux x64; this is darwin-arm64, so LoopLens runs on the CPU here/);
  assert.deepEqual(parseNvidiaSmi('NVIDIA H200, 570.124.06\nNVIDIA H200, 570.124.06\n'), ['NVIDIA H200, driver 570.124.06', 'NVIDIA H200, driver 570.124.06']);
  const fake = (r: Partial<ReturnType<typeof spawnSync>>) => (() => ({ status: 0, stdout: '', stderr: '', ...r })) as unknown as typeof spawnSync;
  const enoent = Object.assign(new Error('spawn nvidia-smi ENOENT'), { code: 'ENOENT' });
  assert.deepEqual(findGpus(fake({ error: enoent })), { gpus: [], problem: 'nvidia-smi is not installed: no NVIDIA driver was found' });
  assert.deepEqual(findGpus(fake({ stdout: 'Tesla T4, 535.1\n' })), { gpus: ['Tesla T4, driver 535.1'] });
  assert.match(findGpus(fake({ status: 9, stderr: 'NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver.\n' })).problem!, /nvidia-smi failed \(exit 9\): NVIDIA-SMI has failed/);
  assert.deepEqual(installArgs('/ext/scripts/install-cuda.mjs', 'cuda13', '/ext/node_modules/onnxruntime-node'), ['/ext/scripts/install-cuda.mjs', '--cuda13', '--dest', '/ext/node_modules/onnxruntime-node']);
  assert.deepEqual(installArgs('s.mjs', 'auto', '/o', true), ['s.mjs', '--dest', '/o', '--dry-run']);
  assert.equal(missingLibrariesNote('installed x\nnote: the loader does not find libcudnn.so.9; install CUDA 12\ndone'), 'the loader does not find libcudnn.so.9; install CUDA 12');
  assert.equal(missingLibrariesNote('done'), undefined);
});
