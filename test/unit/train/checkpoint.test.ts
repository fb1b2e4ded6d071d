import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import {
  CheckpointError,
  decodeCheckpoint,
  encodeCheckpoint,
  readCheckpoint,
  readCheckpointHeader,
  readCheckpointSync,
  writeCheckpoint,
  writeCheckpointSync,
  type CheckpointState,
} from '../../../src/core/train/checkpoint';
import { CHECKPOINT_KIND, readTrainingCheckpoint, readTrainingCheckpointInfo } from '../../../src/core/train/trainingCheckpoint';
import { Rng } from '../../../src/core/util/rng';
import { microParity } from '../../support/tinyRecipes';
import { tmpDir } from '../../support/tmpDir';

function sampleState(step = 7, size = 50): CheckpointState<{ task: string; d: number }> {
  const r = new Rng(step);
  const t = (shape: number[]) => ({ shape, data: Float32Array.from({ length: shape.reduce((a, b) => a * b, 1) }, () => r.normal()) });
  return {
    config: { task: 'parity', d: 16 },
    step,
    rngState: r.getState(),
    curriculum: { nPoints: 5 },
    history: [{ step: 1, loss: 0.7 }, { step: 2, loss: 0.6 }],
    params: { 'wte.weight': t([6, size]), 'ln_f.bias': t([size]) },
    moments: { m: { 'wte.weight': t([6, size]), 'ln_f.bias': t([size]) }, v: { 'wte.weight': t([6, size]), 'ln_f.bias': t([size]) } },
    extra: { adamStep: step },
  };
}

test('encode → decode round-trips every field exactly', () => {
  const s = sampleState();
  const back = decodeCheckpoint(encodeCheckpoint(s));
  assert.deepEqual(back, s);
});

test('write then read (sync and async)', async () => {
  const dir = tmpDir();
  const p = path.join(dir, 'run.ckpt');
  writeCheckpointSync(p, sampleState(1));
  assert.equal(readCheckpointSync(p).step, 1);
  await writeCheckpoint(p, sampleState(2));
  assert.deepEqual(await readCheckpoint(p), sampleState(2));
  assert.deepEqual(fs.readdirSync(dir), ['run.ckpt'], 'no temp files left behind');
});

test('the write goes to a temp file in the same folder, then renames over the old checkpoint', async () => {
  const dir = tmpDir();
  const p = path.join(dir, 'run.ckpt');
  writeCheckpointSync(p, sampleState(1));
  let seen = '';
  await writeCheckpoint(p, sampleState(2), {
    beforeRename: (tmp) => {
      seen = tmp;
      assert.equal(path.dirname(tmp), dir);
      assert.equal(readCheckpointSync(p).step, 1, 'the old checkpoint is intact until the rename');
      assert.equal(readCheckpointSync(tmp).step, 2, 'the temp file is complete before the rename');
    },
  });
  assert.ok(seen.length > 0);
  assert.equal(fs.existsSync(seen), false);
  assert.equal(readCheckpointSync(p).step, 2);
  // a failure before the rename keeps the old file and removes the temp file
  assert.throws(() => writeCheckpointSync(p, sampleState(3), { beforeRename: () => { throw new Error('disk gone'); } }), /disk gone/);
  assert.equal(readCheckpointSync(p).step, 2);
  assert.deepEqual(fs.readdirSync(dir), ['run.ckpt']);
});

/** Damaged copies of a checkpoint's bytes that a read refuses without reading the weights, with what it says. */
function damagedCopies(bytes: Uint8Array): [string, Uint8Array, RegExp][] {
  return [
    ['truncated-data.ckpt', bytes.slice(0, bytes.length - 100), /is truncated: expected \d+ bytes, found \d+/],
    ['truncated-header.ckpt', bytes.slice(0, 40), /is truncated/],
    ['empty.ckpt', new Uint8Array(0), /not a LoopLens checkpoint/],
    ['foreign.ckpt', new TextEncoder().encode('{"hello": "world"} and more text here'), /not a LoopLens checkpoint/],
    ['extra.ckpt', Uint8Array.from([...bytes, 0, 0]), /unexpected bytes/],
    ['version.ckpt', (() => { const b = bytes.slice(); b[8] = 9; return b; })(), /format version 9/],
    ['header-length.ckpt', (() => { const b = bytes.slice(); new DataView(b.buffer).setUint32(12, 0xfffffff0, true); return b; })(), /is truncated: expected \d+ bytes/],
  ];
}

/** The bytes with one byte of the weights flipped: only the checksum tells. */
function flippedWeights(bytes: Uint8Array): Uint8Array {
  const b = bytes.slice();
  b[b.length - 50]! ^= 0xff;
  return b;
}

test('truncated, corrupt, foreign and missing files give clear errors', () => {
  const dir = tmpDir();
  const bytes = encodeCheckpoint(sampleState());
  const cases: [string, Uint8Array, RegExp][] = [...damagedCopies(bytes), ['flipped.ckpt', flippedWeights(bytes), /corrupt: checksum mismatch/]];
  for (const [name, data, re] of cases) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, data);
    assert.throws(() => readCheckpointSync(p), (e: unknown) => e instanceof CheckpointError && re.test(e.message) && e.message.includes(p), name);
  }
  assert.throws(() => readCheckpointSync(path.join(dir, 'missing.ckpt')), /no checkpoint at/);
  assert.throws(() => encodeCheckpoint({ ...sampleState(), params: { w: { shape: [2, 2], data: new Float32Array(3) } } }), /shape \[2, 2\] \(4 values\) but 3 values/);
});

test('a writer killed with SIGKILL never leaves a half-written checkpoint', async () => {
  const dir = tmpDir();
  const p = path.join(dir, 'run.ckpt');
  const script = path.join(__dirname, 'fixtures', 'checkpointWriter.ts');
  for (let round = 0; round < 3; round++) {
    const child = spawn(process.execPath, ['--import', 'tsx', script, p], { stdio: ['ignore', 'pipe', 'inherit'] });
    // wait until it has written at least once, then kill it at a varying moment mid-stream
    await new Promise<void>((resolve) => child.stdout.once('data', () => resolve()));
    await new Promise((r) => setTimeout(r, 40 + 70 * round));
    child.kill('SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const s = readCheckpointSync(p); // throws if the file is partial
    assert.ok(s.step >= 1);
    assert.equal(s.params.big!.data[0], s.step, 'content belongs to one write');
    assert.equal(s.params.big!.data[s.params.big!.data.length - 1], s.step);
  }
});

test('a checkpoint that is not a training run says so when read as one', async () => {
  const p = path.join(tmpDir(), 'other.ckpt');
  writeCheckpointSync(p, sampleState());
  await assert.rejects(readTrainingCheckpoint(p), (e: unknown) => e instanceof CheckpointError && e.message === `${p} is not a LoopLens training checkpoint`);
  writeCheckpointSync(p, { ...sampleState(), config: { kind: CHECKPOINT_KIND, recipe: { ...microParity(5), steps: 0 } } });
  await assert.rejects(readTrainingCheckpoint(p), (e: unknown) => e instanceof CheckpointError && /holds a bad training recipe: steps must be a positive integer/.test(e.message));
  writeCheckpointSync(p, { ...sampleState(), config: { kind: CHECKPOINT_KIND, recipe: microParity(5) } });
  assert.deepEqual((await readTrainingCheckpoint(p)).recipe, microParity(5));
});

test('the header alone: every field but the tensors, reading only the header bytes', async () => {
  const dir = tmpDir();
  const p = path.join(dir, 'big.ckpt');
  const state = sampleState(3, 20000);
  writeCheckpointSync(p, state);
  const size = fs.statSync(p).size;
  const open = fs.promises.open;
  let bytesRead = 0;
  fs.promises.open = (async (...args: Parameters<typeof open>) => {
    const fh = await open(...args);
    const read = fh.read.bind(fh) as (...a: unknown[]) => Promise<{ bytesRead: number }>;
    (fh as unknown as { read: unknown }).read = async (...a: unknown[]) => {
      const r = await read(...a);
      bytesRead += r.bytesRead;
      return r;
    };
    return fh;
  }) as typeof open;
  let header;
  try {
    header = await readCheckpointHeader(p);
  } finally {
    fs.promises.open = open;
  }
  const { params: _p, moments: _m, ...rest } = state;
  assert.deepEqual(header, rest);
  assert.ok(bytesRead > 16 && bytesRead < size / 50, `read ${bytesRead} of ${size} bytes`);
});

test('the header alone refuses truncated, padded, foreign and missing files, and leaves the checksum to a whole read', async () => {
  const dir = tmpDir();
  const bytes = encodeCheckpoint(sampleState());
  for (const [name, data, re] of damagedCopies(bytes)) {
    const p = path.join(dir, name);
    fs.writeFileSync(p, data);
    await assert.rejects(readCheckpointHeader(p), (e: unknown) => e instanceof CheckpointError && re.test(e.message) && e.message.includes(p), name);
  }
  await assert.rejects(readCheckpointHeader(path.join(dir, 'missing.ckpt')), (e: unknown) => e instanceof CheckpointError && /no checkpoint at/.test(e.message));
  await assert.rejects(readCheckpointHeader(dir), (e: unknown) => e instanceof CheckpointError && /is a folder, not a checkpoint/.test(e.message));
  const flipped = path.join(dir, 'flipped.ckpt');
  fs.writeFileSync(flipped, flippedWeights(bytes));
  assert.equal((await readCheckpointHeader(flipped)).step, 7, 'damage inside the weights is not seen without reading them');
  await assert.rejects(readCheckpoint(flipped), /checksum mismatch/);
});

test('a verified header read streams the checksum over every byte: damage anywhere is refused, a sound file reads as without it', async () => {
  const dir = tmpDir();
  // 1.26 million floats (weights and both moments), about 5 MB: the checksum is streamed over several chunks
  const bytes = encodeCheckpoint(sampleState(7, 60_000));
  const sound = path.join(dir, 'sound.ckpt');
  fs.writeFileSync(sound, bytes);
  assert.deepEqual(await readCheckpointHeader(sound, { verify: true }), await readCheckpointHeader(sound));
  for (const at of [100, bytes.length >> 1, bytes.length - 5, bytes.length - 1]) {
    const damaged = bytes.slice();
    damaged[at]! ^= 0x01;
    const p = path.join(dir, `flipped-${at}.ckpt`);
    fs.writeFileSync(p, damaged);
    await assert.rejects(readCheckpointHeader(p, { verify: true }), (e: unknown) => e instanceof CheckpointError && /is corrupt: (checksum mismatch|.*header)/.test(e.message) && e.message.includes(p), `byte ${at}`);
  }
  const flipped = path.join(dir, 'weights.ckpt');
  fs.writeFileSync(flipped, flippedWeights(bytes));
  await assert.rejects(readTrainingCheckpointInfo(flipped, { verify: true }), /checksum mismatch/);
});

test("a training checkpoint's header says what the whole read says of its run", async () => {
  const p = path.join(tmpDir(), 'run.ckpt');
  writeCheckpointSync(p, { ...sampleState(), config: { kind: CHECKPOINT_KIND, recipe: microParity(5) }, extra: { savedAt: '2026-12-06T17:00:00.000Z', saveAt: [4, 6], keepBranches: true } });
  const { state: _state, ...whole } = await readTrainingCheckpoint(p);
  const info = await readTrainingCheckpointInfo(p);
  assert.deepEqual(info, whole);
  assert.equal(info.savedAt, '2026-12-06T17:00:00.000Z');
  assert.deepEqual(info.saveAt, [4, 6]);
  writeCheckpointSync(p, { ...sampleState(), config: { kind: CHECKPOINT_KIND, recipe: { ...microParity(5), steps: 0 } } });
  await assert.rejects(readTrainingCheckpointInfo(p), /holds a bad training recipe: steps must be a positive integer/);
});
