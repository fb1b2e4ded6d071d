// Linear probes that mean something: for one traced input, a few hundred fresh random inputs of
// the same lengths and width, their hidden states at every loop step (the model's `hidden` graph,
// in chunks) and the program's values on them. Per step, a ridge probe per program variable, or
// per expression the user types, is fitted on 75% of the inputs and scored on the held-out 25%,
// beside the majority baseline. The stepper's probe table and the debugger's `probe <expr>` both
// come from here (same inputs, same seed), so they cannot disagree.
import type { Expr } from '../../rasp/ast';
import { RaspError } from '../../rasp/errors';
import type { LoopedSession } from '../../infer/loopedSession';
import type { Task, TaskExample } from '../../tasks/types';
import { Rng } from '../../util/rng';
import { RidgeProbeSet, type ProbeResult } from '../compare/linearProbe';
import type { ProgramStepTrace } from '../compare/programSteps';
import { iterationNames, readOutRow } from './iterationNames';
import type { ProgramSource } from './raspProgramSource';

/** Random inputs behind every probe. */
export const PROBE_EXAMPLES = 256;
/** Share of them held out for scoring. */
export const PROBE_HELD_OUT = 0.25;

export interface ProbeSetOptions {
  /** Random inputs (default PROBE_EXAMPLES). */
  examples?: number;
  /** Seed of the inputs (default 1). */
  seed?: number;
  /** Inputs per model run (default 32): bounds the memory of one run's hidden states, and how long other work waits for one. */
  chunk?: number;
  /** Hidden states of every step kept after probeVariables when they fit in this many bytes (default 256 MB: parity at n = 40, 60 steps, needs 181 MB), so a probe of an expression needs no model run. */
  cacheBytes?: number;
  /** Awaited at every pause of a long computation (default: one turn of the event loop); a debug session waits there while the user steps. */
  pause?: () => Promise<void>;
}

/** One turn of the event loop: other work (an editor's requests) is served between pieces of a long computation. */
const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/** Thrown when a computation is abandoned through its `cancelled` check. */
export class ProbeCancelled extends Error {
  constructor() {
    super('the probes were cancelled');
    this.name = 'ProbeCancelled';
  }
}

export interface VariableProbe extends ProbeResult {
  variable: string;
  /** 1-based loop step. */
  step: number;
}

/** Per step, the probes of the variables that vary there; `steps` is how many were probed. */
export interface StepProbes {
  steps: number;
  examples: number;
  probes: VariableProbe[];
}

interface Chunk {
  start: number;
  count: number;
  /** [steps, count, width, d] */
  hidden: Float32Array;
  /** [steps, count, width, vocab] */
  logits: Float32Array;
  steps: number;
}

function namesIn(e: Expr, out = new Set<string>()): Set<string> {
  switch (e.kind) {
    case 'name':
      out.add(e.name);
      break;
    case 'call':
      namesIn(e.callee, out);
      e.args.forEach((a) => namesIn(a, out));
      e.kwargs.forEach((k) => namesIn(k.value, out));
      break;
    case 'lambda':
      namesIn(e.body, out);
      break;
    case 'binary':
      namesIn(e.left, out);
      namesIn(e.right, out);
      break;
    case 'unary':
      namesIn(e.operand, out);
      break;
    case 'cond':
      namesIn(e.test, out);
      namesIn(e.then, out);
      namesIn(e.otherwise, out);
      break;
    case 'int':
      break;
  }
  return out;
}

export class ProbeSet {
  /** The random rows, the first `trainCount` for fitting, the rest held out. */
  readonly rows: number[][];
  readonly masks: number[][];
  readonly trainCount: number;
  readonly width: number;
  private readonly chunkSize: number;
  private programTraces: ProgramStepTrace[] | null = null;
  private readonly featureCache = new Map<number, { hidden: Float32Array; logits: Float32Array }>();
  /** Every step's states, when probeVariables kept them (index t - 1). */
  private allSteps: { hidden: Float32Array; logits: Float32Array }[] | null = null;
  private readonly cacheBytes: number;
  private readonly breathe: () => Promise<void>;

  constructor(
    readonly task: Task,
    private readonly session: LoopedSession,
    private readonly program: ProgramSource,
    example: TaskExample,
    o: ProbeSetOptions = {},
  ) {
    if (session.kind === 'eval') throw new Error('ProbeSet needs a session with hidden states (the hidden or trace graph)');
    const n = o.examples ?? PROBE_EXAMPLES;
    if (!Number.isInteger(n) || n < 8) throw new Error(`probes need at least 8 random inputs, got ${n}`);
    const rng = new Rng(o.seed ?? 1);
    this.width = example.input.length;
    const examples = Array.from({ length: n }, () => task.sampleAt(rng, example.lengths, this.width));
    this.rows = examples.map((e) => e.input);
    this.masks = examples.map((e) => e.mask);
    this.trainCount = n - Math.max(1, Math.round(n * PROBE_HELD_OUT));
    this.chunkSize = o.chunk ?? 32;
    this.cacheBytes = o.cacheBytes ?? 256 * 2 ** 20;
    const pause = o.pause;
    this.breathe = pause ? async () => (await nextTurn(), await pause()) : nextTurn;
  }

  get examples(): number {
    return this.rows.length;
  }

  /** The model's hidden states and read-out of inputs [start, start + count) for `steps` steps. */
  private async run(start: number, count: number, steps: number): Promise<Chunk> {
    const W = this.width;
    const tokens = new BigInt64Array(count * W);
    for (let i = 0; i < count; i++) for (let p = 0; p < W; p++) tokens[i * W + p] = BigInt(this.rows[start + i]![p]!);
    const r = await this.session.run(tokens, count, W, steps);
    return { start, count, hidden: r.hidden!, logits: r.data, steps };
  }

  /** Chunks in order: training inputs first, then held-out ones (a chunk never mixes them). */
  private chunks(): { start: number; count: number; train: boolean }[] {
    const out: { start: number; count: number; train: boolean }[] = [];
    const add = (from: number, to: number, train: boolean) => {
      for (let s = from; s < to; s += this.chunkSize) out.push({ start: s, count: Math.min(this.chunkSize, to - s), train });
    };
    add(0, this.trainCount, true);
    add(this.trainCount, this.rows.length, false);
    return out;
  }

  private d(): number {
    return this.session.config.d;
  }

  private async traces(steps: number, cancelled: () => boolean): Promise<ProgramStepTrace[]> {
    if (this.programTraces && this.programTraces[0]!.steps >= steps) return this.programTraces;
    const out: ProgramStepTrace[] = [];
    for (const r of this.rows) {
      out.push(this.program.run(r, steps));
      if (out.length % 8 === 0) {
        await this.breathe();
        if (cancelled()) throw new ProbeCancelled();
      }
    }
    this.programTraces = out;
    return out;
  }

  /**
   * Per loop step 1..steps, a probe per program variable that exists at that step on every input and
   * takes at least two values on the training inputs (a constant says nothing).
   */
  async probeVariables(steps: number, cancelled: () => boolean = () => false): Promise<StepProbes> {
    if (!Number.isInteger(steps) || steps < 1) throw new Error(`steps must be a positive integer, got ${steps}`);
    const traces = await this.traces(steps, cancelled);
    const W = this.width;
    const names = traces[0]!.variables.map((v) => v.name);
    // per step: the variables defined there on every input
    const live = Array.from({ length: steps }, (_, i) => names.filter((_, k) => traces.every((tr) => tr.variables[k]?.name === names[k] && tr.variables[k]!.values[i + 1] !== null)));
    const sets = live.map((vars) => new RidgeProbeSet(this.d(), vars.length, undefined, W));
    const d = this.d();
    const V = this.session.config.vocabSize;
    const n = this.rows.length;
    const keep = n * W * (d + V) * 4 * steps <= this.cacheBytes;
    const all = keep ? Array.from({ length: steps }, () => ({ hidden: new Float32Array(n * W * d), logits: new Float32Array(n * W * V) })) : null;
    const targets = (t: number, start: number, count: number) =>
      live[t - 1]!.map((name) => {
        const y = new Float64Array(count * W);
        const k = names.indexOf(name);
        for (let i = 0; i < count; i++) y.set(traces[start + i]!.variables[k]!.values[t]!, i * W);
        return y;
      });
    for (const c of this.chunks()) {
      await this.breathe();
      if (cancelled()) throw new ProbeCancelled();
      const run = await this.run(c.start, c.count, steps);
      const per = c.count * W * d;
      for (let t = 1; t <= steps; t++) {
        if (all) {
          all[t - 1]!.hidden.set(run.hidden.subarray((t - 1) * per, t * per), c.start * W * d);
          all[t - 1]!.logits.set(run.logits.subarray((t - 1) * c.count * W * V, t * c.count * W * V), c.start * W * V);
        }
        if (live[t - 1]!.length === 0) continue;
        const X = run.hidden.subarray((t - 1) * per, t * per);
        if (c.train) sets[t - 1]!.addTrain(X, c.count * W, targets(t, c.start, c.count));
        else sets[t - 1]!.addTest(X, c.count * W, targets(t, c.start, c.count));
        await this.breathe();
      }
    }
    if (all && (this.allSteps?.length ?? 0) < steps) this.allSteps = all;
    const probes: VariableProbe[] = [];
    live.forEach((vars, i) =>
      vars.forEach((variable, k) => {
        const r = sets[i]!.result(k);
        if (r.distinctValues >= 2) probes.push({ variable, step: i + 1, ...r });
      }),
    );
    return { steps, examples: this.rows.length, probes };
  }

  /** Hidden states and logits of every input at one step (kept for the last few steps asked). */
  private async atStep(step: number): Promise<{ hidden: Float32Array; logits: Float32Array }> {
    const kept = this.allSteps?.[step - 1];
    if (kept) return kept;
    const known = this.featureCache.get(step);
    if (known) return known;
    const W = this.width;
    const d = this.d();
    const V = this.session.config.vocabSize;
    const n = this.rows.length;
    const hidden = new Float32Array(n * W * d);
    const logits = new Float32Array(n * W * V);
    for (const c of this.chunks()) {
      const run = await this.run(c.start, c.count, step);
      hidden.set(run.hidden.subarray((step - 1) * c.count * W * d, step * c.count * W * d), c.start * W * d);
      logits.set(run.logits.subarray((step - 1) * c.count * W * V, step * c.count * W * V), c.start * W * V);
    }
    const out = { hidden, logits };
    this.featureCache.set(step, out);
    if (this.featureCache.size > 4) this.featureCache.delete(this.featureCache.keys().next().value!);
    return out;
  }

  /**
   * A probe for one expression at one step: the expression is evaluated in the program's state
   * after `step` steps on every random input (with the iteration's names: decoded, answer, …) and
   * must give a sequence (or an integer, the same at every position). Throws RaspError for an
   * expression that does not evaluate, or gives a selector or a function.
   */
  async probeExpression(step: number, expr: Expr): Promise<ProbeResult & { step: number }> {
    if (!Number.isInteger(step) || step < 1) throw new Error(`step must be a positive integer, got ${step}`);
    const evaluate = this.program.evaluate;
    if (!evaluate) throw new Error('this program cannot evaluate expressions');
    const used = namesIn(expr);
    const W = this.width;
    const d = this.d();
    const V = this.session.config.vocabSize;
    const { hidden, logits } = await this.atStep(step);
    const n = this.rows.length;
    const y = new Float64Array(n * W);
    for (let i = 0; i < n; i++) {
      const row = this.rows[i]!;
      const { decoded, confidence } = readOutRow(logits.subarray(i * W * V, (i + 1) * W * V), W, V);
      const answer = used.has('answer') ? (this.program.run(row, step).answers[step] ?? null) : null;
      const extra = iterationNames({ step, decoded, confidence, answer, mask: this.masks[i]! });
      const v = evaluate(row, step, [expr], extra)[0]!;
      if (i % 16 === 15) await nextTurn();
      if (v.kind === 'int') y.fill(v.value, i * W, (i + 1) * W);
      else if (v.kind === 'seq') y.set(v.values, i * W);
      else throw new RaspError('runtime', `a probe reads a sequence or an integer, but the expression gives ${v.kind === 'selector' ? 'a selector' : `the ${v.kind} ${v.name}`}`, expr.span);
    }
    const set = new RidgeProbeSet(d, 1, undefined, W);
    const split = this.trainCount * W;
    set.addTrain(hidden, split, [y]);
    set.fit();
    set.addTest(hidden.subarray(split * d), n * W - split, [y.subarray(split)]);
    return { step, ...set.result(0) };
  }
}
