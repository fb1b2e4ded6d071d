// A training run's checkpoint: the run state (runState.ts) in a checkpoint file (checkpoint.ts),
// marked as LoopLens training with its recipe, and read back with every part checked.
import { paramSpecs, type Params } from '../model/params';
import { Rng, type RngState } from '../util/rng';
import { CheckpointError, readCheckpoint, readCheckpointHeader, writeCheckpoint, type CheckpointHeader, type CheckpointState, type TensorData } from './checkpoint';
import { nPointsOf } from './stages';
import { RecipeError, validateRecipe, type TrainRecipe } from './recipe';
import { resumedRecipe } from './recipeDiff';
import { emptyWindow, lastLoss, secondsOf, type LossWindow, type RunState } from './runState';
import type { HistoryEntry, TrainResult } from './trainEvents';
import type { WeightAverage } from './weightAverage';
import { weightsToSave, type BranchState } from './branches';
import type { QuickEvalSettings } from './quickEval';
import { array, int, object, ValidationError, type Check } from '../util/validate';
import { runForksSchema } from '../model/modelSchema';
import type { RunFork } from '../model/modelMetadata';
import { evalLength, MAX_EVAL_ROWS } from '../eval/summaryChecks';

export const CHECKPOINT_KIND = 'looplens-train';

/** The moments slot that holds a run's weight average (weightAverage.ts). */
const AVERAGE_SLOT = 'average';

/** The slots of a branched stage's state (branches.ts): its starting weights and average, and the finished branches' mean. */
const BRANCH_SLOTS = { start: 'branchStart', startAverage: 'branchStartAverage', done: 'branchesDone' } as const;

/** The slots of the finished branches' own weights start so; finishedSlot(k) is branch k's (0-based k; "branchFinished1" is the first branch's). */
const FINISHED_SLOT = 'branchFinished';
const finishedSlot = (k: number) => `${FINISHED_SLOT}${k + 1}`;

/** Steps between a run's checkpoints unless told otherwise (CLI, extension and trainer alike). */
export const DEFAULT_CHECKPOINT_EVERY = 250;

/** runs/parity-cpu.onnx → runs/parity-cpu.ckpt: the CLI and the extension use the one rule, so each resumes the other's runs. */
export function checkpointPathFor(modelPath: string): string {
  return modelPath.replace(/\.onnx$/i, '') + '.ckpt';
}

/** runs/parity-cpu.ckpt → runs/parity-cpu.onnx: where a resumed run saves its model. */
export function modelPathForCheckpoint(checkpointPath: string): string {
  return checkpointPath.replace(/\.ckpt$/i, '') + '.onnx';
}

/** What a training checkpoint's header says of its run (readTrainingCheckpointInfo): no weights. */
export interface TrainingCheckpointInfo {
  /** The recipe the run was trained with (validated). */
  recipe: TrainRecipe;
  /** Steps completed. */
  step: number;
  /** The run saves each branch of its last stage as its own model (runState.ts keepBranches). */
  keepBranches: boolean;
  /** The learning curve's settings (runState.ts quickEval); absent in a checkpoint written before they were kept. */
  quickEval?: QuickEvalSettings;
  /** The steps the run saves its weights at (runState.ts saveAt); absent when none were asked for, or before they were kept. */
  saveAt?: number[];
  /** The checkpoints the run went on from (runState.ts forks); absent for a run that went on from none, or before they were kept. */
  forks?: RunFork[];
  /** When the checkpoint was written (ISO time); absent in one written before it was kept. */
  savedAt?: string;
  /** The run's history (training and evaluation points), as kept. */
  history: unknown[];
}

/** A training checkpoint read whole: what its header says, and the state with its weights. */
export interface TrainingCheckpoint extends TrainingCheckpointInfo {
  state: CheckpointState;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The training recipe a decoded checkpoint holds; a CheckpointError naming `source` if it holds none or a bad one. */
export function trainingRecipeOf(state: CheckpointHeader, source: string): TrainRecipe {
  const config = state.config;
  const recipe: unknown = isRecord(config) && config.kind === CHECKPOINT_KIND ? config.recipe : undefined;
  if (typeof recipe !== 'object' || recipe === null) throw new CheckpointError(`${source} is not a LoopLens training checkpoint`);
  try {
    return validateRecipe(recipe as TrainRecipe); // validateRecipe checks every field
  } catch (err) {
    if (err instanceof RecipeError) throw new CheckpointError(`${source} holds a bad ${err.message}`);
    throw err;
  }
}

/** Reads a training checkpoint file whole; CheckpointError if it is missing, damaged or not a training checkpoint. */
export async function readTrainingCheckpoint(path: string): Promise<TrainingCheckpoint> {
  const state = await readCheckpoint(path);
  return { ...trainingInfoOf(state, path), state };
}

/**
 * What a training checkpoint says of its run, from its header, the weights not decoded (checkpoint.ts
 * readCheckpointHeader); with `verify` the whole file's checksum is checked too, as lists do, so a
 * file damaged inside its weights is shown as damaged, not only refused when a run reads it to train
 * on; CheckpointError as above.
 */
export async function readTrainingCheckpointInfo(path: string, o: { verify?: boolean } = {}): Promise<TrainingCheckpointInfo> {
  return trainingInfoOf(await readCheckpointHeader(path, o), path);
}

function trainingInfoOf(header: CheckpointHeader, path: string): TrainingCheckpointInfo {
  const savedAt = header.extra?.savedAt;
  return {
    recipe: trainingRecipeOf(header, path),
    step: header.step,
    keepBranches: keepsBranches(header, path),
    ...optional('quickEval', extraOf(header, path, 'quickEval', curveSettingsCheck, "its learning curve's settings")),
    ...optional('saveAt', extraOf(header, path, 'saveAt', saveStepsCheck, 'its steps to save the weights at')),
    ...optional('forks', extraOf(header, path, 'forks', runForksSchema, 'its forks (the checkpoints it went on from)')),
    ...optional('savedAt', typeof savedAt === 'string' ? savedAt : undefined),
    history: header.history,
  };
}

/** A run choice the checkpoint keeps in its extra fields (absent: none kept); anything malformed is a damaged file. */
function extraOf<T>(state: CheckpointHeader, path: string, key: string, check: Check<T>, what: string): T | undefined {
  const v = state.extra?.[key];
  if (v === undefined) return undefined;
  try {
    return check(v, key);
  } catch (err) {
    if (err instanceof ValidationError) throw new CheckpointError(`${path} is corrupt: ${what} are malformed (${err.message})`);
    throw err;
  }
}

const saveStepsCheck = array(int({ min: 1 }), { minLength: 1 });

const curveSettingsCheck = object({ every: int({ min: 1 }), lengths: array(evalLength, { minLength: 1, maxLength: MAX_EVAL_ROWS }), examples: int({ min: 1 }) });

/** Whether a checkpoint's run keeps its branches (absent: it does not); anything but a boolean is a damaged file. */
function keepsBranches(state: CheckpointHeader, path: string): boolean {
  const keep = state.extra?.keepBranches;
  if (keep !== undefined && typeof keep !== 'boolean') throw new CheckpointError(`${path} is corrupt: its keepBranches is not true or false`);
  return keep === true;
}

/** A run state as of now: the data stream as its state, the optimizer's current step, parameters and moments. */
export type RunSnapshot = Omit<RunState, 'rng'> & { rngState: RngState };

/** Writes a run's checkpoint (atomically, checkpoint.ts). */
export async function writeRunState(path: string, st: RunSnapshot): Promise<void> {
  const { recipe, opt } = st;
  const shapes = new Map(paramSpecs(recipe.model).map((p) => [p.name, p.shape]));
  const tensors = (p: Params): Record<string, TensorData> => Object.fromEntries(Object.entries(p).map(([k, v]) => [k, { shape: shapes.get(k)!, data: v }]));
  await writeCheckpoint(path, {
    config: { kind: CHECKPOINT_KIND, recipe },
    step: opt.step,
    rngState: st.rngState,
    curriculum: { nPoints: nPointsOf(recipe, opt.step) },
    history: st.history,
    params: tensors(opt.params),
    // the weight average is a first moment of the weights over steps: stored as one more slot (and so are a branched stage's weights)
    moments: { m: tensors(opt.m), v: tensors(opt.v), ...(st.average ? { [AVERAGE_SLOT]: tensors(st.average.params) } : {}), ...branchSlots(st.branches, tensors) },
    extra: {
      optimizerStep: opt.step,
      window: st.window,
      elapsedMs: st.elapsedMs,
      ...(st.cpuMs === undefined ? {} : { cpuMs: st.cpuMs }),
      savedAt: new Date().toISOString(),
      ...(st.average ? { averageCount: st.average.count } : {}),
      ...(st.branches ? { branch: st.branches.branch, branchStartAverageCount: st.branches.startAverage?.count, branchesDoneCount: st.branches.done?.count } : {}),
      ...(st.keepBranches ? { keepBranches: true } : {}),
      ...(st.quickEval ? { quickEval: st.quickEval } : {}),
      ...(st.saveAt && st.saveAt.length > 0 ? { saveAt: st.saveAt } : {}),
      ...(st.forks ? { forks: st.forks } : {}),
    },
  });
}

/** A branched stage's weights as checkpoint slots (none before the stage begins). */
function branchSlots(b: BranchState | undefined, tensors: (p: Params) => Record<string, TensorData>): Record<string, Record<string, TensorData>> {
  if (!b) return {};
  return {
    [BRANCH_SLOTS.start]: tensors(b.start),
    ...(b.startAverage ? { [BRANCH_SLOTS.startAverage]: tensors(b.startAverage.params) } : {}),
    ...(b.done ? { [BRANCH_SLOTS.done]: tensors(b.done.params) } : {}),
    ...Object.fromEntries(b.finished.map((p, k) => [finishedSlot(k), tensors(p)])),
  };
}

/** The run state in a checkpoint, to continue it; `requested` may change only the steps (recipeDiff.ts). */
export async function readRunState(path: string, requested?: TrainRecipe): Promise<RunState> {
  const ck = await readTrainingCheckpoint(path);
  const { state } = ck;
  const extra = state.extra ?? {};
  const plain = (group: Record<string, TensorData> | undefined, what: string): Params => {
    if (!group) throw new CheckpointError(`${path} is missing the ${what}`);
    return paramsOf(group);
  };
  if (!state.history.every(isHistoryEntry)) throw new CheckpointError(`${path} is corrupt: its history has an entry that is not a training or evaluation point`);
  return {
    recipe: resumedRecipe(ck.recipe, requested, path, state.step),
    opt: {
      step: typeof extra.optimizerStep === 'number' ? extra.optimizerStep : state.step,
      params: plain(state.params, 'parameters'),
      m: plain(state.moments.m, 'AdamW first moments'),
      v: plain(state.moments.v, 'AdamW second moments'),
    },
    rng: Rng.fromState(state.rngState),
    history: state.history,
    window: isLossWindow(extra.window) ? extra.window : emptyWindow(),
    elapsedMs: typeof extra.elapsedMs === 'number' ? extra.elapsedMs : 0,
    ...optional('cpuMs', countedCpuMs(extra, path)),
    ...optional('average', meanOf(state, extra, AVERAGE_SLOT, 'averageCount', path, 'weight average')),
    ...optional('branches', branchesOf(state, extra, path)),
    ...(ck.keepBranches ? { keepBranches: true } : {}),
    ...optional('quickEval', ck.quickEval),
    ...optional('saveAt', ck.saveAt),
    ...optional('forks', ck.forks),
  };
}

/** The run's CPU time so far; undefined for a checkpoint written before LoopLens counted it, a damaged file for anything but a time. */
function countedCpuMs(extra: Record<string, unknown>, path: string): number | undefined {
  const ms = extra.cpuMs;
  if (ms === undefined) return undefined;
  if (typeof ms !== 'number' || !Number.isFinite(ms) || ms < 0) throw new CheckpointError(`${path} is corrupt: its CPU time is not a number of milliseconds`);
  return ms;
}

/** `{ [key]: value }`, or nothing for an undefined value (so a run without one has no such field). */
function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A saved mean of weights (slot and count), when the run keeps one; a count without weights (or the reverse) is a damaged file. */
function meanOf(state: CheckpointState, extra: Record<string, unknown>, slot: string, countKey: string, path: string, what: string): WeightAverage | undefined {
  const params = state.moments[slot];
  const count = extra[countKey];
  if (params === undefined && count === undefined) return undefined;
  if (params === undefined || typeof count !== 'number' || !Number.isSafeInteger(count) || count < 1) throw new CheckpointError(`${path} is corrupt: its ${what} is incomplete`);
  return { params: paramsOf(params), count };
}

/** A branched stage's state, once the run has begun it; a branch without the stage's starting weights is a damaged file. */
function branchesOf(state: CheckpointState, extra: Record<string, unknown>, path: string): BranchState | undefined {
  const start = state.moments[BRANCH_SLOTS.start];
  const branch = extra.branch;
  if (start === undefined && branch === undefined) return undefined;
  if (start === undefined || typeof branch !== 'number' || !Number.isSafeInteger(branch) || branch < 0) throw new CheckpointError(`${path} is corrupt: its branched stage's state is incomplete`);
  const done = meanOf(state, extra, BRANCH_SLOTS.done, 'branchesDoneCount', path, "finished branches' mean");
  if ((done?.count ?? 0) !== branch) throw new CheckpointError(`${path} is corrupt: it is in branch ${branch + 1} of its last stage with ${done?.count ?? 0} finished before it`);
  // every finished branch's own weights, or none (a checkpoint written before LoopLens kept them)
  const finished = Object.keys(state.moments).filter((slot) => slot.startsWith(FINISHED_SLOT)).length;
  if (finished !== 0 && finished !== branch) throw new CheckpointError(`${path} is corrupt: it is in branch ${branch + 1} of its last stage and keeps the weights of ${finished} finished branches`);
  return {
    branch,
    start: paramsOf(start),
    ...optional('startAverage', meanOf(state, extra, BRANCH_SLOTS.startAverage, 'branchStartAverageCount', path, "branched stage's starting average")),
    ...optional('done', done),
    finished: Array.from({ length: finished }, (_, k) => state.moments[finishedSlot(k)]).map((group, k) => {
      if (group === undefined) throw new CheckpointError(`${path} is corrupt: it lacks the weights of finished branch ${k + 1}`);
      return paramsOf(group);
    }),
  };
}

/** A checkpoint's tensor group as weights, by name. */
function paramsOf(group: Record<string, TensorData>): Params {
  return Object.fromEntries(Object.entries(group).map(([k, t]) => [k, t.data]));
}

/**
 * What a checkpoint holds, as the result of a run stopped there: a run still going (its checkpoint
 * is replaced atomically, so it is whole whenever it is read) or one that was stopped can be saved
 * as a model and evaluated or opened without resuming it.
 */
export async function checkpointResult(checkpointPath: string): Promise<TrainResult> {
  const st = await readRunState(checkpointPath);
  return {
    status: 'cancelled',
    step: st.opt.step,
    recipe: st.recipe,
    params: weightsToSave(st.opt.params, st.average, st.branches),
    history: st.history,
    elapsedSeconds: st.elapsedMs / 1000,
    cpuSeconds: secondsOf(st.cpuMs),
    finalLoss: lastLoss(st),
    provider: 'unrecorded', // a checkpoint does not say where its steps ran
    checkpointPath,
  };
}

function isHistoryEntry(h: unknown): h is HistoryEntry {
  return isRecord(h) && (h.kind === 'train' || h.kind === 'eval') && typeof h.step === 'number';
}

function isLossWindow(w: unknown): w is LossWindow {
  return isRecord(w) && ['n', 'loss', 'gradNorm', 'ms'].every((k) => typeof w[k] === 'number');
}
