// What the host accepts from the training worker (workerProtocol.ts WorkerOutbound): one check per
// message type, every field's type and range, with core/util/validate.ts. The host (ChildWorker)
// parses every stdout line with parseWorkerOutbound; a line that fails never reaches the run's
// state, and the error names the message type and the field.
// JSON has no NaN or Infinity: the worker's encoder writes them as null. The numbers that may
// honestly be non-finite (a loss or gradient norm that diverged, the time left before a rate is
// known) therefore accept null, read back as NaN; every other number must be finite.
import { evalLength, evalProgressCheck, evalSummaryCheck, MAX_EVAL_ROWS } from '../eval/summaryChecks';
import { LIMITS } from '../util/limits';
import { ATTENTION_SCALES } from '../model/config';
import { array, bool, int, messageParser, nullable, num, object, oneOf, optional, refine, str, type Check, type MessageChecks } from '../util/validate';
import type { QuickEvalPoint, TrainPoint } from './trainEvents';
import { MAX_ANSWER_HOLD, MAX_INIT_NAME, validateRecipe, type TrainRecipe } from './recipe';
import { MAX_BRANCHES, MAX_STAGES } from './stages';
import type { WorkerOutbound } from './workerProtocol';

const count = int({ min: 0 });
const seconds = num({ min: 0 });
const batchShare = optional(num({ min: 0, max: 1, exclusiveMax: true }));
const answerHold = optional(int({ min: 0, max: MAX_ANSWER_HOLD }));
const filePath = str({ nonEmpty: true, maxLength: 4096 });
const text = str({ maxLength: 100_000 });
const name = str({ nonEmpty: true, maxLength: 200 });

/** A finite number, or null (what JSON made of the worker's NaN or ±Infinity), read back as NaN. */
function maybeNaN(c: Check<number>): Check<number> {
  return (v, path) => (v === null ? NaN : c(v, path));
}
const loss = maybeNaN(num());
const gradNorm = maybeNaN(num({ min: 0 }));

/** The recipe's shape (types, ranges, sizes), then its meaning (recipe.ts validateRecipe, which the worker ran too). */
const recipeCheck: Check<TrainRecipe> = refine(
  object({
    task: name,
    taskFile: optional(object({ file: filePath, source: str({ maxLength: LIMITS.raspSourceBytes }) })),
    preset: name,
    model: object({
      vocabSize: int({ min: 1, max: LIMITS.vocabSize }),
      d: int({ min: 1, max: LIMITS.d }),
      layers: int({ min: 1, max: LIMITS.layers }),
      heads: int({ min: 1, max: LIMITS.heads }),
      readIn: oneOf('linear', 'embedding'),
      inputInjection: bool,
      attentionScale: optional(oneOf(...ATTENTION_SCALES)),
      mlpRatio: optional(int({ min: 1, max: LIMITS.mlpRatio })),
      lnEps: optional(num({ min: 0, exclusiveMin: true, max: 1 })),
    }),
    batchSize: int({ min: 1 }),
    steps: int({ min: 1 }),
    curriculum: object({ start: int({ min: 1 }), interval: int({ min: 1 }), end: int({ min: 1 }) }),
    schedule: object({ kind: oneOf('cosine', 'constant'), lr: num({ min: 0, exclusiveMin: true }), holdSteps: count, warmupSteps: optional(count), minLrFraction: optional(num({ min: 0, max: 1, exclusiveMax: true })) }),
    optimizer: object({ beta1: num({ min: 0 }), beta2: num({ min: 0 }), eps: num({ min: 0 }), weightDecay: num({ min: 0 }), maxGradNorm: nullable(num({ min: 0, exclusiveMin: true })) }),
    seed: int(),
    width: int({ min: 1, max: LIMITS.rowWidth }),
    horizon: int({ min: 1, max: LIMITS.steps }),
    widthMode: optional(oneOf('fixed', 'curriculum')),
    fixedSteps: optional(int({ min: 1, max: LIMITS.steps })),
    longShare: batchShare,
    hardShare: batchShare,
    distinctShare: batchShare,
    answerHold,
    initFrom: optional(object({ model: str({ maxLength: MAX_INIT_NAME, nonEmpty: true }), weightsCrc32: int({ min: 0, max: 2 ** 32 - 1 }), stepsBefore: optional(count), secondsBefore: optional(seconds), cpuSecondsBefore: optional(seconds) })),
    stages: optional(array(object({ fromStep: count, maxLength: int({ min: 1, max: LIMITS.length }), lr: num({ min: 0, exclusiveMin: true }), longShare: batchShare, answerHold, branches: optional(int({ min: 2, max: MAX_BRANCHES })) }), { maxLength: MAX_STAGES })),
  }),
  (r) => {
    try {
      validateRecipe(r);
      return null;
    } catch (e) {
      return `is not a valid recipe: ${(e as Error).message}`;
    }
  },
);

const trainPoint: Check<TrainPoint> = object({ kind: oneOf('train'), step: count, loss, gradNorm, lr: num({ min: 0 }), nPoints: count, msPerStep: seconds });

const quickEvalRows = array(object({ length: evalLength, examples: count, oracle: num({ min: 0, max: 1 }), perBatch: num({ min: 0, max: 1 }), perBatchStep: num({ min: 0 }) }), { maxLength: MAX_EVAL_ROWS });

const quickEvalPoint: Check<QuickEvalPoint> = object({
  kind: oneOf('eval'),
  step: count,
  rows: quickEvalRows,
  branch: optional(object({ index: int({ min: 2, max: MAX_BRANCHES }), rows: quickEvalRows })),
});

const status = oneOf('finished', 'cancelled');

const checks: MessageChecks<WorkerOutbound> = {
  ready: object({ pid: count }),
  start: object({ recipe: recipeCheck, step: count, resumed: bool, checkpointPath: optional(filePath), forkedFrom: optional(filePath) }),
  phase: object({ phase: oneOf('compiling', 'training', 'evaluating', 'checkpointing'), step: count }),
  progress: refine(
    object({ step: count, totalSteps: count, loss, gradNorm, lr: num({ min: 0 }), nPoints: count, msPerStep: seconds, etaSeconds: maybeNaN(seconds), elapsedSeconds: seconds }),
    (p) => (p.step > p.totalSteps ? `has step ${p.step} of ${p.totalSteps}` : null),
  ),
  history: object({ entry: trainPoint }),
  eval: object({ entry: quickEvalPoint }),
  checkpoint: object({ step: count, path: filePath }),
  saved: object({ step: count, path: filePath, checkpointPath: filePath }),
  done: object({ status, step: count, elapsedSeconds: seconds, finalLoss: nullable(num()), checkpointPath: optional(filePath) }),
  evalProgress: evalProgressCheck,
  log: object({ message: text }),
  result: object({
    status,
    step: count,
    elapsedSeconds: seconds,
    cpuSeconds: optional(seconds),
    finalLoss: nullable(num()),
    checkpointPath: optional(filePath),
    modelPath: optional(filePath),
    modelBytes: optional(count),
    evaluation: optional(evalSummaryCheck),
    branches: optional(
      array(
        refine(object({ index: int({ min: 1, max: MAX_BRANCHES }), of: int({ min: 2, max: MAX_BRANCHES }), modelPath: optional(filePath), evaluation: optional(evalSummaryCheck) }), (b) => (b.index <= b.of ? null : `names branch ${b.index} of ${b.of}`)),
        { maxLength: MAX_BRANCHES },
      ),
    ),
  }),
  error: object({ kind: oneOf('bad-request', 'diverged', 'checkpoint', 'model', 'internal'), message: text, step: optional(count), checkpointPath: optional(filePath) }),
};

/** Checks one decoded stdout line of the training worker; throws an Error naming the message type and the field. */
export const parseWorkerOutbound: (value: unknown) => WorkerOutbound = messageParser<WorkerOutbound>('training worker', checks);
