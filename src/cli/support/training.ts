// Shared by `looplens train` and the main job: run a training job with a progress bar, Ctrl-C
// that checkpoints and stops, and the evaluation table.
import type { ExecutionProviderSetting } from '../../core/infer/executionProvider';
import { defaultDataParallel, type DataParallelOptions } from '../../core/train/dataParallel';
import { ORACLE, PER_BATCH, PER_EXAMPLE, PER_EXAMPLE_VARIANTS, type CalibratedStats, type EvaluateResult, type StepCurve } from '../../core/eval/evaluate';
import type { HaltingRule } from '../../core/infer/halting';
import { defaultEvalWorkers } from '../../core/infer/evalRunner';
import { renderTable, type LengthReport } from '../../core/eval/lengthReport';
import type { PositionTally } from '../../core/eval/metrics';
import { FORMED_ACCURACY, slotFormation } from '../../core/eval/slotFormation';
import type { CaseCount } from '../../core/eval/caseTally';
import { runTrainJob, type KeptBranch, type TrainJobOptions, type TrainJobResult } from '../../core/train/trainJob';
import { minutesText } from '../../core/train/trainRecord';
import type { QuickEvalPoint, QuickEvalRow, TrainEvent, TrainResult } from '../../core/train/trainEvents';
import { getTask, taskNames, type TaskCases } from '../../core/tasks';
import type { Args } from '../framework/args';
import { UsageError } from '../framework/errors';
import type { CliContext, OptionSpec } from '../framework/command';
import type { ProgressReporter } from '../framework/progress';
import { shownPath } from './shownPath';

/** Examples per inference batch of `looplens eval` and `compare` unless --batch says otherwise (or the memory budget allows fewer). */
export const DEFAULT_EVAL_BATCH = 256;

const pct = (v: number) => `${(100 * v).toFixed(1)}%`;
const pctOr = (v: number | undefined) => (v === undefined ? '-' : pct(v));

/** "trained 800 steps in 96.2 min (CPU time 90.1 min)": a finished run's steps, wall time and, where counted, CPU time. */
export function trainedStepsText(r: Pick<TrainResult, 'step' | 'elapsedSeconds' | 'cpuSeconds'>): string {
  const cpu = r.cpuSeconds === undefined ? '' : ` (CPU time ${minutesText(r.cpuSeconds)})`;
  return `trained ${r.step} steps in ${minutesText(r.elapsedSeconds)}${cpu}`;
}

/** A learning-curve line: "step 500: n=10 oracle 50.0% adaptive 45.3%, …", then the current branch's own when the run keeps its branches. */
export function curvePointText(p: QuickEvalPoint): string {
  const rows = (rs: QuickEvalRow[]) => rs.map((r) => `n=${r.length} oracle ${pct(r.oracle)} adaptive ${pct(r.perBatch)}`).join(', ');
  return `step ${p.step}: ${rows(p.rows)}${p.branch ? `; branch ${p.branch.index} alone: ${rows(p.branch.rows)}` : ''}`;
}

export const providerOptions: Record<string, OptionSpec> = {
  ep: { type: 'string', valueName: 'auto|cpu|cuda', description: 'where ONNX Runtime runs', defaultText: 'auto' },
  threads: { type: 'string', valueName: 'N', description: 'CPU threads (0: ONNX Runtime decides)', defaultText: '0' },
};

/** An evaluating command's options: the provider's, and the workers that share its batches. */
export const evalProviderOptions: Record<string, OptionSpec> = {
  ...providerOptions,
  workers: { type: 'string', valueName: 'N', description: 'evaluation workers of one CPU thread each, sharing the batches (faster on several cores than one session on them; the numbers do not change; CUDA runs one session)', defaultText: 'one per core (up to 4); 1 with --threads' },
};

export interface ProviderChoice {
  provider: ExecutionProviderSetting;
  cpuThreads: number | undefined;
  log: (message: string) => void;
  /** `looplens train --data-parallel`: batches shared between one-thread worker sessions. */
  dataParallel?: DataParallelOptions;
}

/** The worker threads of `--data-parallel`: the bundle beside this one (dist/gradient-worker.js; from the sources, the checkout's dist). */
export function dataParallelChoice(ep: ProviderChoice, maxWidth?: number): DataParallelOptions {
  if (ep.provider === 'cuda') throw new UsageError('--data-parallel shares batches between CPU threads; it does not go with --ep cuda');
  try {
    return defaultDataParallel(__dirname, maxWidth);
  } catch (err) {
    throw new UsageError(`--data-parallel: ${(err as Error).message}`);
  }
}

/** --ep / --threads, with the CPU-fallback note printed once, not per session. */
/** The provider and workers of an evaluating command (evalProviderOptions): --threads alone means one session on that many threads. */
export function evalProviderFrom(args: Args, ctx: CliContext): ProviderChoice & { workers: number } {
  const ep = providerFrom(args, ctx);
  const workers = args.int('workers', { min: 1, max: 64 }) ?? (args.int('threads', { min: 0, max: 256 }) === undefined ? defaultEvalWorkers() : 1);
  return { ...ep, workers };
}

export function providerFrom(args: Args, ctx: CliContext, defaultThreads = 0): ProviderChoice {
  const provider = args.choice('ep', ['auto', 'cpu', 'cuda'] as const) ?? 'auto';
  const threads = args.intOr('threads', defaultThreads, { min: 0, max: 256 });
  const seen = new Set<string>();
  return {
    provider,
    cpuThreads: threads === 0 ? undefined : threads,
    log: (m) => {
      if (seen.has(m)) return;
      seen.add(m);
      ctx.warn(m);
    },
  };
}

/** Runs the job with a progress bar; Ctrl-C (SIGINT) stops at the next step boundary after a checkpoint. */
export async function trainWithProgress(ctx: CliContext, job: Omit<TrainJobOptions, 'onEvent' | 'signal'>, label: string): Promise<TrainJobResult> {
  const abort = new AbortController();
  const onSigint = () => {
    if (abort.signal.aborted) process.exit(130); // a second Ctrl-C: give up at once
    ctx.warn('\nstopping after this step (checkpoint first; Ctrl-C again to quit at once)…');
    abort.abort();
  };
  process.on('SIGINT', onSigint);
  let bar: ProgressReporter | undefined;
  let compiledOnce = false;
  let etaSeconds: number | undefined; // the trainer's estimate: later steps are slower (longer inputs)
  let evalBar: ProgressReporter | undefined;
  const onEvent = (e: TrainEvent) => {
    switch (e.type) {
      case 'start':
        if (e.forkedFrom !== undefined) ctx.warn(`going on from ${e.forkedFrom} at step ${e.step}, as a run of its own (its checkpoint: ${e.checkpointPath})`);
        else if (e.resumed) ctx.warn(`resuming from ${e.checkpointPath} at step ${e.step}`);
        bar = ctx.progress({ label, total: e.recipe.steps, unit: 'step', remainingSeconds: () => etaSeconds });
        bar.update(e.step);
        break;
      case 'phase':
        if (e.phase === 'compiling' && !compiledOnce) bar?.log('compiling the training graph…');
        if (e.phase === 'compiling') compiledOnce = true;
        break;
      case 'progress':
        etaSeconds = e.etaSeconds;
        bar?.update(e.step, { loss: e.loss, lr: e.lr, n: e.nPoints - 1 });
        break;
      case 'eval':
        bar?.log(curvePointText(e.entry));
        break;
      case 'saved':
        bar?.log(`saved the weights at step ${e.step} as ${shownPath(ctx.cwd, e.path)}, and the run's checkpoint there as ${shownPath(ctx.cwd, e.checkpointPath)} (go on from it with other later stages: --resume-from)`);
        break;
      case 'done':
        bar?.finish(e.finalLoss === null ? {} : { loss: e.finalLoss });
        break;
      default:
        break;
    }
  };
  try {
    return await runTrainJob({
      ...job,
      onEvent,
      signal: abort.signal,
      onEvalProgress: (p) => {
        evalBar ??= ctx.progress({ label: 'evaluating', total: p.total, unit: 'batch' });
        evalBar.update(p.done, { n: p.length });
        if (p.done === p.total) {
          evalBar.finish();
          evalBar = undefined; // a kept branch is evaluated next, on a bar of its own
        }
      },
    });
  } finally {
    process.off('SIGINT', onSigint);
  }
}


export const DEFAULT_RULE_COLUMNS: { rule: HaltingRule; title: string }[] = [
  { rule: ORACLE, title: 'oracle' },
  { rule: PER_BATCH, title: 'paper rule' },
  { rule: PER_EXAMPLE, title: 'per-example' },
];

export const ALL_RULE_COLUMNS: { rule: HaltingRule; title: string }[] = [
  { rule: ORACLE, title: 'oracle' },
  { rule: PER_BATCH, title: 'paper rule' },
  ...PER_EXAMPLE_VARIANTS.map((rule) => ({
    rule,
    title: rule.kind === 'stable' ? `stable${rule.hold}` : rule.kind === 'example-confidence' ? `ex-${rule.score}` : rule.kind,
  })),
];

/** The evaluation table: accuracy per rule, then the mean chosen step of each adaptive rule. */
export function printEvalTable(ctx: CliContext, report: LengthReport, columns = DEFAULT_RULE_COLUMNS, calibrated?: Map<number, CalibratedStats>): void {
  const num = (v: number | undefined) => (v === undefined ? '-' : v.toFixed(1));
  const adaptive = columns.filter((c) => c.rule.kind !== 'oracle');
  const head = ['length', 'T(n)', ...columns.map((c) => `${c.title} acc`), ...(calibrated ? ['calibrated acc'] : []), ...adaptive.map((c) => `${c.title} step`), ...(calibrated ? ['calibrated step'] : [])];
  const body = report.table().map((row) => {
    const cal = calibrated?.get(row.length);
    return [
      String(row.length),
      String(row.oracleStep),
      ...columns.map((c) => pctOr(report.accuracy(row.length, c.rule))),
      ...(calibrated ? [pctOr(cal && cal.correct / cal.examples)] : []),
      ...adaptive.map((c) => num(report.meanStep(row.length, c.rule))),
      ...(calibrated ? [num(cal && cal.stepSum / cal.examples)] : []),
    ];
  });
  ctx.print(renderTable(head, body));
  ctx.print('');
  ctx.print("oracle: read at T(n).  paper rule: the paper's max-confidence rule, one step for all the test examples of a length.");
  ctx.print('per-example: each example at its own most confident step (mean -log max prob over the answer). step = mean chosen step.');
  if (calibrated) ctx.print('calibrated: each batch read at the step the paper rule picks on a separate batch of random inputs of that length.');
}

/** A model's evaluation, titled for a comparison table; undefined when it was not evaluated. */
export interface ComparedModel {
  title: string;
  result: EvaluateResult | undefined;
}

/** Models side by side, a row per length of the first and a column per model: oracle / paper rule ('-' where a model was not evaluated). */
export function printModelComparison(ctx: CliContext, models: readonly ComparedModel[]): void {
  const rows = models.find((m) => m.result)?.result?.report.table();
  if (!rows) return;
  const cell = (result: EvaluateResult | undefined, length: number) => (result ? `${pctOr(result.report.accuracy(length, ORACLE))} / ${pctOr(result.report.accuracy(length, PER_BATCH))}` : '-');
  ctx.print('\nexact match, oracle / paper rule:');
  ctx.print(renderTable(['length', ...models.map((m) => m.title)], rows.map((row) => [String(row.length), ...models.map((m) => cell(m.result, row.length))])));
}

/**
 * The kept branches of a run's last stage beside the run's model (their mean): where each was saved
 * and, when they were evaluated, each one's accuracy under the oracle and the paper's rule per length.
 */
export function printKeptBranches(ctx: CliContext, branches: readonly KeptBranch[], mean: EvaluateResult | undefined): void {
  ctx.print('');
  for (const b of branches) ctx.print(`branch ${b.index} of ${b.of}: ${b.modelPath ?? "not kept: it finished before a resume from a checkpoint that did not keep each branch's weights"}`);
  if (mean === undefined || branches.every((b) => b.evaluation === undefined)) return;
  ctx.print('\nthe model (their mean) and each branch alone:');
  printModelComparison(ctx, [{ title: 'the model (their mean)', result: mean }, ...branches.map((b) => ({ title: `branch ${b.index}`, result: b.evaluation }))]);
}

/**
 * Accuracy per answer position, one row per length: where in the answer a model goes wrong, at T(n)
 * and, when the paper's rule was scored, at the step it picks for the length (marked per row).
 */
export function printPositionTable(ctx: CliContext, positions: Map<number, PositionTally>, atPaperStep?: { positions: Map<number, PositionTally>; steps: Map<number, number> }): void {
  const tables = [{ tallies: positions, title: 'at T(n)', step: undefined as Map<number, number> | undefined }];
  if (atPaperStep) tables.push({ tallies: atPaperStep.positions, title: "at the step the paper's rule picks (step P)", step: atPaperStep.steps });
  const widest = Math.max(...tables.flatMap((t) => [...t.tallies.values()].map((tally) => tally.seen.length)));
  for (const t of tables) {
    const head = ['length', ...(t.step ? ['P'] : []), ...Array.from({ length: widest }, (_, k) => `+${k}`)];
    const body = [...t.tallies.entries()]
      .sort(([a], [b]) => a - b)
      .map(([n, tally]) => [String(n), ...(t.step ? [String(t.step.get(n) ?? '')] : []), ...Array.from({ length: widest }, (_, k) => (tally.seen[k] ? (100 * tally.correct[k]! / tally.seen[k]!).toFixed(0) : ''))]);
    ctx.print('');
    ctx.print(`accuracy (%) per masked position ${t.title}; +0 is the '=' position, then the rest of the answer and the trailing pads:`);
    ctx.print(renderTable(head, body));
  }
}

/** Wrong positions or examples at T(n) by kind: a row per kind (most frequent first over all lengths), a column per length, "count (share%)". */
export function printErrorTable(ctx: CliContext, errors: Map<number, [string, number][]>, what: { heading: string; head: string; total: string }): void {
  const lengths = [...errors.keys()].sort((a, b) => a - b);
  const totals = new Map<string, number>();
  for (const rows of errors.values()) for (const [kind, count] of rows) totals.set(kind, (totals.get(kind) ?? 0) + count);
  const kinds = [...totals.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0])).map(([kind]) => kind);
  const wrong = new Map(lengths.map((n) => [n, errors.get(n)!.reduce((sum, [, c]) => sum + c, 0)]));
  const cell = (n: number, kind: string) => {
    const count = errors.get(n)!.find(([k]) => k === kind)?.[1];
    return count === undefined ? '' : `${count} (${((100 * count) / wrong.get(n)!).toFixed(1)}%)`;
  };
  ctx.print('');
  ctx.print(what.heading);
  ctx.print(renderTable([what.head, ...lengths.map((n) => `n = ${n}`)], [[what.total, ...lengths.map((n) => String(wrong.get(n)))], ...kinds.map((kind) => [kind, ...lengths.map((n) => cell(n, kind))])]));
}

/**
 * Accuracy and the paper's confidence score at every loop step, a column per length: where the answer
 * forms, whether it holds past T(n), and why the paper's rule stops where it does.
 */
export function printStepTable(ctx: CliContext, byStep: Map<number, StepCurve>): void {
  const curves = [...byStep.entries()].sort(([a], [b]) => a - b);
  const longest = Math.max(...curves.map(([, c]) => c.accuracy.length));
  const cell = (c: StepCurve, t: number) => {
    if (t > c.accuracy.length) return '';
    const marks = `${t === c.oracleStep ? ' T' : ''}${t === c.paperStep ? ' P' : ''}`;
    return `${(100 * c.accuracy[t - 1]!).toFixed(1).padStart(5)} ${c.score[t - 1]!.toFixed(3)}${marks}`;
  };
  const body = Array.from({ length: longest }, (_, i) => [String(i + 1), ...curves.map(([, c]) => cell(c, i + 1))]);
  ctx.print('');
  ctx.print("accuracy (%) and confidence (mean -log max p over the answer; lower is surer) at every loop step; T: T(n), the oracle's step; P: the step the paper's rule picks:");
  ctx.print(renderTable(['step', ...curves.map(([n]) => `length ${n}`)], body, ['right', ...curves.map(() => 'left' as const)]));
}

/**
 * When each answer position forms over the loop, a row per position and a column per length: the
 * first step at which it is at least 95% right, then its accuracy at T(n). Needs --positions and --by-step.
 */
export function printFormationTable(ctx: CliContext, byStep: Map<number, StepCurve>): void {
  const curves = [...byStep.entries()].filter(([, c]) => c.positions).sort(([a], [b]) => a - b);
  if (curves.length === 0) return;
  const formed = curves.map(([, c]) => slotFormation(c.positions!));
  const widest = Math.max(...formed.map((f) => f.length));
  const cell = (c: StepCurve, f: (number | null)[], k: number) => {
    if (k >= f.length) return '';
    return `${f[k] === null ? '-' : String(f[k])} · ${(100 * c.positions![c.oracleStep - 1]![k]!).toFixed(0)}%`;
  };
  const body = Array.from({ length: widest }, (_, k) => [`+${k}`, ...curves.map(([, c], i) => cell(c, formed[i]!, k))]);
  ctx.print('');
  ctx.print(`when each answer position forms: the first loop step at which it is at least ${Math.round(FORMED_ACCURACY * 100)}% right ('-': at no step searched), then its accuracy at T(n):`);
  ctx.print(renderTable(['position', ...curves.map(([n, c]) => `length ${n} (T ${c.oracleStep})`)], body, ['left', ...curves.map(() => 'right' as const)]));
}

/** A case's cell: the oracle's accuracy, then the paper rule's when it was scored ("oracle / paper rule of N"). */
function caseCell(c: CaseCount): string {
  if (c.examples === 0) return '-';
  const paper = c.paperRule === undefined ? '' : ` / ${pct(c.paperRule / c.examples)}`;
  return `${pct(c.correct / c.examples)}${paper} of ${c.examples}`;
}

/** Accuracy per case label, one row per length: which inputs (e.g. ones with repeats) a model fails on, at T(n) and where the paper's rule stops. */
export function printCaseTable(ctx: CliContext, split: TaskCases, cases: Map<number, CaseCount[]>): void {
  const rows = [...cases.entries()].sort(([a], [b]) => a - b);
  const paper = rows.some(([, counts]) => counts.some((c) => c.paperRule !== undefined));
  const body = rows.map(([n, counts]) => [String(n), ...counts.map(caseCell)]);
  ctx.print('');
  ctx.print(
    paper
      ? `exact match by ${split.title}, oracle / paper rule (each cell: accuracy of the N examples of that case at T(n), then at the step the paper rule picks for the length):`
      : `exact match at T(n) by ${split.title} (each cell: accuracy of the N examples of that case):`,
  );
  ctx.print(renderTable(['length', ...split.labels], body));
  if (paper) ctx.print('--json has each case\'s right answers under every rule scored (correct: oracle, paperRule, perExample).');
}

/** The built-in tasks that split their inputs into cases (for the message when a model's task does not). */
export function tasksWithCases(): string[] {
  return taskNames.filter((name) => getTask(name).cases !== undefined);
}
