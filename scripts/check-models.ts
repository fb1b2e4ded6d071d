// `npm run check:models`: re-evaluates every shipped model (models/*.onnx) at its longest training
// length, the paper's test length and twice the training length, and fails when a number of
// models/results.json, or the table models/README.md shows from it, no longer holds.
//   --write         measure and (re)write models/results.json, the README table and models/plots/*.svg
//   --examples N    examples per length (default 6400, the paper's count); fewer checks within sampling error
//   --quick         256 examples per length (what CI runs)
//   --threads N     CPU threads: evaluation workers of one thread each, sharing the batches (default 1; the numbers do not depend on it)
//   --only F,F      with --write: measure only these model files (e.g. a newly shipped one) and keep the others' recorded results
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CALIBRATION_EXAMPLES } from '../src/core/eval/calibration';
import { evaluateParams, ORACLE, PER_BATCH } from '../src/core/eval/evaluate';
import { evaluationRunsAtOnce, fittingBatchSize } from '../src/core/eval/evalLimits';
import { loadModel, type LoadedModel } from '../src/core/model/modelFile';
import { recordedLongestLength, recordedTrainedLengths } from '../src/core/train/trainRecord';
import { accuracyPlotSvg } from './support/accuracyPlot';
import { loadavg, positiveInt } from './support/benchArgs';
import { lengthAxisLabel, lengthNameOf, pct, readmeWithTable, rowText, type ModelResult, type Results, type Row } from './support/modelsTable';

const ROOT = path.resolve(__dirname, '..');
const MODELS = path.join(ROOT, 'models');
const RESULTS = path.join(MODELS, 'results.json');
const README = path.join(MODELS, 'README.md');
const SEED = 1234;
const BATCH = 256;

function trainedMaxOf(m: LoadedModel): number {
  const longest = recordedTrainedLengths(m.metadata.training)?.max ?? recordedLongestLength(m.metadata.training.recipe);
  if (longest === undefined) throw new Error(`${m.source}: its training record says no training lengths`);
  return longest;
}

/** Every length's oracle, paper-rule and length-calibrated accuracy, measured by `threads` workers of one thread each (the numbers one session gives). */
async function measure(m: LoadedModel, lengths: number[], examples: number, threads: number): Promise<Row[]> {
  const rules = [ORACLE, PER_BATCH];
  const shape = { lengths, examples, batchSize: BATCH, calibration: CALIBRATION_EXAMPLES, runsAtOnce: evaluationRunsAtOnce(threads) };
  // the largest batch within the memory budget (long additions need smaller ones): the inputs and every rule's result are the same
  const batchSize = fittingBatchSize(m.task, m.config, shape);
  let shown = 0;
  const r = await evaluateParams(m.task, m.config, m.params, {
    ...shape,
    // the longest lengths first, so that no long batch starts last while the other workers wait
    lengths: [...lengths].sort((a, b) => b - a),
    batchSize,
    seed: SEED,
    rules,
    calibrationScope: 'length',
    provider: 'cpu',
    cpuThreads: 1,
    workers: threads,
    onProgress: ({ done, total }) => {
      if (done < total && done / total < (shown + 1) / 4) return;
      shown = Math.floor((4 * done) / total);
      console.log(`  ${Math.round((100 * done) / total)}% of ${total} batches (${lengths.join(', ')})`);
    },
  });
  return r.summary.rows.map((row) => ({ length: row.length, oracle: row.oracle, paper: row.perBatch, paperStep: row.perBatchStep, calibrated: row.calibrated ?? NaN }));
}

async function plot(m: LoadedModel, res: ModelResult, threads: number): Promise<void> {
  const max = 2 * res.trainedMax;
  const stride = Math.max(1, Math.round(max / 20));
  const lengths = [...new Set([...Array.from({ length: Math.ceil(max / stride) }, (_, i) => Math.min(max, (i + 1) * stride)), res.testLength])].sort((a, b) => a - b);
  const rows = await measure(m, lengths, 256, threads);
  const svg = accuracyPlotSvg({
    title: `${m.task.title}: accuracy vs length (256 examples per length)`,
    trainedMax: res.trainedMax,
    xLabel: lengthAxisLabel(res.task),
    series: [
      { label: 'oracle T(n)', color: '#1b7837', points: rows.map((r) => ({ x: r.length, y: r.oracle })) },
      { label: "the paper's rule", color: '#2166ac', dashed: true, points: rows.map((r) => ({ x: r.length, y: r.paper })) },
      { label: 'length-calibrated', color: '#b2182b', dashed: true, points: rows.map((r) => ({ x: r.length, y: r.calibrated })) },
    ],
  });
  fs.mkdirSync(path.join(MODELS, 'plots'), { recursive: true });
  fs.writeFileSync(path.join(MODELS, 'plots', `${res.task}.svg`), svg);
}

/** How far a measurement on `n` examples may stray from one on the full set: 4 standard errors plus two examples. */
function tolerance(p: number, n: number, full: number): number {
  if (n >= full) return 0.005;
  return 4 * Math.sqrt(Math.max(p * (1 - p), 1 / n) / n) + 2 / n;
}

/** The files `--only` names, checked: it re-measures some models and keeps the others' results, so those must exist at the same count. */
function onlyFiles(files: string[], write: boolean, known: Results | null, examples: number): Set<string> | undefined {
  const i = process.argv.indexOf('--only');
  if (i < 0) return undefined;
  const names = (process.argv[i + 1] ?? '').split(',').filter((f) => f.length > 0);
  if (!write) throw new Error('--only goes with --write (a check always re-measures every model)');
  if (names.length === 0) throw new Error('--only needs model file names, e.g. --only multiplication.onnx');
  for (const f of names) if (!files.includes(f)) throw new Error(`--only ${f}: no such model in models/ (${files.join(', ')})`);
  if (!known || known.examples !== examples) throw new Error(`--only keeps the other models' recorded results, so it needs models/results.json measured at the same --examples (${known?.examples ?? 'none'} recorded, ${examples} asked)`);
  for (const f of files) if (!names.includes(f) && !known.models.some((k) => k.file === f)) throw new Error(`--only: ${f} has no recorded result to keep; measure it too`);
  return new Set(names);
}

async function main(): Promise<void> {
  const write = process.argv.includes('--write');
  const examples = process.argv.includes('--quick') ? 256 : positiveInt('examples', '6400');
  const threads = positiveInt('threads', '1');
  console.log(`check:models: ${examples} examples per length, ${threads} thread(s), load average ${loadavg()}`);
  const files = fs.readdirSync(MODELS).filter((f) => f.endsWith('.onnx')).sort();
  const known: Results | null = fs.existsSync(RESULTS) ? (JSON.parse(fs.readFileSync(RESULTS, 'utf8')) as Results) : null;
  if (!write && !known) throw new Error('models/results.json is missing: run `npm run check:models -- --write` first');
  const only = onlyFiles(files, write, known, examples);
  const results: Results = { examples, seed: SEED, models: [] };
  const problems: string[] = [];
  for (const file of files) {
    const kept = only && !only.has(file) ? known!.models.find((k) => k.file === file) : undefined;
    if (kept) {
      results.models.push(kept);
      continue;
    }
    const t0 = Date.now();
    const cpu0 = process.cpuUsage(); // every thread of the process, the evaluation workers' included
    const m = await loadModel(path.join(MODELS, file));
    const trainedMax = trainedMaxOf(m);
    const lengths = [...new Set([trainedMax, m.task.testLength, 2 * trainedMax])].sort((a, b) => a - b);
    console.log(`${file}: measuring at ${lengthNameOf(m.task.name)} = ${lengths.join(', ')} on ${examples} examples each…`);
    const rows = await measure(m, lengths, examples, threads);
    const tr = m.metadata.training;
    const res: ModelResult = { file, task: m.task.name, trainedMax, testLength: m.task.testLength, steps: tr.stepsCompleted, minutes: Math.round(tr.elapsedSeconds / 6) / 10, ...(tr.cpuSeconds === undefined ? {} : { cpuMinutes: Math.round(tr.cpuSeconds / 6) / 10 }), preset: tr.preset, seed: tr.seed, rows };
    results.models.push(res);
    const cpu = process.cpuUsage(cpu0);
    console.log(`${file}: ${rows.map((r) => rowText(res.task, r)).join(', ')}  (${((Date.now() - t0) / 1000).toFixed(1)} s, ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s of CPU)`);
    if (write) {
      console.log(`${file}: plotting accuracy vs length on 256 examples per length…`);
      await plot(m, res, threads);
    }
    if (!known) continue;
    const was = known.models.find((k) => k.file === file);
    if (!was) {
      problems.push(`${file} is not in models/results.json`);
      continue;
    }
    for (const r of rows) {
      const w = was.rows.find((x) => x.length === r.length);
      if (!w) {
        problems.push(`${file}: no recorded result at ${lengthNameOf(res.task)} = ${r.length}`);
        continue;
      }
      for (const k of ['oracle', 'paper', 'calibrated'] as const) {
        const tol = tolerance(w[k], examples, known.examples);
        if (!(Math.abs(r[k] - w[k]) <= tol)) problems.push(`${file} ${lengthNameOf(res.task)} = ${r.length} ${k}: measured ${pct(r[k])}, recorded ${pct(w[k])} (tolerance ${pct(tol)})`);
      }
    }
  }
  if (write) {
    fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
    fs.writeFileSync(README, readmeWithTable(fs.readFileSync(README, 'utf8'), results));
    console.log('wrote models/results.json, the table in models/README.md and models/plots/');
    return;
  }
  for (const k of known!.models) if (!files.includes(k.file)) problems.push(`${k.file} is recorded but not shipped`);
  const readme = fs.readFileSync(README, 'utf8');
  if (readmeWithTable(readme, known!) !== readme) problems.push("models/README.md's table is not the one models/results.json gives: run with --write");
  if (problems.length > 0) {
    console.error(`check:models: ${problems.length} number(s) no longer hold:\n  ${problems.join('\n  ')}`);
    process.exit(1);
  }
  console.log(`check:models: every recorded number holds (${files.length} models)`);
}

main().catch((e: unknown) => {
  console.error(`check:models: ${(e as Error).message}`);
  process.exit(1);
});
