import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as ort from 'onnxruntime-node';
import { openSession, cudaUnavailableReason, parseExecutionProvider, ExecutionProviderError } from '../../../src/core/infer/executionProvider';
import { encodeModelProto, DataType } from '../../../src/core/onnx/onnxSchema';

// y = x + 1 on a float vector: the smallest model that proves a session runs.
function tinyModel(): Uint8Array {
  const tensorType = (name: string) => ({ name, type: { tensor_type: { elem_type: DataType.FLOAT, shape: { dim: [{ dim_param: 'n' }] } } } });
  return encodeModelProto({
    ir_version: 8,
    opset_import: [{ domain: '', version: 17 }],
    producer_name: 'looplens-test',
    graph: {
      name: 'tiny',
      node: [{ op_type: 'Add', input: ['x', 'one'], output: ['y'], name: 'add' }],
      initializer: [{ name: 'one', data_type: DataType.FLOAT, dims: [1], float_data: [1] }],
      input: [tensorType('x')],
      output: [tensorType('y')],
    },
  });
}

test('cpu provider runs a tiny model', async () => {
  const { session, provider } = await openSession(tinyModel(), { provider: 'cpu', cpuThreads: 1 });
  assert.equal(provider, 'cpu');
  const out = await session.run({ x: new ort.Tensor('float32', Float32Array.from([1, 2, 3]), [3]) });
  assert.deepEqual(Array.from(out.y!.data as Float32Array), [2, 3, 4]);
  await session.release();
});

test('auto falls back to cpu with a logged reason when CUDA is absent', { skip: cudaUnavailableReason() === undefined ? 'CUDA provider installed here' : false }, async () => {
  const lines: string[] = [];
  const opened = await openSession(tinyModel(), { provider: 'auto', log: (l) => lines.push(l) });
  assert.equal(opened.provider, 'cpu');
  assert.ok(opened.fallbackReason && opened.fallbackReason.length > 0);
  assert.match(lines.join('\n'), /using the CPU execution provider because/);
  await opened.session.release();
});

test('cuda fails with an actionable message when the provider is missing', { skip: cudaUnavailableReason() === undefined ? 'CUDA provider installed here' : false }, async () => {
  await assert.rejects(openSession(tinyModel(), { provider: 'cuda' }), (e: unknown) => {
    assert.ok(e instanceof ExecutionProviderError);
    assert.match((e as Error).message, /install:cuda|"cpu"/);
    return true;
  });
});

test('setting values are validated', () => {
  assert.equal(parseExecutionProvider('auto'), 'auto');
  assert.throws(() => parseExecutionProvider('gpu'), /use auto, cuda or cpu/);
});
