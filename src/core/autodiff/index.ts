// Reverse-mode autodiff over builder graphs.
export { gradients } from './backward';
export type { GradientOptions } from './backward';
export { registerGradient, registeredOps } from './registry';
export type { GradContext, GradRule } from './registry';
export { unbroadcast } from './reduceTo';
