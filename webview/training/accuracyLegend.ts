// The quick-evaluation chart's legend: which length, whether it was trained on, and the loop step
// each example is read at: its own T(n), or for the fixed-depth ablation the fixed depth N.
// Pure (no DOM): unit-tested.
import type { TrainingSetup } from '../../src/protocol/training';

export interface QuickEvalLabels {
  /** The series read at the run's own step rule (the quick evaluation's oracle). */
  read: string;
  /** The series under the paper's adaptive stop. */
  adaptive: string;
}

export function quickEvalLabels(setup: Pick<TrainingSetup, 'maxTrainLength' | 'fixedSteps'>, n: number): QuickEvalLabels {
  const trained = n <= setup.maxTrainLength ? ' (trained)' : ' (longer than trained)';
  const fixed = setup.fixedSteps;
  const step = typeof fixed === 'number' && Number.isInteger(fixed) && fixed >= 1 ? `fixed step ${fixed}` : 'oracle T(n)';
  return { read: `n = ${n}${trained}: ${step}`, adaptive: `n = ${n}: adaptive (paper rule)` };
}
