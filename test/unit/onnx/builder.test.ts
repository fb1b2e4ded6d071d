// Graph builder: shape tracking, serialization, and graphs (control flow included) that ONNX Runtime runs.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { Graph } from '../../../src/core/onnx/graph';
import * as op from '../../../src/core/onnx/ops';
import { toModelBytes } from '../../../src/core/onnx/serialize';
import { decodeModelProto } from '../../../src/core/onnx/onnxSchema';
import { broadcast, broadcastAxes, dimDiv, dimMul, resolveReshape } from '../../../src/core/onnx/shapes';

test('broadcasting of static and symbolic shapes', () => {
  assert.deepEqual(broadcast([2, 1, 4], [3, 1]), [2, 3, 4]);
  assert.deepEqual(broadcast(['B', 1], [5]), ['B', 5]);
  assert.throws(() => broadcast([2, 3], [4]), /cannot broadcast/);
  assert.throws(() => broadcast(['B'], ['C']), /cannot broadcast/);
  assert.deepEqual(broadcastAxes([3, 1], [2, 3, 4]), [0, 2]);
});

test('symbolic dimension arithmetic and Reshape inference', () => {
  assert.equal(dimMul('c', 21), '21*c');
  assert.equal(dimDiv('21*c', 21), 'c');
  assert.throws(() => dimDiv(10, 3), /not divisible/);
  assert.deepEqual(resolveReshape(['c', 21, 256], [-1, 256]), ['21*c', 256]);
  assert.deepEqual(resolveReshape(['21*c', 256], [-1, 21, 4, 64]), ['c', 21, 4, 64]);
  assert.throws(() => resolveReshape([4, 6], [5, -1]), /not divisible/);
});

test('op helpers track shapes and reject mismatches', () => {
  const g = new Graph();
  const a = g.input('a', 'float32', ['B', 3, 4]);
  const w = g.input('w', 'float32', [4, 5]);
  assert.deepEqual(op.matmul(a, w).shape, ['B', 3, 5]);
  assert.throws(() => op.matmul(a, g.input('v', 'float32', [3, 5])), /inner dims/);
  assert.deepEqual(op.transpose(a, [1, 0, 2]).shape, [3, 'B', 4]);
  assert.deepEqual(op.reshape(a, [-1, 4]).shape, ['3*B', 4]);
  assert.deepEqual(op.split(w, 1, [2, 3]).map((t) => t.shape), [[4, 2], [4, 3]]);
  assert.throws(() => op.add(a, g.input('i', 'int64', [4])), /dtype mismatch/);
});

test('serialized model decodes with the official field layout', () => {
  const g = new Graph();
  const x = g.input('x', 'float32', ['N', 2]);
  g.output(op.add(x, g.initializer('bias', 'float32', [2], Float32Array.from([1, 2]))), 'y');
  const m = decodeModelProto(toModelBytes(g, { metadata: { task: 'parity' } })) as {
    opset_import: { version: number }[];
    metadata_props: { key: string; value: string }[];
    graph: { node: { op_type: string }[]; input: { name: string }[]; initializer: { name: string; dims: number[] }[] };
  };
  assert.equal(m.opset_import[0]!.version, 20);
  assert.deepEqual(m.metadata_props, [{ key: 'task', value: 'parity' }]);
  assert.deepEqual(m.graph.node.map((n) => n.op_type), ['Add', 'Identity']);
  assert.deepEqual(m.graph.initializer.map((i) => [i.name, i.dims]), [['bias', [2]]]);
});

test('a Loop with carried values and scan outputs runs in ONNX Runtime', async () => {
  const g = new Graph();
  const x = g.input('x', 'float32', [2]);
  const n = g.input('n', 'int64', []);
  const { final, scans } = op.loop(g, n, [x], 'T', (iter, [h]) => {
    const next = op.add(op.mul(h!, 2), op.cast(iter, 'float32'));
    return { carried: [next], scans: [next, op.mul(h!, 0)] };
  });
  g.output(final[0]!, 'last');
  g.output(scans[0]!, 'all');
  const s = await ort.InferenceSession.create(toModelBytes(g));
  const r = await s.run({ x: new ort.Tensor('float32', Float32Array.from([1, -1]), [2]), n: new ort.Tensor('int64', BigInt64Array.from([3n]), []) });
  // h: [1,-1] -> [2,-2] -> [5,-3] -> [12,-4]
  assert.deepEqual(Array.from(r.last!.data as Float32Array), [12, -4]);
  assert.deepEqual(r.all!.dims, [3, 2]);
  assert.deepEqual(Array.from(r.all!.data as Float32Array), [2, -2, 5, -3, 12, -4]);
});
