// The host's check of what the training worker writes (workerMessages.ts): every message the worker
// sends passes as it is (worker.test.ts runs every line of the real worker through it), a NaN the
// encoder wrote as null comes back as NaN where a value may honestly be one, and a hostile or
// broken line is refused with the message type and the field named.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { parseWorkerOutbound } from '../../../src/core/train/workerMessages';
import type { WorkerOutbound } from '../../../src/core/train/workerProtocol';
import { encodeJsonLine } from '../../../src/core/util/jsonLines';
import { microParity } from '../../support/tinyRecipes';
import { cpuRecipe } from '../../../src/core/train/presets';

const recipe = microParity(20);
const evalRow = { length: 3, oracleStep: 3, examples: 8, oracle: 1, perBatch: 0.875, perBatchStep: 3, perExample: 0.75, perExampleStep: 3.5 };
const progress = { type: 'progress', step: 5, totalSteps: 20, loss: 0.69, gradNorm: 0.4, lr: 3e-3, nPoints: 2, msPerStep: 12.5, etaSeconds: 3.2, elapsedSeconds: 0.9 } as const;

const good: WorkerOutbound[] = [
  { type: 'ready', pid: 42 },
  { type: 'start', recipe, step: 0, resumed: false },
  { type: 'start', recipe, step: 10, resumed: true, checkpointPath: '/tmp/m.ckpt' },
  { type: 'start', recipe: { ...recipe, initFrom: { model: 'runs/base.onnx', weightsCrc32: 4294967295, stepsBefore: 36000 } }, step: 10, resumed: true, checkpointPath: '/tmp/m.ckpt' },
  { type: 'start', recipe: cpuRecipe('addition'), step: 0, resumed: false },
  { type: 'phase', phase: 'compiling', step: 0 },
  progress,
  { type: 'history', entry: { kind: 'train', step: 5, loss: 0.7, gradNorm: 0.3, lr: 3e-3, nPoints: 2, msPerStep: 11 } },
  { type: 'eval', entry: { kind: 'eval', step: 10, rows: [{ length: 5, examples: 64, oracle: 0.5, perBatch: 0.5, perBatchStep: 5 }] } },
  { type: 'eval', entry: { kind: 'eval', step: 12, rows: [{ length: 5, examples: 64, oracle: 0.5, perBatch: 0.5, perBatchStep: 5 }], branch: { index: 2, rows: [{ length: 5, examples: 64, oracle: 0.25, perBatch: 0.25, perBatchStep: 6 }] } } },
  { type: 'checkpoint', step: 10, path: '/tmp/m.ckpt' },
  { type: 'saved', step: 10, path: '/tmp/m-step10.onnx', checkpointPath: '/tmp/m-step10.ckpt' },
  { type: 'done', status: 'finished', step: 20, elapsedSeconds: 2, finalLoss: 0.6, checkpointPath: '/tmp/m.ckpt' },
  { type: 'done', status: 'cancelled', step: 0, elapsedSeconds: 0, finalLoss: null },
  { type: 'evalProgress', done: 1, total: 2, length: 3 },
  { type: 'log', message: 'compiling the training graph' },
  { type: 'result', status: 'finished', step: 20, elapsedSeconds: 2.5, cpuSeconds: 4.75, finalLoss: 0.6, checkpointPath: '/tmp/m.ckpt', modelPath: '/tmp/m.onnx', modelBytes: 12345, evaluation: { examplesPerLength: 8, seed: 1234, perExampleRule: 'per example', rows: [evalRow, { ...evalRow, length: 6, oracleStep: 6 }] } },
  { type: 'result', status: 'cancelled', step: 7, elapsedSeconds: 1, finalLoss: null },
  { type: 'error', kind: 'diverged', message: 'training diverged at step 9', step: 9, checkpointPath: '/tmp/m.ckpt' },
  { type: 'error', kind: 'bad-request', message: 'worker: unknown message type "x"' },
];

/** The message as the worker's encoder writes it and the host decodes it. */
const wire = (m: unknown): unknown => JSON.parse(encodeJsonLine(m));

test('every message the worker sends passes, unchanged', () => {
  for (const m of good) assert.deepEqual(parseWorkerOutbound(wire(m)), wire(m), m.type);
});

test('a loss, gradient norm or time left that was NaN or infinite (null on the wire) comes back as NaN; other numbers must be finite', () => {
  const p = parseWorkerOutbound(wire({ ...progress, loss: NaN, gradNorm: Infinity, etaSeconds: NaN }));
  assert.ok(p.type === 'progress' && Number.isNaN(p.loss) && Number.isNaN(p.gradNorm) && Number.isNaN(p.etaSeconds));
  const h = parseWorkerOutbound(wire({ type: 'history', entry: { kind: 'train', step: 5, loss: NaN, gradNorm: NaN, lr: 3e-3, nPoints: 2, msPerStep: 11 } }));
  assert.ok(h.type === 'history' && Number.isNaN(h.entry.loss));
  assert.throws(() => parseWorkerOutbound(wire({ ...progress, lr: NaN })), /^Error: training worker sent a malformed "progress" message: lr is null; expected a finite number >= 0$/);
  assert.throws(() => parseWorkerOutbound({ ...progress, loss: 'NaN' }), /"progress" message: loss must be a finite number, got "NaN"/);
  assert.throws(() => parseWorkerOutbound(wire({ ...progress, elapsedSeconds: Infinity })), /"progress" message: elapsedSeconds is null/);
});

function refused(value: unknown, pattern: RegExp): void {
  assert.throws(() => parseWorkerOutbound(value), (e: unknown) => {
    assert.ok(e instanceof Error);
    assert.match(e.message, pattern);
    return true;
  });
}

test('progress, curves and checkpoints: wrong types, negative counts, steps past the end', () => {
  refused({ ...progress, step: -1 }, /^training worker sent a malformed "progress" message: step must be an integer >= 0, got -1$/);
  refused({ ...progress, step: 21 }, /"progress" message: has step 21 of 20/);
  refused({ ...progress, nPoints: 2.5 }, /nPoints must be an integer >= 0, got 2\.5/);
  refused({ ...progress, totalSteps: '20' }, /totalSteps must be an integer >= 0, got "20"/);
  refused({ ...progress, msPerStep: undefined }, /msPerStep is missing/);
  refused({ type: 'history', entry: { kind: 'eval', step: 5, loss: 0.7, gradNorm: 0.3, lr: 3e-3, nPoints: 2, msPerStep: 11 } }, /"history" message: entry\.kind must be one of "train", got "eval"/);
  refused({ type: 'history', entry: null }, /"history" message: entry is null; expected an object/);
  refused({ type: 'eval', entry: { kind: 'eval', step: 10, rows: [{ length: 5, examples: 64, oracle: 1.5, perBatch: 0.5, perBatchStep: 5 }] } }, /"eval" message: entry\.rows\[0\]\.oracle must be a finite number in 0\.\.1, got 1\.5/);
  refused({ type: 'eval', entry: { kind: 'eval', step: 10, rows: [], branch: { index: 1, rows: [] } } }, /"eval" message: entry\.branch\.index must be an integer in 2\.\.\d+, got 1/);
  refused({ type: 'eval', entry: { kind: 'eval', step: 10, rows: Array.from({ length: 1001 }, () => ({ length: 5, examples: 64, oracle: 1, perBatch: 1, perBatchStep: 5 })) } }, /entry\.rows has 1001 items; at most 1000 are allowed/);
  refused({ type: 'checkpoint', step: 10, path: '' }, /"checkpoint" message: path must be a non-empty string/);
  refused({ type: 'saved', step: -1, path: '/tmp/m-step10.onnx' }, /"saved" message: step must be/);
  refused({ type: 'checkpoint', step: 10, path: 'x'.repeat(5000) }, /path must be a non-empty string of at most 4096 characters, got a string of 5000 characters/);
  refused({ type: 'phase', phase: 'sleeping', step: 1 }, /"phase" message: phase must be one of "compiling", "training", "evaluating", "checkpointing", got "sleeping"/);
  refused({ type: 'evalProgress', done: 3, total: 2, length: 3 }, /"evalProgress" message: has done 3 of 2/);
});

test('start, done, result and error: the recipe is checked for shape and meaning, statuses and kinds are the known ones', () => {
  refused({ type: 'start', recipe: { ...recipe, steps: -5 }, step: 0, resumed: false }, /^training worker sent a malformed "start" message: recipe\.steps must be an integer >= 1, got -5$/);
  refused({ type: 'start', recipe: { ...recipe, model: { ...recipe.model, d: 'big' } }, step: 0, resumed: false }, /recipe\.model\.d must be an integer in 1\.\.4096/);
  refused({ type: 'start', recipe: { ...recipe, horizon: 1 }, step: 0, resumed: false }, /"start" message: recipe is not a valid recipe: training recipe: horizon 1 is shorter/);
  refused({ type: 'start', recipe: { ...recipe, taskFile: { file: 'x.rasp', source: 'x'.repeat(1024 * 1024 + 1) } }, step: 0, resumed: false }, /recipe\.taskFile\.source must be a string of at most 1048576 characters/);
  refused({ type: 'start', recipe, step: 0 }, /"start" message: resumed is missing; expected true or false/);
  refused({ type: 'start', recipe: { ...recipe, longShare: 1 }, step: 0, resumed: false }, /recipe\.longShare must be a number >= 0 and < 1, got 1$/);
  refused({ type: 'start', recipe: { ...recipe, hardShare: -0.1 }, step: 0, resumed: false }, /recipe\.hardShare must be a number >= 0 and < 1, got -0\.1$/);
  refused({ type: 'start', recipe: { ...recipe, distinctShare: 1 }, step: 0, resumed: false }, /recipe\.distinctShare must be a number >= 0 and < 1, got 1$/);
  refused({ type: 'start', recipe: { ...recipe, distinctShare: 0.5 }, step: 0, resumed: false }, /recipe is not a valid recipe: training recipe: distinctShare: the \w+ task has no distinct inputs to draw from \(tasks with them: unique_set\)$/);
  refused({ type: 'start', recipe: { ...recipe, answerHold: 2.5 }, step: 0, resumed: false }, /recipe\.answerHold must be an integer in 0\.\.100, got 2\.5$/);
  refused({ type: 'start', recipe: { ...recipe, initFrom: { model: '', weightsCrc32: 1 } }, step: 0, resumed: true }, /recipe\.initFrom\.model must be a non-empty string of at most 200 characters/);
  refused({ type: 'start', recipe: { ...recipe, initFrom: { model: 'm.onnx', weightsCrc32: 2 ** 32 } }, step: 0, resumed: true }, /recipe\.initFrom\.weightsCrc32 must be an integer in 0\.\.4294967295/);
  const staged = cpuRecipe('addition');
  refused({ type: 'start', recipe: { ...staged, stages: [{ fromStep: 20000, maxLength: '12', lr: 1e-3 }] }, step: 0, resumed: false }, /recipe\.stages\[0\]\.maxLength must be an integer/);
  refused({ type: 'start', recipe: { ...staged, stages: [{ fromStep: 20000, maxLength: 5, lr: 1e-3 }] }, step: 0, resumed: false }, /is not a valid recipe: .*stage 1's longest length must be an integer of at least 8/);
  refused({ type: 'start', recipe: { ...staged, stages: [{ fromStep: 20000, maxLength: 12, lr: 1e-3, answerHold: -1 }] }, step: 0, resumed: false }, /recipe\.stages\[0\]\.answerHold must be an integer in 0\.\.100, got -1$/);
  refused({ type: 'start', recipe: { ...staged, stages: [{ fromStep: 20000, maxLength: 12, lr: 1e-3, branches: 1 }] }, step: 0, resumed: false }, /recipe\.stages\[0\]\.branches must be an integer in 2\.\.16, got 1$/);
  refused({ type: 'start', recipe: { ...recipe, schedule: { ...recipe.schedule, minLrFraction: 1 } }, step: 0, resumed: false }, /recipe\.schedule\.minLrFraction must be a number >= 0 and < 1, got 1$/);
  refused({ type: 'done', status: 'crashed', step: 3, elapsedSeconds: 1, finalLoss: null }, /"done" message: status must be one of "finished", "cancelled"/);
  refused({ type: 'result', status: 'finished', step: 20, elapsedSeconds: 2, finalLoss: 'low' }, /"result" message: finalLoss must be a finite number, got "low"/);
  refused({ type: 'result', status: 'finished', step: 20, elapsedSeconds: 2, cpuSeconds: -1, finalLoss: 0.5 }, /"result" message: cpuSeconds must be a finite number >= 0, got -1/);
  refused({ type: 'result', status: 'finished', step: 20, elapsedSeconds: 2, finalLoss: 0.5, modelBytes: -1 }, /"result" message: modelBytes must be an integer >= 0, got -1/);
  refused({ type: 'result', status: 'finished', step: 20, elapsedSeconds: 2, finalLoss: 0.5, evaluation: { examplesPerLength: 8, seed: 1, perExampleRule: 'r', rows: [{ ...evalRow, oracle: null }] } }, /"result" message: evaluation\.rows\[0\]\.oracle is null/);
  refused({ type: 'result', step: 20, elapsedSeconds: 2, finalLoss: 0.5 }, /"result" message: status is missing/);
  refused({ type: 'error', kind: 'oops', message: 'x' }, /"error" message: kind must be one of/);
  refused({ type: 'error', kind: 'internal', message: 'x', step: -3 }, /"error" message: step must be an integer >= 0, got -3/);
  refused({ type: 'error', kind: 'internal' }, /"error" message: message is missing/);
  refused({ type: 'evalProgres', done: 1, total: 2, length: 3 }, /^training worker sent a message of unknown type "evalProgres"$/);
  refused(['ready'], /training worker sent an array of 1 where a message object was expected/);
});
