// The Training panel's labels of the loop step each example is read at, in the quick-evaluation
// legend and the final table: its own T(n), or for the fixed-depth ablation the fixed depth N.
// Pure (no DOM): unit-tested.
import type { TrainingSetup } from '../../src/protocol/training';

export interface QuickEvalLabels {
  /** The series read at the run's own step rule (the quick evaluation's oracle). */
  read: string;
  /** The series under the paper's adaptive stop. */
  adaptive: string;
  /** The current branch's own weights, read as `read` is, beside the mean (a run that keeps its branches). */
  branchAlone: string;
}

/** The fixed depth of a fixed-depth run's setup; undefined for a T(n) run or a value the host never writes. */
function fixedDepth(setup: Pick<TrainingSetup, 'fixedSteps'>): number | undefined {
  const fixed = setup.fixedSteps;
  return typeof fixed === 'number' && Number.isInteger(fixed) && fixed >= 1 ? fixed : undefined;
}

export function quickEvalLabels(setup: Pick<TrainingSetup, 'maxTrainLength' | 'fixedSteps'>, n: number): QuickEvalLabels {
  const trained = n <= setup.maxTrainLength ? ' (trained)' : ' (longer than trained)';
  const fixed = fixedDepth(setup);
  const read = fixed ? `fixed step ${fixed}` : 'oracle T(n)';
  return { read: `n = ${n}${trained}: ${read}`, adaptive: `n = ${n}: adaptive (paper rule)`, branchAlone: `n = ${n}: each branch alone, ${read}` };
}

/** The final-evaluation table's headers of the step read and its accuracy: T(n) / oracle, or the fixed depth. */
export function finalTableReadHeads(setup: Pick<TrainingSetup, 'fixedSteps'>): { step: string; accuracy: string } {
  const fixed = fixedDepth(setup);
  return fixed ? { step: 'step read', accuracy: `at fixed step ${fixed}` } : { step: 'T(n)', accuracy: 'oracle' };
}
