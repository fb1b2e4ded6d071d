// The table of gradient rules: one rule per ONNX op type, like tfjs-core's gradient configs.
// A rule receives the forward node and the gradients of its outputs, and emits (with the same
// builder helpers) the gradients of the inputs that need one.
import type { Node, Tensor } from '../onnx/graph';

export interface GradContext {
  readonly node: Node;
  /** Gradient of each output (undefined when that output does not reach the loss). */
  readonly gy: readonly (Tensor | undefined)[];
  /** Which inputs need a gradient (depend on a differentiated tensor and are floating point). */
  readonly needs: readonly boolean[];
}

/** Returns one entry per node input: its gradient, or undefined when not needed / not defined. */
export type GradRule = (ctx: GradContext) => (Tensor | undefined)[];

const rules = new Map<string, GradRule>();

export function registerGradient(op: string, rule: GradRule): void {
  if (rules.has(op)) throw new Error(`gradient rule for ${op} registered twice`);
  rules.set(op, rule);
}

export function gradientRule(op: string): GradRule | undefined {
  return rules.get(op);
}

export function registeredOps(): string[] {
  return [...rules.keys()].sort();
}
