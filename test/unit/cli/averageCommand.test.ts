// `looplens average MODEL MODEL... --out SOUP.onnx` through runCli: a soup of two trained models is
// written, states its ingredients (the command, info), and evaluates; bad input is a clear error
// that writes nothing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadModel } from '../../../src/core/model/modelFile';
import { cli, QUICK_TRAIN } from './helpers';
import { tmpDir } from '../../support/tmpDir';

async function trained(dir: string, name: string, extra: string[] = []): Promise<string> {
  const out = path.join(dir, name);
  const r = await cli(['train', ...QUICK_TRAIN, ...extra, '--out', out]);
  assert.equal(r.code, 0, r.err);
  return out;
}

test('average: two models of one network become a soup that records them, says so in info, and evaluates', async () => {
  const dir = tmpDir();
  const [a, b] = [await trained(dir, 'a.onnx', ['--seed', '1']), await trained(dir, 'b.onnx', ['--seed', '2'])];
  const soupFile = path.join(dir, 'soups', 'ab.onnx');
  const r = await cli(['average', a, b, '--out', soupFile]);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /^Parity: the mean of the weights of 2 models \(a model soup\): .*a\.onnx \(CRC-32 [0-9a-f]{8}\), .*b\.onnx \(CRC-32 [0-9a-f]{8}\) → .*ab\.onnx \(\d+ KiB\)$/m);
  assert.match(r.out, /^Evaluate it: looplens eval .*ab\.onnx --examples 6400$/m);
  const [ma, mb, soup] = await Promise.all([a, b, soupFile].map((f) => loadModel(f)));
  for (const [k, w] of Object.entries(soup!.params)) assert.equal(w[0], Math.fround((ma!.params[k]![0]! + mb!.params[k]![0]!) / 2), k);
  assert.deepEqual(soup!.metadata.training.soup?.map((s) => s.model), [a, b], 'the names as given');
  assert.match((await cli(['info', soupFile])).out, /^ {2}soup: the mean of the weights of 2 models \(a model soup\): .*; the training above is the first's$/m);
  assert.doesNotMatch((await cli(['info', a])).out, /soup/);
  const ev = await cli(['eval', soupFile, '--lengths', '2', '--examples', '8', '--ep', 'cpu', '--threads', '1']);
  assert.equal(ev.code, 0, ev.err);
  assert.match((await cli(['average', '--help'])).out, /usage: looplens average MODEL MODEL\.\.\. --out SOUP\.onnx[\s\S]*MODEL\.\.\. +two or more \.onnx model files/);
});

test('average: bad input is a usage error or a clear model error, and writes nothing', async () => {
  const dir = tmpDir();
  const a = await trained(dir, 'a.onnx');
  const wide = await trained(dir, 'wide.onnx', ['--d', '32']);
  const out = path.join(dir, 'soup.onnx');
  const refused = async (argv: string[], code: number, message: RegExp) => {
    const r = await cli(['average', ...argv]);
    assert.equal(r.code, code, `${argv.join(' ')}: ${r.err}`);
    assert.match(r.err, message, argv.join(' '));
    assert.equal(fs.existsSync(out), false, 'nothing written');
  };
  await refused([], 2, /missing MODEL/);
  await refused([a, a], 2, /--out FILE is needed: the soup model file to write/);
  await refused([a, a, '--out', path.join(dir, 'soup.txt')], 2, /--out must name a \.onnx model file/);
  await refused([a, out, '--out', out], 2, /is one of the models averaged: write the soup to a new file/);
  await refused([a, '--out', out], 2, /a soup averages 2 to 64 models, got 1/);
  await refused([a, wide, '--out', out], 2, /wide\.onnx cannot be averaged with .*a\.onnx: it has d 32, not \d+/);
  const junk = path.join(dir, 'junk.onnx');
  fs.writeFileSync(junk, 'not a model');
  await refused([a, junk, '--out', out], 1, /junk\.onnx/);
  await refused([a, path.join(dir, 'missing.onnx'), '--out', out], 1, /missing\.onnx/);
});
