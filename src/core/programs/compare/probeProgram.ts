// Runs the linear probe for every program variable against a model trace: samples are the
// (step, position) pairs both cover, fitted on odd steps and scored on even steps.
import type { ModelTrace } from '../../infer/modelTrace';
import { hiddenAt } from '../../infer/modelTrace';
import { RidgeProbe, type ProbeResult } from './linearProbe';
import type { ProgramVariableTrace } from './programSteps';

export interface VariableProbe extends ProbeResult {
  variable: string;
}

/**
 * One probe per variable that exists at every compared step and takes at least two values on the
 * training steps (a constant is trivially "decodable" and says nothing). Needs two or more
 * comparable steps and equal widths.
 */
export function probeVariables(trace: ModelTrace, variables: ProgramVariableTrace[], programSteps: number): VariableProbe[] {
  const steps = Math.min(trace.steps, programSteps);
  if (steps < 2) return [];
  const W = trace.width;
  const d = trace.dModel;
  const n = steps * W;
  const features = new Float32Array(n * d);
  const isTrain: boolean[] = [];
  for (let t = 1; t <= steps; t++) {
    features.set(hiddenAt(trace, t), (t - 1) * W * d);
    for (let p = 0; p < W; p++) isTrain.push(t % 2 === 1);
  }
  const probe = new RidgeProbe({ features, d, isTrain });
  const out: VariableProbe[] = [];
  for (const v of variables) {
    if (v.values.slice(1, steps + 1).some((r) => r === null)) continue;
    const targets = new Float64Array(n);
    for (let t = 1; t <= steps; t++) for (let p = 0; p < W; p++) targets[(t - 1) * W + p] = v.values[t]![p]!;
    const trainValues = new Set<number>();
    targets.forEach((y, i) => isTrain[i] && trainValues.add(y));
    if (trainValues.size < 2) continue;
    out.push({ variable: v.name, ...probe.score(targets) });
  }
  return out;
}
