// The training record a model file carries (modelMetadata.ts TrainingRecord), made from a run,
// and the lengths a run actually trained on (what every "trained" tag is drawn from).
import type { EvalSummary, TrainedLengths, TrainingRecord } from '../model/modelMetadata';
import { resolveTask } from '../programs/tasks/resolve';
import { getTask, isTaskName } from '../tasks/index';
import type { Task } from '../tasks/types';
import { crc32Text } from '../util/crc32';
import { finiteAt, valueAt } from '../util/jsonPath';
import { printableText } from '../util/plainText';
import { PAPER_ADAMW } from '../optim/adamw';
import { mostAnswerHold, nPointsOf } from './stages';
import type { TrainRecipe } from './recipe';
import { cosineEndText } from './schedule';
import { averageText } from './weightAverage';
import type { TrainPoint, TrainResult } from './trainEvents';

/** Shortest length a task's training examples have: 1 for the built-in tasks, a RASP-L task's shortest @lengths value. */
function shortestTrainingLength(task: Task): number {
  // A RASP-L task's curriculum starts one past its shortest length (fromRaspl.ts); built-ins sample from 1.
  return task.raspl === undefined ? 1 : Math.max(1, task.curriculum.start - 1);
}

/**
 * The lengths a run of `recipe` has trained on after `steps` steps: the curriculum is a pure
 * function of the step, so its last step's n_points says it. undefined before the first step.
 */
export function trainedLengthsAt(recipe: TrainRecipe, steps: number, task: Task = resolveTask(recipe)): TrainedLengths | undefined {
  if (!Number.isInteger(steps) || steps < 1) return undefined;
  const max = nPointsOf(recipe, steps - 1) - 1;
  const min = Math.min(shortestTrainingLength(task), max);
  return { min, max };
}

/** The trained lengths a model file records, if it records them (and sensibly); undefined for older files. */
export function recordedTrainedLengths(record: Pick<TrainingRecord, 'trainedLengths'> | undefined): TrainedLengths | undefined {
  const t = record?.trainedLengths as Partial<TrainedLengths> | null | undefined;
  if (!t || typeof t !== 'object') return undefined;
  const ok = Number.isSafeInteger(t.min) && Number.isSafeInteger(t.max) && t.min! >= 1 && t.max! >= t.min!;
  return ok ? { min: t.min!, max: t.max! } : undefined;
}

/** "1..20", or "unknown" when the file predates the record. */
export function trainedLengthsText(t: TrainedLengths | undefined): string {
  return t ? `${t.min}..${t.max}` : 'unknown';
}

/**
 * A stored recipe's learning rate and schedule in words ("0.001, constant to step 2,100, then cosine
 * to 0, 10 warm-up steps"); undefined when it records no lr. Reads the JSON defensively: older files
 * may lack any field.
 */
export function recordedScheduleText(recipe: unknown): string | undefined {
  const n = (v: number) => v.toLocaleString('en-US');
  const lr = finiteAt(recipe, 'schedule', 'lr');
  if (lr === undefined) return undefined;
  const hold = finiteAt(recipe, 'schedule', 'holdSteps');
  const warm = finiteAt(recipe, 'schedule', 'warmupSteps');
  const floor = finiteAt(recipe, 'schedule', 'minLrFraction');
  const sched = valueAt(recipe, 'schedule', 'kind') === 'constant' ? 'constant' : hold !== undefined ? `constant to step ${n(hold)}, then ${cosineEndText(floor)}` : floor ? cosineEndText(floor) : 'cosine';
  return `${lr}, ${sched}${warm ? `, ${n(warm)} warm-up steps` : ''}`;
}

/**
 * The longest length a stored recipe trains on: its last stage's, else its curriculum's end - 1;
 * undefined when the JSON does not say (a file older than the record, or a hand-made one).
 */
export function recordedLongestLength(recipe: unknown): number | undefined {
  const stages = valueAt(recipe, 'stages');
  const last = Array.isArray(stages) && stages.length > 0 ? finiteAt(stages[stages.length - 1], 'maxLength') : undefined;
  const end = finiteAt(recipe, 'curriculum', 'end');
  const longest = last ?? (end === undefined ? undefined : end - 1);
  return longest !== undefined && Number.isSafeInteger(longest) && longest >= 1 ? longest : undefined;
}

/**
 * A stored recipe's later stages in words ("then 1..12 from step 20,000 (lr 0.001), …, each with
 * fresh AdamW moments and its own decay"); undefined for one curriculum, as in the paper. Reads the
 * JSON defensively, as above: a stage that does not read as one is left out.
 */
export function recordedStagesText(recipe: unknown): string | undefined {
  const stages = valueAt(recipe, 'stages');
  if (!Array.isArray(stages)) return undefined;
  const n = (v: number) => v.toLocaleString('en-US');
  const parts = stages.flatMap((s: unknown) => {
    const [from, longest, lr, share, hold, branches] = [finiteAt(s, 'fromStep'), finiteAt(s, 'maxLength'), finiteAt(s, 'lr'), finiteAt(s, 'longShare'), finiteAt(s, 'answerHold'), finiteAt(s, 'branches')];
    const long = share === undefined ? '' : share === 0 ? ', uniform lengths' : `, ${share} of each batch at ${longest}`;
    const held = hold === undefined || !Number.isSafeInteger(hold) || hold < 0 ? '' : `, ${answerHoldText(hold)}`;
    const branched = branches === undefined || !Number.isSafeInteger(branches) || branches < 2 ? '' : `, as ${branches} branches from its first weights, each on its own data, the model the mean of theirs`;
    return from === undefined || longest === undefined || lr === undefined ? [] : [`1..${longest} from step ${n(from)} (lr ${lr}${long}${held}${branched})`];
  });
  return parts.length === 0 ? undefined : `then ${parts.join(', ')}, each with fresh AdamW moments and its own decay`;
}

/** A stored recipe's long share in words ("0.5 of each batch at the longest length so far"); undefined for the paper's uniform lengths. */
export function recordedLongShareText(recipe: unknown): string | undefined {
  const share = finiteAt(recipe, 'longShare');
  return share ? `${share} of each batch at the longest length so far` : undefined;
}

/** A stored recipe's share of `key` in words, naming the task's inputs it draws; undefined when absent or 0. */
function recordedInputShareText(recipe: unknown, key: 'hardShare' | 'distinctShare', inputsOf: (task: Task) => { description: string } | undefined, unnamed: string): string | undefined {
  const share = finiteAt(recipe, key);
  if (!share) return undefined;
  const name = valueAt(recipe, 'task');
  const inputs = typeof name === 'string' && isTaskName(name) ? inputsOf(getTask(name)) : undefined;
  return `${share} of each batch from ${inputs?.description ?? unnamed}`;
}

/** A stored recipe's hard share in words ("0.5 of each batch from inputs over a random alphabet …"); undefined for the paper's uniform inputs. */
export function recordedHardShareText(recipe: unknown): string | undefined {
  return recordedInputShareText(recipe, 'hardShare', (t) => t.hardInputs, "the task's hard inputs");
}

/** A stored recipe's distinct share in words ("0.5 of each batch from inputs of n different elements …"); undefined for the paper's uniform inputs. */
export function recordedDistinctShareText(recipe: unknown): string | undefined {
  return recordedInputShareText(recipe, 'distinctShare', (t) => t.distinctInputs, "the task's distinct inputs");
}

/** A stored recipe's hard and distinct shares in words, joined; undefined for the paper's uniform inputs. */
export function recordedInputsText(recipe: unknown): string | undefined {
  const shares = [recordedHardShareText(recipe), recordedDistinctShareText(recipe)].filter((t) => t !== undefined);
  return shares.length > 0 ? shares.join(', ') : undefined;
}

/** A stored recipe's answer hold in words ("each example read at a random step from T(n) to T(n) + 4"); undefined for the paper's read at T(n). */
export function recordedAnswerHoldText(recipe: unknown): string | undefined {
  const hold = finiteAt(recipe, 'answerHold');
  return hold !== undefined && Number.isSafeInteger(hold) && hold > 0 ? answerHoldText(hold) : undefined;
}

function answerHoldText(hold: number): string {
  return hold === 0 ? 'each example read at T(n)' : `each example read at a random step from T(n) to T(n) + ${hold}`;
}

/** The longest answer hold a stored recipe or one of its stages records (0 where none reads as one): its batches' late loop steps. */
export function recordedMostAnswerHold(recipe: unknown): number {
  const hold = (at: unknown) => {
    const h = finiteAt(at, 'answerHold');
    return h !== undefined && Number.isSafeInteger(h) && h > 0 ? h : undefined;
  };
  const stages = valueAt(recipe, 'stages');
  return mostAnswerHold({ answerHold: hold(recipe), stages: Array.isArray(stages) ? stages.map((s: unknown) => ({ answerHold: hold(s) })) : undefined });
}

/** Where a stored fine-tuning recipe's weights started, in words ("the weights of m.onnx (36000 steps trained), CRC-32 1a2b3c4d"); undefined for a run from scratch. */
export function recordedInitText(recipe: unknown): string | undefined {
  const model = valueAt(recipe, 'initFrom', 'model');
  const crc = finiteAt(recipe, 'initFrom', 'weightsCrc32');
  if (typeof model !== 'string' || crc === undefined) return undefined;
  const steps = finiteAt(recipe, 'initFrom', 'stepsBefore');
  const seconds = nonNegativeAt(recipe, 'initFrom', 'secondsBefore');
  const before = [steps === undefined ? undefined : `${steps} steps trained`, seconds === undefined ? undefined : `${minutesText(seconds)} of wall time from scratch`].filter((t) => t !== undefined);
  // A name from someone else's file: no control characters reach a terminal or a page.
  return `the weights of ${printableText(model)}${before.length === 0 ? '' : ` (${before.join(', ')})`}, CRC-32 ${crc32Text(crc)}`;
}

const nonNegativeAt = (o: unknown, ...keys: string[]): number | undefined => {
  const v = finiteAt(o, ...keys);
  return v !== undefined && v >= 0 ? v : undefined;
};

/** Wall and CPU time behind a model's weights from scratch: its own training plus its starting point's, where every link recorded them. */
export interface TimeFromScratch {
  seconds?: number;
  cpuSeconds?: number;
}

/**
 * The time behind a record's weights from scratch (a fine-tune's own plus its starting model's, as
 * its recipe's initFrom records them). A soup's record times only its first ingredient, so a soup
 * reads as unknown; so does any time a link of the chain did not record.
 */
export function timeFromScratch(record: Pick<TrainingRecord, 'elapsedSeconds' | 'cpuSeconds' | 'recipe' | 'soup'>): TimeFromScratch {
  if (record.soup !== undefined) return {};
  const fineTune = valueAt(record.recipe, 'initFrom') !== undefined;
  const plus = (own: number | undefined, key: 'secondsBefore' | 'cpuSecondsBefore') => {
    const before = fineTune ? nonNegativeAt(record.recipe, 'initFrom', key) : 0;
    return own === undefined || before === undefined ? undefined : own + before;
  };
  const out: TimeFromScratch = {};
  const seconds = plus(nonNegativeAt(record, 'elapsedSeconds'), 'secondsBefore');
  const cpuSeconds = plus(nonNegativeAt(record, 'cpuSeconds'), 'cpuSecondsBefore');
  if (seconds !== undefined) out.seconds = Math.round(seconds * 10) / 10;
  if (cpuSeconds !== undefined) out.cpuSeconds = Math.round(cpuSeconds * 10) / 10;
  return out;
}

/** Whether a record is a fine-tune's (its recipe started from a model's weights) and not a soup's, whose training is its first ingredient's. */
export const recordedFineTune = (record: Pick<TrainingRecord, 'recipe' | 'soup'>): boolean => valueAt(record.recipe, 'initFrom') !== undefined && record.soup === undefined;

/**
 * A fine-tune's time from scratch in words, its starting model's training included ("338.0 min of
 * wall time, CPU time not counted"); undefined for a model trained from scratch, whose own time is the whole.
 */
export function recordedFromScratchText(record: Pick<TrainingRecord, 'elapsedSeconds' | 'cpuSeconds' | 'recipe' | 'soup'>): string | undefined {
  if (!recordedFineTune(record)) return undefined;
  const { seconds, cpuSeconds } = timeFromScratch(record);
  if (seconds === undefined) return "not recorded (its starting model's training time is not in this file)";
  return `${minutesText(seconds)} of wall time, ${cpuSeconds === undefined ? 'CPU time not counted' : `${minutesText(cpuSeconds)} of CPU time`}`;
}

/** A stored recipe's weight average in words ("the weights averaged over steps 16,000 to 17,000"); undefined for the paper's last weights. */
export function recordedAverageText(recipe: unknown): string | undefined {
  return averageText({ averageFrom: valueAt(recipe, 'averageFrom'), steps: valueAt(recipe, 'steps'), stages: valueAt(recipe, 'stages') });
}

/** The saved weights of a stored recipe with a weight average, as info, the model page and the recipe preview say them; undefined for the paper's last weights. */
export function recordedSavedWeightsText(recipe: unknown): string | undefined {
  const average = recordedAverageText(recipe);
  return average === undefined ? undefined : `${average} (not the paper's last weights)`;
}

/** A stored recipe's weight decay in words when it is not the paper's ("0.1 (the paper's: 0.01)"); undefined for the paper's or none recorded. */
export function recordedWeightDecayText(recipe: unknown): string | undefined {
  const decay = finiteAt(recipe, 'optimizer', 'weightDecay');
  return decay === undefined || decay === PAPER_ADAMW.weightDecay ? undefined : `${decay} (the paper's: ${PAPER_ADAMW.weightDecay})`;
}

/** At most `max` points of the training-loss curve, evenly spaced, always keeping the last one. */
export function downsampleLoss(points: readonly TrainPoint[], max = 300): { step: number; loss: number }[] {
  const all = points.map((p) => ({ step: p.step, loss: round(p.loss) }));
  if (all.length <= max) return all;
  const out: { step: number; loss: number }[] = [];
  for (let i = 0; i < max; i++) out.push(all[Math.round((i * (all.length - 1)) / (max - 1))]!);
  return out;
}

const round = (v: number): number => (Number.isFinite(v) ? Number(v.toPrecision(5)) : v);

/** A run that went on from other runs' checkpoints, in words ("went on from runs/a.ckpt at step 27000 as a run of its own: …"); undefined for one that did not. */
export function recordedForksText({ forks }: Pick<TrainingRecord, 'forks'>): string | undefined {
  if (!forks || forks.length === 0) return undefined;
  const each = forks.map((f) => `${f.checkpoint} at step ${f.step}`).join(', then from ');
  return `went on from ${each} as a run of its own: the steps before are that checkpoint's run's, with the recipe above from its stages on`;
}

/** A kept branch in a chip's words: "branch 2 of 3". */
export const branchChipText = (branch: NonNullable<TrainingRecord['branch']>): string => `branch ${branch.index} of ${branch.of}`;

/** A kept branch's record in words ("branch 2 of the 3 its last stage ran as: that branch's own weights, where the run's model is their mean"); undefined for a run's model. */
export function recordedBranchText({ branch }: Pick<TrainingRecord, 'branch'>): string | undefined {
  return branch === undefined ? undefined : `branch ${branch.index} of the ${branch.of} its last stage ran as: that branch's own weights, where the run's model is their mean`;
}

/** Seconds as minutes to a tenth, as the CLI and the reports give training times: "245.6 min". */
export const minutesText = (seconds: number): string => `${(seconds / 60).toFixed(1)} min`;

/** A record's training time in words: "245.6 min of wall time, 190.2 min of CPU time (all threads)"; undefined when it has none. */
export function recordedTimeText({ elapsedSeconds, cpuSeconds }: Pick<TrainingRecord, 'elapsedSeconds' | 'cpuSeconds'>): string | undefined {
  if (!(elapsedSeconds > 0)) return undefined;
  return `${minutesText(elapsedSeconds)} of wall time, ${cpuSeconds === undefined ? 'CPU time not counted' : `${minutesText(cpuSeconds)} of CPU time (all threads)`}`;
}

export function trainingRecordOf(r: TrainResult, evaluation?: EvalSummary): TrainingRecord {
  const points = r.history.filter((h): h is TrainPoint => h.kind === 'train');
  const record: TrainingRecord = {
    preset: r.recipe.preset,
    recipe: r.recipe as unknown as Record<string, unknown>,
    stepsCompleted: r.step,
    seed: r.recipe.seed,
    elapsedSeconds: Math.round(r.elapsedSeconds * 10) / 10,
    finalLoss: r.finalLoss === null ? null : round(r.finalLoss),
    provider: r.provider,
    finishedAt: new Date().toISOString(),
    lossCurve: downsampleLoss(points),
  };
  if (r.cpuSeconds !== undefined) record.cpuSeconds = Math.round(r.cpuSeconds * 10) / 10;
  if (r.forks) record.forks = r.forks;
  if (evaluation) record.evaluation = evaluation;
  const trained = trainedLengthsAt(r.recipe, r.step);
  if (trained) record.trainedLengths = trained;
  return record;
}
