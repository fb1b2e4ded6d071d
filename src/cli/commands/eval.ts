// `looplens eval MODEL --lengths 10,20,30,40 [--examples N] [--batch B]`: accuracy vs test length
// under the oracle, the paper's max-confidence rule (one step per length) and the per-example rule.
import * as path from 'node:path';
import { modelTestLengths } from '../../core/train/testLengths';
import { CALIBRATION_EXAMPLES } from '../../core/eval/calibration';
import { evaluationRunsAtOnce, fittingBatchSize } from '../../core/eval/evalLimits';
import { evaluateParams, ORACLE, PER_BATCH, PER_EXAMPLE, PER_EXAMPLE_VARIANTS } from '../../core/eval/evaluate';
import { loadModel } from '../../core/model/modelFile';
import { injectionText, loopRuleText } from '../../core/model/modelMetadata';
import { defineCommand } from '../framework/command';
import { UsageError } from '../framework/errors';
import { ALL_RULE_COLUMNS, DEFAULT_EVAL_BATCH, printCaseTable, printErrorTable, printEvalTable, printFormationTable, printPositionTable, printStepTable, evalProviderFrom, evalProviderOptions, tasksWithCases } from '../support/training';
import { recordedTrainedLengths, trainedLengthsText } from '../../core/train/trainRecord';
import { describeRule } from '../../core/infer/halting';
import type { CaseCount } from '../../core/eval/caseTally';
import type { TaskCases } from '../../core/tasks/types';

/** --json's case split: byLength keeps its shape (scripts read it); `rules` names what each count of a case counts. */
function casesJson(split: TaskCases, cases: Map<number, CaseCount[]>, perExampleRule: string) {
  return { title: split.title, labels: split.labels, rules: { correct: describeRule(ORACLE), paperRule: describeRule(PER_BATCH), perExample: perExampleRule }, byLength: Object.fromEntries(cases) };
}

export const evalCommand = defineCommand({
  name: 'eval',
  summary: 'Evaluate a model file: exact-match accuracy vs input length, oracle and adaptive stopping.',
  usage: 'looplens eval MODEL [--lengths L,L,...] [--examples N] [--batch B] [--seed S] [--all-rules] [--calibrated] [--positions] [--errors] [--cases] [--by-step] [--json]',
  positionals: [{ name: 'MODEL', description: 'a .onnx model file written by looplens train', required: true }],
  options: {
    lengths: { type: 'string', valueName: 'L,L,...', description: 'test lengths (n; n_b for multiplication with n_a = 2)', defaultText: "half and all of the model's longest training length, half-way to the task's test length and the test length, e.g. 10,20,30,40 for parity" },
    examples: { type: 'string', valueName: 'N', description: 'random examples per length (the paper reports 6400)', defaultText: '1280' },
    batch: { type: 'string', valueName: 'B', description: 'examples per inference batch', defaultText: '256, or the largest batch the memory budget allows' },
    seed: { type: 'string', valueName: 'S', description: 'seed of the test examples', defaultText: '1234' },
    'all-rules': { type: 'boolean', description: 'also report the other per-example rules (answer position, least confident position, stable for 3 steps)' },
    calibrated: { type: 'boolean', description: 'also report the length-calibrated per-example rule (the paper rule on a separate batch of random inputs)' },
    positions: { type: 'boolean', description: "also print accuracy per answer position at T(n) and at the paper rule's step (where in the answer the model goes wrong); with --by-step, --json has it at every step" },
    errors: { type: 'boolean', description: "also print what the model wrote at the answer positions it got wrong at T(n): a neighbouring position's answer (a count or pointer one off), a pad where an answer was due, or other; and the one edit that makes each wrong answer right (one answer left out, one too many, one replaced, two swapped), or how many edits it takes (two, three, four, 5 or more)" },
    cases: { type: 'boolean', description: 'also print accuracy split by what makes an input hard (unique_set: repeated elements; addition: longest carry chain; multiplication: 1 bits in a), at T(n) and under the paper rule; --json adds the per-example rule' },
    'by-step': { type: 'boolean', description: "also print accuracy and the paper rule's confidence at every loop step up to T(n) + the adaptive rule's extra steps (where the answer forms and whether it holds past T(n))" },
    json: { type: 'boolean', description: 'print the summary as JSON' },
    ...evalProviderOptions,
  },
  examples: ['looplens eval runs/parity-cpu.onnx', 'looplens eval models/parity.onnx --lengths 40 --examples 6400', 'looplens eval models/copy.onnx --lengths 30,38 --by-step'],
  async run(args, ctx) {
    const file = path.resolve(ctx.cwd, args.requiredPositional(0, 'MODEL'));
    const ep = evalProviderFrom(args, ctx);
    const lengthsArg = args.intList('lengths', { min: 1, max: 500 });
    const examples = args.intOr('examples', 1280, { min: 1, max: 10_000_000 });
    const batchArg = args.int('batch', { min: 1, max: 4096 });
    const seed = args.intOr('seed', 1234, { min: 0, max: 2 ** 31 - 1 });
    const allRules = args.flag('all-rules');
    const rules = allRules ? [ORACLE, PER_BATCH, ...PER_EXAMPLE_VARIANTS] : [ORACLE, PER_BATCH, PER_EXAMPLE];
    const json = args.flag('json');
    const model = await loadModel(file);
    const lengths = lengthsArg ?? modelTestLengths(model);
    const split = args.flag('cases') ? model.task.cases : undefined;
    if (args.flag('cases') && !split) throw new UsageError(`--cases: ${model.task.name} has no case split; tasks with one: ${tasksWithCases().join(', ')}`);

    const c = model.config;
    const tr = model.metadata.training;
    if (!json) ctx.print(`${model.task.title} model ${path.basename(file)}: d=${c.d}, ${c.layers} layer(s), ${c.heads} heads; trained ${tr.stepsCompleted} steps (${tr.preset} preset) on lengths ${trainedLengthsText(recordedTrainedLengths(tr))}`);
    if (!json) ctx.print(`loops: ${loopRuleText(model.metadata.stepsRule)}; ${injectionText(c)}`);
    const calibration = args.flag('calibrated') ? CALIBRATION_EXAMPLES : 0;
    // without --batch, the default batch shrinks to what the memory budget allows with the workers' batches in flight
    // (the inputs and results are the same); --calibrated calibrates per batch, so its batch never depends on the workers
    const runsAtOnce = calibration ? 1 : evaluationRunsAtOnce(ep.workers);
    const batchSize = batchArg ?? fittingBatchSize(model.task, c, { lengths, examples, batchSize: DEFAULT_EVAL_BATCH, calibration, runsAtOnce });
    if (batchArg === undefined && batchSize < Math.min(DEFAULT_EVAL_BATCH, examples) && !json) ctx.print(`batches of ${batchSize} examples: ${DEFAULT_EVAL_BATCH} would not fit LoopLens's evaluation memory budget at length ${Math.max(...lengths)}${runsAtOnce > 1 ? ` with ${ep.workers} workers' batches in flight` : ''}`);
    const bar = ctx.progress({ label: 'evaluating', total: lengths.length * Math.ceil(examples / batchSize), unit: 'batch' });
    const r = await evaluateParams(model.task, c, model.params, {
      lengths,
      examples,
      batchSize,
      seed,
      rules,
      calibration,
      positions: args.flag('positions'),
      errors: args.flag('errors'),
      cases: split !== undefined,
      byStep: args.flag('by-step'),
      provider: ep.provider,
      cpuThreads: ep.cpuThreads,
      workers: ep.workers,
      log: ep.log,
      onProgress: (p) => bar.update(p.done, { n: p.length }),
    });
    bar.finish();
    if (json) {
      ctx.print(JSON.stringify({ model: file, stepsRule: model.metadata.stepsRule, inputInjection: c.inputInjection, summary: r.summary, rules: r.report.toJSON(), ...(r.positions ? { positions: Object.fromEntries(r.positions) } : {}), ...(r.paperPositions ? { paperPositions: Object.fromEntries(r.paperPositions) } : {}), ...(r.errors ? { errors: Object.fromEntries(r.errors) } : {}), ...(r.wrongExamples ? { wrongExamples: Object.fromEntries(r.wrongExamples) } : {}), ...(split && r.cases ? { cases: casesJson(split, r.cases, r.summary.perExampleRule) } : {}), ...(r.byStep ? { byStep: Object.fromEntries(r.byStep) } : {}), seconds: r.seconds }, null, 2));
      return;
    }
    ctx.print(`\nexact match, ${examples} examples per length, batches of ${batchSize} (${r.seconds.toFixed(1)} s):`);
    printEvalTable(ctx, r.report, allRules ? ALL_RULE_COLUMNS : undefined, r.calibrated);
    if (r.positions) printPositionTable(ctx, r.positions, r.paperPositions && { positions: r.paperPositions, steps: new Map(r.summary.rows.map((row) => [row.length, row.perBatchStep])) });
    if (r.errors) printErrorTable(ctx, r.errors, { heading: 'what the model wrote at the answer positions it got wrong at T(n):', head: 'written', total: 'wrong positions' });
    if (r.wrongExamples) printErrorTable(ctx, r.wrongExamples, { heading: 'the one edit that makes each wrong answer at T(n) right, where one does, else how many it takes:', head: 'edit', total: 'wrong examples' });
    if (split && r.cases) printCaseTable(ctx, split, r.cases);
    if (r.byStep) printStepTable(ctx, r.byStep);
    if (r.byStep) printFormationTable(ctx, r.byStep);
  },
});
