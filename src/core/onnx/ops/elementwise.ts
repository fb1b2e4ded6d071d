// Elementwise ops with numpy broadcasting.
import { attr, ONNX_DTYPE, Tensor } from '../graph';
import type { DType } from '../graph';
import { broadcast } from '../shapes';
import { emit, operands, sameDType } from './common';
import type { Operand } from './common';

function binary(op: string, a: Operand, b: Operand, outDType?: DType): Tensor {
  const [x, y] = operands(a, b);
  const dtype = sameDType(op, x!, y!);
  return emit(op, [x, y], {}, { dtype: outDType ?? dtype, shape: broadcast(x!.shape, y!.shape) });
}

function unary(op: string, x: Tensor, attrs = {}): Tensor {
  return emit(op, [x], attrs, { dtype: x.dtype, shape: x.shape });
}

export const add = (a: Operand, b: Operand): Tensor => binary('Add', a, b);
export const sub = (a: Operand, b: Operand): Tensor => binary('Sub', a, b);
export const mul = (a: Operand, b: Operand): Tensor => binary('Mul', a, b);
export const div = (a: Operand, b: Operand): Tensor => binary('Div', a, b);
export const pow = (a: Operand, b: Operand): Tensor => binary('Pow', a, b);
export const min2 = (a: Operand, b: Operand): Tensor => binary('Min', a, b);
export const equal = (a: Operand, b: Operand): Tensor => binary('Equal', a, b, 'bool');
export const less = (a: Operand, b: Operand): Tensor => binary('Less', a, b, 'bool');
export const greater = (a: Operand, b: Operand): Tensor => binary('Greater', a, b, 'bool');
export const greaterOrEqual = (a: Operand, b: Operand): Tensor => binary('GreaterOrEqual', a, b, 'bool');
export const and = (a: Tensor, b: Tensor): Tensor => binary('And', a, b, 'bool');
export const or = (a: Tensor, b: Tensor): Tensor => binary('Or', a, b, 'bool');
export const not = (x: Tensor): Tensor => unary('Not', x);

export const neg = (x: Tensor): Tensor => unary('Neg', x);
export const exp = (x: Tensor): Tensor => unary('Exp', x);
export const log = (x: Tensor): Tensor => unary('Log', x);
export const tanh = (x: Tensor): Tensor => unary('Tanh', x);
export const sqrt = (x: Tensor): Tensor => unary('Sqrt', x);
export const reciprocal = (x: Tensor): Tensor => unary('Reciprocal', x);
export const abs = (x: Tensor): Tensor => unary('Abs', x);
export const sigmoid = (x: Tensor): Tensor => unary('Sigmoid', x);
export const relu = (x: Tensor): Tensor => unary('Relu', x);
export const identity = (x: Tensor): Tensor => unary('Identity', x);
export const isNaN = (x: Tensor): Tensor => emit('IsNaN', [x], {}, { dtype: 'bool', shape: x.shape });

/** GELU (opset 20); `tanh` is GPT-2's approximation 0.5x(1+tanh(sqrt(2/pi)(x+0.044715x^3))). */
export const gelu = (x: Tensor, approximate: 'tanh' | 'none' = 'tanh'): Tensor => unary('Gelu', x, { approximate: attr.string(approximate) });

export function cast(x: Tensor, to: DType): Tensor {
  if (x.dtype === to) return x;
  return emit('Cast', [x], { to: attr.int(ONNX_DTYPE[to]) }, { dtype: to, shape: x.shape });
}

export function where(cond: Tensor, a: Operand, b: Operand): Tensor {
  const [x, y] = operands(a, b);
  const dtype = sameDType('Where', x!, y!);
  if (cond.dtype !== 'bool') throw new Error('Where: condition must be bool');
  return emit('Where', [cond, x, y], {}, { dtype, shape: broadcast(cond.shape, broadcast(x!.shape, y!.shape)) });
}

/** N-ary sum of same-dtype tensors (broadcasting). */
export function sum(xs: readonly Tensor[]): Tensor {
  if (xs.length === 1) return xs[0]!;
  const dtype = sameDType('Sum', ...xs);
  const shape = xs.slice(1).reduce((s, x) => broadcast(s, x.shape), xs[0]!.shape);
  return emit('Sum', xs, {}, { dtype, shape });
}
