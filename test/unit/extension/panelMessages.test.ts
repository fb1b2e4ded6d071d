// Issue 17, webview messages: every message of every panel is checked (shape, types, ranges)
// before its panel sees it, and a restored panel takes its file paths from the host's records,
// never from the state its page saved. (No vscode here: the checks and restores are pure.)
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validateMessage, type MessageSchemas } from '../../../src/extension/panels/messageValidation';
import { evaluationMessages, modelPageMessages, recipeMessages, stepperMessages, trainingMessages } from '../../../src/extension/panels/panelMessages';
import { restoreEvaluationState, restoreStepperState, restoreTrainingState } from '../../../src/extension/panels/panelRestore';
import { object, int } from '../../../src/core/util/validate';
import type { TrainingSetup, TrainingViewState } from '../../../src/protocol/training';
import type { EvaluationSetup, EvaluationViewState } from '../../../src/protocol/evaluation';

const problem = <M extends { type: string }>(schemas: MessageSchemas<M>, raw: unknown): string | null => {
  const v = validateMessage(schemas, raw);
  return v.ok ? null : v.problem;
};

test('malformed messages are dropped with a reason, for every panel', () => {
  for (const schemas of [stepperMessages, trainingMessages, evaluationMessages, recipeMessages, modelPageMessages] as MessageSchemas<{ type: string }>[]) {
    assert.match(problem(schemas, null)!, /the page sent null where a message object was expected/);
    assert.match(problem(schemas, 'ready')!, /the page sent "ready" where/);
    assert.match(problem(schemas, [])!, /the page sent an array of 0 where/);
    assert.match(problem(schemas, {})!, /the page sent a message without a "type"/);
    assert.match(problem(schemas, { type: 'nope' })!, /the page sent a message of unknown type "nope"/);
    assert.match(problem(schemas, { type: 'toString' })!, /the page sent a message of unknown type "toString"/, 'no prototype keys');
    assert.equal(problem(schemas, { type: 'ready' }), null);
  }
});

test('stepper messages: fields checked for type and range', () => {
  assert.equal(problem(stepperMessages, { type: 'setInput', text: '1011' }), null);
  assert.match(problem(stepperMessages, { type: 'setInput' })!, /^the page sent a malformed "setInput" message: text is missing; expected a string of at most 20000 characters$/);
  assert.match(problem(stepperMessages, { type: 'setInput', text: null })!, /: text is null/);
  assert.match(problem(stepperMessages, { type: 'setInput', text: '1'.repeat(20_001) })!, /at most 20000 characters/);
  assert.equal(problem(stepperMessages, { type: 'needAttention', step: 3, layer: 0 }), null);
  assert.match(problem(stepperMessages, { type: 'needAttention', step: 1.5, layer: 0 })!, /: step must be an integer in 0\.\.10000, got 1\.5/);
  assert.match(problem(stepperMessages, { type: 'needAttention', step: 1, layer: -1 })!, /: layer must be an integer/);
  assert.match(problem(stepperMessages, { type: 'needAttention', step: '1', layer: 0 })!, /: step must be an integer/);
  assert.match(problem(stepperMessages, { type: 'openProgram', file: 'x.raspl', line: 0 })!, /: line must be an integer in 1\.\./);
  assert.equal(problem(stepperMessages, { type: 'exportData', table: 'steps', format: 'csv' }), null);
  assert.match(problem(stepperMessages, { type: 'exportData', table: 'secrets', format: 'csv' })!, /unknown table "secrets"/);
  assert.match(problem(evaluationMessages, { type: 'openExample', length: 1e9 })!, /: length must be an integer in 1\.\.500/);
  const v = validateMessage(stepperMessages, { type: 'setInput', text: '11', extra: { deep: true } });
  assert.ok(v.ok && v.message.type === 'setInput' && v.message.text === '11');
});

test('a new message type is one entry; its checked fields are what the handler gets', () => {
  type M = { type: 'ready' } | { type: 'seek'; step: number };
  const schemas: MessageSchemas<M> = { ready: object({}), seek: object({ step: int({ min: 1 }) }) };
  const v = validateMessage(schemas, { type: 'seek', step: 4 });
  assert.deepEqual(v, { ok: true, message: { type: 'seek', step: 4 } });
  assert.equal(validateMessage(schemas, { type: 'seek', step: 0 }).ok, false);
  // `npm run typecheck` holds the rest: a type without its entry, or a required field without its check, does not compile.
  // @ts-expect-error the entry for "seek" is missing
  const missing: MessageSchemas<M> = { ready: object({}) };
  // @ts-expect-error "seek" needs a check of its step
  const unchecked: MessageSchemas<M> = { ready: object({}), seek: object({}) };
  assert.ok(missing && unchecked);
});

const trainingSetup = { task: 'parity', taskTitle: 'Parity', preset: 'cpu', modelPath: '/host/runs/parity.onnx', checkpointPath: '/host/runs/parity.ckpt' } as unknown as TrainingSetup;

function savedTraining(over: Partial<TrainingViewState> = {}): unknown {
  return {
    protocol: 1,
    setup: { ...trainingSetup, modelPath: '/etc/evil.onnx', checkpointPath: '/home/user/.bashrc' },
    status: 'running',
    phase: 'training',
    progress: { step: 10, totalSteps: 100, loss: 0.5, gradNorm: null, lr: 0.001, nPoints: 3, msPerStep: 5, etaSeconds: null, elapsedSeconds: 1 },
    history: [{ step: 10, loss: null, gradNorm: 1, lr: 0.001, nPoints: 3 }],
    evals: [],
    checkpoint: { step: 10, path: '/home/user/.bashrc' },
    finalEval: null,
    result: null,
    error: null,
    resumedFrom: null,
    hint: null,
    actions: { cancel: true, resume: false, openModel: false },
    ...over,
  };
}

test('a restored Training panel writes only to the host\'s recorded paths, and needs the record', () => {
  const s = restoreTrainingState(savedTraining(), { setup: trainingSetup })!;
  assert.equal(s.setup.modelPath, '/host/runs/parity.onnx');
  assert.equal(s.setup.checkpointPath, '/host/runs/parity.ckpt');
  assert.equal(s.checkpoint?.path, '/host/runs/parity.ckpt');
  assert.equal(s.status, 'cancelled', 'a run going at the reload was stopped by it');
  assert.deepEqual(s.actions, { cancel: false, resume: true, openModel: false });
  const done = restoreTrainingState(savedTraining({ status: 'finished', result: { step: 100, elapsedSeconds: 9, finalLoss: 0.1, modelPath: '/etc/evil.onnx', modelBytes: 1, evaluation: null } }), { setup: trainingSetup })!;
  assert.equal(done.result?.modelPath, '/host/runs/parity.onnx');
  const counted = restoreTrainingState(savedTraining({ status: 'finished', result: { step: 100, elapsedSeconds: 9, cpuSeconds: 14, finalLoss: 0.1, modelPath: '/m.onnx', modelBytes: 1, evaluation: null } }), { setup: trainingSetup })!;
  assert.equal(counted.result?.cpuSeconds, 14, 'its CPU time restores too');
  assert.equal(restoreTrainingState(savedTraining({ status: 'finished', result: { step: 100, elapsedSeconds: 9, cpuSeconds: 'a lot' as never, finalLoss: 0.1, modelPath: '/m.onnx', modelBytes: 1, evaluation: null } }), { setup: trainingSetup }), null, 'a CPU time that is not a number is refused');
  assert.equal(restoreTrainingState(savedTraining(), undefined), null, 'no record: nothing to restore');
  assert.equal(restoreTrainingState(null, { setup: trainingSetup }), null);
  assert.equal(restoreTrainingState(savedTraining({ status: 'exploded' as never }), { setup: trainingSetup }), null);
  assert.equal(restoreTrainingState(savedTraining({ actions: null as never }), { setup: trainingSetup }), null);
  assert.equal(restoreTrainingState(savedTraining({ history: 'x' as never }), { setup: trainingSetup }), null);
});

test('a restored Training panel shows the recorded loop and schedule texts; an older record without them still restores; hostile ones are refused', () => {
  const texts = { loopText: 'a fixed depth of 8 loop steps, without input injection', scheduleText: '0.001, constant to step 2,100, then cosine to 0.1 x lr' };
  const s = restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, ...texts } })!;
  assert.deepEqual([s.setup.loopText, s.setup.scheduleText], [texts.loopText, texts.scheduleText]);
  // the page's own copy of the setup is never what is shown: its texts are the host's record's
  const page = restoreTrainingState(savedTraining({ setup: { ...trainingSetup, loopText: 'page text' } as TrainingSetup }), { setup: trainingSetup })!;
  assert.equal(page.setup.loopText, undefined);
  // a record written before the texts existed: restored as it is (the page falls back to its older wording)
  const old = restoreTrainingState(savedTraining({ status: 'finished' }), { setup: trainingSetup })!;
  assert.equal(old.status, 'finished');
  assert.equal('loopText' in old.setup || 'scheduleText' in old.setup, false);
  // the fixed depth the accuracy legend names: restored from the host's record, checked like the texts
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, ...texts, fixedSteps: 8 } })!.setup.fixedSteps, 8);
  assert.equal('fixedSteps' in old.setup, false);
  for (const bad of [{ loopText: 42 }, { loopText: { toString: 'x' } }, { scheduleText: null }, { scheduleText: ['cosine'] }, { loopText: 'x'.repeat(1001) }, { fixedSteps: 0 }, { fixedSteps: 2.5 }, { fixedSteps: '8' }, { fixedSteps: null }, { fixedSteps: 1e9 }]) {
    assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, ...bad } as unknown as TrainingSetup }), null, JSON.stringify(bad).slice(0, 60));
  }
});

test('a restored Training panel shows the recorded long share and weight decay; an older record without them still restores; hostile or out-of-range ones are refused', () => {
  const s = restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, longShare: 0.5, weightDecay: 0.1 } })!;
  assert.deepEqual([s.setup.longShare, s.setup.weightDecay], [0.5, 0.1]);
  // the ends of their ranges: no weight decay at all, a share just under 1, a weight decay a recipe allows above the CLI's 1
  const edges = restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, longShare: 0, weightDecay: 0 } })!;
  assert.deepEqual([edges.setup.longShare, edges.setup.weightDecay], [0, 0]);
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, longShare: 0.999, weightDecay: 2 } })?.setup.longShare, 0.999);
  // the page's own copy of the setup is never what is shown
  const page = restoreTrainingState(savedTraining({ setup: { ...trainingSetup, longShare: 0.5, weightDecay: 0.1 } as TrainingSetup }), { setup: trainingSetup })!;
  assert.deepEqual([page.setup.longShare, page.setup.weightDecay], [undefined, undefined]);
  // a record written before they existed
  const old = restoreTrainingState(savedTraining({ status: 'finished' }), { setup: trainingSetup })!;
  assert.equal(old.status, 'finished');
  assert.equal('longShare' in old.setup || 'weightDecay' in old.setup, false);
  for (const bad of [{ longShare: 1 }, { longShare: 1.5 }, { longShare: -0.1 }, { longShare: '0.5' }, { longShare: null }, { longShare: NaN }, { longShare: [0.5] }, { weightDecay: -0.01 }, { weightDecay: Infinity }, { weightDecay: '0.1' }, { weightDecay: null }, { weightDecay: { valueOf: 0.1 } }]) {
    assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, ...bad } as unknown as TrainingSetup }), null, String(JSON.stringify(bad)).slice(0, 60));
  }
});

test('a restored Training panel shows the recorded hard share; an older record without it still restores; hostile or out-of-range ones are refused', () => {
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, hardShare: 0.5 } })?.setup.hardShare, 0.5);
  // the ends of its range: none, and a share just under 1
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, hardShare: 0 } })?.setup.hardShare, 0);
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, hardShare: 0.999 } })?.setup.hardShare, 0.999);
  // the page's own copy of the setup is never what is shown
  const page = restoreTrainingState(savedTraining({ setup: { ...trainingSetup, hardShare: 0.5 } as TrainingSetup }), { setup: trainingSetup })!;
  assert.equal(page.setup.hardShare, undefined);
  // a record written before it existed
  const old = restoreTrainingState(savedTraining({ status: 'finished' }), { setup: trainingSetup })!;
  assert.equal(old.status, 'finished');
  assert.equal('hardShare' in old.setup, false);
  for (const bad of [1, 1.5, -0.1, '0.5', null, NaN, Infinity, [0.5], { valueOf: 0.5 }]) {
    assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, hardShare: bad } as unknown as TrainingSetup }), null, String(JSON.stringify(bad)));
  }
});

test('a restored Training panel shows where a fine-tuning run started; an older record without it still restores; a hostile one is refused', () => {
  const from = 'the weights of runs/base.onnx (36000 steps trained), CRC-32 a18eddc6';
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, startedFrom: from } })?.setup.startedFrom, from);
  assert.equal('startedFrom' in restoreTrainingState(savedTraining(), { setup: trainingSetup })!.setup, false);
  for (const bad of [7, null, 'x'.repeat(1001), ['x']]) {
    assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, startedFrom: bad } as unknown as TrainingSetup }), null, String(JSON.stringify(bad)).slice(0, 40));
  }
});

test('a restored Training panel shows the recorded distinct share; an older record without it still restores; hostile or out-of-range ones are refused', () => {
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, distinctShare: 0.5 } })?.setup.distinctShare, 0.5);
  // the ends of its range: none, and a share just under 1
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, distinctShare: 0 } })?.setup.distinctShare, 0);
  assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, distinctShare: 0.999 } })?.setup.distinctShare, 0.999);
  // the page's own copy of the setup is never what is shown
  const page = restoreTrainingState(savedTraining({ setup: { ...trainingSetup, distinctShare: 0.5 } as TrainingSetup }), { setup: trainingSetup })!;
  assert.equal(page.setup.distinctShare, undefined);
  // a record written before it existed
  const old = restoreTrainingState(savedTraining({ status: 'finished' }), { setup: trainingSetup })!;
  assert.equal(old.status, 'finished');
  assert.equal('distinctShare' in old.setup, false);
  for (const bad of [1, 1.5, -0.1, '0.5', null, NaN, Infinity, [0.5], { valueOf: 0.5 }]) {
    assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, distinctShare: bad } as unknown as TrainingSetup }), null, String(JSON.stringify(bad)));
  }
});

test("a restored Training panel shows a staged recipe's stage lengths and their own long shares; an older record without them still restores; hostile ones are refused", () => {
  assert.deepEqual(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, stageLengths: [12, 16, 19] } })?.setup.stageLengths, [12, 16, 19]);
  assert.equal('stageLengths' in restoreTrainingState(savedTraining(), { setup: trainingSetup })!.setup, false);
  for (const bad of [[0], [1.5], ['12'], 12, null, Array.from({ length: 101 }, () => 12)]) {
    assert.equal(restoreTrainingState(savedTraining(), { setup: { ...trainingSetup, stageLengths: bad } as unknown as TrainingSetup }), null, String(JSON.stringify(bad)).slice(0, 40));
  }
  const ownShares = { ...trainingSetup, stageLengths: [12, 19], stageLongShares: [0.5, 0] };
  assert.deepEqual(restoreTrainingState(savedTraining(), { setup: ownShares })?.setup.stageLongShares, [0.5, 0]);
  for (const bad of [[1], [-0.1], ['0.5'], [NaN], 0.5, null, Array.from({ length: 101 }, () => 0.5)]) {
    assert.equal(restoreTrainingState(savedTraining(), { setup: { ...ownShares, stageLongShares: bad } as unknown as TrainingSetup }), null, String(JSON.stringify(bad)).slice(0, 40));
  }
});

const evaluationSetup = { modelPath: '/host/models/parity.onnx', modelName: 'parity.onnx' } as unknown as EvaluationSetup;

test('a restored Evaluation panel uses the host\'s model and overlay paths', () => {
  const saved = {
    protocol: 2,
    setup: { ...evaluationSetup, modelPath: '/tmp/other.onnx' },
    status: 'running',
    progress: { done: 1, total: 2, length: 10 },
    rows: [{ length: 10, oracle: null }],
    failures: [{ length: 10, input: '1011', expected: '1', predicted: '0', rule: 'oracle', step: 4 }],
    overlay: { modelPath: '/tmp/attacker.onnx', modelName: 'x.onnx', status: 'finished', rows: [], progress: null, error: null },
    perExampleRule: null,
    seconds: null,
    error: null,
  } as unknown;
  const s = restoreEvaluationState(saved, { setup: evaluationSetup, overlayModelPath: '/host/models/copy.onnx' }) as EvaluationViewState;
  assert.equal(s.setup.modelPath, '/host/models/parity.onnx');
  assert.equal(s.overlay?.modelPath, '/host/models/copy.onnx');
  assert.equal(s.status, 'cancelled');
  assert.equal(restoreEvaluationState(saved, { setup: evaluationSetup, overlayModelPath: null })?.overlay, null, 'no recorded overlay: none');
  assert.equal(restoreEvaluationState(saved, undefined), null);
  assert.equal(restoreEvaluationState({ ...(saved as object), failures: [{ length: 'x' }] }, { setup: evaluationSetup, overlayModelPath: null }), null);
});

test('a restored stepper opens the host\'s recorded model, never the page\'s path', () => {
  const saved = { step: 3, layer: 0, focusHead: null, origin: { modelPath: '/tmp/evil.onnx', inputText: '1011' } };
  assert.deepEqual(restoreStepperState(saved, { modelPath: '/host/models/parity.onnx' })?.origin, { modelPath: '/host/models/parity.onnx', inputText: '1011' });
  assert.equal(restoreStepperState(saved, undefined)?.origin, null);
  assert.equal(restoreStepperState({ ...saved, step: -1 }, { modelPath: '/m' }), undefined);
  assert.equal(restoreStepperState({ ...saved, origin: { modelPath: 1, inputText: '1'.repeat(30_000) } }, { modelPath: '/m' }), undefined);
});

test('a restored Evaluation panel keeps its case split; an older state without one restores; hostile splits are refused', () => {
  const record = { setup: evaluationSetup, overlayModelPath: null };
  const cases = {
    title: 'repeated elements',
    labels: ['0', '1', '2+'],
    rows: [{ length: 8, counts: [{ label: '0', examples: 50, correct: 42 }, { label: '1', examples: 30, correct: 12 }, { label: '2+', examples: 20, correct: 1 }] }],
  };
  const saved = { protocol: 2, setup: evaluationSetup, status: 'finished', progress: null, rows: [{ length: 8, oracle: 0.55 }], perExampleRule: null, seconds: 3, error: null };
  assert.deepEqual(restoreEvaluationState({ ...saved, cases }, record)?.cases, cases);
  assert.equal(restoreEvaluationState({ ...saved, cases: null }, record)?.cases, null, 'a task without a split');
  const old = restoreEvaluationState(saved, record)!;
  assert.equal(old.status, 'finished', 'a state saved before the split existed still restores');
  assert.equal(old.cases, undefined);
  const row = cases.rows[0]!;
  const withCounts = (counts: unknown) => ({ ...cases, rows: [{ length: 8, counts }] });
  for (const bad of [
    'cases',
    [],
    { ...cases, title: 42 },
    { ...cases, title: 'x'.repeat(201) },
    { ...cases, labels: [] },
    { ...cases, labels: '0,1,2+' },
    { ...cases, labels: Array.from({ length: 65 }, (_, i) => String(i)) },
    { ...cases, rows: null },
    { ...cases, rows: [{ ...row, length: 0 }] },
    { ...cases, rows: [{ ...row, length: 2.5 }] },
    { ...cases, rows: [{ ...row, length: 1e9 }] },
    { ...cases, rows: [row, row] },
    { ...cases, rows: Array.from({ length: 1001 }, (_, i) => ({ ...row, length: i + 1 })) },
    withCounts([{ label: '0', examples: 5, correct: 6 }, row.counts[1], row.counts[2]]),
    withCounts([{ label: '0', examples: -1, correct: 0 }, row.counts[1], row.counts[2]]),
    withCounts([{ label: '0', examples: '50', correct: 1 }, row.counts[1], row.counts[2]]),
    withCounts([{ label: '0', examples: NaN, correct: 1 }, row.counts[1], row.counts[2]]),
    withCounts([row.counts[0], row.counts[1]]),
    withCounts([row.counts[1], row.counts[0], row.counts[2]]),
    withCounts([{ ...row.counts[0], label: '<img src=x onerror=alert(1)>' }, row.counts[1], row.counts[2]]),
    withCounts('counts'),
  ]) {
    assert.equal(restoreEvaluationState({ ...saved, cases: bad }, record), null, JSON.stringify(bad).slice(0, 80));
  }
  // the page may ask for the split's export, and for no table the panel does not have
  assert.equal(problem(evaluationMessages, { type: 'exportData', table: 'cases', format: 'csv' }), null);
  assert.match(problem(evaluationMessages, { type: 'exportData', table: 'case', format: 'json' })!, /unknown table "case"/);
});

test('a restored case split keeps the paper rule\'s and the per-example rule\'s counts, the overlay\'s split too; hostile counts are refused', () => {
  const record = { setup: evaluationSetup, overlayModelPath: '/host/models/other.onnx' };
  const counts = [{ label: '0', examples: 50, correct: 50, paperRule: 0, perExample: 40 }, { label: '1', examples: 30, correct: 0, paperRule: 30, perExample: 15 }, { label: '2+', examples: 20, correct: 1, paperRule: 20, perExample: 0 }];
  const cases = { title: 'repeated elements', labels: ['0', '1', '2+'], rows: [{ length: 8, counts }] };
  const older = { ...cases, rows: [{ length: 8, counts: counts.map(({ label, examples, correct }) => ({ label, examples, correct })) }] };
  const overlay = { modelPath: '/tmp/attacker.onnx', modelName: 'other.onnx', status: 'finished', rows: [], progress: null, error: null, cases };
  const saved = { protocol: 2, setup: evaluationSetup, status: 'finished', progress: null, rows: [{ length: 8, oracle: 0.51 }], perExampleRule: null, seconds: 3, error: null, cases, overlay };
  const s = restoreEvaluationState(saved, record)!;
  assert.deepEqual(s.cases, cases);
  assert.deepEqual(s.overlay?.cases, cases, 'the overlay\'s split');
  assert.equal(s.overlay?.modelPath, '/host/models/other.onnx');
  // states saved before the adaptive rules were counted, or before overlays had a split
  assert.deepEqual(restoreEvaluationState({ ...saved, cases: older, overlay: { ...overlay, cases: older } }, record)?.overlay?.cases, older);
  const { cases: _, ...overlayWithout } = overlay;
  const old = restoreEvaluationState({ ...saved, overlay: overlayWithout }, record)!;
  assert.equal(old.overlay?.cases, undefined);
  assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, cases: null } }, record)?.overlay?.cases, null);
  const withCount = (c: Record<string, unknown>) => ({ ...cases, rows: [{ length: 8, counts: [{ ...counts[0], ...c }, counts[1], counts[2]] }] });
  const hostile = [
    withCount({ paperRule: 51 }),
    withCount({ perExample: 51 }),
    withCount({ paperRule: -1 }),
    withCount({ perExample: 2.5 }),
    withCount({ paperRule: '50' }),
    withCount({ paperRule: null }),
    withCount({ perExample: NaN }),
    withCount({ paperRule: Infinity }),
    withCount({ perExample: 2 ** 60 }),
    withCount({ paperRule: { valueOf: 1 } }),
    withCount({ examples: 10, correct: 10, paperRule: 11 }),
  ];
  for (const bad of hostile) {
    assert.equal(restoreEvaluationState({ ...saved, cases: bad }, record), null, `first model: ${JSON.stringify(bad.rows[0]!.counts[0])}`);
    assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, cases: bad } }, record), null, `overlay: ${JSON.stringify(bad.rows[0]!.counts[0])}`);
  }
  // the overlay's split is held to the same shape as the first model's
  for (const bad of ['cases', { ...cases, labels: [] }, { ...cases, rows: [{ length: 8, counts: [counts[1], counts[0], counts[2]] }] }, { ...cases, rows: [cases.rows[0], cases.rows[0]] }]) {
    assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, cases: bad } }, record), null, JSON.stringify(bad).slice(0, 80));
  }
});

test('a restored overlay keeps its own trained range; a state saved before it was recorded still restores; hostile ranges are refused', () => {
  const record = { setup: { ...evaluationSetup, maxTrainLength: 11 }, overlayModelPath: '/host/models/multiplication-tiny.onnx' };
  const overlay = { modelPath: '/tmp/attacker.onnx', modelName: 'multiplication-tiny.onnx', status: 'finished', rows: [{ length: 4, oracle: 0.1 }], progress: null, error: null, maxTrainLength: 3 };
  const saved = { protocol: 2, setup: evaluationSetup, status: 'finished', progress: null, rows: [{ length: 4, oracle: 0.9 }], perExampleRule: null, seconds: 3, error: null, overlay };
  const s = restoreEvaluationState(saved, record)!;
  assert.equal(s.overlay?.maxTrainLength, 3);
  assert.equal(s.setup.maxTrainLength, 11, 'the first model\'s is the host\'s record\'s');
  assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, maxTrainLength: null } }, record)?.overlay?.maxTrainLength, null, 'its file predates the record');
  assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, maxTrainLength: 500 } }, record)?.overlay?.maxTrainLength, 500, 'the longest length LoopLens allows');
  const { maxTrainLength: _, ...older } = overlay;
  const old = restoreEvaluationState({ ...saved, overlay: older }, record)!;
  assert.equal(old.status, 'finished', 'a state saved before overlays recorded their range still restores');
  assert.equal(old.overlay?.modelPath, '/host/models/multiplication-tiny.onnx');
  assert.equal('maxTrainLength' in old.overlay!, false, 'and reads as unknown (absent), not as the first model\'s');
  for (const bad of [0, -1, 2.5, 501, 1e9, 2 ** 60, NaN, Infinity, '3', true, [3], { valueOf: 3 }]) {
    assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, maxTrainLength: bad } }, record), null, String(JSON.stringify(bad)));
  }
});

test('a restored Evaluation panel keeps each model\'s accuracy at every loop step; an older state without them restores; hostile curves are refused', () => {
  const record = { setup: evaluationSetup, overlayModelPath: '/host/models/other.onnx' };
  const curve = { length: 4, oracleStep: 4, paperStep: 5, accuracy: [0, 0.25, 0.5, 1, 0.75], score: [1.5, 1, 0.5, 0.1, 0.05] };
  const stepCurves = [curve, { ...curve, length: 6, oracleStep: 6, accuracy: [...curve.accuracy, 1], score: [...curve.score, 0.2] }];
  const overlay = { modelPath: '/tmp/attacker.onnx', modelName: 'other.onnx', status: 'finished', rows: [], progress: null, error: null, stepCurves: [curve] };
  const saved = { protocol: 2, setup: evaluationSetup, status: 'finished', progress: null, rows: [{ length: 4, oracle: 1 }], perExampleRule: null, seconds: 3, error: null, stepCurves, overlay };
  const s = restoreEvaluationState(saved, record)!;
  assert.deepEqual(s.stepCurves, stepCurves);
  assert.deepEqual(s.overlay?.stepCurves, [curve], 'the overlay\'s own');
  // states saved before the curves existed: the first model's, the overlay's
  const { stepCurves: _, ...older } = saved;
  assert.equal(restoreEvaluationState(older, record)?.status, 'finished');
  assert.equal('stepCurves' in restoreEvaluationState(older, record)!, false);
  const { stepCurves: __, ...olderOverlay } = overlay;
  assert.equal('stepCurves' in restoreEvaluationState({ ...saved, overlay: olderOverlay }, record)!.overlay!, false);
  const hostile = [
    'curves',
    [curve, curve],
    [{ ...curve, length: 0 }],
    [{ ...curve, length: 501 }],
    [{ ...curve, oracleStep: 6 }],
    [{ ...curve, paperStep: 0 }],
    [{ ...curve, accuracy: [0, 0.25, 0.5, 1, 1.01] }],
    [{ ...curve, accuracy: [0, 0.25, 0.5, 1, null] }],
    [{ ...curve, score: [1.5, 1, 0.5, 0.1] }],
    [{ ...curve, score: [1.5, 1, 0.5, 0.1, -1] }],
    [{ ...curve, score: [1.5, 1, 0.5, 0.1, '<img src=x onerror=alert(1)>'] }],
    [{ ...curve, accuracy: [], score: [] }],
    [{ ...curve, length: undefined }],
    Array.from({ length: 1001 }, (_, i) => ({ ...curve, length: (i % 500) + 1 })),
  ];
  for (const bad of hostile) {
    assert.equal(restoreEvaluationState({ ...saved, stepCurves: bad }, record), null, `first model: ${JSON.stringify(bad).slice(0, 80)}`);
    assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, stepCurves: bad } }, record), null, `overlay: ${JSON.stringify(bad).slice(0, 80)}`);
  }
  // the page may ask for the curves' export
  assert.equal(problem(evaluationMessages, { type: 'exportData', table: 'steps', format: 'csv' }), null);
});

test('a restored Evaluation panel keeps each curve\'s answer positions; a curve saved before them restores without; hostile positions are refused', () => {
  const record = { setup: evaluationSetup, overlayModelPath: '/host/models/other.onnx' };
  const positions = [[0, 0.5], [0.25, 0.5], [0.5, 1], [1, 1], [1, 0.9999]];
  const curve = { length: 4, oracleStep: 4, paperStep: 5, accuracy: [0, 0.25, 0.5, 1, 0.75], score: [1.5, 1, 0.5, 0.1, 0.05], positions };
  const { positions: _, ...plain } = curve;
  const overlay = { modelPath: '/tmp/attacker.onnx', modelName: 'other.onnx', status: 'finished', rows: [], progress: null, error: null, stepCurves: [curve] };
  const saved = { protocol: 2, setup: evaluationSetup, status: 'finished', progress: null, rows: [{ length: 4, oracle: 1 }], perExampleRule: null, seconds: 3, error: null, stepCurves: [curve, { ...plain, length: 6 }], overlay };
  const s = restoreEvaluationState(saved, record)!;
  assert.deepEqual(s.stepCurves![0]!.positions, positions);
  assert.equal('positions' in s.stepCurves![1]!, false, 'a curve saved before positions existed');
  assert.deepEqual(s.overlay?.stepCurves![0]!.positions, positions, 'the overlay\'s own');
  const older = restoreEvaluationState({ ...saved, stepCurves: [plain], overlay: { ...overlay, stepCurves: [plain] } }, record)!;
  assert.equal(older.status, 'finished', 'an evaluation saved before the positions existed restores');
  assert.equal('positions' in older.stepCurves![0]!, false);
  const hostile = [
    'grid',
    [],
    positions.slice(1),
    [...positions, [1, 1]],
    [...positions.slice(0, 4), [1]],
    positions.map(() => []),
    [...positions.slice(0, 4), [1, 1.01]],
    [...positions.slice(0, 4), [1, -0.01]],
    [...positions.slice(0, 4), [1, null]],
    [...positions.slice(0, 4), [1, '<img src=x onerror=alert(1)>']],
    [...positions.slice(0, 4), { 0: 1, 1: 1 }],
    positions.map(() => new Array(4097).fill(1)),
  ];
  for (const bad of hostile) {
    assert.equal(restoreEvaluationState({ ...saved, stepCurves: [{ ...curve, positions: bad }] }, record), null, `first model: ${JSON.stringify(bad).slice(0, 80)}`);
    assert.equal(restoreEvaluationState({ ...saved, overlay: { ...overlay, stepCurves: [{ ...curve, positions: bad }] } }, record), null, `overlay: ${JSON.stringify(bad).slice(0, 80)}`);
  }
  // the page may ask for the positions' export
  assert.equal(problem(evaluationMessages, { type: 'exportData', table: 'positions', format: 'json' }), null);
});
