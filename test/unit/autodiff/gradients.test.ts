// Finite-difference checks of every registered gradient rule, broadcasting cases included.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as op from '../../../src/core/onnx/ops';
import { registeredOps } from '../../../src/core/autodiff';
import { gradCheck } from './gradcheckHarness';
import type { GradCase } from './gradcheckHarness';

const pos = (rng: { float(): number }): number => 0.5 + rng.float();
const awayFromZero = (rng: { float(): number }): number => (rng.float() < 0.5 ? -1 : 1) * (0.2 + rng.float());

const cases: GradCase[] = [
  { name: 'Add broadcast [3,4]+[4]', inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [4] }], f: ([a, b]) => op.add(a!, b!) },
  { name: 'Add broadcast [2,1,4]+[3,1]', inputs: [{ name: 'a', shape: [2, 1, 4] }, { name: 'b', shape: [3, 1] }], f: ([a, b]) => op.add(a!, b!) },
  { name: 'Sub broadcast [3,4]-[3,1]', inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [3, 1] }], f: ([a, b]) => op.sub(a!, b!) },
  { name: 'Mul broadcast [2,3,4]*[1,3,1]', inputs: [{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: [1, 3, 1] }], f: ([a, b]) => op.mul(a!, b!) },
  { name: 'Div broadcast [3,4]/[4]', inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [4], init: pos }], f: ([a, b]) => op.div(a!, b!) },
  { name: 'Pow both operands', inputs: [{ name: 'a', shape: [3, 4], init: pos }, { name: 'b', shape: [4] }], f: ([a, b]) => op.pow(a!, b!) },
  { name: 'Pow constant exponent', inputs: [{ name: 'a', shape: [5] }], f: ([a]) => op.pow(a!, 3) },
  { name: 'Sum of three with broadcast', inputs: [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [3] }, { name: 'c', shape: [2, 1] }], f: ([a, b, c]) => op.sum([a!, b!, c!]) },
  { name: 'Neg', inputs: [{ name: 'a', shape: [6] }], f: ([a]) => op.neg(a!) },
  { name: 'Identity', inputs: [{ name: 'a', shape: [6] }], f: ([a]) => op.identity(a!) },
  { name: 'Exp', inputs: [{ name: 'a', shape: [6] }], f: ([a]) => op.exp(a!) },
  { name: 'Log', inputs: [{ name: 'a', shape: [6], init: pos }], f: ([a]) => op.log(a!) },
  { name: 'Sqrt', inputs: [{ name: 'a', shape: [6], init: pos }], f: ([a]) => op.sqrt(a!) },
  { name: 'Reciprocal', inputs: [{ name: 'a', shape: [6], init: pos }], f: ([a]) => op.reciprocal(a!) },
  { name: 'Tanh', inputs: [{ name: 'a', shape: [6] }], f: ([a]) => op.tanh(a!) },
  { name: 'Sigmoid', inputs: [{ name: 'a', shape: [6] }], f: ([a]) => op.sigmoid(a!) },
  { name: 'Relu', inputs: [{ name: 'a', shape: [8], init: awayFromZero }], f: ([a]) => op.relu(a!) },
  { name: 'Gelu tanh', inputs: [{ name: 'a', shape: [4, 5], init: (r) => 3 * r.normal() }], f: ([a]) => op.gelu(a!) },
  {
    name: 'Where broadcast cond[3,4] a[4] b[3,1]',
    inputs: [{ name: 'a', shape: [4] }, { name: 'b', shape: [3, 1] }, { name: 'c', shape: [3, 4] }],
    f: ([a, b, c]) => op.where(op.greater(c!, 0), a!, b!),
  },
  { name: 'Cast float32 round trip', dtype: 'float32', eps: 1e-2, tol: 1e-2, inputs: [{ name: 'a', shape: [5] }], f: ([a]) => op.mul(op.cast(op.cast(a!, 'float64'), 'float32'), a!) },
  { name: 'MatMul 2-D', inputs: [{ name: 'a', shape: [3, 4] }, { name: 'b', shape: [4, 5] }], f: ([a, b]) => op.matmul(a!, b!) },
  { name: 'MatMul batched 4-D', inputs: [{ name: 'a', shape: [2, 3, 4, 5] }, { name: 'b', shape: [2, 3, 5, 2] }], f: ([a, b]) => op.matmul(a!, b!) },
  { name: 'MatMul 3-D x 2-D weight', inputs: [{ name: 'a', shape: [2, 3, 4] }, { name: 'b', shape: [4, 5] }], f: ([a, b]) => op.matmul(a!, b!) },
  ...[false, true].flatMap((tA) =>
    [false, true].map(
      (tB): GradCase => ({
        name: `FusedMatMul batched transA=${tA} transB=${tB} alpha`,
        inputs: [{ name: 'a', shape: tA ? [2, 3, 4, 3] : [2, 3, 3, 4] }, { name: 'b', shape: tB ? [2, 3, 5, 4] : [2, 3, 4, 5] }],
        f: ([a, b]) => op.fusedMatMul(a!, b!, { transA: tA, transB: tB, alpha: 0.7 }),
      }),
    ),
  ),
  { name: 'MatMul broadcast batch [1,3,4]x[2,4,2]', inputs: [{ name: 'a', shape: [1, 3, 4] }, { name: 'b', shape: [2, 4, 2] }], f: ([a, b]) => op.matmul(a!, b!) },
  ...[false, true].flatMap((tA) =>
    [false, true].map(
      (tB): GradCase => ({
        name: `Gemm transA=${tA} transB=${tB} alpha/beta, bias [5]`,
        inputs: [{ name: 'a', shape: tA ? [4, 3] : [3, 4] }, { name: 'b', shape: tB ? [5, 4] : [4, 5] }, { name: 'c', shape: [5] }],
        f: ([a, b, c]) => op.gemm(a!, b!, c!, { transA: tA, transB: tB, alpha: 0.7, beta: 1.3 }),
      }),
    ),
  ),
  { name: 'Softmax last axis', inputs: [{ name: 'a', shape: [2, 3, 5] }], f: ([a]) => op.softmax(a!, -1) },
  { name: 'Softmax axis 1', inputs: [{ name: 'a', shape: [2, 3, 5] }], f: ([a]) => op.softmax(a!, 1) },
  {
    name: 'Softmax with causal mask (Add of -1e9)',
    inputs: [{ name: 'a', shape: [2, 4, 4] }],
    f: ([a]) => {
      const m = Array.from({ length: 16 }, (_, i) => (i % 4 > Math.floor(i / 4) ? -1e9 : 0));
      return op.softmax(op.add(a!, a!.graph.constant(m, 'float64', [4, 4])), -1);
    },
  },
  { name: 'LogSoftmax', inputs: [{ name: 'a', shape: [3, 6] }], f: ([a]) => op.logSoftmax(a!, -1) },
  {
    name: 'LayerNormalization',
    inputs: [{ name: 'x', shape: [2, 3, 5] }, { name: 's', shape: [5] }, { name: 'b', shape: [5] }],
    f: ([x, s, b]) => op.layerNorm(x!, s!, b!, 1e-5)[0],
  },
  { name: 'NormalizeParts composite', inputs: [{ name: 'x', shape: [2, 3, 5] }], f: ([x]) => op.normalizeParts(x!, 1e-5) },
  {
    // A LayerNorm as the training graph builds it, with the input also reaching the loss directly: both contributions must add up.
    name: 'NormalizeParts composite with scale and bias, beside a direct use of its input',
    inputs: [{ name: 'x', shape: [4, 6] }, { name: 's', shape: [6] }, { name: 'b', shape: [6] }],
    f: ([x, s, b]) => op.mul(op.add(op.mul(op.normalizeParts(x!, 1e-5), s!), b!), op.tanh(x!)),
  },
  { name: 'ReduceSum axes [0,2] keepdims=0', inputs: [{ name: 'a', shape: [2, 3, 4] }], f: ([a]) => op.reduceSum(a!, [0, 2]) },
  { name: 'ReduceSum all', inputs: [{ name: 'a', shape: [2, 3] }], f: ([a]) => op.reduceSum(a!) },
  { name: 'ReduceMean axis -1 keepdims=1', inputs: [{ name: 'a', shape: [2, 3, 4] }], f: ([a]) => op.reduceMean(a!, [-1], true) },
  { name: 'ReduceSumSquare', inputs: [{ name: 'a', shape: [3, 4] }], f: ([a]) => op.reduceSumSquare(a!, [1]) },
  {
    name: 'Gather axis 0 with repeated indices',
    inputs: [{ name: 'table', shape: [5, 3] }, { name: 'idx', shape: [2, 4], dtype: 'int64', values: [0, 4, 4, 1, 2, 0, 0, 3] }],
    f: ([t, i]) => op.gather(t!, i!, 0),
  },
  {
    name: 'GatherElements axis -1',
    inputs: [{ name: 'x', shape: [3, 4] }, { name: 'idx', shape: [3, 2], dtype: 'int64', values: [0, 3, 2, 2, 1, 0] }],
    f: ([x, i]) => op.gatherElements(x!, i!, -1),
  },
  { name: 'Reshape', inputs: [{ name: 'a', shape: [2, 6] }], f: ([a]) => op.mul(op.reshape(a!, [3, -1]), op.reshape(a!, [3, 4])) },
  { name: 'Transpose', inputs: [{ name: 'a', shape: [2, 3, 4] }], f: ([a]) => op.transpose(a!, [2, 0, 1]) },
  {
    name: 'Split (one part unused)',
    inputs: [{ name: 'a', shape: [2, 7] }],
    f: ([a]) => {
      const [p, , r] = op.split(a!, 1, [2, 3, 2]);
      return op.mul(p!, r!);
    },
  },
  {
    name: 'Split with run-time sizes (rows going on and rows read out)',
    inputs: [
      { name: 'a', shape: ['n', 3], runShape: [5, 3] },
      { name: 'sizes', shape: [2], dtype: 'int64', values: [2, 3] },
    ],
    f: ([a, sizes]) => {
      const [p, q] = op.split(a!, 0, sizes!, ['p', 'q']);
      return op.concat([op.mul(q!, op.tanh(q!)), p!], 0);
    },
  },
  { name: 'Concat static', inputs: [{ name: 'a', shape: [2, 3] }, { name: 'b', shape: [2, 1] }], f: ([a, b]) => op.concat([a!, b!, a!], 1) },
  {
    name: 'Concat with run-time dims',
    inputs: [{ name: 'a', shape: ['n', 2], runShape: [3, 2] }, { name: 'b', shape: ['m', 2], runShape: [2, 2] }],
    f: ([a, b]) => op.concat([b!, a!], 0),
  },
  { name: 'Slice static', inputs: [{ name: 'a', shape: [4, 5] }], f: ([a]) => op.slice(a!, [1, 0], [3, -1], [0, 1]) },
  {
    name: 'Slice with run-time bounds',
    inputs: [
      { name: 'a', shape: ['n', 3], runShape: [5, 3] },
      { name: 's', shape: [1], dtype: 'int64', values: [1] },
      { name: 'e', shape: [1], dtype: 'int64', values: [4] },
    ],
    f: ([a, s, e]) => op.slice(a!, s!, e!, [0]),
  },
  { name: 'Pad static', inputs: [{ name: 'a', shape: [2, 3] }], f: ([a]) => op.pad(a!, [1, 0, 0, 2]) },
  {
    name: 'Pad with run-time pads',
    inputs: [
      { name: 'a', shape: ['n', 2], runShape: [2, 2] },
      { name: 'p', shape: [4], dtype: 'int64', values: [1, 0, 2, 1] },
    ],
    f: ([a, p]) => op.pad(a!, p!, ['m', 'k']),
  },
  { name: 'Unsqueeze/Squeeze', inputs: [{ name: 'a', shape: [3, 1, 2] }], f: ([a]) => op.unsqueeze(op.squeeze(a!, [1]), [0]) },
  { name: 'Expand', inputs: [{ name: 'a', shape: [3, 1] }], f: ([a]) => op.expand(a!, [2, 3, 4]) },
];

for (const c of cases) {
  test(`gradient: ${c.name}`, async () => {
    const r = await gradCheck(c);
    assert.ok(r.checked > 0, 'no element was checked');
    assert.ok(r.maxError <= 1, `finite differences disagree (error ${r.maxError.toFixed(2)}x tolerance) at ${r.worst}`);
  });
}

test('every registered gradient rule has a finite-difference case', () => {
  const tested = new Set(cases.flatMap((c) => c.name.split(/[\s/]+/)));
  const missing = registeredOps().filter((o) => !tested.has(o));
  assert.deepEqual(missing, [], `no gradcheck case names these ops: ${missing.join(', ')}`);
});

test('the check is tight enough to catch a gradient that is 1% off', async () => {
  const c: GradCase = { name: 'Tanh', inputs: [{ name: 'a', shape: [4] }], f: ([a]) => op.tanh(a!) };
  assert.ok((await gradCheck(c)).maxError <= 1);
  assert.ok((await gradCheck(c, 1, 1.01)).maxError > 1);
});
