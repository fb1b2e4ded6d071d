// Linear probes that mean something: for one traced input, a few hundred fresh random inputs of
// the same lengths and width, their hidden states at a loop step (the model's resumable state
// graph, probeStates.ts: a few states kept, the others recomputed) and the program's values on
// them. Per step, a ridge probe per program variable, or per expression the user types, is fitted
// on 75% of the inputs and scored on the held-out 25%, beside the majority baseline. The stepper's
// probe table and the debugger's `probe <expr>` both come from here (same inputs, same seed, same
// parts of them per model run), so they cannot disagree.
import type { Expr } from '../../rasp/ast';
import { RaspError } from '../../rasp/errors';
import type { LoopStateSession } from '../../infer/stateSession';
import type { Task, TaskExample } from '../../tasks/types';
import { Rng } from '../../util/rng';
import { RidgeProbeSet, type ProbeResult } from '../compare/linearProbe';
import type { ProgramStepTrace } from '../compare/programSteps';
import { iterationNames, readOutRow } from './iterationNames';
import { ProbeStates, type StatePart } from './probeStates';
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
  /** Inputs per model run (default 64): bounds the memory of one run's hidden states, and how long other work waits for one. */
  chunk?: number;
  /** Keep the hidden states after every this many iterations (default 8): a probe elsewhere recomputes at most every - 1 iterations. */
  keepEvery?: number;
  /** Bytes of kept hidden states before fewer are kept (default 32 MiB). */
  keepBytes?: number;
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
  private readonly states: ProbeStates;
  private readonly breathe: () => Promise<void>;

  constructor(
    readonly task: Task,
    private readonly session: LoopStateSession,
    private readonly program: ProgramSource,
    example: TaskExample,
    o: ProbeSetOptions = {},
  ) {
    const n = o.examples ?? PROBE_EXAMPLES;
    if (!Number.isInteger(n) || n < 8) throw new Error(`probes need at least 8 random inputs, got ${n}`);
    const rng = new Rng(o.seed ?? 1);
    this.width = example.input.length;
    const examples = Array.from({ length: n }, () => task.sampleAt(rng, example.lengths, this.width));
    this.rows = examples.map((e) => e.input);
    this.masks = examples.map((e) => e.mask);
    this.trainCount = n - Math.max(1, Math.round(n * PROBE_HELD_OUT));
    const chunk = o.chunk ?? 64;
    const parts: StatePart[] = [];
    const add = (from: number, to: number, train: boolean) => {
      for (let s = from; s < to; s += chunk) parts.push({ start: s, count: Math.min(chunk, to - s), train });
    };
    // training inputs first, then held-out ones: a part never mixes them
    add(0, this.trainCount, true);
    add(this.trainCount, n, false);
    this.states = new ProbeStates(session, this.rows, this.width, parts, { every: o.keepEvery, keepBytes: o.keepBytes });
    const pause = o.pause;
    this.breathe = pause ? async () => (await nextTurn(), await pause()) : nextTurn;
  }

  get examples(): number {
    return this.rows.length;
  }

  /** Bytes of hidden states this set keeps between probes. */
  get keptBytes(): number {
    return this.states.keptBytes;
  }

  /** The iterations whose hidden states are kept. */
  get keptIterations(): number[] {
    return this.states.keptIterations;
  }

  private d(): number {
    return this.session.config.d;
  }

  private async traces(steps: number, cancelled: () => boolean): Promise<ProgramStepTrace[]> {
    const out: ProgramStepTrace[] = [];
    for (const r of this.rows) {
      out.push(this.program.run(r, steps));
      if (out.length % 8 === 0) {
        await this.breathe();
        if (cancelled()) throw new ProbeCancelled();
      }
    }
    return out;
  }

  /** Fits `set` on the training parts and scores it on the held-out ones; `ys(part)` gives each target's values on a part. */
  private fitParts(set: RidgeProbeSet, hidden: Float32Array[], ys: (part: StatePart) => Float64Array[]): void {
    const W = this.width;
    const parts = this.states.parts;
    parts.forEach((p, i) => p.train && set.addTrain(hidden[i]!, p.count * W, ys(p)));
    parts.forEach((p, i) => !p.train && set.addTest(hidden[i]!, p.count * W, ys(p)));
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
    const probes: VariableProbe[] = [];
    const step = async () => {
      await this.breathe();
      if (cancelled()) throw new ProbeCancelled();
    };
    await this.states.walk(
      steps,
      async (t, hidden) => {
        const vars = live[t - 1]!;
        if (vars.length === 0) return;
        const set = new RidgeProbeSet(this.d(), vars.length, undefined, W);
        this.fitParts(set, hidden, (p) =>
          vars.map((name) => {
            const y = new Float64Array(p.count * W);
            const k = names.indexOf(name);
            for (let i = 0; i < p.count; i++) y.set(traces[p.start + i]!.variables[k]!.values[t]!, i * W);
            return y;
          }),
        );
        vars.forEach((variable, k) => {
          const r = set.result(k);
          if (r.distinctValues >= 2) probes.push({ variable, step: t, ...r });
        });
        await step();
      },
      step,
    );
    return { steps, examples: this.rows.length, probes };
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
    const V = this.session.config.vocabSize;
    const { hidden, logits } = await this.states.at(step);
    const ys: Float64Array[] = [];
    for (const [k, p] of this.states.parts.entries()) {
      const y = new Float64Array(p.count * W);
      for (let j = 0; j < p.count; j++) {
        const i = p.start + j;
        const row = this.rows[i]!;
        const { decoded, confidence } = readOutRow(logits[k]!.subarray(j * W * V, (j + 1) * W * V), W, V);
        const answer = used.has('answer') ? (this.program.run(row, step).answers[step] ?? null) : null;
        const extra = iterationNames({ step, decoded, confidence, answer, mask: this.masks[i]! });
        const v = evaluate(row, step, [expr], extra)[0]!;
        if (i % 32 === 31) await nextTurn();
        if (v.kind === 'int') y.fill(v.value, j * W, (j + 1) * W);
        else if (v.kind === 'seq') y.set(v.values, j * W);
        else throw new RaspError('runtime', `a probe reads a sequence or an integer, but the expression gives ${v.kind === 'selector' ? 'a selector' : `the ${v.kind} ${v.name}`}`, expr.span);
      }
      ys.push(y);
    }
    const set = new RidgeProbeSet(this.d(), 1, undefined, W);
    this.fitParts(set, hidden, (p) => [ys[this.states.parts.indexOf(p)]!]);
    return { step, ...set.result(0) };
  }
}
