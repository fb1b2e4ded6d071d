import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { runTrace, traceFromOutputs } from '../../../src/core/infer/runTrace';
import { openSession } from '../../../src/core/infer/executionProvider';
import { encodeModelProto, DataType } from '../../../src/core/onnx/onnxSchema';

// A stand-in trace graph with the real graph's input/output names: constants of the documented
// shapes (T=2, B=1, W=2, V=3, L=1, H=1, d=1) whose values encode their own index.
const SHAPES = { logits: [2, 1, 2, 3], attention: [2, 1, 1, 1, 2, 2], hidden: [2, 1, 2, 1] };
const count = (dims: number[]) => dims.reduce((a, b) => a * b, 1);
const values = (name: keyof typeof SHAPES) => Array.from({ length: count(SHAPES[name]) }, (_, i) => i + (name === 'attention' ? 0.5 : 0));

function fakeTraceModel(): Uint8Array {
  const names = Object.keys(SHAPES) as (keyof typeof SHAPES)[];
  return encodeModelProto({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'fake_trace',
      node: names.map((n) => ({ op_type: 'Identity', input: [`${n}_c`], output: [n], name: `id_${n}` })),
      initializer: names.map((n) => ({ name: `${n}_c`, data_type: DataType.FLOAT, dims: SHAPES[n], float_data: values(n) })),
      input: [
        { name: 'tokens', type: { tensor_type: { elem_type: DataType.INT64, shape: { dim: [{ dim_param: 'batch' }, { dim_param: 'width' }] } } } },
        { name: 'num_steps', type: { tensor_type: { elem_type: DataType.INT64, shape: { dim: [] } } } },
      ],
      output: names.map((n) => ({ name: n, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: SHAPES[n].map((d) => ({ dim_value: d })) } } } })),
    },
  });
}

test('runTrace feeds one row and reads dimensions off the outputs', async () => {
  const { session } = await openSession(fakeTraceModel(), { provider: 'cpu', cpuThreads: 1 });
  const t = await runTrace(session, [1, 0], 2);
  assert.deepEqual([t.steps, t.layers, t.heads, t.width, t.vocab, t.dModel], [2, 1, 1, 2, 3, 1]);
  assert.deepEqual(Array.from(t.logits), values('logits'));
  assert.deepEqual(Array.from(t.attention), values('attention'));
  await session.release();
  await assert.rejects(runTrace(session, [1], 0), /steps must be a positive integer/);
});

test('outputs that are missing or disagree are reported by name', () => {
  const tensor = (name: keyof typeof SHAPES, dims = SHAPES[name]) => new ort.Tensor('float32', new Float32Array(count(dims)), dims);
  assert.throws(() => traceFromOutputs({ logits: tensor('logits'), attention: tensor('attention') }), /no output "hidden"/);
  assert.throws(() => traceFromOutputs({ logits: tensor('logits'), attention: tensor('attention'), hidden: tensor('hidden', [3, 1, 2, 1]) }), /trace outputs disagree/);
  assert.throws(() => traceFromOutputs({ logits: tensor('logits', [2, 1, 6]), attention: tensor('attention'), hidden: tensor('hidden') }), /expected float32 of rank 4/);
});
