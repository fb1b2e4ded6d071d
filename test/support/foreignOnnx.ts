// An ONNX model that is not a LoopLens model (another tool's: no looplens.* metadata), for the
// model editor's "not a LoopLens model" page and the Models view.
import { encodeModelProto } from '../../src/core/onnx/onnxSchema';

const tensor = (elem: number, dims: (number | string)[]) => ({
  tensor_type: { elem_type: elem, shape: { dim: dims.map((d) => (typeof d === 'number' ? { dim_value: d } : { dim_param: d })) } },
});

/** A two-node classifier head as an exporter would write it: input [batch, 8] float32, output [batch, 3]. */
export function foreignOnnxBytes(): Uint8Array {
  return encodeModelProto({
    ir_version: 8,
    producer_name: 'pytorch',
    producer_version: '2.3.0',
    opset_import: [{ domain: '', version: 17 }],
    graph: {
      name: 'classifier',
      node: [
        { op_type: 'MatMul', input: ['features', 'weight'], output: ['logits'], name: 'fc' },
        { op_type: 'Softmax', input: ['logits'], output: ['probabilities'], name: 'softmax' },
      ],
      initializer: [{ name: 'weight', dims: [8, 3], data_type: 1, float_data: Array.from({ length: 24 }, (_, i) => i / 24) }],
      input: [{ name: 'features', type: tensor(1, ['batch', 8]) }],
      output: [{ name: 'probabilities', type: tensor(1, ['batch', 3]) }],
    },
    metadata_props: [{ key: 'author', value: 'someone else' }],
  });
}
