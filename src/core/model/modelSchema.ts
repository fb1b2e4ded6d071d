// The schema of a model file's metadata (modelMetadata.ts), checked before anything is built from
// it: every JSON value has the right shape, types and ranges, and a null or missing field is named
// in the message. Unknown keys inside the records are kept (a newer LoopLens may add fields, e.g.
// to the training record); the integrity checksum (modelIntegrity.ts) covers them all the same.
import { LIMITS } from '../util/limits';
import { array, int, isPlainObject, nullable, num, object, oneOf, optional, record, refine, str, type Check } from '../util/validate';
import { MAX_RUN_FORKS, MAX_SOUP_MODELS, type EvalSummary, type RunFork, type GraphInfo, type StepsRule, type TrainingRecord, type VocabularyInfo } from './modelMetadata';

const text = str({ maxLength: 10_000 });
const name = str({ maxLength: 200 });
const count = int({ min: 0 });
const fraction = num({ min: 0, max: 1 });

export const vocabularySchema: Check<VocabularyInfo> = object({
  size: int({ min: 1, max: LIMITS.vocabSize }),
  symbols: array(str({ maxLength: 1000 }), { maxLength: LIMITS.vocabSize }),
  tokens: object({ pad: int({ min: 0, max: LIMITS.vocabSize - 1 }), equals: int({ min: 0, max: LIMITS.vocabSize - 1 }), ignore: int({ min: 0, max: LIMITS.vocabSize - 1 }) }),
  separator: str({ maxLength: 10 }),
}) as Check<VocabularyInfo>;

export const stepsRuleSchema: Check<StepsRule> = object({
  oracle: text,
  lengthNames: array(name, { maxLength: 16 }),
  adaptiveExtraSteps: int({ min: 0, max: LIMITS.steps }),
  defaultHalting: oneOf('oracle', 'batch-confidence', 'example-confidence'),
  fixedSteps: optional(int({ min: 1, max: LIMITS.steps })),
});

export const graphSchema: Check<GraphInfo> = object({
  kind: oneOf('trace', 'eval'),
  inputs: object({ tokens: name, numSteps: name }),
  outputs: object({ logits: name, attention: optional(name), hidden: optional(name) }),
  layouts: record(text, { maxKeys: 32 }),
});

// Accuracies of rules that were not scored are NaN, written as null (encodeMetadata): allowed.
const shownFraction = nullable(fraction);
const shownStep = nullable(num({ min: 0 }));
const evalRow = object({
  length: int({ min: 1 }),
  oracleStep: count,
  examples: count,
  oracle: shownFraction,
  perBatch: shownFraction,
  perBatchStep: shownStep,
  perExample: shownFraction,
  perExampleStep: shownStep,
  calibrated: optional(shownFraction),
  calibratedStep: optional(shownStep),
});

export const evalSummarySchema: Check<EvalSummary> = object({
  examplesPerLength: count,
  seed: num(),
  perExampleRule: text,
  rows: array(evalRow, { maxLength: 1000 }),
}) as Check<EvalSummary>;

/** A run's forks (modelMetadata.ts RunFork): in a model's record and in a run's checkpoint. */
export const runForksSchema: Check<RunFork[]> = array(object({ checkpoint: str({ nonEmpty: true, maxLength: 4096 }), step: count }), { minLength: 1, maxLength: MAX_RUN_FORKS });

export const trainingRecordSchema: Check<TrainingRecord> = object({
  preset: name,
  recipe: ((v: unknown, path: string) => {
    if (!isPlainObject(v)) return object({})(v, path); // names null/missing/non-objects
    return v;
  }) as Check<Record<string, unknown>>,
  stepsCompleted: count,
  seed: num(),
  elapsedSeconds: num({ min: 0 }),
  cpuSeconds: optional(num({ min: 0 })),
  finalLoss: nullable(num()),
  provider: name,
  finishedAt: text,
  lossCurve: array(object({ step: count, loss: nullable(num()) }), { maxLength: 100_000 }),
  evaluation: optional(evalSummarySchema),
  soup: optional(array(object({ model: str({ nonEmpty: true, maxLength: 1024 }), weightsCrc32: int({ min: 0, max: 2 ** 32 - 1 }) }), { minLength: 2, maxLength: MAX_SOUP_MODELS })),
  forks: optional(runForksSchema),
  branch: optional(refine(object({ index: int({ min: 1, max: 1000 }), of: int({ min: 2, max: 1000 }) }), (b) => (b.index <= b.of ? null : `names branch ${b.index} of ${b.of}`))),
}) as Check<TrainingRecord>;

export const taskFileSchema = object({ file: str({ nonEmpty: true, maxLength: 4096 }), source: str({ maxLength: LIMITS.raspSourceBytes }) });
