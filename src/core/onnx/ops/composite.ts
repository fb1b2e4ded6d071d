// Ops built from primitive nodes and differentiated as one (Graph.defineComposite): their gradient
// rules (src/core/autodiff/rules) reuse intermediates of the forward instead of recomputing them.
import { attr } from '../graph';
import type { Tensor } from '../graph';
import { add, mul, pow, sub } from './elementwise';
import { graphOf } from './common';
import { reduceMean } from './math';

/**
 * (x - mean) / sqrt(var + epsilon) over the last axis: a LayerNorm without its scale and bias,
 * as elementwise ops (on the training graph's row shapes ONNX Runtime's LayerNormalization kernel
 * is several times slower). Composite "NormalizeParts" with outputs [result, 1 / std], the
 * result being what its gradient needs besides 1 / std.
 */
export function normalizeParts(x: Tensor, epsilon = 1e-5): Tensor {
  const centred = sub(x, reduceMean(x, [-1], true));
  const inv = pow(add(reduceMean(mul(centred, centred), [-1], true), epsilon), -0.5);
  const xhat = mul(centred, inv);
  graphOf(xhat).defineComposite({ op: 'NormalizeParts', inputs: [x], outputs: [xhat, inv], attrs: { epsilon: attr.float(epsilon) } });
  return xhat;
}
