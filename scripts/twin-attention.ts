// `npm run diagnose:twins`: how a unique set model's attention finds an element's earlier twin, by the
// query's input position. An element is a repeat when an earlier element holds its value (its twin);
// a head that judges "is this element new?" puts its attention there. Per head, at loop step --step
// (default the read step T(n)), by blocks of query positions: the mass on the twin(s) of repeats, the
// largest mass a first occurrence puts on one other earlier element (its strongest false twin), and the score gap
// ln(p(twin) / mean p(other earlier element)), the softmax's logit margin. A gap that holds while the
// twin's mass falls is the softmax diluted by more keys; a gap that falls at positions no training
// input had is the match itself failing there. The same for each answer slot: its attention on the
// input elements holding the answer it writes, by where that answer first stands in the input; and
// the wavefront, step by step: how sharply the slots whose answers stand just before the step's input
// position attend to them (the loop resolves about one input position a step).
// Usage: npm run diagnose:twins -- MODEL --length N [--step T(n)] [--examples 256] [--block 6] [--heads 6] [--seed 1234] [--threads 1]
import * as path from 'node:path';
import { LoopedSession } from '../src/core/infer/loopedSession';
import type { TaskExample } from '../src/core/tasks/types';
import { drawOptions, loadavg, positiveInt } from './support/benchArgs';
import { mean, uniqueSetModelArg } from './support/uniqueSetModel';

/** Rows traced at once: the trace's attention is steps x layers x rows x heads x width² floats. */
const BATCH = 8;
/** The wavefront's reach: at step t, the answers whose first occurrence stands at input positions t - WAVE .. t - 1. */
const WAVE = 3;
/** Characters per column of the tables. */
const COLUMN = 9;

interface Tally {
  twinMass: number[];
  falseMass: number[];
  gap: number[];
}

/** The trace's attention of one batch, [T, L, B, H, W, W], and its sizes. */
interface BatchAttention {
  data: Float32Array;
  L: number;
  B: number;
  H: number;
  W: number;
}

/** Where query `q`'s attention row starts for example `b`, layer `l`, head `h` at step `t` (1-based). */
const rowStart = (a: BatchAttention, t: number, l: number, b: number, h: number, q: number) => ((((((t - 1) * a.L + l) * a.B + b) * a.H + h) * a.W + q) * a.W);

const sum = (v: readonly number[]) => v.reduce((s, x) => s + x, 0);
/** ln(p(target) / mean p(other)): the softmax's logit margin of the target over the other keys. */
const scoreGap = (targets: readonly number[], others: readonly number[]) => Math.log(sum(targets) / targets.length / Math.max(mean(others), 1e-12));
const pct = (v: number) => (Number.isNaN(v) ? '   –  ' : `${(100 * v).toFixed(1).padStart(5)}%`);
const num = (v: number) => (Number.isNaN(v) ? '  – ' : v.toFixed(2).padStart(5));

/** Each answer slot of an example: its position, the value it writes and where that value first stands in the input. */
function answerSlots(e: TaskExample, length: number, pad: number): { q: number; v: number; first: number }[] {
  const out: { q: number; v: number; first: number }[] = [];
  for (let q = e.answerStart; q < e.target.length && e.target[q] !== pad; q++) out.push({ q, v: e.target[q]!, first: e.input.indexOf(e.target[q]!) });
  return out.filter((s) => s.first >= 0 && s.first < length);
}

/** The attention `row` puts on the input elements (0..length-1) holding `v`, and on each other one. */
function split(row: Float32Array, items: readonly number[], v: number, upTo: number): { on: number[]; others: number[] } {
  const on: number[] = [];
  const others: number[] = [];
  for (let j = 0; j < upTo; j++) (items[j] === v ? on : others).push(row[j]!);
  return { on, others };
}

async function main(): Promise<void> {
  const usage = 'usage: npm run diagnose:twins -- MODEL --length N [--step T(n)] [--examples 256] [--block 6] [--heads 6] [--seed 1234] [--threads 1]';
  const { modelPath, model } = await uniqueSetModelArg(usage, "reads unique set's repeated elements");
  const task = model.task;
  const { length, examples, threads, seed, rng } = drawOptions('256');
  const block = positiveInt('block', '6');
  const shown = positiveInt('heads', '6');

  const W = task.widthFor([length]);
  const rows = Array.from({ length: examples }, () => task.sampleAt(rng, [length], W));
  const steps = rows[0]!.steps;
  const readStep = positiveInt('step', String(steps));
  if (readStep > steps) throw new Error(`--step must be at most T(n) = ${steps}`);
  const { layers: L, heads: H } = model.config;
  const blocks = Math.ceil(length / block);
  const newTallies = (): Tally[][][] => Array.from({ length: L }, () => Array.from({ length: H }, () => Array.from({ length: blocks }, () => ({ twinMass: [], falseMass: [], gap: [] }))));
  // [layer][head][block of input positions]; for answer slots twinMass is the mass on the input
  // elements holding the slot's answer, falseMass the largest on one other, by the answer's first occurrence
  const twins = newTallies();
  const answers = newTallies();
  const wave: number[][][] = Array.from({ length: steps }, () => Array.from({ length: L * H }, () => []));

  const tallyExample = (a: BatchAttention, e: TaskExample, b: number) => {
    const items = e.input.slice(0, length);
    const slots = answerSlots(e, length, task.tokens.pad);
    for (let l = 0; l < L; l++) {
      for (let h = 0; h < H; h++) {
        // the wavefront: each slot at the steps just after its answer's input position
        for (const { q, v, first } of slots) {
          for (let t = first + 1; t <= Math.min(steps, first + WAVE); t++) {
            const at = rowStart(a, t, l, b, h, q);
            wave[t - 1]![l * H + h]!.push(sum(split(a.data.subarray(at, at + length), items, v, length).on));
          }
        }
        for (const { q, v, first } of slots) {
          const at = rowStart(a, readStep, l, b, h, q);
          const { on, others } = split(a.data.subarray(at, at + length), items, v, length);
          const tally = answers[l]![h]![Math.floor(first / block)]!;
          tally.twinMass.push(sum(on));
          tally.falseMass.push(Math.max(...others));
          tally.gap.push(scoreGap(on, others));
        }
        for (let i = 1; i < length; i++) {
          const at = rowStart(a, readStep, l, b, h, i);
          const { on, others } = split(a.data.subarray(at, at + i), items, items[i]!, i);
          const tally = twins[l]![h]![Math.floor(i / block)]!;
          if (on.length === 0) {
            tally.falseMass.push(Math.max(...others));
            continue;
          }
          tally.twinMass.push(sum(on));
          if (others.length > 0) tally.gap.push(scoreGap(on, others));
        }
      }
    }
  };

  const session = await LoopedSession.fromParams(model.config, model.params, 'trace', { provider: 'cpu', cpuThreads: threads });
  try {
    for (let start = 0; start < rows.length; start += BATCH) {
      const batch = rows.slice(start, start + BATCH);
      const run = await session.run(BigInt64Array.from(batch.flatMap((e) => e.input.map(BigInt))), batch.length, W, steps);
      const a = { data: LoopedSession.traceOutputs(run).attention, L, B: batch.length, H, W };
      batch.forEach((e, b) => tallyExample(a, e, b));
    }
  } finally {
    await session.release();
  }

  console.log(`${task.title} model ${path.basename(modelPath)}: n = ${length}, ${examples} uniform inputs (seed ${seed}), attention at step ${readStep} of T(n) = ${steps}; load average ${loadavg()}`);
  const blockNames = Array.from({ length: blocks }, (_, k) => `${k * block}-${Math.min(length, (k + 1) * block) - 1}`);
  const report = (t: Tally[][][], title: string, by: string, rowNames: { mass: string; other: string; count: string; countOf: (x: Tally) => string }) => {
    const all = (l: number, h: number, k: keyof Tally) => t[l]![h]!.flatMap((x) => x[k]);
    const heads = Array.from({ length: L * H }, (_, k) => ({ l: Math.floor(k / H), h: k % H }))
      .map((x) => ({ ...x, separation: mean(all(x.l, x.h, 'twinMass')) - mean(all(x.l, x.h, 'falseMass')) }))
      .sort((x, y) => y.separation - x.separation)
      .slice(0, shown);
    console.log(`\n${title}`);
    for (const { l, h, separation } of heads) {
      console.log(`\nlayer ${l + 1} head ${h + 1} (separation ${(100 * separation).toFixed(1)} points); by ${by}:`);
      console.log(`  positions          ${blockNames.map((x) => x.padStart(COLUMN)).join('')}`);
      const line = (name: string, k: keyof Tally, f: (v: number) => string) => console.log(`  ${name.padEnd(19)}${t[l]![h]!.map((x) => f(mean(x[k])).padStart(COLUMN)).join('')}`);
      line(rowNames.mass, 'twinMass', pct);
      line(rowNames.other, 'falseMass', pct);
      line('score gap', 'gap', num);
      console.log(`  ${rowNames.count.padEnd(19)}${t[l]![h]!.map((x) => rowNames.countOf(x).padStart(COLUMN)).join('')}`);
    }
  };
  report(twins, `Input elements: the ${shown} heads that most put a repeat's attention on its twin (mean twin mass minus a first occurrence's largest mass on one other element)`, "the query's input position", { mass: 'twin mass (repeat)', other: 'false twin (first)', count: 'repeats / firsts', countOf: (x) => `${x.twinMass.length}/${x.falseMass.length}` });
  report(answers, `Answer slots: the ${shown} heads that most put a slot's attention on the input elements holding its answer (their mass minus the largest on one other element)`, "the input position of the answer's first occurrence", { mass: 'answer mass', other: 'largest other', count: 'slots', countOf: (x) => String(x.twinMass.length) });
  console.log(`\nThe wavefront: at each loop step t, the head that most puts the answer slots' attention on their answers, over the slots whose answer first stands at input positions t-${WAVE}..t-1 (mass on the elements holding it):`);
  const waveLine = wave.map((heads, t) => {
    const best = heads.map((v, k) => ({ k, m: mean(v) })).reduce((x, y) => (y.m > x.m ? y : x));
    return `step ${t + 1}: ${pct(best.m).trim()} (layer ${Math.floor(best.k / H) + 1} head ${(best.k % H) + 1})`;
  });
  for (let k = 0; k < waveLine.length; k += 3) console.log(`  ${waveLine.slice(k, k + 3).map((x) => x.padEnd(36)).join('')}`);
}

main().catch((e: unknown) => {
  console.error(`diagnose:twins: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
