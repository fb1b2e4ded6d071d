// The Training header's words for what a run changes of the paper's training: a long share in the
// curriculum's chip, a hard and a distinct share beside it, an answer hold beside the loop rule, a
// weight decay that is not the paper's next to the learning rate, in the CLI's training-line words;
// saved weights that are an average, in the host's words (core averageText).
// Pure (no DOM): unit-tested. A value the host never writes (trainPlan.ts recipeSetup) is left
// unsaid rather than drawn.
import type { TrainingSetup } from '../../src/protocol/training';
import { fmt } from '../shared/format';

/** A recorded share in (0, 1): one the host writes for a run that changes the paper's uniform draws. */
const isShare = (share: unknown): share is number => typeof share === 'number' && share > 0 && share < 1;

/**
 * "lengths 1..20 (+1 every 100 steps)", with ", 0.5 of each batch at the longest length so far" inside
 * for a long share, and "to 8, then stages to 12, 16, 19" for a staged recipe, where a stage that
 * draws otherwise than the recipe says so: "19 (0.5 of each batch at 19)", "19 (uniform lengths)", and
 * a last stage run as branches ", the last as 3 branches".
 */
export function curriculumChip(setup: Pick<TrainingSetup, 'maxTrainLength' | 'curriculum' | 'longShare' | 'stageLengths' | 'stageLongShares' | 'lastStageBranches'>): string {
  const share = setup.longShare;
  const long = isShare(share) ? `, ${share} of each batch at the longest length so far` : '';
  const stages = setup.stageLengths;
  if (!(Array.isArray(stages) && stages.length > 0 && stages.every((n) => Number.isSafeInteger(n) && n > 0))) return `lengths 1..${setup.maxTrainLength} (+1 every ${fmt.int(setup.curriculum.interval)} steps${long})`;
  const own = setup.stageLongShares;
  const shares = Array.isArray(own) && own.length === stages.length && own.every((s) => s === 0 || isShare(s)) ? own : undefined;
  const recipeShare = isShare(share) ? share : 0;
  const stageText = (n: number, i: number): string => {
    const s = shares?.[i];
    if (s === undefined || s === recipeShare) return String(n);
    return s === 0 ? `${n} (uniform lengths)` : `${n} (${s} of each batch at ${n})`;
  };
  const b = setup.lastStageBranches;
  const branched = Number.isSafeInteger(b) && b! >= 2 ? `, the last as ${b} branches` : '';
  return `lengths 1..${setup.maxTrainLength} (+1 every ${fmt.int(setup.curriculum.interval)} steps to ${setup.curriculum.end - 1}, then stages to ${stages.map(stageText).join(', ')}${branched}${long})`;
}

/** "0.5 of each batch from hard inputs" for a hard share; undefined for the paper's uniform inputs (absent). */
export function hardShareChip(setup: Pick<TrainingSetup, 'hardShare'>): string | undefined {
  const share = setup.hardShare;
  return isShare(share) ? `${share} of each batch from hard inputs` : undefined;
}

/** "0.5 of each batch from distinct inputs" for a distinct share; undefined for the paper's uniform inputs (absent). */
export function distinctShareChip(setup: Pick<TrainingSetup, 'distinctShare'>): string | undefined {
  const share = setup.distinctShare;
  return isShare(share) ? `${share} of each batch from distinct inputs` : undefined;
}

/** "fine-tuned from the weights of m.onnx (…)" for a run that started from a model's weights; undefined for a run from scratch (absent). */
export function startedFromChip(setup: Pick<TrainingSetup, 'startedFrom'>): string | undefined {
  const from = setup.startedFrom;
  return typeof from === 'string' && from !== '' ? `fine-tuned from ${from}` : undefined;
}

/** "went on from m.ckpt at step 20,000" for a fork of another run; undefined for any other run (absent). */
export function forkedFromChip(setup: Pick<TrainingSetup, 'forkedFrom'>): string | undefined {
  const from = setup.forkedFrom;
  return typeof from === 'string' && from !== '' ? `went on from ${from}` : undefined;
}

/** "weight decay 0.1" for a weight decay that is not the paper's; undefined for the paper's (absent). */
export function weightDecayChip(setup: Pick<TrainingSetup, 'weightDecay'>): string | undefined {
  const decay = setup.weightDecay;
  return typeof decay === 'number' && Number.isFinite(decay) && decay >= 0 ? `weight decay ${decay}` : undefined;
}

/** "the weights averaged over steps 16,000 to 17,000" for a run that saves an average; undefined for the paper's last weights (absent). */
export function averageChip(setup: Pick<TrainingSetup, 'averageText'>): string | undefined {
  const text = setup.averageText;
  return typeof text === 'string' && text !== '' ? text : undefined;
}
