// scripts/cuda/pack.mjs and scripts/cuda/device-run.sh on small fake files (nothing is downloaded):
// the pieces reassemble to the manifest's checksums, a wrong or missing piece is named, and on a
// machine without a GPU the device script stops with its own message and exit status.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

const PACK = resolve('scripts/cuda/pack.mjs');
const DEVICE_RUN = resolve('scripts/cuda/device-run.sh');
const PIECE_BYTES = 8192;
const NO_GPU = 3;
const MISSING = 10;
const BAD_CHECKSUM = 11;

interface Manifest {
  bundle: string;
  archive: { name: string; bytes: number; sha256: string; compression: string };
  pieces: { index: number; name: string; bytes: number; sha256: string }[];
  files: { path: string; bytes: number; sha256: string; mode: string }[];
  calls: { carry: string[]; pieces: string[]; bytes: number; command: string }[];
}

const sha256 = (data: Buffer) => createHash('sha256').update(data).digest('hex');

/** What a real bundle holds, in miniature: a Node binary, a provider library (and a copy), a bundle. */
const NATIVE = 'node_modules/onnxruntime-node/bin/napi-v6/linux/x64';
const FAKE_FILES: Record<string, Buffer> = {
  '.cuda-stage/node/bin/node': Buffer.from('#!/bin/sh\necho v20.0.0-fake\n'),
  [`${NATIVE}/libonnxruntime_providers_cuda.so`]: randomBytes(40_000),
  [`${NATIVE}/libonnxruntime_providers_shared.so`]: randomBytes(3_000),
  [`${NATIVE}/libonnxruntime.so.1`]: randomBytes(5_000),
  [`${NATIVE}/onnxruntime_binding.node`]: randomBytes(1_000),
  'node_modules/onnxruntime-node/dist/index.js': Buffer.from('module.exports = {};\n'),
  'node_modules/tsx/package.json': Buffer.from('{"name":"tsx"}\n'),
  'node_modules/protobufjs/package.json': Buffer.from('{"name":"protobufjs"}\n'),
  'dist/cli.js': Buffer.from('console.log("looplens");\n'.repeat(200)),
};

/** Packs the fake files (less `omit`); returns the folder that stands for the repository root on the device. */
function packFake(extraArgs: string[] = [], omit?: string): { root: string; pieces: string; manifest: Manifest; out: string } {
  const work = mkdtempSync(join(tmpdir(), 'looplens-cuda-pieces-'));
  const staging = join(work, 'staging');
  for (const [path, data] of Object.entries(FAKE_FILES)) {
    if (path === omit) continue;
    mkdirSync(dirname(join(staging, path)), { recursive: true });
    writeFileSync(join(staging, path), data);
  }
  chmodSync(join(staging, '.cuda-stage/node/bin/node'), 0o755);
  writeFileSync(join(staging, 'dist/copy.so'), FAKE_FILES[`${NATIVE}/libonnxruntime_providers_cuda.so`]!); // stored once, as a hard link
  const root = join(work, 'root');
  const pieces = join(root, '.cuda-pieces');
  const r = spawnSync(process.execPath, [PACK, '--staging', staging, '--out', pieces, '--piece-bytes', String(PIECE_BYTES), ...extraArgs], { encoding: 'utf8', timeout: 60_000 });
  assert.equal(r.status, 0, `${r.stdout}${r.stderr}`);
  const manifest = JSON.parse(readFileSync(join(pieces, 'manifest.json'), 'utf8')) as Manifest;
  return { root, pieces, manifest, out: r.stdout };
}

function deviceRun(root: string, args: string[] = [], env: Record<string, string> = {}) {
  const { OUT: _out, ...rest } = process.env;
  const r = spawnSync('bash', [DEVICE_RUN, ...args], {
    cwd: root,
    encoding: 'utf8',
    timeout: 60_000,
    env: { ...rest, LOOPLENS_NVIDIA_SMI: join(root, 'no-such-nvidia-smi'), ...env },
  });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** Moves the pieces of one planned call aside, as if the call carried only those. */
function holdBack(pieces: string, keep: string[]): string {
  const aside = `${pieces}-aside`;
  mkdirSync(aside, { recursive: true });
  for (const f of readdirSync(pieces)) if (f.startsWith('bundle.') && !keep.includes(f)) renameSync(join(pieces, f), join(aside, f));
  return aside;
}

function cleanup(root: string): void {
  rmSync(dirname(root), { recursive: true, force: true });
}

test('pack splits the archive into pieces that reassemble to its checksum, with a call plan under 64 MiB', () => {
  const { root, pieces, manifest, out } = packFake();
  try {
    assert.ok(manifest.pieces.length >= 3, `expected several pieces, got ${manifest.pieces.length}`);
    const joined = Buffer.concat(manifest.pieces.map((p) => {
      const data = readFileSync(join(pieces, p.name));
      assert.ok(data.length <= PIECE_BYTES && data.length === p.bytes, p.name);
      assert.equal(sha256(data), p.sha256, p.name);
      return data;
    }));
    assert.equal(joined.length, manifest.archive.bytes);
    assert.equal(sha256(joined), manifest.archive.sha256);
    assert.equal(manifest.archive.compression, 'xz');
    // every file with its checksum and place; the text manifest says the same
    const text = readFileSync(join(pieces, 'manifest.txt'), 'utf8');
    for (const [path, data] of Object.entries(FAKE_FILES)) {
      const f = manifest.files.find((x) => x.path === path);
      assert.ok(f, path);
      assert.equal(f.sha256, sha256(data), path);
      assert.ok(text.includes(`file ${f.sha256} ${f.bytes} ${f.mode} ${path}\n`), path);
    }
    assert.equal(manifest.files.find((f) => f.path === '.cuda-stage/node/bin/node')!.mode, '0755');
    // the plan: every piece once, in order, the manifest in every call, the last call runs
    assert.deepEqual(manifest.calls.flatMap((c) => c.pieces), manifest.pieces.map((p) => p.name));
    for (const c of manifest.calls) {
      assert.ok(c.bytes < 64 * 1024 * 1024);
      assert.ok(c.carry[0]!.endsWith('manifest.txt'));
    }
    assert.equal(manifest.calls.at(-1)!.command, 'bash scripts/cuda/device-run.sh');
    assert.match(out, /calls of the device tool/);
  } finally {
    cleanup(root);
  }
});

test('gzip packs too, and refuses pieces over 60 MiB', () => {
  const { root, manifest } = packFake(['--gzip']);
  try {
    assert.equal(manifest.archive.compression, 'gzip');
    assert.match(manifest.archive.name, /\.tar\.gz$/);
  } finally {
    cleanup(root);
  }
  const r = spawnSync(process.execPath, [PACK, '--piece-mib', '61'], { encoding: 'utf8' });
  assert.equal(r.status, 1);
  assert.match(r.stderr, /at most 60 MiB/);
});

test('device-run stages the pieces call by call, reassembles them into place, and without a GPU stops with exit 3', () => {
  const { root, pieces, manifest } = packFake();
  try {
    const aside = holdBack(pieces, []);
    manifest.pieces.forEach((p, i) => {
      renameSync(join(aside, p.name), join(pieces, p.name)); // this call carries one piece
      const last = i === manifest.pieces.length - 1;
      const r = deviceRun(root, last ? [] : ['--stage']);
      if (!last) {
        assert.equal(r.status, 0, r.out);
        assert.match(r.out, new RegExp(`staged this call: ${p.name.replace(/\./g, '\\.')}; ${i + 1} of ${manifest.pieces.length} pieces`));
        assert.match(r.out, /still to carry: /);
      } else {
        assert.equal(r.status, NO_GPU, r.out);
        assert.match(r.out, /reassembled bundle\.tar\.xz .*sha256 matches/);
        assert.match(r.out, /no NVIDIA GPU here: nvidia-smi is not installed/);
      }
    });
    for (const [path, data] of Object.entries(FAKE_FILES)) assert.equal(sha256(readFileSync(join(root, path))), sha256(data), path);
    // run again (the machine still warm): nothing to reassemble
    const again = deviceRun(root);
    assert.equal(again.status, NO_GPU, again.out);
    assert.match(again.out, /already installed here/);
  } finally {
    cleanup(root);
  }
});

test('an nvidia-smi that finds no GPU stops the device script with exit 3 and its reason', () => {
  const { root } = packFake();
  try {
    const smi = join(root, 'nvidia-smi');
    writeFileSync(smi, '#!/bin/sh\necho "NVIDIA-SMI has failed because it could not communicate with the NVIDIA driver." >&2\nexit 9\n', { mode: 0o755 });
    const r = deviceRun(root, [], { LOOPLENS_NVIDIA_SMI: smi });
    assert.equal(r.status, NO_GPU, r.out);
    assert.match(r.out, /no NVIDIA GPU here: nvidia-smi found none \(NVIDIA-SMI has failed/);
  } finally {
    cleanup(root);
  }
});

test('a corrupted piece is named, and nothing is installed', () => {
  const { root, pieces, manifest } = packFake();
  try {
    const victim = manifest.pieces[1]!;
    const data = readFileSync(join(pieces, victim.name));
    data[100] = data[100]! ^ 0xff;
    writeFileSync(join(pieces, victim.name), data);
    const r = deviceRun(root);
    assert.equal(r.status, BAD_CHECKSUM, r.out);
    assert.match(r.out, new RegExp(`piece ${victim.name.replace(/\./g, '\\.')} is corrupt: sha256 [0-9a-f]{64} where the manifest of bundle ${manifest.bundle} says ${victim.sha256}`));
    assert.equal(existsSync(join(root, 'dist/cli.js')), false);
  } finally {
    cleanup(root);
  }
});

test('a cut-off piece is named with its size', () => {
  const { root, pieces, manifest } = packFake();
  try {
    const victim = manifest.pieces[0]!;
    writeFileSync(join(pieces, victim.name), readFileSync(join(pieces, victim.name)).subarray(0, 1000));
    const r = deviceRun(root, ['--stage']);
    assert.equal(r.status, BAD_CHECKSUM, r.out);
    assert.match(r.out, new RegExp(`piece ${victim.name.replace(/\./g, '\\.')} is wrong: 1000 bytes where the manifest .* says ${victim.bytes}`));
  } finally {
    cleanup(root);
  }
});

test('a missing piece is named in the last call, and a missing manifest is asked for', () => {
  const { root, pieces, manifest } = packFake();
  try {
    const gone = manifest.pieces[2]!.name;
    rmSync(join(pieces, gone));
    const r = deviceRun(root);
    assert.equal(r.status, MISSING, r.out);
    assert.match(r.out, new RegExp(`missing piece\\(s\\) of bundle ${manifest.bundle}: ${gone.replace(/\./g, '\\.')} `));
    assert.match(r.out, /went cold/);

    rmSync(join(root, '.cuda-stage'), { recursive: true });
    rmSync(join(pieces, 'manifest.txt'));
    const noManifest = deviceRun(root, ['--stage']);
    assert.equal(noManifest.status, MISSING, noManifest.out);
    assert.match(noManifest.out, /no manifest: carry \.cuda-pieces\/manifest\.txt/);
  } finally {
    cleanup(root);
  }
});

test('a bundle without the CUDA provider is refused before anything runs', () => {
  const { root } = packFake([], `${NATIVE}/libonnxruntime_providers_cuda.so`);
  try {
    const r = deviceRun(root);
    assert.equal(r.status, MISSING, r.out);
    assert.match(r.out, /lacks node_modules\/onnxruntime-node\/bin\/napi-v6\/linux\/x64\/libonnxruntime_providers_cuda\.so: pack it again/);
  } finally {
    cleanup(root);
  }
});

test('the device script refuses unknown arguments', () => {
  const r = spawnSync('bash', [DEVICE_RUN, '--frobnicate'], { encoding: 'utf8' });
  assert.equal(r.status, 2);
  assert.match(r.stderr, /usage: bash scripts\/cuda\/device-run\.sh/);
});
