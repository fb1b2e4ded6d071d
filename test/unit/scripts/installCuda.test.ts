// scripts/install-cuda.mjs: argument handling and version checks, through --dry-run (nothing is downloaded).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

function installCuda(...args: string[]) {
  const r = spawnSync(process.execPath, ['scripts/install-cuda.mjs', ...args], { encoding: 'utf8', timeout: 30_000 });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

function fakeOrt(version: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'looplens-fake-ort-'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'onnxruntime-node', version }));
  return dir;
}

test('--cuda13 --dry-run plans the npm-registry build into the project onnxruntime-node', () => {
  const r = installCuda('--cuda13', '--dry-run');
  assert.equal(r.status, 0, r.out);
  assert.match(r.out, /cuda13 from the npm registry \(com\.github\.asus4\.onnxruntime\.linux-x64-gpu@0\.4\.9\)/);
  assert.match(r.out, /node_modules\/onnxruntime-node\/bin\/napi-v6\/linux\/x64/);
  assert.match(r.out, /nothing downloaded/);
});

test('--dest installs into another onnxruntime-node 1.29.0 folder', () => {
  const dir = fakeOrt('1.29.0');
  try {
    const r = installCuda('--cuda13', `--dest=${dir}`, '--dry-run');
    assert.equal(r.status, 0, r.out);
    assert.ok(r.out.includes(join(dir, 'bin', 'napi-v6', 'linux', 'x64')), r.out);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('a different onnxruntime-node version is refused', () => {
  const dir = fakeOrt('1.28.0');
  try {
    const r = installCuda('--cuda13', '--dest', dir, '--dry-run');
    assert.equal(r.status, 1);
    assert.match(r.out, /holds onnxruntime-node 1\.28\.0; .* must match it exactly/);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('bad arguments fail with the usage line', () => {
  for (const args of [['--cuda12', '--cuda13'], ['--dest'], ['--frobnicate']]) {
    const r = installCuda(...args, '--dry-run');
    assert.equal(r.status, 1, `${args.join(' ')}: ${r.out}`);
    assert.match(r.out, /usage: npm run install:cuda/);
  }
});
