// `npm run diagnose:drops`: when a unique set model leaves one answer out (the rest in order, a slot
// early: wrongExamples.ts), is the loss tied to that element's value, to one earlier element it takes
// for its twin, or to many? For each such example it gives the dropped element another value (one the
// input does not hold) and, one at a time, each element before it, and counts which changes bring the
// answer back. A value the model mistakes for a repeat comes back when the element changes; a single
// false twin shows as one earlier element that brings it back; a judgement that sums over every
// earlier element shows as many. Also the read-in embeddings' cosine between the dropped element and
// the elements whose change brings it back, against the others; and where the dropped elements stand
// in the input, and where the element missing from an answer stands when the answer before it is
// written again in its place. Only elements whose value the input holds once are changed, so the right
// answer keeps its order and length.
// Usage: npm run diagnose:drops -- MODEL --length N [--inputs uniform|distinct|hard] [--examples 640]
//        [--limit 80] [--seed 1234] [--threads 1]
import * as path from 'node:path';
import { predictionsAt } from '../src/core/infer/halting';
import { LoopedSession } from '../src/core/infer/loopedSession';
import { rowMiss, type ExampleMiss } from '../src/core/eval/wrongExamples';
import type { Task, TaskExample } from '../src/core/tasks/types';
import { arg, drawOptions, loadavg, positiveInt } from './support/benchArgs';
import { mean, uniqueSetModelArg } from './support/uniqueSetModel';

const BATCH = 64;
const ELEMENTS = 50; // unique set's elements are 0..49

type Outcome = ExampleMiss | 'right';

/** Each row's outcome read at step `steps`: right, or the one edit (or more) that would make it right. */
async function outcomes(session: LoopedSession, task: Task, rows: readonly TaskExample[], width: number, steps: number): Promise<Outcome[]> {
  const out: Outcome[] = [];
  const pad = task.tokens.pad;
  for (let start = 0; start < rows.length; start += BATCH) {
    const batch = rows.slice(start, start + BATCH);
    const tokens = BigInt64Array.from(batch.flatMap((e) => e.input.map(BigInt)));
    const predicted = predictionsAt(await session.run(tokens, batch.length, width, steps), steps);
    batch.forEach((e, b) => out.push(rowMiss(e.target, e.mask, e.answerStart, predicted.subarray(b * width, (b + 1) * width), pad) ?? 'right'));
  }
  return out;
}

const counts = (values: readonly number[]): string => {
  const c = new Map<number, number>();
  for (const v of values) c.set(v, (c.get(v) ?? 0) + 1);
  return [...c.entries()].sort((a, b) => a[0] - b[0]).map(([v, n]) => `${v}: ${n}`).join(', ');
};

async function main(): Promise<void> {
  const usage = 'usage: npm run diagnose:drops -- MODEL --length N [--inputs uniform|distinct|hard] [--examples 640] [--limit 80] [--seed 1234] [--threads 1]';
  const { modelPath, model } = await uniqueSetModelArg(usage, "changes unique set's elements");
  const task = model.task;
  const { length, examples, threads, seed, rng } = drawOptions('640');
  const limit = positiveInt('limit', '80');
  const inputs = arg('inputs', 'uniform');
  const drawn = inputs === 'distinct' ? task.distinctInputs : inputs === 'hard' ? task.hardInputs : inputs === 'uniform' ? undefined : null;
  if (drawn === null) throw new Error(`--inputs must be uniform, distinct or hard, got ${inputs}`);

  const width = task.widthFor([length]);
  const rows = Array.from({ length: examples }, () => (drawn ? drawn.sampleAt(rng, [length], width) : task.sampleAt(rng, [length], width)));
  const steps = rows[0]!.steps;
  const d = model.config.d;
  const table = model.params['readIn.weight']!;
  const embedding = (t: number) => table.subarray(t * d, (t + 1) * d);
  const cosine = (a: number, b: number) => {
    const x = embedding(a);
    const y = embedding(b);
    let dot = 0;
    let xx = 0;
    let yy = 0;
    for (let i = 0; i < d; i++) {
      dot += x[i]! * y[i]!;
      xx += x[i]! * x[i]!;
      yy += y[i]! * y[i]!;
    }
    return dot / Math.sqrt(xx * yy);
  };

  const session = await LoopedSession.fromParams(model.config, model.params, 'eval', { provider: 'cpu', cpuThreads: threads });
  try {
    const first = await outcomes(session, task, rows, width, steps);
    const dropped = rows.flatMap((e, i) => {
      const o = first[i]!;
      return o !== 'right' && o.kind === 'left-out' ? [{ row: e, at: o.index }] : [];
    });
    const examined = dropped.slice(0, limit);
    const replaced = rows.flatMap((e, i) => {
      const o = first[i]!;
      return o !== 'right' && o.kind === 'replaced' && o.by === 'before' ? [{ row: e, at: o.index }] : [];
    });
    console.log(`${task.title} model ${path.basename(modelPath)}: n = ${length}, ${examples} ${inputs} inputs (seed ${seed}), read at step ${steps}; load average ${loadavg()}`);
    console.log(`exact match ${((100 * first.filter((o) => o === 'right').length) / examples).toFixed(1)}%; ${dropped.length} examples leave one answer out; ${examined.length} examined\n`);

    // the dropped element's input position: its answer index counts the first occurrences before it
    const inputPosition = (row: TaskExample, at: number) => {
      const seen = new Set<number>();
      for (let p = 0; p < length; p++) {
        const v = row.input[p]!;
        if (seen.has(v)) continue;
        if (seen.size === at) return p;
        seen.add(v);
      }
      throw new Error('the dropped answer is not a first occurrence of the input');
    };
    const restoring: number[] = [];
    const distances: number[] = [];
    const cosRestoring: number[] = [];
    const cosOthers: number[] = [];
    const positions: number[] = [];
    let ownRestores = 0;
    let ownChanged = 0;
    for (const { row, at } of examined) {
      const items = row.input.slice(0, length);
      const unused = Array.from({ length: ELEMENTS }, (_, v) => v).filter((v) => !items.includes(v));
      const p = inputPosition(row, at);
      positions.push(p);
      const changed = (q: number, k: number) => {
        const v = items.slice();
        v[q] = unused[k % unused.length]!;
        return task.fromText(v.join(' '), width);
      };
      const stillDropped = (o: Outcome) => o !== 'right' && o.kind === 'left-out' && o.index === at;
      // only elements whose value the input holds once are changed: the answer keeps its order and length
      const once = (q: number) => items.indexOf(items[q]!) === items.lastIndexOf(items[q]!);
      if (once(p)) {
        ownChanged++;
        const own = await outcomes(session, task, [changed(p, 0)], width, steps);
        if (!stillDropped(own[0]!)) ownRestores++;
      }
      const earlier = Array.from({ length: p }, (_, q) => q).filter(once);
      const results = await outcomes(session, task, earlier.map((q) => changed(q, q + 1)), width, steps);
      const back = earlier.filter((_, i) => !stillDropped(results[i]!));
      restoring.push(back.length);
      for (const q of back) distances.push(p - q);
      for (const q of earlier) (back.includes(q) ? cosRestoring : cosOthers).push(cosine(items[p]!, items[q]!));
    }
    console.log(`where the dropped elements stand in the input (position: count): ${counts(positions)}`);
    console.log(`${replaced.length} examples write the answer before one again in its place (the rest right); where the element missing there stands in the input: ${counts(replaced.map(({ row, at }) => inputPosition(row, at)))}`);
    console.log(`the dropped element given another value brings its answer back in ${ownRestores} of ${ownChanged} (those whose value the input holds once)`);
    console.log(`earlier elements (of those whose value the input holds once) whose change brings it back, per example (count: examples): ${counts(restoring)}; mean ${mean(restoring).toFixed(1)}`);
    console.log(`how far before the dropped element they stand (positions: count): ${counts(distances)}`);
    console.log(`read-in cosine with the dropped element: those ${mean(cosRestoring).toFixed(3)} (${cosRestoring.length}), the other earlier elements ${mean(cosOthers).toFixed(3)} (${cosOthers.length})`);
  } finally {
    await session.release();
  }
}

main().catch((e: unknown) => {
  console.error(`diagnose:drops: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
});
