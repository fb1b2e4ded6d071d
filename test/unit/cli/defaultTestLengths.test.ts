// Without --lengths, `looplens train` and `looplens eval` test past how far the model was trained
// (half and all of its longest training length, half-way to the task's test length, the test
// length), not past the task's own curriculum: a short run is not tested only far beyond its reach.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { cli } from './helpers';
import { tmpDir } from '../../support/tmpDir';

/** The lengths of an evaluation table's rows, in order. */
const tableLengths = (out: string): number[] => out.split('\n').flatMap((l) => /^\s*(\d+)\s+\d+\s+\d+\.\d%/.exec(l)?.[1] ?? []).map(Number);

test('train and eval default to lengths from the longest training length (parity trained to 6: 3, 6, 23, 40)', async () => {
  const out = path.join(tmpDir(), 'p.onnx');
  const t = await cli(['train', '--task', 'parity', '--preset', 'tiny', '--steps', '6', '--max-length', '6', '--examples', '4', '--ep', 'cpu', '--threads', '1', '--out', out]);
  assert.equal(t.code, 0, t.err);
  assert.deepEqual(tableLengths(t.out), [3, 6, 23, 40]);
  const e = await cli(['eval', out, '--examples', '4', '--batch', '4', '--ep', 'cpu', '--threads', '1']);
  assert.equal(e.code, 0, e.err);
  assert.deepEqual(tableLengths(e.out), [3, 6, 23, 40]);
});
