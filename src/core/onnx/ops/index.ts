// The graph-builder op helpers, one import for model code: `import * as op from '../onnx/ops'`.
export * from './elementwise';
export * from './layout';
export * from './math';
export * from './control';
export * from './composite';
export type { Operand } from './common';
