// Issue 17: files a user names are read only when they are regular files within the stated size
// (a FIFO would block forever, /dev/zero never ends), and temp files left by writes that were
// killed mid-way are removed at the next start.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as path from 'node:path';
import { cleanStaleTempFiles, staleTempFiles, tempPathFor } from '../../../src/core/util/atomicWrite';
import { FileReadError, readRegularFile, readRegularFileSync } from '../../../src/core/util/safeRead';
import { formatBytes } from '../../../src/core/util/limits';
import { tmpDir } from '../../support/tmpDir';

const o = { what: 'test file', maxBytes: 100 };

test('readRegularFile reads regular files and refuses FIFOs, devices, folders and files over the limit', async () => {
  const dir = tmpDir();
  const ok = path.join(dir, 'ok.bin');
  fs.writeFileSync(ok, 'hello');
  assert.equal(Buffer.from(await readRegularFile(ok, o)).toString(), 'hello');
  assert.equal(Buffer.from(readRegularFileSync(ok, o)).toString(), 'hello');
  fs.writeFileSync(path.join(dir, 'empty.bin'), '');
  assert.equal((await readRegularFile(path.join(dir, 'empty.bin'), o)).length, 0);
  const big = path.join(dir, 'big.bin');
  fs.writeFileSync(big, Buffer.alloc(101));
  const fifo = path.join(dir, 'fifo');
  execFileSync('mkfifo', [fifo]);
  const sock = path.join(dir, 'sock');
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(sock, resolve));
  after(() => server.close());
  const cases: [string, RegExp, string][] = [
    [fifo, /is a named pipe \(FIFO\), not a test file/, 'special'],
    [sock, /is a socket or a device, not a test file/, 'special'],
    ['/dev/zero', /is a character device/, 'special'],
    ['/dev/null', /is a character device/, 'special'],
    [dir, /is a folder, not a test file/, 'folder'],
    [big, /is 101 bytes, more than the 100 bytes a test file may have/, 'too-large'],
    [path.join(dir, 'absent'), /no test file at/, 'missing'],
    [path.join(ok, 'below'), /no test file at/, 'missing'],
  ];
  for (const [p, re, code] of cases) {
    for (const read of [() => readRegularFile(p, o), async () => readRegularFileSync(p, o)]) {
      await assert.rejects(read(), (e: Error) => {
        assert.ok(e instanceof FileReadError, `${p}: ${e.message}`);
        assert.match(e.message, re);
        assert.equal(e.code, code);
        return true;
      });
    }
  }
});

test('formatBytes states sizes the way messages show them', () => {
  assert.equal(formatBytes(100), '100 bytes');
  assert.equal(formatBytes(1536), '1.5 KiB');
  assert.equal(formatBytes(130 * 1024 ** 3), '130 GiB');
});

test('temp files of killed writes are found and removed; live writers and other files are left alone', () => {
  const dir = tmpDir();
  const target = path.join(dir, 'run.ckpt');
  fs.writeFileSync(target, 'checkpoint');
  const dead = 2 ** 22 + 12345; // above the default pid_max: no such process
  const deadTemp = path.join(dir, `.run.ckpt.${dead}.0badc0de.tmp`);
  const liveTemp = path.join(dir, `.run.ckpt.${process.ppid}.00000001.tmp`);
  const ownTemp = tempPathFor(target);
  const other = path.join(dir, `.other.ckpt.${dead}.0badc0de.tmp`);
  const notOurs = path.join(dir, `.run.ckpt.${dead}.notahex.tmp`);
  for (const f of [deadTemp, liveTemp, ownTemp, other, notOurs]) fs.writeFileSync(f, 'partial');
  assert.deepEqual(staleTempFiles(target), [deadTemp]);
  assert.deepEqual(cleanStaleTempFiles(target), [deadTemp]);
  assert.deepEqual(fs.readdirSync(dir).sort(), [path.basename(liveTemp), path.basename(ownTemp), path.basename(other), path.basename(notOurs), 'run.ckpt'].sort());
  assert.deepEqual(cleanStaleTempFiles(path.join(dir, 'missing-dir', 'x.onnx')), [], 'a missing folder is no error');
});
