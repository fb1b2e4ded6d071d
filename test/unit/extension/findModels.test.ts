import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findModelFiles, formatBytes } from '../../../src/extension/models/findModels';
import { tmpDir } from './helpers';

test('finds .onnx files in each folder (two levels deep), each file once, skipping build and dependency folders', () => {
  const root = tmpDir();
  const a = path.join(root, 'ws', 'models');
  const b = path.join(root, 'shipped');
  const touch = (p: string, mtime: number) => {
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, 'x');
    fs.utimesSync(p, mtime, mtime);
  };
  touch(path.join(a, 'old.onnx'), 1000);
  touch(path.join(a, 'new.ONNX'), 2000);
  touch(path.join(a, 'runs', 'deep.onnx'), 500);
  touch(path.join(a, 'x', 'y', 'z', 'too-deep.onnx'), 500);
  touch(path.join(a, 'node_modules', 'dep.onnx'), 500);
  touch(path.join(a, 'notes.txt'), 500);
  touch(path.join(b, 'parity.onnx'), 500);
  fs.symlinkSync(path.join(a, 'old.onnx'), path.join(b, 'link.onnx'));
  const found = findModelFiles([
    { dir: a, source: 'workspace models/' },
    { dir: path.join(root, 'missing'), source: 'nowhere' },
    { dir: b, source: 'shipped' },
  ]);
  assert.deepEqual(found.map((f) => [f.source, f.relative]), [
    ['workspace models/', 'new.ONNX'],
    ['workspace models/', 'old.onnx'],
    ['workspace models/', path.join('runs', 'deep.onnx')],
    ['shipped', 'parity.onnx'],
  ]);
  assert.equal(found[0]!.name, 'new');
  assert.equal(found[0]!.bytes, 1);
});

test('formatBytes', () => {
  assert.equal(formatBytes(512), '512 B');
  assert.equal(formatBytes(211_252), '206 KB');
  assert.equal(formatBytes(3 * 1024 * 1024), '3.0 MB');
});
